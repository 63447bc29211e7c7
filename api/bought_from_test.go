package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/internal/testday"
)

// TestBoughtFromOverHTTP: a line of a purchase made elsewhere says where it
// was bought (the seller's shop when it does not), is decided by it, and
// shows it; a distributor that is not on file, or a word that is not one
// of the three, is a 422 naming the field.
func TestBoughtFromOverHTTP(t *testing.T) {
	s := newClaimsServer(t)
	body := func(request, extra string) string {
		return `{"request":"` + request + `","customer_email":"ann@example.com","lines":[{"sku":"SERVO-MG","purchased_on":"` +
			testday.Day(-2).String() + `","proof_document":"INV-881"` + extra + `}]}`
	}
	line := func(c map[string]any) map[string]any { return c["lines"].([]any)[0].(map[string]any) }
	clauses := func(l map[string]any) []string {
		var out []string
		for _, c := range l["decision"].(map[string]any)["clauses"].([]any) {
			out = append(out, c.(string))
		}
		return out
	}
	for _, tt := range []struct {
		name, extra string
		field       string
	}{
		{"a distributor not on file", `,"bought_from":"distributor","distributor_code":"DIST-NOPE"`, "lines[0].distributor_code"},
		{"a distributor without its code", `,"bought_from":"distributor"`, "lines[0].distributor_code"},
		{"a code for another shop", `,"bought_from":"other_shop","distributor_code":"DIST-EU"`, "lines[0].distributor_code"},
		{"not one of the three", `,"bought_from":"market"`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, _, out := s.do(t, "agent", "POST", "/api/v1/claims", body("defect", tt.extra), nil)
			if st != 422 || (tt.field != "" && !strings.Contains(mustJSON(t, out["errors"]), `"field":"`+tt.field+`"`)) {
				t.Errorf("%d %v, want 422 naming %q", st, out, tt.field)
			}
		})
	}
	// No channel, as the README's examples: the seller's own shop.
	st, _, c := s.do(t, "agent", "POST", "/api/v1/claims", body("defect", ""), nil)
	if l := line(c); st != 201 || l["bought_from"] != "seller" || l["distributor_code"] != nil ||
		l["decision"].(map[string]any)["outcome"] != "eligible" {
		t.Errorf("no channel: %d %v", st, c)
	}
	// Another shop: no warranty (5.6).
	st, _, c = s.do(t, "agent", "POST", "/api/v1/claims", body("defect", `,"bought_from":"other_shop"`), nil)
	if l := line(c); st != 201 || l["bought_from"] != "other_shop" || l["decision"].(map[string]any)["outcome"] != "not_eligible" ||
		!slices.Contains(clauses(l), "5.6") {
		t.Errorf("another shop: %d %v", st, c)
	}
	// An authorised distributor: a change of mind is its business (5.3,
	// 6.1); its users see the claim, another distributor's do not.
	st, _, c = s.do(t, "agent", "POST", "/api/v1/claims", body("return", `,"bought_from":"distributor","distributor_code":"DIST-EU"`), nil)
	l := line(c)
	if st != 201 || l["bought_from"] != "distributor" || l["distributor_code"] != "DIST-EU" || c["distributor"] != "DIST-EU" ||
		l["decision"].(map[string]any)["outcome"] != "refer_to_distributor" || !slices.Contains(clauses(l), "5.3") {
		t.Fatalf("a distributor's sale: %d %v", st, c)
	}
	path := "/api/v1/claims/" + c["number"].(string)
	for who, want := range map[string]int{"eu": 200, "asia": 404} {
		if st, _, _ := s.do(t, who, "GET", path, "", nil); st != want {
			t.Errorf("GET as %s: %d, want %d", who, st, want)
		}
	}
	if st, _, got := s.do(t, "agent", "GET", path, "", nil); st != 200 || line(got)["distributor_code"] != "DIST-EU" {
		t.Errorf("read back: %d %v", st, got)
	}
}
