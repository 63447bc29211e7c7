package auth_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/store"
)

func TestGenerateToken(t *testing.T) {
	a, err := auth.GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := auth.GenerateToken()
	if a.Secret == b.Secret || a.Hash == b.Hash {
		t.Fatal("two tokens are equal")
	}
	if !strings.HasPrefix(a.Secret, "as_") || len(a.Secret) != 46 || !strings.HasPrefix(a.Secret, a.Prefix) || len(a.Prefix) != 9 {
		t.Errorf("token %q, prefix %q", a.Secret, a.Prefix)
	}
	if a.Hash != auth.HashSecret(a.Secret) || len(a.Hash) != 64 || strings.Contains(a.Hash, a.Secret[3:]) {
		t.Errorf("hash %q", a.Hash)
	}
	for s, want := range map[string]bool{
		a.Secret:                        true,
		a.Secret[:45]:                   false,
		a.Secret + "A":                  false,
		"xx_" + a.Secret[3:]:            false,
		"as_" + strings.Repeat("!", 43): false,
		"":                              false,
	} {
		if got := auth.WellFormedToken(s); got != want {
			t.Errorf("WellFormedToken(%q) = %v, want %v", s, got, want)
		}
	}
}

// fixture is a real SQLite store with an agent, a disabled user, and a
// token of each, behind the middleware, with a handler that echoes the actor.
type fixture struct {
	srv                 *httptest.Server
	agent, disabled     string // token secrets
	revoked             string
	agentID, agentToken int64
	clock               *time.Time
}

func newFixture(t *testing.T, burst int) *fixture {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{}
	mint := func(email string, role aftersale.Role) (string, int64, int64) {
		u, err := db.CreateUser(t.Context(), aftersale.User{Email: email, Name: email, Role: role}, "")
		if err != nil {
			t.Fatal(err)
		}
		nt, _ := auth.GenerateToken()
		tok, err := db.CreateToken(t.Context(), u.ID, "test", nt.Prefix, nt.Hash)
		if err != nil {
			t.Fatal(err)
		}
		return nt.Secret, u.ID, tok.ID
	}
	mint("root@example.com", aftersale.RoleAdmin)
	f.agent, f.agentID, f.agentToken = mint("agent@example.com", aftersale.RoleAgent)
	var disabledID, revokedToken int64
	f.disabled, disabledID, _ = mint("gone@example.com", aftersale.RoleManager)
	f.revoked, _, revokedToken = mint("old@example.com", aftersale.RoleInspector)
	if err := db.SetUserActive(t.Context(), disabledID, false); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(t.Context(), revokedToken); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.clock = &now
	limiter := auth.NewLimiter(burst, time.Minute, func() time.Time { return *f.clock })
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(auth.ActorFrom(r.Context()))
	})
	f.srv = httptest.NewServer(auth.Middleware(db, limiter, slog.New(slog.NewTextHandler(io.Discard, nil)))(echo))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) get(t *testing.T, authorization string) (int, aftersale.Actor, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var a aftersale.Actor
	if resp.StatusCode == 200 {
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
	}
	return resp.StatusCode, a, string(body), resp.Header
}

func TestMiddleware(t *testing.T) {
	f := newFixture(t, 100)
	unknown, _ := auth.GenerateToken()
	tests := []struct {
		name, header string
		status       int
		email        string // of the actor; "" for anonymous
	}{
		{"valid token", "Bearer " + f.agent, 200, "agent@example.com"},
		{"scheme in lower case", "bearer " + f.agent, 200, "agent@example.com"},
		{"no header", "", 200, ""},
		{"unknown token", "Bearer " + unknown.Secret, 200, ""},
		{"revoked token", "Bearer " + f.revoked, 200, ""},
		{"disabled user", "Bearer " + f.disabled, 200, ""},
		{"basic auth", "Basic YWRtaW46YWRtaW4=", 401, ""},
		{"not our token", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", 401, ""},
		{"no token", "Bearer", 401, ""},
		{"truncated token", "Bearer " + f.agent[:20], 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, a, body, h := f.get(t, tt.header)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if status == 401 {
				if h.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"status":401`) || h.Get("WWW-Authenticate") == "" {
					t.Errorf("401 without a problem or WWW-Authenticate: %v %s", h, body)
				}
				return
			}
			if a.Email != tt.email {
				t.Errorf("actor %+v, want %q", a, tt.email)
			}
		})
	}
	_, a, _, _ := f.get(t, "Bearer "+f.agent)
	want := aftersale.Actor{UserID: f.agentID, Email: "agent@example.com", Name: "agent@example.com", Role: aftersale.RoleAgent, TokenID: f.agentToken, TokenName: "test"}
	if a != want {
		t.Errorf("actor %+v, want %+v", a, want)
	}
}

// TestMiddlewareRateLimit allows 3 failures per IP, then answers 429 to a
// refused token, lets a valid one through from the same IP, and forgives
// one failure a minute.
func TestMiddlewareRateLimit(t *testing.T) {
	f := newFixture(t, 3)
	unknown, _ := auth.GenerateToken()
	for i := range 3 {
		if status, a, _, _ := f.get(t, "Bearer "+unknown.Secret); status != 200 || !a.Anonymous() {
			t.Fatalf("failure %d: %d %+v", i+1, status, a)
		}
	}
	status, _, body, h := f.get(t, "Bearer "+unknown.Secret)
	if status != http.StatusTooManyRequests || h.Get("Retry-After") != "60" || !strings.Contains(body, "Too many failed attempts") {
		t.Errorf("a 4th unknown token: %d, Retry-After %q, %s", status, h.Get("Retry-After"), body)
	}
	if status, a, body, _ := f.get(t, "Bearer "+f.agent); status != 200 || a.Email != "agent@example.com" {
		t.Errorf("a valid token from the blocked address: %d %+v %s", status, a, body)
	}
	if status, _, _, _ := f.get(t, ""); status != 200 {
		t.Errorf("a request without a token is not limited: %d", status)
	}
	*f.clock = f.clock.Add(time.Minute)
	if status, a, _, _ := f.get(t, "Bearer "+unknown.Secret); status != 200 || !a.Anonymous() {
		t.Errorf("an unknown token a minute later: %d %+v", status, a)
	}
}

func TestRequire(t *testing.T) {
	tests := []struct {
		actor aftersale.Actor
		perm  aftersale.Permission
		want  aftersale.ErrorKind
	}{
		{aftersale.Actor{}, aftersale.ViewClaims, aftersale.Unauthorized},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleAgent}, aftersale.WorkClaims, ""},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleAgent}, aftersale.ManageUsers, aftersale.Forbidden},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleAdmin}, aftersale.ManageAdmins, ""},
	}
	for _, tt := range tests {
		ctx := auth.WithActor(t.Context(), tt.actor)
		if got := aftersale.KindOf(auth.Require(ctx, tt.perm)); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.actor.Role, tt.perm, got, tt.want)
		}
	}
	if !auth.ActorFrom(t.Context()).Anonymous() {
		t.Error("a bare context has an actor")
	}
}
