package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// customerServer is the real API, claims and evidence, over a real SQLite
// store behind the real auth middleware, with an agent's token.
type customerServer struct {
	*httptest.Server
	db    *store.DB
	agent string
}

func newCustomerServer(t *testing.T) *customerServer {
	t.Helper()
	env := newTestEnv(t)
	blobs, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	claims := env.claims()
	claims.Links = workflow.CustomerLinks{BaseURL: "https://rma.example.com"}
	ev := &workflow.Evidence{InTx: env.db.InEvidenceTx, Read: env.db, Blobs: blobs, Sniff: blob.Sniff, Verify: blob.Verify, Now: env.now}
	srv := env.serve(t, api.WithClaims(claims), api.WithEvidence(ev))
	return &customerServer{Server: srv, db: env.db, agent: env.tokens["agent"]}
}

// call sends a request with credential cred: "Bearer ..." as a header, or
// a cookie's "name=value"; it returns the status, headers and body.
func (s *customerServer) call(t *testing.T, cred, method, path string, body []byte) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if name, value, ok := strings.Cut(cred, "="); ok && !strings.HasPrefix(cred, "Bearer ") {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	} else if cred != "" {
		req.Header.Set("Authorization", cred)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// open opens a claim as the agent and returns its number and link secret.
func (s *customerServer) open(t *testing.T, body string) (string, string) {
	t.Helper()
	st, _, out := s.call(t, "Bearer "+s.agent, "POST", "/api/v1/claims", []byte(body))
	var c struct {
		Number       string `json:"number"`
		CustomerLink string `json:"customer_link"`
	}
	if err := json.Unmarshal([]byte(out), &c); st != 201 || err != nil {
		t.Fatalf("open: %d %s", st, out)
	}
	u, err := url.Parse(c.CustomerLink)
	if err != nil || u.Host != "rma.example.com" || u.Path != "/claims/"+c.Number {
		t.Fatalf("customer_link %q", c.CustomerLink)
	}
	return c.Number, u.Query().Get("access")
}

// TestCustomerReachesOnlyOwnClaim walks every claim endpoint as the
// customer of claim A's link: A answers, without its internal notes; B (the
// same customer's other claim) and C (another customer's, sold by a
// distributor) are 404 everywhere, exactly as a claim that does not exist.
func TestCustomerReachesOnlyOwnClaim(t *testing.T) {
	s := newCustomerServer(t)
	agent := "Bearer " + s.agent
	a, secretA := s.open(t, `{"request":"defect","lines":[{"serial":"SV-9"}]}`) // e-mail from the order: ann
	b, _ := s.open(t, `{"request":"defect","customer_email":"ann@example.com","lines":[{"serial":"SV-30"}]}`)
	c, secretC := s.open(t, `{"request":"defect","customer_email":"bob@example.com","lines":[{"serial":"SV-20"}]}`)
	const note = "INTERNAL: customer sounds like a reseller"
	for _, n := range []string{a, b, c} {
		for _, m := range []string{`{"body":"` + note + `","internal":true}`, `{"body":"Please send a photo"}`} {
			if st, _, out := s.call(t, agent, "POST", "/api/v1/claims/"+n+"/messages", []byte(m)); st != 201 {
				t.Fatalf("message on %s: %d %s", n, st, out)
			}
		}
		if st, _, out := s.call(t, agent, "POST", "/api/v1/claims/"+n+"/evidence?name=a.jpg", jpeg); st != 201 {
			t.Fatalf("evidence on %s: %d %s", n, st, out)
		}
		if st, _, out := s.call(t, agent, "POST", "/api/v1/claims/"+n+"/actions", []byte(`{"action":"request_info","version":1,"note":"Which firmware?"}`)); st != 200 {
			t.Fatalf("request_info on %s: %d %s", n, st, out)
		}
	}
	evidenceID := map[string]int{a: 1, b: 2, c: 3}
	as := "Bearer " + secretA
	endpoints := func(n string) []struct {
		method, path string
		body         []byte
	} {
		return []struct {
			method, path string
			body         []byte
		}{
			{"GET", "/api/v1/claims/" + n, nil},
			{"GET", "/api/v1/claims/" + n + "/events", nil},
			{"GET", "/api/v1/claims/" + n + "/messages", nil},
			{"GET", "/api/v1/claims/" + n + "/evidence", nil},
			{"GET", fmt.Sprintf("/api/v1/claims/%s/evidence/%d", n, evidenceID[n]), nil},
			{"POST", "/api/v1/claims/" + n + "/evidence?name=b.jpg", jpeg},
			{"POST", "/api/v1/claims/" + n + "/messages", []byte(`{"body":"Here it is"}`)},
			{"POST", "/api/v1/claims/" + n + "/actions", []byte(`{"action":"provide_info","version":2,"note":"1.2"}`)},
		}
	}
	for _, other := range []string{b, c, "RMA-2026-999999"} {
		for _, e := range endpoints(other) {
			if st, _, out := s.call(t, as, e.method, e.path, e.body); st != 404 || strings.Contains(out, note) {
				t.Errorf("customer of %s: %s %s = %d %s, want 404", a, e.method, e.path, st, out)
			}
		}
	}
	// A's evidence through A's path is A's; B's evidence id through A's path is not.
	if st, _, _ := s.call(t, as, "GET", fmt.Sprintf("/api/v1/claims/%s/evidence/%d", a, evidenceID[b]), nil); st != 404 {
		t.Errorf("B's evidence through A's path: %d", st)
	}
	for _, e := range endpoints(a) {
		st, _, out := s.call(t, as, e.method, e.path, e.body)
		if st != 200 && st != 201 || strings.Contains(out, note) || strings.Contains(out, `"internal":true`) || strings.Contains(out, `"kind":"note"`) {
			t.Errorf("customer of %s: %s %s = %d %s", a, e.method, e.path, st, out)
		}
		// The customer learns what the seller did, not which employee did it.
		if strings.Contains(out, "@shop.test") {
			t.Errorf("customer of %s: %s %s shows a staff e-mail: %s", a, e.method, e.path, out)
		}
	}
	for _, e := range []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/api/v1/claims/" + a + "/messages", `{"body":"sneaky","internal":true}`, 403},
		{"POST", "/api/v1/claims/" + a + "/actions", `{"action":"start_review","version":3}`, 409},
		{"POST", "/api/v1/claims/" + a + "/actions", `{"action":"approve","version":3,"remedy":"refund"}`, 403},
		{"POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"SV-40"}]}`, 403},
	} {
		if st, _, out := s.call(t, as, e.method, e.path, []byte(e.body)); st != e.want {
			t.Errorf("%s %s %s: %d %s, want %d", e.method, e.path, e.body, st, out, e.want)
		}
	}
	// The queue holds A alone, whatever the filters ask.
	for _, q := range []string{"", "?distributor=DIST-EU", "?q=ann", "?status=submitted", "?cursor=" + url.QueryEscape(b)} {
		st, _, out := s.call(t, as, "GET", "/api/v1/claims"+q, nil)
		var page struct {
			Claims []struct{ Number string } `json:"claims"`
		}
		_ = json.Unmarshal([]byte(out), &page)
		for _, got := range page.Claims {
			if st != 200 || got.Number != a {
				t.Errorf("queue%s: %d %s", q, st, out)
			}
		}
		if q == "" && len(page.Claims) != 1 {
			t.Errorf("queue: %s, want %s only", out, a)
		}
	}
	if st, _, out := s.call(t, as, "GET", "/api/v1/me", nil); st != 200 || !strings.Contains(out, `"role":"customer"`) || !strings.Contains(out, `"claim":"`+a+`"`) {
		t.Errorf("me: %d %s", st, out)
	}
	// C's link reaches C and not A.
	if st, _, _ := s.call(t, "Bearer "+secretC, "GET", "/api/v1/claims/"+a, nil); st != 404 {
		t.Errorf("C's customer reads A: %d", st)
	}
	if st, _, _ := s.call(t, "Bearer "+secretC, "GET", "/api/v1/claims/"+c, nil); st != 200 {
		t.Errorf("C's customer reads C: %d", st)
	}
}

// TestClaimLinkCookie: ?access= on the first visit answers in place and
// sets a Strict, HttpOnly, Secure cookie that reaches the same claim only;
// a wrong or revoked link is nobody.
func TestClaimLinkCookie(t *testing.T) {
	s := newCustomerServer(t)
	a, secret := s.open(t, `{"request":"defect","lines":[{"serial":"SV-9"}]}`)
	b, _ := s.open(t, `{"request":"defect","lines":[{"serial":"SV-30"}]}`)
	st, h, out := s.call(t, "", "GET", "/api/v1/claims/"+a+"?access="+secret, nil)
	if st != 200 || !strings.Contains(out, a) || h.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("first visit: %d %v %s", st, h, out)
	}
	resp := http.Response{Header: h}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.ClaimCookie {
			cookie = ck
		}
	}
	if cookie == nil || cookie.Value != secret || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" {
		t.Fatalf("cookie %+v", cookie)
	}
	jar := auth.ClaimCookie + "=" + secret
	wrong := secret[:len(secret)-1] + "A"
	if wrong == secret {
		wrong = secret[:len(secret)-1] + "B"
	}
	for _, tt := range []struct {
		cred, path string
		want       int
	}{
		{jar, "/api/v1/claims/" + a, 200},
		{jar, "/api/v1/claims/" + b, 404},
		{"", "/api/v1/claims/" + a, 401},
		{"", "/api/v1/claims/" + a + "?access=" + wrong, 401},
		{auth.ClaimCookie + "=cl_nonsense", "/api/v1/claims/" + a, 401},
		{"Bearer cl_nonsense", "/api/v1/claims/" + a, 401},
	} {
		if st, _, out := s.call(t, tt.cred, "GET", tt.path, nil); st != tt.want {
			t.Errorf("%q %s: %d %s, want %d", tt.cred, tt.path, st, out, tt.want)
		}
	}
	if n, err := s.db.RevokeClaimAccess(t.Context(), a); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if st, _, _ := s.call(t, jar, "GET", "/api/v1/claims/"+a, nil); st != 401 {
		t.Errorf("revoked link: %d", st)
	}
}

// TestClaimMailInTransaction: opening and acting enqueue the customer's
// e-mails with the claim; a claim that fails mid-transaction enqueues
// nothing and leaves no link.
func TestClaimMailInTransaction(t *testing.T) {
	s := newCustomerServer(t)
	a, secret := s.open(t, `{"request":"defect","lines":[{"serial":"SV-9"}]}`)
	if st, _, out := s.call(t, "Bearer "+s.agent, "POST", "/api/v1/claims", []byte(`{"request":"defect","lines":[{"serial":"SV-30"},{"serial":"NO-SUCH"}]}`)); st != 422 {
		t.Fatalf("a failing claim: %d %s", st, out)
	}
	if st, _, out := s.call(t, "Bearer "+s.agent, "POST", "/api/v1/claims/"+a+"/actions", []byte(`{"action":"request_info","version":1,"note":"Which firmware?"}`)); st != 200 {
		t.Fatalf("request_info: %d %s", st, out)
	}
	if st, _, out := s.call(t, "Bearer "+secret, "POST", "/api/v1/claims/"+a+"/actions", []byte(`{"action":"provide_info","version":2,"note":"1.2"}`)); st != 200 {
		t.Fatalf("provide_info: %d %s", st, out)
	}
	entries, err := s.db.OutboxEntries(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"We need information for your claim " + a, "Your claim " + a + " is received"}
	if len(entries) != len(want) {
		t.Fatalf("outbox %+v, want %q", entries, want)
	}
	for i, e := range entries {
		if e.Subject != want[i] || e.To != "ann@example.com" || strings.Contains(e.Body, secret) {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
	if !strings.Contains(entries[0].Body, "Which firmware?") || !strings.Contains(entries[1].Body, "https://rma.example.com/claims/"+a+"?access=[secret removed]") {
		t.Errorf("bodies:\n%s\n%s", entries[0].Body, entries[1].Body)
	}
}
