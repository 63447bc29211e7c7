package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

// newParcelsServer is newClaimsServer with the parcel routes.
func newParcelsServer(t *testing.T) *claimsServer {
	t.Helper()
	env := newTestEnv(t)
	parcels := &workflow.Parcels{Service: env.svc, InTx: env.db.InParcelTx, Read: env.db}
	return &claimsServer{env.serve(t, api.WithClaims(env.claims()), api.WithParcels(parcels)), env.tokens}
}

// openAndWalk opens a claim and takes the actions (who:body), each on the
// version the last returned.
func openAndWalk(t *testing.T, s *claimsServer, open string, steps ...string) string {
	t.Helper()
	st, _, c := s.do(t, "agent", "POST", "/api/v1/claims", open, nil)
	if st != 201 {
		t.Fatalf("open: %d %v", st, c)
	}
	number, version := c["number"].(string), 1
	for _, step := range steps {
		who, body, _ := strings.Cut(step, ":")
		body = strings.Replace(body, "{", fmt.Sprintf(`{"version":%d,`, version), 1)
		st, _, out := s.do(t, who, "POST", "/api/v1/claims/"+number+"/actions", body, nil)
		if st != 200 {
			t.Fatalf("%s: %d %v", step, st, out)
		}
		version++
	}
	return number
}

// fieldOf is the first offending field a problem names.
func fieldOf(out map[string]any) string {
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	f, _ := errs[0].(map[string]any)["field"].(string)
	return f
}

func TestParcelsOverHTTP(t *testing.T) {
	s := newParcelsServer(t)
	number := openAndWalk(t, s, `{"request":"defect","lines":[{"serial":"SV-9"}]}`)
	base := "/api/v1/claims/" + number
	ret := `{"direction":"inbound","carrier":"DHL","tracking_number":"RET-1"}`
	tests := []struct {
		name, who, method, path, body string
		status                        int
		field                         string
	}{
		{"anonymous", "", "POST", "/shipments", ret, 401, ""},
		{"another distributor's claim", "asia", "POST", "/shipments", ret, 404, ""},
		{"another distributor lists", "asia", "GET", "/shipments", "", 404, ""},
		{"a return before it is asked for", "agent", "POST", "/shipments", ret, 409, "direction"},
		{"direction", "agent", "POST", "/shipments", `{"direction":"up","carrier":"DHL","tracking_number":"X"}`, 422, ""},
		{"refund of a repair", "manager", "POST", "/refunds", `{"amount":100,"currency":"EUR","reference":"re_1"}`, 409, "claim"},
		{"an agent refunds", "agent", "POST", "/refunds", `{"amount":100,"currency":"EUR","reference":"re_1"}`, 403, ""},
		{"kind", "agent", "POST", "/replacements", `{"line":1,"kind":"swap"}`, 422, ""},
		{"unit before a remedy", "agent", "POST", "/replacements", `{"line":1,"kind":"repair"}`, 409, "claim"},
		{"unknown claim", "agent", "GET", "/refunds", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := base + tt.path
			if tt.name == "unknown claim" {
				path = "/api/v1/claims/RMA-2026-999999" + tt.path
			}
			st, _, out := s.do(t, tt.who, tt.method, path, tt.body, nil)
			if st != tt.status || (tt.field != "" && fieldOf(out) != tt.field) {
				t.Errorf("%d %v, want %d naming %q", st, out, tt.status, tt.field)
			}
		})
	}
	number = openAndWalk(t, s, `{"request":"defect","lines":[{"serial":"SV-9"}]}`,
		`agent:{"action":"start_review"}`, `agent:{"action":"await_return"}`)
	base = "/api/v1/claims/" + number
	st, _, sh := s.do(t, "agent", "POST", base+"/shipments", ret, nil)
	if st != 201 || sh["paid_by"] != "seller" || sh["delivered_on"] != nil {
		t.Fatalf("return: %d %v", st, sh)
	}
	delivered := fmt.Sprintf("%s/shipments/%v/delivered", base, sh["id"])
	if st, _, out := s.do(t, "inspector", "POST", delivered, `{}`, nil); st != 200 || out["delivered_on"] != testday.Today().String() {
		t.Errorf("delivered: %d %v", st, out)
	}
	if st, _, out := s.do(t, "inspector", "POST", delivered, `{}`, nil); st != 409 {
		t.Errorf("delivered twice: %d %v", st, out)
	}
	if st, _, out := s.do(t, "agent", "POST", base+"/shipments", `{"direction":"inbound","carrier":"DHL","tracking_number":"R2","paid_by":"customer"}`, nil); st != 403 || fieldOf(out) != "paid_by" {
		t.Errorf("an agent's override: %d %v", st, out)
	}
	if st, _, out := s.do(t, "agent", "GET", base+"/shipments", "", nil); st != 200 || len(out["shipments"].([]any)) != 1 {
		t.Errorf("list: %d %v", st, out)
	}
}

func TestRefundAndReplacementOverHTTP(t *testing.T) {
	s := newParcelsServer(t)
	number := openAndWalk(t, s, `{"request":"return","lines":[{"order_number":"C-1","order_line":1}]}`,
		`agent:{"action":"start_review"}`, `agent:{"action":"await_return"}`, `inspector:{"action":"receive"}`,
		`inspector:{"action":"inspect","findings":[{"line":1,"resellable":true}]}`, `agent:{"action":"approve","remedy":"refund"}`)
	base := "/api/v1/claims/" + number
	if st, _, out := s.do(t, "manager", "POST", base+"/refunds", `{"amount":3001,"currency":"EUR","reference":"re_1"}`, nil); st != 422 || fieldOf(out) != "amount" {
		t.Errorf("over the line's total: %d %v", st, out)
	}
	if st, _, out := s.do(t, "manager", "POST", base+"/refunds", `{"amount":3000,"currency":"eur","reference":"re_1"}`, nil); st != 201 || out["amount"] != 3000.0 || out["currency"] != "EUR" {
		t.Errorf("refund: %d %v", st, out)
	}
	if st, _, out := s.do(t, "agent", "GET", base+"/refunds", "", nil); st != 200 || len(out["refunds"].([]any)) != 1 {
		t.Errorf("refunds: %d %v", st, out)
	}
	number = openAndWalk(t, s, `{"request":"defect","lines":[{"serial":"SV-9"}]}`,
		`agent:{"action":"start_review"}`, `agent:{"action":"await_return"}`, `inspector:{"action":"receive"}`,
		`inspector:{"action":"inspect","findings":[{"line":1,"cause":"quality_defect"}]}`, `agent:{"action":"approve","remedy":"free_repair"}`)
	base = "/api/v1/claims/" + number
	if st, _, out := s.do(t, "agent", "POST", base+"/replacements", `{"line":1,"kind":"replacement","serial":"SV-9"}`, nil); st != 409 || fieldOf(out) != "serial" {
		t.Errorf("a sold serial as a replacement: %d %v", st, out)
	}
	st, _, out := s.do(t, "agent", "POST", base+"/replacements", `{"line":1,"kind":"replacement","serial":"SV-9-R"}`, nil)
	if st != 201 || out["replaces_serial"] != "SV-9" || out["shipped_on"] != testday.Today().String() || out["sku"] != "SERVO-MG" {
		t.Fatalf("replacement: %d %v", st, out)
	}
	if st, _, out := s.do(t, "agent", "GET", base+"/replacements", "", nil); st != 200 || len(out["units"].([]any)) != 1 {
		t.Errorf("units: %d %v", st, out)
	}
	st, _, body := s.do(t, "agent", "GET", "/api/v1/warranty?serial=SV-9-R", "", nil)
	items, _ := body["items"].([]any)
	if st != 200 || len(items) != 1 {
		t.Fatalf("warranty of the replacement: %d %v", st, body)
	}
	w := items[0].(map[string]any)
	if w["sku"] != "SERVO-MG" || w["order"].(map[string]any)["number"] != "A-1" {
		t.Errorf("warranty of the replacement: %d %v", st, w)
	}
	// 5.5: a month from the day it was shipped (today), longer than the rest
	// of the original servo's 3 months from its delivery 81 days ago.
	if wr, until := w["warranty"].(map[string]any), testday.Today().AddMonths(1).String(); wr["ends_on"] != until || wr["covered"] != true {
		t.Errorf("cover of the replacement: %v, want until %s (5.5)", wr, until)
	}
}
