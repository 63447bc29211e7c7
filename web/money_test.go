package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

// The "bought elsewhere" form takes the price paid with its proof; the
// staff page shows it, or that it was not given.
func TestElsewherePrice(t *testing.T) {
	e := newEnv(t)
	png := samplePNG(t)
	fields := func(key string, extra ...string) []string {
		return append([]string{"key", key, "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG",
			"purchased_on", testday.Day(-2).String(), "request", "return"}, extra...)
	}
	for _, tt := range []struct {
		name, lang string
		extra      []string
		want       string
	}{
		{"not an amount", "en", []string{"price", "nine", "currency", "EUR"}, "Please enter the price as an amount above zero"},
		{"zero", "en", []string{"price", "0", "currency", "EUR"}, "Please enter the price as an amount above zero"},
		{"no currency", "en", []string{"price", "9.90"}, "Please enter the currency of the price"},
		{"no currency, zh", "zh", []string{"price", "9.90", "currency", "E"}, "请用三个字母的代码填写价格币种"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := e.browser(tt.lang).postMultipart("/claim/new", fields("key-"+tt.name, tt.extra...), uploadFile{"proof", "receipt.png", png})
			if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, tt.want) {
				t.Errorf("%d, want 422 saying %q\n%s", p.Status, tt.want, p.Body)
			}
		})
	}
	b := e.browser("en")
	p := b.postMultipart("/claim/new", fields("priced", "price", "9.90", "currency", "eur"), uploadFile{"proof", "receipt.png", png})
	m := claimPathPattern.FindStringSubmatch(p.Location)
	if p.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("open: %d to %q\n%s", p.Status, p.Location, p.Body)
	}
	priced := m[1]
	if got := e.claim(priced).Lines[0].Price; got == nil || *got != (aftersale.Money{Minor: 990, Currency: "EUR"}) {
		t.Fatalf("stored price %v, want 9.90 EUR", got)
	}
	p = b.postMultipart("/claim/new", fields("unpriced"), uploadFile{"proof", "receipt.png", png})
	m = claimPathPattern.FindStringSubmatch(p.Location)
	if p.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("open without a price: %d to %q\n%s", p.Status, p.Location, p.Body)
	}
	unpriced := m[1]
	e.confirm(unpriced) // bought elsewhere, opened without signing in
	for _, tt := range []pageWant{
		{name: "the price", path: "/staff/claims/" + priced, want: []string{"Bought elsewhere · proof receipt.png · price paid €9.90"}},
		{name: "no price", path: "/staff/claims/" + unpriced, want: []string{"price not given"}},
		{name: "no price, zh", lang: "zh", path: "/staff/claims/" + unpriced, want: []string{"未提供价格"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.user, tt.status = "manager", 200
			if tt.lang == "" {
				tt.lang = "en"
			}
			tt.check(t, e)
		})
	}
	// A refund on the claim without a price is refused, and says why.
	resellable := true
	e.act("agent", unpriced, workflow.ActInput{Action: aftersale.ActionStartReview}, workflow.ActInput{Action: aftersale.ActionAwaitReturn})
	e.act("inspector", unpriced, workflow.ActInput{Action: aftersale.ActionReceive},
		workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Resellable: &resellable}}})
	e.act("manager", unpriced, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund", ExceptionReason: "goodwill"})
	runActs(t, e, "/refunds", []actCase{
		{name: "a refund without the price on file", user: "manager", number: unpriced,
			form: url.Values{"amount": {"5.00"}, "currency": {"EUR"}, "reference": {"re_1"}}, status: http.StatusConflict,
			want: []string{"its price is not on file, so no refund can be recorded"}},
	})
	e.noMissingMessages()
}

// A change-of-mind exchange for another product shows its price
// difference in the claim's history, in the reader's language.
func TestExchangeInHistory(t *testing.T) {
	e := newEnv(t)
	c, err := claimOf(e.claimsAt("").Open(t.Context(), e.actors["agent"], workflow.OpenClaimInput{Request: "return",
		Lines: []workflow.OpenLine{{OrderNumber: "C-1", OrderLine: 1}}}, ""))
	if err != nil {
		t.Fatal(err)
	}
	resellable := true
	e.act("agent", c.Number, workflow.ActInput{Action: aftersale.ActionStartReview}, workflow.ActInput{Action: aftersale.ActionAwaitReturn})
	e.act("inspector", c.Number, workflow.ActInput{Action: aftersale.ActionReceive},
		workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Resellable: &resellable}}})
	e.act("agent", c.Number, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "exchange"})
	parcels := &workflow.Parcels{Service: e.claimsAt("").Service, InTx: e.db.InParcelTx, Read: e.db}
	if _, err := parcels.RegisterReplacement(t.Context(), e.actors["agent"], c.Number, workflow.ReplacementInput{Line: 1,
		Serial: "MB-X1", SKU: "MOD-MAIN", Kind: aftersale.KindReplacement, PriceDifference: &aftersale.Money{Minor: 1250}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []pageWant{
		{name: "en", lang: "en", want: []string{"MB-X1 (MOD-MAIN)", "exchanged for the SERVO-MG returned: the customer pays €12.50 more"}},
		{name: "zh", lang: "zh", want: []string{"换货（退回的是 SERVO-MG）：客户补差价 €12.50"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.user, tt.status, tt.path = "agent", 200, "/staff/claims/"+c.Number
			tt.check(t, e)
		})
	}
	e.noMissingMessages()
}
