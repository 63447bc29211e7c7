package workflow_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

func eur(n int64) aftersale.Money { return aftersale.Money{Minor: n, Currency: "EUR"} }

// elsewhereServo is a servo bought elsewhere two days ago, with its
// invoice and, when price is not nil, the price it shows.
func elsewhereServo(price *aftersale.Money) workflow.OpenLine {
	return workflow.OpenLine{SKU: "SERVO-MG", PurchasedOn: testday.Day(-2), ProofDocument: "INV-881", Price: price}
}

// refundApproved walks a change-of-mind return of lines to an approved
// refund: returned, found resellable, approved (by a manager's exception
// where the decision does not give it).
func refundApproved(t *testing.T, cl *workflow.Claims, lines ...workflow.OpenLine) aftersale.Claim {
	t.Helper()
	c := open(t, cl, agent, "return", lines...)
	var findings []workflow.Finding
	for i := range c.Lines {
		findings = append(findings, workflow.Finding{Line: i + 1, Resellable: new(true)})
	}
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
		{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
		{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: findings}, aftersale.StatusInspected},
	})
	approve := step{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund"}, aftersale.StatusApproved}
	if len(workflow.ExceptionNeeded(c, aftersale.ActionApprove, "refund")) > 0 {
		approve = step{manager, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund", ExceptionReason: "goodwill"}, aftersale.StatusApproved}
	}
	return walk(t, cl, c, []step{approve})
}

// testElsewhereRefundCap: a purchase made elsewhere records its price with
// its proof, and its refunds, summed, never exceed it; without a price on
// file a refund is refused, not left without a cap.
func testElsewhereRefundCap(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := refundApproved(t, cl, elsewhereServo(&aftersale.Money{Minor: 990, Currency: "EUR"}))
	stored, err := cl.Get(ctx, agent, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got := stored.Lines[0].Price; got == nil || *got != eur(990) {
		t.Fatalf("the price recorded with the proof: %v, want 9.90 EUR", got)
	}
	_, err = p.RecordRefund(ctx, manager, c.Number, eur(99_999_999), "re_1")
	wantErrField(t, err, aftersale.Invalid, "amount")
	_, err = p.RecordRefund(ctx, manager, c.Number, aftersale.Money{Minor: 100, Currency: "USD"}, "re_1")
	wantErrField(t, err, aftersale.Invalid, "currency")
	if _, err := p.RecordRefund(ctx, manager, c.Number, eur(500), "re_1"); err != nil {
		t.Fatal(err)
	}
	// Summed over the claim's refunds: 4.90 is left.
	_, err = p.RecordRefund(ctx, manager, c.Number, eur(491), "re_2")
	wantErrField(t, err, aftersale.Invalid, "amount")
	if _, err := p.RecordRefund(ctx, manager, c.Number, eur(490), "re_2"); err != nil {
		t.Fatal(err)
	}
	_, err = p.RecordRefund(ctx, manager, c.Number, eur(1), "re_3")
	wantErrField(t, err, aftersale.Invalid, "amount")

	// Without a price, the claim still opens (as the README's examples
	// do), but no refund is recorded on it.
	unpriced := refundApproved(t, cl, elsewhereServo(nil))
	if unpriced.Lines[0].Price != nil {
		t.Errorf("a price nobody gave: %v", unpriced.Lines[0].Price)
	}
	_, err = p.RecordRefund(ctx, manager, unpriced.Number, eur(1), "re_1")
	wantErrField(t, err, aftersale.Conflict, "amount")
	if !strings.Contains(err.Error(), "price is not on file") {
		t.Errorf("%q does not say the price is not on file", err)
	}

	// A claim of an order line (30.00) and a purchase made elsewhere
	// (9.90): 39.90 in all.
	mixed := refundApproved(t, cl, workflow.OpenLine{OrderNumber: "C-1", OrderLine: 1}, elsewhereServo(&aftersale.Money{Minor: 990, Currency: "EUR"}))
	_, err = p.RecordRefund(ctx, manager, mixed.Number, eur(3991), "re_1")
	wantErrField(t, err, aftersale.Invalid, "amount")
	if _, err := p.RecordRefund(ctx, manager, mixed.Number, eur(3990), "re_1"); err != nil {
		t.Fatal(err)
	}

	// The price is a purchase made elsewhere's, more than zero, in a currency.
	for _, tt := range []struct {
		name  string
		line  workflow.OpenLine
		field string
	}{
		{"on an order on file", workflow.OpenLine{OrderNumber: "C-1", OrderLine: 1, Price: &aftersale.Money{Minor: 100, Currency: "EUR"}}, "lines[0].price"},
		{"zero", elsewhereServo(&aftersale.Money{Currency: "EUR"}), "lines[0].price"},
		{"negative", elsewhereServo(&aftersale.Money{Minor: -990, Currency: "EUR"}), "lines[0].price"},
		{"no currency", elsewhereServo(&aftersale.Money{Minor: 990}), "lines[0].currency"},
		{"not a currency", elsewhereServo(&aftersale.Money{Minor: 990, Currency: "eu"}), "lines[0].currency"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := claimOf(cl.Open(ctx, agent, workflow.OpenClaimInput{Request: "return", CustomerEmail: "ann@example.com",
				Lines: []workflow.OpenLine{tt.line}}, ""))
			wantErrField(t, err, aftersale.Invalid, tt.field)
		})
	}
}

// testExchangeForAnotherProduct: a change-of-mind exchange may ship another
// product of the catalog, its price difference recorded on the unit and
// in the history; a warranty replacement stays bound to the same product or
// its successor, free.
func testExchangeForAnotherProduct(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	approveExchange := []step{{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "exchange"}, aftersale.StatusApproved}}
	// Two exchanges of C-1's servo, both approved before either ships.
	c := walk(t, cl, inspectedReturn(t, cl, true), approveExchange)
	c2 := walk(t, cl, inspectedReturn(t, cl, true), approveExchange)
	unit := func(serial, sku string, diff *aftersale.Money) workflow.ReplacementInput {
		return workflow.ReplacementInput{Line: 1, Serial: serial, SKU: sku, Kind: aftersale.KindReplacement, PriceDifference: diff}
	}
	for _, tt := range []struct {
		name  string
		in    workflow.ReplacementInput
		field string
	}{
		{"another product without the difference", unit("MB-X1", "MOD-MAIN", nil), "price_difference"},
		{"a product not in the catalog", unit("MB-X1", "NO-SUCH", &aftersale.Money{Minor: 100}), "sku"},
		{"a difference in another currency", unit("MB-X1", "MOD-MAIN", &aftersale.Money{Minor: 100, Currency: "USD"}), "currency"},
		{"a difference for the same product", unit("SV-X1", "SERVO-MG", &aftersale.Money{Minor: 100}), "price_difference"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.RegisterReplacement(ctx, agent, c.Number, tt.in)
			wantErrField(t, err, aftersale.Invalid, tt.field)
		})
	}
	// The board costs 12.50 more than the servo: the customer pays it.
	u, err := p.RegisterReplacement(ctx, agent, c.Number, unit("MB-X1", "MOD-MAIN", &aftersale.Money{Minor: 1250}))
	if err != nil {
		t.Fatalf("an exchange for another product: %v", err)
	}
	if u.SKU != "MOD-MAIN" || u.OrderNumber != "C-1" || u.PriceDifference == nil || *u.PriceDifference != eur(1250) {
		t.Fatalf("unit %+v, difference %v", u, u.PriceDifference)
	}
	units, err := p.ReplacementUnits(ctx, agent, c.Number)
	if err != nil || len(units) != 1 || units[0].PriceDifference == nil || *units[0].PriceDifference != eur(1250) {
		t.Fatalf("units %+v, %v", units, err)
	}
	events, _ := cl.History(ctx, agent, c.Number)
	var e aftersale.Event
	for _, x := range events {
		if x.Kind == "replacement_unit" {
			e = x
		}
	}
	if e.Data["price_difference_minor"] != "1250" || e.Data["currency"] != "EUR" || e.Data["returned_sku"] != "SERVO-MG" ||
		!strings.Contains(e.Detail, "+12.50 EUR, paid by the customer") {
		t.Errorf("event %q %v", e.Detail, e.Data)
	}
	// Something cheaper: the seller pays back the difference.
	u, err = p.RegisterReplacement(ctx, agent, c2.Number, unit("SCR-X1", "SCREW-SET", &aftersale.Money{Minor: -2500, Currency: "EUR"}))
	if err != nil || u.PriceDifference == nil || *u.PriceDifference != eur(-2500) {
		t.Fatalf("a cheaper exchange: %+v, %v", u, err)
	}

	// A warranty replacement: the same product or its successor, free.
	w := walk(t, cl, returned(t, cl, "SV-9", "quality_defect"), []step{{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"}, aftersale.StatusApproved}})
	_, err = p.RegisterReplacement(ctx, agent, w.Number, unit("MB-X2", "MOD-MAIN", nil))
	wantErrField(t, err, aftersale.Invalid, "sku")
	_, err = p.RegisterReplacement(ctx, agent, w.Number, unit("MB-X2", "MOD-MAIN", &aftersale.Money{Minor: 100}))
	wantErrField(t, err, aftersale.Invalid, "price_difference")
	_, err = p.RegisterReplacement(ctx, agent, w.Number, workflow.ReplacementInput{Line: 1, Kind: aftersale.KindRepair, PriceDifference: &aftersale.Money{Minor: 100}})
	wantErrField(t, err, aftersale.Invalid, "price_difference")
}
