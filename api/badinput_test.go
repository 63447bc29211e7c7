package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

// badRequest is one request of the bad-input corpus: the answer must be
// Status (a 4xx, 422 for bad input) with a problem naming Field.
type badRequest struct {
	name         string
	who          string // a testUsers name, "" for anonymous
	method, path string
	ctype, body  string
	status       int
	field        string // the problem's errors[].field; "" checks none
}

// TestBadInputCorpus sends input the API must refuse — malformed CSV, an
// e-mail that is no address, NUL bytes and invalid UTF-8 in text fields,
// query parameters and path segments — to the real server on both
// engines: every answer is a 4xx naming the field, never a 5xx, and
// nothing stored is lost.
func TestBadInputCorpus(t *testing.T) {
	for _, engine := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") }},
		{"postgres", func(t *testing.T) string { return pg.Database(t) }},
	} {
		t.Run(engine.name, func(t *testing.T) { badInputCorpus(t, newTestEnvOn(t, engine.dsn(t))) })
	}
}

func badInputCorpus(t *testing.T, env *testEnv) {
	blobs, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	ev := &workflow.Evidence{InTx: env.db.InEvidenceTx, Read: env.db, Blobs: blobs, Sniff: blob.Sniff, Verify: blob.Verify, Now: env.now}
	s := &claimsServer{env.serve(t, api.WithClaims(env.claims()), api.WithEvidence(ev),
		api.WithImports(&workflow.Imports{Run: fixture.ImportRunner(env.db, policy.Default())}),
		api.WithParcels(&workflow.Parcels{Service: env.svc, InTx: env.db.InParcelTx, Read: env.db})), env.tokens}

	// What is on file before: a claim with a message.
	status, _, c := s.do(t, "agent", "POST", "/api/v1/claims",
		`{"request":"defect","description":"servo jitters","customer_email":"ann@example.com","lines":[{"serial":"SV-9"}]}`, nil)
	if status != 201 {
		t.Fatalf("open: %d %v", status, c)
	}
	number := c["number"].(string)
	if status, _, m := s.do(t, "agent", "POST", "/api/v1/claims/"+number+"/messages", `{"body":"We have it."}`, nil); status != 201 {
		t.Fatalf("message: %d %v", status, m)
	}
	stored := func() string {
		t.Helper()
		var b strings.Builder
		for _, p := range []string{"/api/v1/claims", "/api/v1/claims/" + number, "/api/v1/claims/" + number + "/messages",
			"/api/v1/claims/" + number + "/events", "/api/v1/warranty?serial=SV-9", "/api/v1/warranty?order=A-1"} {
			status, _, out := s.do(t, "manager", "GET", p, "", nil)
			if status != 200 {
				t.Fatalf("GET %s: %d %v", p, status, out)
			}
			j, _ := json.Marshal(out)
			fmt.Fprintf(&b, "%s %s\n", p, j)
		}
		return b.String()
	}
	before := stored()

	claim := "/api/v1/claims/" + number
	const js = "application/json"
	corpus := []badRequest{
		// A CSV import whose quote never closes (the reader panicked).
		{"csv unclosed quote", "manager", "POST", "/api/v1/imports/products?name=p.csv", "text/csv",
			"sku,name,category\nSERVO-X,\"Servo X,servo_motor\nSERVO-Y,Servo Y,servo_motor\n", 422, "row"},
		{"csv unclosed quote, first row", "manager", "POST", "/api/v1/imports/products?name=p.csv", "text/csv",
			"sku,name,category\n\"SERVO-X,Servo X,servo_motor\n", 422, "row"},
		{"csv bare quote", "manager", "POST", "/api/v1/imports/products?name=p.csv", "text/csv",
			"sku,name,category\nSER\"VO-X,Servo X,servo_motor\n", 422, "row"},
		{"csv unclosed quote in the header", "manager", "POST", "/api/v1/imports/products?name=p.csv", "text/csv",
			"sku,\"name,category\n", 422, "row"},
		// An e-mail that is no address.
		{"customer_email not an address", "agent", "POST", "/api/v1/claims", js,
			`{"request":"defect","customer_email":"not-an-address","lines":[{"serial":"SV-9"}]}`, 422, "customer_email"},
		{"customer_email with a NUL", "agent", "POST", "/api/v1/claims", js,
			`{"request":"defect","customer_email":"ann\u0000@example.com","lines":[{"serial":"SV-9"}]}`, 422, "customer_email"},
		// NUL bytes in text.
		{"q with a NUL", "agent", "GET", "/api/v1/claims?q=SV%00", "", "", 422, "q"},
		{"q not UTF-8", "agent", "GET", "/api/v1/claims?q=%ff%fe", "", "", 422, "q"},
		{"description with a NUL", "agent", "POST", "/api/v1/claims", js,
			`{"request":"defect","description":"jit\u0000ters","lines":[{"serial":"SV-9"}]}`, 422, "description"},
		{"serial with a NUL", "agent", "POST", "/api/v1/claims", js,
			`{"request":"defect","lines":[{"serial":"SV-9\u0000"}]}`, 422, "lines[0].serial"},
		{"order number with a NUL", "agent", "POST", "/api/v1/claims", js,
			`{"request":"defect","lines":[{"order_number":"A-1\u0000","order_line":2}]}`, 422, "lines[0].order_number"},
		{"sku and proof with a NUL", "agent", "POST", "/api/v1/claims", js,
			`{"request":"defect","lines":[{"sku":"SERVO-MG","purchased_on":"` + testday.Day(-10).String() + `","proof_document":"INV\u00001"}]}`, 422, "lines[0].proof_document"},
		{"message body with a NUL", "agent", "POST", claim + "/messages", js, `{"body":"hel\u0000lo"}`, 422, "body"},
		{"internal note with a NUL", "agent", "POST", claim + "/messages", js, `{"body":"\u0000","internal":true}`, 422, "body"},
		{"action note with a NUL", "agent", "POST", claim + "/actions", js, `{"version":1,"action":"start_review","note":"a\u0000b"}`, 422, "note"},
		{"tracking number with a NUL", "agent", "POST", claim + "/shipments", js,
			`{"direction":"inbound","carrier":"DHL","tracking_number":"1\u00002"}`, 422, "tracking_number"},
		{"refund reference with a NUL", "manager", "POST", claim + "/refunds", js, `{"amount":100,"currency":"EUR","reference":"R\u00001"}`, 422, "reference"},
		// Invalid UTF-8 and NUL bytes in claim numbers.
		{"claim number not UTF-8", "agent", "GET", "/api/v1/claims/RMA-%ff%fe", "", "", 422, "number"},
		{"claim number with a NUL", "agent", "GET", "/api/v1/claims/RMA-%00", "", "", 422, "number"},
		{"events of a number not UTF-8", "agent", "GET", "/api/v1/claims/RMA-%ff/events", "", "", 422, "number"},
		{"messages of a number not UTF-8", "agent", "GET", "/api/v1/claims/RMA-%ff/messages", "", "", 422, "number"},
		{"message to a number not UTF-8", "agent", "POST", "/api/v1/claims/RMA-%ff/messages", js, `{"body":"hello"}`, 422, "number"},
		{"action on a number with a NUL", "agent", "POST", "/api/v1/claims/RMA-%00/actions", js, `{"version":1,"action":"start_review"}`, 422, "number"},
		{"evidence of a number not UTF-8", "agent", "GET", "/api/v1/claims/RMA-%ff/evidence", "", "", 422, "number"},
		// The anonymous warranty lookup.
		{"warranty serial not UTF-8", "", "GET", "/api/v1/warranty?serial=%ff%fe", "", "", 422, "serial"},
		{"warranty serial with a NUL", "", "GET", "/api/v1/warranty?serial=SV-9%00", "", "", 422, "serial"},
		{"warranty order not UTF-8", "", "GET", "/api/v1/warranty?order=%ff%fe", "", "", 422, "order"},
		{"warranty order with a NUL", "", "GET", "/api/v1/warranty?order=A-1%00", "", "", 422, "order"},
		{"eligibility serial with a NUL", "", "POST", "/api/v1/eligibility", js,
			`{"request":"defect","serial":"SV-9\u0000","reported_on":"` + testday.Today().String() + `"}`, 422, "serial"},
	}
	for _, r := range corpus {
		t.Run(r.name, func(t *testing.T) {
			status, body := s.raw(t, r)
			if status >= 500 {
				t.Fatalf("%s %s: %d %s", r.method, r.path, status, body)
			}
			if r.status != 0 && status != r.status || status < 400 {
				t.Errorf("%s %s: %d, want %d: %s", r.method, r.path, status, r.status, body)
			}
			var p struct {
				Status int `json:"status"`
				Errors []struct {
					Field    string `json:"field"`
					Location string `json:"location"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(body, &p); err != nil || p.Status != status {
				t.Fatalf("not a problem: %d %s", status, body)
			}
			if r.field != "" && !hasField(p.Errors, r.field) {
				t.Errorf("%s %s: no error on %q: %s", r.method, r.path, r.field, body)
			}
		})
	}
	if after := stored(); after != before {
		t.Errorf("the corpus changed what is stored:\nbefore %s\nafter  %s", before, after)
	}
}

func hasField(errs []struct {
	Field    string `json:"field"`
	Location string `json:"location"`
}, field string) bool {
	for _, e := range errs {
		if e.Field == field || strings.HasPrefix(e.Field, field+".") {
			return true
		}
	}
	return false
}

// raw sends r and returns the answer's status and body as they are.
func (s *claimsServer) raw(t *testing.T, r badRequest) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(r.method, s.URL+r.path, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	if r.who != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[r.who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
