package api_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale/internal/testday"
)

// TestElsewherePriceOverHTTP: a purchase made elsewhere carries its price
// into the claim line; refunds are capped by it, and refused without it.
func TestElsewherePriceOverHTTP(t *testing.T) {
	s := newParcelsServer(t)
	line := func(extra string) string {
		return `{"request":"return","customer_email":"ann@example.com","lines":[{"sku":"SERVO-MG","purchased_on":"` +
			testday.Day(-2).String() + `","proof_document":"INV-881"` + extra + `}]}`
	}
	toRefund := []string{`agent:{"action":"start_review"}`, `agent:{"action":"await_return"}`, `inspector:{"action":"receive"}`,
		`inspector:{"action":"inspect","findings":[{"line":1,"resellable":true}]}`,
		`manager:{"action":"approve","remedy":"refund","exception_reason":"goodwill"}`}
	for _, tt := range []struct {
		name, body string
		field      string
	}{
		{"not a currency", line(`,"price":990,"currency":"E1"`), "lines[0].currency"},
		{"no currency", line(`,"price":990`), "lines[0].currency"},
		{"three letters that are no currency", line(`,"price":990,"currency":"XYZ"`), "lines[0].currency"},
		{"the testing code", line(`,"price":990,"currency":"XTS"`), "lines[0].currency"},
		{"currency without a price", line(`,"currency":"EUR"`), "lines[0].price"},
		{"zero", line(`,"price":0,"currency":"EUR"`), ""},
		{"negative", line(`,"price":-990,"currency":"EUR"`), ""},
		{"on an order on file", `{"request":"return","lines":[{"order_number":"C-1","order_line":1,"price":990,"currency":"EUR"}]}`, "lines[0].price"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, _, out := s.do(t, "agent", "POST", "/api/v1/claims", tt.body, nil)
			if st != 422 || (tt.field != "" && !strings.Contains(mustJSON(t, out["errors"]), `"field":"`+tt.field+`"`)) {
				t.Errorf("%d %v, want 422 naming %q", st, out, tt.field)
			}
		})
	}
	number := openAndWalk(t, s, line(`,"price":990,"currency":"eur"`))
	st, _, c := s.do(t, "agent", "GET", "/api/v1/claims/"+number, "", nil)
	if l := c["lines"].([]any)[0].(map[string]any); st != 200 || l["price"] != 990.0 || l["currency"] != "EUR" {
		t.Fatalf("the line's price: %d %v", st, l)
	}
	number = openAndWalk(t, s, line(`,"price":990,"currency":"EUR"`), toRefund...)
	base := "/api/v1/claims/" + number
	for _, cur := range []string{"XYZ", "USD"} { // no currency; not the purchase's
		if st, _, out := s.do(t, "manager", "POST", base+"/refunds", `{"amount":100,"currency":"`+cur+`","reference":"re_1"}`, nil); st != 422 || fieldOf(out) != "currency" {
			t.Errorf("a refund in %s of a purchase in EUR: %d %v", cur, st, out)
		}
	}
	if st, _, out := s.do(t, "manager", "POST", base+"/refunds", `{"amount":99999999,"currency":"EUR","reference":"re_1"}`, nil); st != 422 || fieldOf(out) != "amount" {
		t.Errorf("99,999,999 on a line that cost 9.90: %d %v", st, out)
	}
	if st, _, out := s.do(t, "manager", "POST", base+"/refunds", `{"amount":990,"currency":"EUR","reference":"re_1"}`, nil); st != 201 {
		t.Errorf("the whole price back: %d %v", st, out)
	}
	if st, _, out := s.do(t, "manager", "POST", base+"/refunds", `{"amount":1,"currency":"EUR","reference":"re_2"}`, nil); st != 422 || fieldOf(out) != "amount" {
		t.Errorf("a second refund beyond the price: %d %v", st, out)
	}
	// Without a price (as the README's examples open it) the claim opens,
	// and a refund is refused: the line's cost is not known.
	number = openAndWalk(t, s, line(""), toRefund...)
	st, _, c = s.do(t, "agent", "GET", "/api/v1/claims/"+number, "", nil)
	if l := c["lines"].([]any)[0].(map[string]any); st != 200 || l["price"] != nil || l["currency"] != nil {
		t.Errorf("a line without a price: %d %v", st, l)
	}
	st, _, out := s.do(t, "manager", "POST", "/api/v1/claims/"+number+"/refunds", `{"amount":100,"currency":"EUR","reference":"re_1"}`, nil)
	if st != 409 || fieldOf(out) != "amount" || !strings.Contains(mustJSON(t, out), "price is not on file") {
		t.Errorf("a refund without a price on file: %d %v", st, out)
	}
}

// TestExchangeOverHTTP: a change-of-mind exchange ships another product,
// with the price difference.
func TestExchangeOverHTTP(t *testing.T) {
	s := newParcelsServer(t)
	number := openAndWalk(t, s, `{"request":"return","lines":[{"order_number":"C-1","order_line":1}]}`,
		`agent:{"action":"start_review"}`, `agent:{"action":"await_return"}`, `inspector:{"action":"receive"}`,
		`inspector:{"action":"inspect","findings":[{"line":1,"resellable":true}]}`, `agent:{"action":"approve","remedy":"exchange"}`)
	base := "/api/v1/claims/" + number
	for _, tt := range []struct{ name, body, field string }{
		{"without the difference", `{"line":1,"kind":"replacement","serial":"MB-X1","sku":"MOD-MAIN"}`, "price_difference"},
		{"currency alone", `{"line":1,"kind":"replacement","serial":"MB-X1","sku":"MOD-MAIN","currency":"EUR"}`, "price_difference"},
		{"another currency", `{"line":1,"kind":"replacement","serial":"MB-X1","sku":"MOD-MAIN","price_difference":100,"currency":"USD"}`, "currency"},
		{"not in the catalog", `{"line":1,"kind":"replacement","serial":"MB-X1","sku":"NOPE","price_difference":100}`, "sku"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if st, _, out := s.do(t, "agent", "POST", base+"/replacements", tt.body, nil); st != 422 || fieldOf(out) != tt.field {
				t.Errorf("%d %v, want 422 naming %s", st, out, tt.field)
			}
		})
	}
	st, _, out := s.do(t, "agent", "POST", base+"/replacements", `{"line":1,"kind":"replacement","serial":"MB-X1","sku":"MOD-MAIN","price_difference":-500}`, nil)
	if st != 201 || out["sku"] != "MOD-MAIN" || out["price_difference"] != -500.0 || out["currency"] != "EUR" {
		t.Fatalf("exchange: %d %v", st, out)
	}
	st, _, list := s.do(t, "agent", "GET", base+"/replacements", "", nil)
	if units := list["units"].([]any); st != 200 || len(units) != 1 || units[0].(map[string]any)["price_difference"] != -500.0 {
		t.Errorf("units: %d %v", st, list)
	}
}
