package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/internal/authtest"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
)

// accountsServer is the API over a real SQLite store with a manager (password
// "correct horse battery", stored with cheap parameters) and a token of a
// distributor user, behind the auth middleware as serve wires it.
type accountsServer struct {
	url          string
	managerToken string
	distToken    string
}

func newAccountsServer(t *testing.T) accountsServer {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.UpsertDistributors(t.Context(), []aftersale.Distributor{{Code: "DIST-DE", Name: "Robots GmbH", Authorised: true}}); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("correct horse battery", authtest.Params)
	if err != nil {
		t.Fatal(err)
	}
	var s accountsServer
	for _, u := range []aftersale.User{
		{Email: "mia@example.com", Name: "Mia Manager", Role: aftersale.RoleManager},
		{Email: "dan@robots.de", Name: "Dan", Role: aftersale.RoleDistributor, DistributorCode: "DIST-DE"},
	} {
		u, err := db.CreateUser(t.Context(), u, hash)
		if err != nil {
			t.Fatal(err)
		}
		nt, _ := auth.GenerateToken()
		if _, err := db.CreateToken(t.Context(), u.ID, "ci", nt.Prefix, nt.Hash); err != nil {
			t.Fatal(err)
		}
		if u.Role == aftersale.RoleManager {
			s.managerToken = nt.Secret
		} else {
			s.distToken = nt.Secret
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	limiter := auth.NewLimiter(3, time.Minute, time.Now)
	mux := http.NewServeMux()
	api.New(mux, policy.Default(), nil, "test", log, api.WithSessions(db, limiter, time.Now))
	srv := httptest.NewServer(auth.Middleware(db, limiter, log)(mux))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func call(t *testing.T, method, url, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestMe(t *testing.T) {
	s := newAccountsServer(t)
	unknown, _ := auth.GenerateToken()
	tests := []struct {
		name, authorization string
		status              int
		want                []string // in the body
	}{
		{"manager's token", "Bearer " + s.managerToken, 200, []string{`"email":"mia@example.com"`, `"role":"manager"`, `"token":{"id":1,"name":"ci"}`,
			`"permissions":["view_claims","open_claims","work_claims","inspect","approve_exceptions","manage_users","manage_policy","import_registry"]`}},
		{"distributor's token", "Bearer " + s.distToken, 200, []string{`"role":"distributor"`, `"distributor_code":"DIST-DE"`, `"permissions":["view_claims","open_claims"]`}},
		{"anonymous", "", 401, []string{`"status":401`, "sign in or send an API token"}},
		{"unknown token", "Bearer " + unknown.Secret, 401, []string{`"status":401`}},
		{"malformed header", "Token abc", 401, []string{`"status":401`, "Bearer as_"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.authorization != "" {
				h = []string{"Authorization", tt.authorization}
			}
			resp, body := call(t, http.MethodGet, s.url+"/api/v1/me", "", h...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status != 200 && resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body %s lacks %s", body, w)
				}
			}
		})
	}
}

func TestSession(t *testing.T) {
	s := newAccountsServer(t)
	resp, body := call(t, http.MethodPost, s.url+"/api/v1/session", `{"email":"MIA@example.com","password":"correct horse battery"}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"role":"manager"`) || strings.Contains(body, `"token"`) {
		t.Fatalf("sign in: %d %s", resp.StatusCode, body)
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || cookies[0].Name != auth.SessionCookie || !cookies[0].Secure || !cookies[0].HttpOnly ||
		cookies[0].SameSite != http.SameSiteLaxMode || len(cookies[0].Value) < 43 || cookies[0].Path != "/" {
		t.Fatalf("cookie %+v", cookies)
	}
	cookie := auth.SessionCookie + "=" + cookies[0].Value
	if resp, body := call(t, http.MethodGet, s.url+"/api/v1/me", "", "Cookie", cookie); resp.StatusCode != 200 || !strings.Contains(body, `"email":"mia@example.com"`) {
		t.Errorf("me with the session: %d %s", resp.StatusCode, body)
	}
	resp, _ = call(t, http.MethodDelete, s.url+"/api/v1/session", "", "Cookie", cookie)
	if resp.StatusCode != 204 || len(resp.Cookies()) != 1 || resp.Cookies()[0].MaxAge >= 0 {
		t.Errorf("sign out: %d %+v", resp.StatusCode, resp.Cookies())
	}
	if resp, _ := call(t, http.MethodGet, s.url+"/api/v1/me", "", "Cookie", cookie); resp.StatusCode != 401 {
		t.Errorf("me after signing out: %d", resp.StatusCode)
	}
}

func TestSignInFailures(t *testing.T) {
	s := newAccountsServer(t)
	for i, body := range []string{
		`{"email":"mia@example.com","password":"wrong password!"}`,
		`{"email":"nobody@example.com","password":"correct horse battery"}`,
		`{"email":"mia@example.com","password":""}`,
	} {
		resp, got := call(t, http.MethodPost, s.url+"/api/v1/session", body)
		if resp.StatusCode != 401 || !strings.Contains(got, "wrong e-mail address or password") || len(resp.Cookies()) != 0 {
			t.Errorf("attempt %d: %d %s", i+1, resp.StatusCode, got)
		}
	}
	// Three failures used the allowance: even the right password waits.
	resp, got := call(t, http.MethodPost, s.url+"/api/v1/session", `{"email":"mia@example.com","password":"correct horse battery"}`)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !strings.Contains(got, "too many failed attempts") {
		t.Errorf("4th attempt: %d %v %s", resp.StatusCode, resp.Header, got)
	}
}

func TestRequirePermissionInDocument(t *testing.T) {
	s := newAccountsServer(t)
	resp, body := call(t, http.MethodGet, s.url+"/api/v1/openapi.json", "")
	var doc struct {
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
		Components struct {
			SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if len(doc.Paths["/api/v1/me"]["get"].Security) != 2 || doc.Components.SecuritySchemes["bearer"] == nil {
		t.Errorf("/api/v1/me is not documented as needing a token or session: %+v", doc.Paths["/api/v1/me"])
	}
	if _, ok := doc.Paths["/api/v1/session"]["post"]; !ok {
		t.Errorf("POST /api/v1/session is not documented; paths %v", slices.Sorted(maps.Keys(doc.Paths)))
	}
}
