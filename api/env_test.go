package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// testEnv is what the API tests run on: a real SQLite store holding the
// fixture, a clock on the tests' day (testday.Now), and a user with a token
// for each name of testUsers.
type testEnv struct {
	db     *store.DB
	svc    *workflow.Service
	now    func() time.Time
	log    *slog.Logger
	tokens map[string]string          // by name: agent, inspector, manager, eu, asia
	actors map[string]aftersale.Actor // the same users, as the workflow sees them
}

var testUsers = map[string]aftersale.User{
	"agent":     {Email: "agent@shop.test", Name: "Agent", Role: aftersale.RoleAgent},
	"inspector": {Email: "inspector@shop.test", Name: "Inspector", Role: aftersale.RoleInspector},
	"manager":   {Email: "manager@shop.test", Name: "Manager", Role: aftersale.RoleManager},
	"eu":        {Email: "eu@dist.test", Name: "EU", Role: aftersale.RoleDistributor, DistributorCode: "DIST-EU"},
	"asia":      {Email: "asia@dist.test", Name: "Asia", Role: aftersale.RoleDistributor, DistributorCode: "DIST-ASIA"},
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvOn(t, filepath.Join(t.TempDir(), "a.db"))
}

// newTestEnvOn is newTestEnv on the store at dsn: a SQLite file, or a
// postgres:// URL (pg.Database).
func newTestEnvOn(t *testing.T, dsn string) *testEnv {
	t.Helper()
	return newTestEnvClock(t, dsn, testday.Now)
}

// newTestEnvClock is newTestEnvOn with the clock now, for the store and
// the use cases alike.
func newTestEnvClock(t *testing.T, dsn string, now func() time.Time) *testEnv {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, dsn, store.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fixture.Seed(t, db)
	e := &testEnv{db: db, now: now,
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), tokens: map[string]string{}, actors: map[string]aftersale.Actor{}}
	if e.svc, err = workflow.New(policy.Default(), db, e.now); err != nil {
		t.Fatal(err)
	}
	e.svc.History = db
	for name, u := range testUsers {
		u.Active = true
		created, err := db.CreateUser(ctx, u, "")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := auth.GenerateToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateToken(ctx, created.ID, "test", tok.Prefix, tok.Hash); err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = tok.Secret
		e.actors[name] = aftersale.Actor{UserID: created.ID, Email: created.Email, Name: created.Name,
			Role: created.Role, DistributorCode: created.DistributorCode}
	}
	return e
}

// claims is the claim use cases on the env's store.
func (e *testEnv) claims() *workflow.Claims {
	return &workflow.Claims{Service: e.svc, InTx: e.db.InClaimTx, Opener: e.db.OpenClaim, Read: e.db, Warn: e.db}
}

// serve runs the API with opts behind the real auth middleware.
func (e *testEnv) serve(t *testing.T, opts ...api.Option) *httptest.Server {
	srv, _ := e.serveMux(t, opts...)
	return srv
}

// serveMux is serve, with the API's mux for calls that bypass the server.
func (e *testEnv) serveMux(t *testing.T, opts ...api.Option) (*httptest.Server, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	s := api.New(mux, policy.Default(), e.svc, "test", e.log, opts...)
	srv := httptest.NewServer(auth.Middleware(e.db, auth.NewLimiter(1000, time.Millisecond, e.now), e.log)(documented(t, s, mux)))
	t.Cleanup(srv.Close)
	return srv, mux
}

// claimOf is the claim an opening made (the tests that need its link read
// workflow.Opened themselves).
func claimOf(o workflow.Opened, err error) (aftersale.Claim, error) { return o.Claim, err }
