package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/demo"
	"github.com/aftersale/aftersale/internal/authtest"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/web"
	"github.com/aftersale/aftersale/workflow"
)

// env is what the page tests run on: the whole site (pages and API, behind
// the real middleware, as `aftersale serve` wires it) on a real SQLite store
// holding the fixture, a clock at the test day (testday.Now), and a signed-up user for each
// name of users (password "correct horse").
type env struct {
	t      testing.TB
	db     *store.DB
	srv    *httptest.Server
	site   *web.Server
	now    func() time.Time
	actors map[string]aftersale.Actor
}

const password = "correct horse"

var users = map[string]aftersale.User{
	"agent":     {Email: "agent@shop.test", Name: "Alice Agent", Role: aftersale.RoleAgent},
	"inspector": {Email: "inspector@shop.test", Name: "Ian Inspector", Role: aftersale.RoleInspector},
	"manager":   {Email: "manager@shop.test", Name: "Mia Manager", Role: aftersale.RoleManager},
	"admin":     {Email: "admin@shop.test", Name: "Ada Admin", Role: aftersale.RoleAdmin},
	"eu":        {Email: "eu@dist.test", Name: "Eva EU", Role: aftersale.RoleDistributor, DistributorCode: "DIST-EU"},
	"asia":      {Email: "asia@dist.test", Name: "Aki Asia", Role: aftersale.RoleDistributor, DistributorCode: "DIST-ASIA"},
}

func newEnv(t testing.TB) *env { return newEnvWith(t, users) }

// newEnvWith is newEnv with only the given users; with none, the site is a
// new installation that offers its setup page (sample: the demo data set).
func newEnvWith(t testing.TB, users map[string]aftersale.User) *env {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "a.db"), store.WithClock(testday.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fixture.Seed(t, db)
	e := &env{t: t, db: db, now: testday.Now,
		actors: map[string]aftersale.Actor{}}
	hash, err := auth.HashPassword(password, authtest.Params)
	if err != nil {
		t.Fatal(err)
	}
	for name, u := range users {
		u.Active = true
		created, err := db.CreateUser(ctx, u, hash)
		if err != nil {
			t.Fatal(err)
		}
		e.actors[name] = aftersale.Actor{UserID: created.ID, Email: created.Email, Name: created.Name,
			Role: created.Role, DistributorCode: created.DistributorCode}
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	p := policy.Default()
	svc, err := workflow.New(p, db, e.now)
	if err != nil {
		t.Fatal(err)
	}
	svc.History = db
	blobs, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	limiter := auth.NewLimiter(1000, time.Millisecond, e.now)
	claims := &workflow.Claims{Service: svc, InTx: db.InClaimTx, Opener: db.OpenClaim, Read: db, Warn: db}
	evidence := &workflow.Evidence{InTx: db.InEvidenceTx, Read: db, Blobs: blobs, Sniff: blob.Sniff, Verify: blob.Verify, Now: e.now}
	parcels := &workflow.Parcels{Service: svc, InTx: db.InParcelTx, Read: db}
	imports := &workflow.Imports{Run: fixture.ImportRunner(db, p)}
	mux := http.NewServeMux()
	api.New(mux, p, svc, "test", log, api.WithSessions(db, limiter, e.now), api.WithClaims(claims),
		api.WithEvidence(evidence), api.WithParcels(parcels), api.WithImports(imports))
	e.site, err = web.New(mux, web.Deps{Policy: p, Service: svc, Claims: claims, Evidence: evidence, Parcels: parcels,
		Imports: imports, Sessions: db, Limiter: limiter, Now: e.now, Log: log,
		ReturnAddress: "Robot Kits Ltd, Returns, 1 Dock Road, London", Setup: setupFor(db, e.now),
		Users: &workflow.Users{Store: db, Hash: setupFor(db, e.now).Hash}, Catalog: &workflow.Catalog{Read: db},
		Stats: workflow.NewStatistics(claims)})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(http.NewCrossOriginProtection().Handler(auth.Middleware(db, limiter, log)(mux)))
	t.Cleanup(e.srv.Close)
	return e
}

// browser is an HTTP client with cookies, in one language, that does not
// follow redirects (tests look at them).
type browser struct {
	e    *env
	c    *http.Client
	lang string
}

func (e *env) browser(lang string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &browser{e: e, lang: lang, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is an answer: its status, where it redirects, and its body.
type page struct {
	Status     int
	Location   string
	Body       string
	RetryAfter string // the Retry-After header, of a multipart post
}

func (b *browser) do(method, path string, form url.Values) page {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", b.lang)
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	buf, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return page{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(buf)}
}

func (b *browser) get(path string) page                   { return b.do(http.MethodGet, path, nil) }
func (b *browser) post(path string, form url.Values) page { return b.do(http.MethodPost, path, form) }

// login signs the browser in as the user called name.
func (b *browser) login(name string) {
	b.e.t.Helper()
	p := b.post("/login", url.Values{"email": {users[name].Email}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		b.e.t.Fatalf("login %s: status %d, want 303\n%s", name, p.Status, p.Body)
	}
}

// noMissingMessages fails the test if a page asked for a message that a
// language lacks.
func (e *env) noMissingMessages() {
	e.t.Helper()
	if m := e.site.Missing(); len(m) > 0 {
		e.t.Errorf("messages missing: %v", m)
	}
}

// testWriter sends the server's log to the test's, shown when it fails.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// sampleOrders is the size of the tests' sample data set.
const sampleOrders = 200

// setupFor is the new installation's setup with the demo data set as its
// sample, passwords hashed cheaply.
func setupFor(db *store.DB, now func() time.Time) *workflow.Setup {
	return &workflow.Setup{Store: db,
		Hash: func(pw, email string) (string, error) {
			if err := auth.CheckPassword(pw, email); err != nil {
				return "", err
			}
			return auth.HashPassword(pw, authtest.Params)
		},
		LoadSample: demo.SampleLoader(db, func() (demo.Options, error) {
			return demo.Options{Orders: sampleOrders, Seed: 1, Today: date.FromTime(now())}, nil
		}), SampleOrders: sampleOrders}
}

// claimOf is the claim an opening made (the tests that need its link read
// workflow.Opened themselves).
func claimOf(o workflow.Opened, err error) (aftersale.Claim, error) { return o.Claim, err }
