package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/internal/testday"
)

// claimsServer is the real API over a real store, behind the real auth
// middleware; tokens holds a bearer token per role.
type claimsServer struct {
	*httptest.Server
	tokens map[string]string
}

func newClaimsServer(t *testing.T) *claimsServer {
	t.Helper()
	env := newTestEnv(t)
	return &claimsServer{env.serve(t, api.WithClaims(env.claims())), env.tokens}
}

// do sends a request as who ("" for anonymous) and decodes a JSON answer.
func (s *claimsServer) do(t *testing.T, who, method, path, body string, header map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[who])
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode, resp.Header, out
}

func TestClaimLifecycleOverHTTP(t *testing.T) {
	s := newClaimsServer(t)
	first := fmt.Sprintf("RMA-%d-000001", testday.Today().Year()) // numbered in the year it is reported
	const opening = `{"request":"defect","description":"servo jitters","customer_email":"ann@example.com","lines":[{"serial":"SV-9"}]}`
	status, h, c := s.do(t, "agent", "POST", "/api/v1/claims", opening, map[string]string{"Idempotency-Key": "k1"})
	if status != 201 || c["number"] != first || h.Get("ETag") != `"1"` || h.Get("Location") != "/api/v1/claims/"+first {
		t.Fatalf("open: %d %v %v", status, h, c)
	}
	line := c["lines"].([]any)[0].(map[string]any)
	if d := line["decision"].(map[string]any); d["outcome"] != "eligible" || d["policy_version"] != "2026.1" {
		t.Errorf("decision %v", d)
	}
	if _, ok := c["warnings"]; ok {
		t.Errorf("warnings on a first, ordinary claim: %v", c["warnings"])
	}
	// The retry with the same key returns the same claim (TestIdempotencyKey
	// has the other cases).
	if status, _, again := s.do(t, "agent", "POST", "/api/v1/claims", opening, map[string]string{"Idempotency-Key": "k1"}); status != 201 || again["number"] != c["number"] {
		t.Errorf("retry: %d %v", status, again["number"])
	}
	path := "/api/v1/claims/" + first
	act := func(who, body, ifMatch string) (int, map[string]any) {
		hdr := map[string]string{}
		if ifMatch != "" {
			hdr["If-Match"] = ifMatch
		}
		st, _, out := s.do(t, who, "POST", path+"/actions", body, hdr)
		return st, out
	}
	if st, out := act("agent", `{"action":"start_review"}`, ""); st != 428 {
		t.Errorf("no version: %d %v", st, out)
	}
	if st, out := act("agent", `{"action":"start_review"}`, `"1"`); st != 200 || out["status"] != "in_review" || out["version"] != 2.0 {
		t.Fatalf("start_review: %d %v", st, out)
	}
	if st, out := act("agent", `{"action":"approve","remedy":"free_repair"}`, `"1"`); st != 412 {
		t.Errorf("stale If-Match: %d %v", st, out)
	}
	if st, out := act("agent", `{"action":"close","version":2}`, ""); st != 409 || !strings.Contains(out["detail"].(string), "allowed: request_info, approve") {
		t.Errorf("illegal transition: %d %v", st, out)
	}
	if st, out := act("inspector", `{"action":"approve","remedy":"free_repair","version":2}`, ""); st != 403 {
		t.Errorf("inspector approving: %d %v", st, out)
	}
	if st, out := act("asia", `{"action":"approve","remedy":"free_repair","version":2}`, ""); st != 404 {
		t.Errorf("another distributor: %d %v", st, out)
	}
	if st, out := act("", `{"action":"approve","remedy":"free_repair","version":2}`, ""); st != 401 {
		t.Errorf("anonymous: %d %v", st, out)
	}
	if st, out := act("agent", `{"action":"approve","remedy":"free_repair","version":2}`, ""); st != 200 || out["approved_remedy"] != "free_repair" {
		t.Fatalf("approve: %d %v", st, out)
	}
	// A paid repair's quote: the manager sends it, the total is computed.
	if st, out := act("manager", `{"action":"send_quote","version":3,"quote":{"currency":"EUR","lines":[{"kind":"parts","description":"gears","amount":1200},{"kind":"labour","description":"30 min","amount":1500}]}}`, ""); st != 409 {
		t.Errorf("quote from approved: %d %v", st, out)
	}
	st, _, events := s.do(t, "agent", "GET", path+"/events", "", nil)
	if st != 200 || len(events["events"].([]any)) != 3 {
		t.Errorf("events: %d %v", st, events)
	}
	for who, want := range map[string]int{"agent": 200, "inspector": 200, "eu": 404, "asia": 404, "": 401} {
		if st, _, _ := s.do(t, who, "GET", path, "", nil); st != want {
			t.Errorf("GET claim as %q: %d, want %d", who, st, want)
		}
	}
}

func TestClaimQueueOverHTTP(t *testing.T) {
	s := newClaimsServer(t)
	for _, serial := range []string{"SV-9", "SV-30", "SV-40"} {
		if st, _, out := s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"`+serial+`"}]}`, nil); st != 201 {
			t.Fatalf("open %s: %d %v", serial, st, out)
		}
	}
	if st, _, out := s.do(t, "eu", "POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"SV-20"}]}`, nil); st != 201 {
		t.Fatalf("distributor opens: %d %v", st, out)
	}
	count := func(who, query string) int {
		st, _, out := s.do(t, who, "GET", "/api/v1/claims"+query, "", nil)
		if st != 200 {
			t.Fatalf("GET /api/v1/claims%s as %s: %d %v", query, who, st, out)
		}
		return len(out["claims"].([]any))
	}
	if n := count("agent", ""); n != 4 {
		t.Errorf("staff see %d claims, want 4", n)
	}
	if n := count("eu", ""); n != 1 {
		t.Errorf("DIST-EU sees %d, want its 1", n)
	}
	if n := count("asia", ""); n != 0 {
		t.Errorf("DIST-ASIA sees %d, want 0", n)
	}
	if n := count("agent", "?q=SV-30"); n != 1 {
		t.Errorf("search SV-30: %d", n)
	}
	st, _, page := s.do(t, "agent", "GET", "/api/v1/claims?limit=3", "", nil)
	next, _ := page["next"].(string)
	if st != 200 || len(page["claims"].([]any)) != 3 || next == "" {
		t.Fatalf("first page: %d %v", st, page)
	}
	if n := count("agent", "?limit=3&cursor="+next); n != 1 {
		t.Errorf("second page: %d claims, want 1", n)
	}
	if st, _, _ := s.do(t, "agent", "GET", "/api/v1/claims?status=nonsense", "", nil); st != 422 {
		t.Errorf("bad status filter: %d", st)
	}
	if st, _, _ := s.do(t, "", "GET", "/api/v1/claims", "", nil); st != 401 {
		t.Errorf("anonymous queue: %d", st)
	}
	// The search's limit: 66,000 characters are refused at once, 200 still search.
	start := time.Now()
	if st, _, out := s.do(t, "agent", "GET", "/api/v1/claims?q="+strings.Repeat("a", 66000), "", nil); st != 422 ||
		!strings.Contains(mustJSON(t, out), `"q"`) || time.Since(start) > 2*time.Second {
		t.Errorf("a 66,000-character q: %d in %s, %v", st, time.Since(start), out)
	}
	if n := count("agent", "?q="+strings.Repeat("a", 200)); n != 0 {
		t.Errorf("a 200-character q: %d claims", n)
	}
	// Dates no claim can hold are refused by name: future, before 1900, past 9999.
	for _, day := range []string{"9999-12-31", "1899-12-31", "0001-01-01", "0000-03-31", "10000-01-01"} {
		st, _, out := s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect","customer_email":"ann@example.com",
			"lines":[{"sku":"SERVO-MG","purchased_on":"`+day+`","proof_document":"receipt"}]}`, nil)
		if st != 422 || !strings.Contains(mustJSON(t, out), "purchased_on") {
			t.Errorf("purchased_on %s: %d %v", day, st, out)
		}
	}
	st, _, dup := s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"SV-9"}]}`, nil)
	if st != 201 || !strings.Contains(mustJSON(t, dup["warnings"]), `"code":"serial_in_other_claim"`) {
		t.Errorf("a second claim on SV-9: %d warnings %v", st, dup["warnings"])
	}
}

func TestOpenClaimBadInput(t *testing.T) {
	s := newClaimsServer(t)
	// elsewhere is a purchase made elsewhere, with its proof, bought on
	// purchased and (unless "") delivered on delivered.
	elsewhere := func(purchased, delivered string) string {
		line := `{"sku":"SERVO-MG","purchased_on":"` + purchased + `"`
		if delivered != "" {
			line += `,"delivered_on":"` + delivered + `"`
		}
		return `{"request":"defect","customer_email":"ann@example.com","description":"x","lines":[` + line + `,"proof_document":"r"}]}`
	}
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"no lines", `{"request":"defect","lines":[]}`, 422, "lines"},
		{"unknown request", `{"request":"repair","lines":[{"serial":"SV-9"}]}`, 422, "request"},
		{"unknown serial", `{"request":"defect","lines":[{"serial":"NOPE"}]}`, 422, "lines[0].serial"},
		{"bad date", `{"request":"defect","lines":[{"sku":"SERVO-MG","purchased_on":"2026-02-30","proof_document":"x"}]}`, 422, "lines[0].purchased_on"},
		{"elsewhere without proof", `{"request":"defect","lines":[{"sku":"SERVO-MG","purchased_on":"` + testday.Day(-54).String() + `"}]}`, 422, "lines[0].proof_document"},
		{"delivered before purchased", elsewhere(testday.Day(-2).String(), testday.Day(-12).String()), 422, "lines[0].delivered_on"},
		{"purchased in the future", elsewhere(testday.Day(1).String(), ""), 422, "lines[0].purchased_on"},
		{"purchased and delivered in the future", elsewhere(testday.Day(1).String(), testday.Day(3).String()), 422, "lines[0].purchased_on"},
		{"delivered in the future", elsewhere(testday.Day(-2).String(), testday.Day(1).String()), 422, "lines[0].delivered_on"},
		{"not JSON", `{"request":`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, h, out := s.do(t, "agent", "POST", "/api/v1/claims", tt.body, nil)
			if st != tt.status || h.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %v", st, h.Get("Content-Type"), out)
			}
			if tt.field != "" && !strings.Contains(mustJSON(t, out["errors"]), `"field":"`+tt.field+`"`) {
				t.Errorf("errors %v do not name %s", out["errors"], tt.field)
			}
		})
	}
	if st, _, out := s.do(t, "agent", "GET", "/api/v1/claims", "", nil); st != 200 || len(out["claims"].([]any)) != 0 {
		t.Errorf("refused claims were stored: %v", out)
	}
}

func TestPaidRepairQuoteOverHTTP(t *testing.T) {
	s := newClaimsServer(t)
	st, _, c := s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"SV-40"}]}`, nil)
	if st != 201 {
		t.Fatalf("open: %d %v", st, c)
	}
	path := "/api/v1/claims/" + c["number"].(string) + "/actions"
	if st, _, out := s.do(t, "agent", "POST", path, `{"action":"start_review","version":1}`, nil); st != 200 {
		t.Fatalf("start_review: %d %v", st, out)
	}
	quote := `{"action":"send_quote","version":2,"quote":{"currency":"EUR","lines":[{"kind":"parts","description":"gears","amount":1200},{"kind":"labour","description":"30 min","amount":1500}]}}`
	if st, _, out := s.do(t, "agent", "POST", path, quote, nil); st != 403 {
		t.Errorf("an agent sending a quote: %d %v", st, out)
	}
	st, _, out := s.do(t, "manager", "POST", path, quote, nil)
	q, _ := out["quote"].(map[string]any)
	if st != 200 || out["status"] != "quote_sent" || q["total"] != 2700.0 || q["currency"] != "EUR" {
		t.Fatalf("send_quote: %d %v", st, out)
	}
	bad := `{"action":"send_quote","version":3,"quote":{"currency":"EUR","lines":[{"kind":"bribe","description":"x","amount":1}]}}`
	if st, _, _ := s.do(t, "manager", "POST", path, bad, nil); st != 422 {
		t.Errorf("a quote line of an unknown kind: %d", st)
	}
}

// TestFormLabelledJSON: curl -d labels its JSON body a form, and the
// README's examples send it so; a body without a label is JSON too. The
// answers are JSON whatever the request said.
func TestFormLabelledJSON(t *testing.T) {
	s := newClaimsServer(t)
	for i, ct := range []string{"application/x-www-form-urlencoded", ""} {
		status, h, c := s.do(t, "agent", "POST", "/api/v1/claims",
			`{"request":"defect","lines":[{"serial":"SV-9"}]}`, map[string]string{"Content-Type": ct})
		if status != 201 || c["number"] == nil || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Fatalf("open with Content-Type %q: %d %s %v", ct, status, h.Get("Content-Type"), c)
		}
		status, _, act := s.do(t, "agent", "POST", "/api/v1/claims/"+c["number"].(string)+"/actions",
			`{"version":1,"action":"start_review"}`, map[string]string{"Content-Type": ct})
		if status != 200 || act["status"] != "in_review" {
			t.Errorf("claim %d: start_review with Content-Type %q: %d %v", i, ct, status, act)
		}
	}
	// Other bodies are still refused by name.
	if status, _, p := s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect"}`,
		map[string]string{"Content-Type": "text/csv"}); status != 415 {
		t.Errorf("a CSV body: %d %v, want 415", status, p)
	}
}

// TestDecisionRulesOverHTTP: after an inspection finds misuse, settling the
// free repair anyway is a 409 naming the decision and its clauses, a
// manager's exception needs its reason, and a quote for a repair the
// policy gives free is a manager's exception too.
func TestDecisionRulesOverHTTP(t *testing.T) {
	s := newClaimsServer(t)
	st, _, c := s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"SV-9"}]}`, nil)
	if st != 201 {
		t.Fatalf("open: %d %v", st, c)
	}
	path := "/api/v1/claims/" + c["number"].(string) + "/actions"
	for i, step := range []struct{ who, body string }{
		{"agent", `{"action":"start_review"}`},
		{"agent", `{"action":"approve","remedy":"free_repair"}`},
		{"agent", `{"action":"await_return"}`},
		{"inspector", `{"action":"receive"}`},
		{"inspector", `{"action":"inspect","findings":[{"line":1,"cause":"misuse","notes":"dropped"}]}`},
	} {
		body := fmt.Sprintf(`{"version":%d,%s`, i+1, step.body[1:])
		if st, _, out := s.do(t, step.who, "POST", path, body, nil); st != 200 {
			t.Fatalf("%s: %d %v", step.body, st, out)
		}
	}
	tests := []struct {
		name, who, body string
		status          int
		say             []string
	}{
		{"an agent ships the free repair", "agent", `{"version":6,"action":"resolve","resolution":"repaired_shipped"}`, 409,
			[]string{"not_eligible", "4.3", "does not give free_repair"}},
		{"a manager without a reason", "manager", `{"version":6,"action":"resolve","resolution":"replacement_shipped"}`, 409,
			[]string{"not_eligible", "exception_reason"}},
		{"the manager's exception", "manager", `{"version":6,"action":"resolve","resolution":"repaired_shipped","exception_reason":"goodwill"}`, 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, out := s.do(t, tt.who, "POST", path, tt.body, nil)
			if st != tt.status {
				t.Fatalf("%d %v, want %d", st, out, tt.status)
			}
			for _, w := range tt.say {
				if d, _ := out["detail"].(string); !strings.Contains(d, w) {
					t.Errorf("detail %q lacks %q", d, w)
				}
			}
		})
	}
	// A quote for SV-1's repair, which the policy gives free.
	st, _, c = s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"SV-1"}]}`, nil)
	if st != 201 {
		t.Fatalf("open: %d %v", st, c)
	}
	path = "/api/v1/claims/" + c["number"].(string) + "/actions"
	if st, _, out := s.do(t, "agent", "POST", path, `{"action":"start_review","version":1}`, nil); st != 200 {
		t.Fatalf("start_review: %d %v", st, out)
	}
	quote := `"quote":{"currency":"EUR","lines":[{"kind":"labour","description":"express","amount":2500}]}`
	if st, _, out := s.do(t, "manager", "POST", path, `{"action":"send_quote","version":2,`+quote+`}`, nil); st != 422 {
		t.Errorf("a quote of a free repair without a reason: %d %v", st, out)
	}
	if st, _, out := s.do(t, "manager", "POST", path, `{"action":"send_quote","version":2,"exception_reason":"express service asked for",`+quote+`}`, nil); st != 200 {
		t.Errorf("a quote of a free repair as an exception: %d %v", st, out)
	}
}
