package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

func newServerWithRegistry(t *testing.T) *httptest.Server {
	t.Helper()
	return newTestEnv(t).serve(t)
}

func TestWarrantyEndpoint(t *testing.T) {
	srv := newServerWithRegistry(t)
	// SV-1, a servo of the kit of order A-1, was delivered 81 days ago: its
	// 3 months run from then.
	starts := testday.Day(-81)
	ends := starts.AddMonths(3)
	tests := []struct {
		query  string
		status int
		want   string // in the body
		items  int
	}{
		{"serial=SV-1", 200, `"kit_sku":"KIT-ARM"`, 1},
		{"serial=SV-1", 200, `"warranty":{"covered":true,"starts_on":"` + starts.String() + `","ends_on":"` + ends.String() + `"}`, 1},
		{"serial=SV-1", 200, fmt.Sprintf(`"days_left":%d`, testday.Today().DaysUntil(ends)), 1},
		{"order=A-1", 200, `"sku":"MOD-MAIN"`, 5},
		{"serial=NOPE", 404, `serial \"NOPE\"`, 0},
		{"order=Z-9", 404, `Z-9`, 0},
		{"", 422, `"field":"serial"`, 0},
		{"serial=SV-1&order=A-1", 422, `not both`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/api/v1/warranty?" + tt.query)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Fatalf("status %d, body %s; want %d with %s", resp.StatusCode, body, tt.status, tt.want)
			}
			if tt.status != 200 {
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q", ct)
				}
				return
			}
			var out struct {
				Items []json.RawMessage `json:"items"`
			}
			if err := json.Unmarshal(body, &out); err != nil || len(out.Items) != tt.items {
				t.Errorf("%d items (%v), want %d", len(out.Items), err, tt.items)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

// TestWarrantyShowsClaimsToWhoMaySee: anybody may look a serial or an order
// up, but only staff and the sale's distributor see the claims made on it;
// anybody else learns that a claim is open, not whose, when or what.
func TestWarrantyShowsClaimsToWhoMaySee(t *testing.T) {
	env := newTestEnv(t)
	srv := env.serve(t)
	opened, err := env.claims().Open(t.Context(), env.actors["agent"], workflow.OpenClaimInput{Request: "defect",
		CustomerEmail: "ann@example.com", Description: "The servo jitters.", Lines: []workflow.OpenLine{{Serial: "SV-9"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		token string // "": anonymous
		want  string
	}{
		{"", `"claim_open":true,"claims":[]`},
		{"eu", `"claim_open":true,"claims":[]`}, // A-1 is a direct sale
		{"agent", `"claim_open":true,"claims":[{"number":"` + opened.Claim.Number + `"`},
		{"inspector", `"claims":[{"number":"` + opened.Claim.Number + `"`},
	}
	for _, query := range []string{"serial=SV-9", "order=A-1"} {
		for _, tt := range tests {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/warranty?"+query, nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+env.tokens[tt.token])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), tt.want) {
				t.Errorf("%s as %q: %d %s; want %s", query, tt.token, resp.StatusCode, body, tt.want)
			}
			if tt.want == `"claim_open":true,"claims":[]` && strings.Contains(string(body), opened.Claim.Number) {
				t.Errorf("%s as %q: the claim's number shows: %s", query, tt.token, body)
			}
		}
	}
}

func TestEligibilityWithSerial(t *testing.T) {
	srv := newServerWithRegistry(t)
	today := testday.Today().String()
	resp, body := post(t, srv.URL+"/api/v1/eligibility", "application/json", `{"request":"defect","serial":"SV-1","reported_on":"`+today+`"}`)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"outcome":"eligible"`) || !strings.Contains(string(body), `"starts_on":"`+testday.Day(-81).String()+`"`) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	resp, body = post(t, srv.URL+"/api/v1/eligibility", "application/json", `{"request":"defect","serial":"NOPE","reported_on":"`+today+`"}`)
	if resp.StatusCode != 422 || !strings.Contains(string(body), `"field":"serial"`) {
		t.Errorf("unknown serial: %d %s", resp.StatusCode, body)
	}
}
