package workflow_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/internal/pgtest"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
	"github.com/aftersale/aftersale/workflow"
)

// parcelCase is one scenario, run on each engine.
type parcelCase struct {
	name string
	fn   func(t *testing.T, cl *workflow.Claims, p *workflow.Parcels)
}

// TestParcels runs the parcel, refund and replacement scenarios on SQLite
// and on a throwaway PostgreSQL cluster of its own.
func TestParcels(t *testing.T) {
	pg := pgtest.New()
	t.Cleanup(pg.Stop)
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") }},
		{"postgres", func(t *testing.T) string { return pg.Database(t) }},
	}
	cases := []parcelCase{
		{"PaidByFollowsTheDecision", testPaidByDefaults},
		{"ShipmentStagesAndDelivery", testShipmentStages},
		{"Refunds", testRefundRules},
		{"RepairedUnitCover", testRepairedUnitCover},
		{"ReplacementUnitCover", testReplacementUnitCover},
		{"ReplacementRefusals", testReplacementRefusals},
		{"ElsewhereRefundCap", testElsewhereRefundCap},
		{"ExchangeForAnotherProduct", testExchangeForAnotherProduct},
		{"Visibility", testParcelVisibility},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					cl, p := newParcels(t, e.dsn(t))
					c.fn(t, cl, p)
				})
			}
		})
	}
}

func newParcels(t *testing.T, dsn string) (*workflow.Claims, *workflow.Parcels) {
	t.Helper()
	db, svc := newFixtureStore(t, dsn)
	return &workflow.Claims{Service: svc, Read: db, InTx: db.InClaimTx, Opener: db.OpenClaim},
		&workflow.Parcels{Service: svc, Read: db, InTx: db.InParcelTx}
}

func act(a aftersale.Action) workflow.ActInput { return workflow.ActInput{Action: a} }

// returned walks a claim on SV-9 (a servo in warranty: a free repair) to
// inspected, with the inspector's cause.
func returned(t *testing.T, cl *workflow.Claims, serial, cause string) aftersale.Claim {
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: serial})
	return walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
		{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
		{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: cause}}}, aftersale.StatusInspected},
	})
}

// inspectedReturn walks a change-of-mind return of C-1's servo (bought 4
// days ago) to inspected, found resellable or not.
func inspectedReturn(t *testing.T, cl *workflow.Claims, resellable bool) aftersale.Claim {
	t.Helper()
	c := open(t, cl, agent, "return", workflow.OpenLine{OrderNumber: "C-1", OrderLine: 1})
	return walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
		{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
		{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Resellable: &resellable}}}, aftersale.StatusInspected},
	})
}

func wantErrField(t *testing.T, err error, kind aftersale.ErrorKind, field string) {
	t.Helper()
	var e *aftersale.Error
	if aftersale.KindOf(err) != kind {
		t.Fatalf("got %v, want %s on %q", err, kind, field)
	}
	if errors.As(err, &e) && e.Field != field {
		t.Errorf("field %q, want %q (%v)", e.Field, field, err)
	}
}

func ship(d aftersale.Direction, tracking string) workflow.ShipmentInput {
	return workflow.ShipmentInput{Direction: d, Carrier: "DHL", TrackingNumber: tracking}
}

// testPaidByDefaults: the seller pays the return of a free repair; the
// inspection finds liquid (4.3) and the customer pays the way back (A3);
// only a manager overrides, with a reason that is recorded.
func testPaidByDefaults(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
	})
	in, err := p.AddShipment(ctx, agent, c.Number, ship(aftersale.Inbound, "RET-1"))
	if err != nil || in.PaidBy != "seller" || in.OverrideReason != "" || !in.ShippedOn.IsZero() || in.ID == 0 {
		t.Fatalf("return before inspection: %+v, %v; want paid by the seller", in, err)
	}
	c = walk(t, cl, c, []step{
		{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
		{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "misuse"}}}, aftersale.StatusInspected},
	})
	out, err := p.AddShipment(ctx, agent, c.Number, ship(aftersale.Outbound, "OUT-1"))
	if err != nil || out.PaidBy != "customer" || out.ShippedOn != testday.Today() {
		t.Fatalf("unrepaired item back after misuse: %+v, %v; want paid by the customer, shipped today", out, err)
	}
	override := ship(aftersale.Outbound, "OUT-2")
	override.PaidBy = "seller"
	_, err = p.AddShipment(ctx, agent, c.Number, override)
	wantErrField(t, err, aftersale.Forbidden, "paid_by")
	_, err = p.AddShipment(ctx, manager, c.Number, override)
	wantErrField(t, err, aftersale.Invalid, "override_reason")
	override.OverrideReason = "courier damaged the first parcel"
	got, err := p.AddShipment(ctx, manager, c.Number, override)
	if err != nil || got.PaidBy != "seller" || got.OverrideReason != override.OverrideReason || got.CreatedBy != manager.String() {
		t.Fatalf("manager's override: %+v, %v", got, err)
	}
	list, err := p.Shipments(ctx, agent, c.Number)
	if err != nil || len(list) != 3 || list[2].OverrideReason != override.OverrideReason {
		t.Fatalf("shipments %+v, %v", list, err)
	}
	events, _ := cl.History(ctx, agent, c.Number)
	var details []string
	for _, e := range events {
		if e.Kind == "shipment" {
			details = append(details, e.Detail)
		}
	}
	if len(details) != 3 || !strings.Contains(details[2], "courier damaged") || !strings.Contains(details[0], "paid by seller") {
		t.Errorf("shipment events %q", details)
	}
}

// testShipmentStages: parcels travel only at the stages that expect them,
// and are delivered once.
func testShipmentStages(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
	tests := []struct {
		name  string
		actor aftersale.Actor
		in    workflow.ShipmentInput
		kind  aftersale.ErrorKind
		field string
	}{
		{"return before it is asked for", agent, ship(aftersale.Inbound, "R"), aftersale.Conflict, "direction"},
		{"shipping before a remedy", agent, ship(aftersale.Outbound, "O"), aftersale.Conflict, "direction"},
		{"inspector ships out", inspector, ship(aftersale.Outbound, "O"), aftersale.Forbidden, ""},
		{"anonymous", aftersale.Actor{}, ship(aftersale.Inbound, "R"), aftersale.Unauthorized, ""},
		{"direction", agent, ship("sideways", "R"), aftersale.Invalid, "direction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.AddShipment(ctx, tt.actor, c.Number, tt.in)
			wantErrField(t, err, tt.kind, tt.field)
		})
	}
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
	})
	_, err := p.AddShipment(ctx, agent, c.Number, workflow.ShipmentInput{Direction: aftersale.Inbound, Carrier: "DHL"})
	wantErrField(t, err, aftersale.Invalid, "tracking_number")
	_, err = p.AddShipment(ctx, agent, c.Number, workflow.ShipmentInput{Direction: aftersale.Inbound, Carrier: "DHL", TrackingNumber: "R", PaidBy: "nobody"})
	wantErrField(t, err, aftersale.Invalid, "paid_by")
	future := ship(aftersale.Inbound, "R")
	future.ShippedOn = testday.Day(7)
	_, err = p.AddShipment(ctx, agent, c.Number, future)
	wantErrField(t, err, aftersale.Invalid, "shipped_on")
	// A distributor's user may give the tracking number of its customer's
	// return only on its own claims; this one was sold directly.
	sh, err := p.AddShipment(ctx, inspector, c.Number, ship(aftersale.Inbound, "R-1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.AddShipment(ctx, agent, c.Number, ship(aftersale.Inbound, "R-1"))
	wantErrField(t, err, aftersale.Conflict, "tracking_number")
	got, err := p.MarkDelivered(ctx, inspector, c.Number, sh.ID, date.Date{})
	if err != nil || got.DeliveredOn != testday.Today() {
		t.Fatalf("delivered: %+v, %v", got, err)
	}
	_, err = p.MarkDelivered(ctx, inspector, c.Number, sh.ID, date.Date{})
	wantErrField(t, err, aftersale.Conflict, "id")
	_, err = p.MarkDelivered(ctx, inspector, c.Number, sh.ID+100, date.Date{})
	wantErrField(t, err, aftersale.NotFound, "id")
	_, err = p.MarkDelivered(ctx, distEU, c.Number, sh.ID, date.Date{})
	wantErrField(t, err, aftersale.NotFound, "number")
}

// testRefundRules: a change-of-mind return refunded in two parts, up to the
// order line's 30.00 EUR, by a manager, once the item is back.
func testRefundRules(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	eur := func(n int64) aftersale.Money { return aftersale.Money{Minor: n, Currency: "EUR"} }
	c := inspectedReturn(t, cl, true)
	_, err := p.RecordRefund(ctx, manager, c.Number, eur(100), "re_0")
	wantErrField(t, err, aftersale.Conflict, "claim")
	c = walk(t, cl, c, []step{{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund"}, aftersale.StatusApproved}})
	tests := []struct {
		name   string
		actor  aftersale.Actor
		amount aftersale.Money
		ref    string
		kind   aftersale.ErrorKind
		field  string
	}{
		{"an agent", agent, eur(100), "re_1", aftersale.Forbidden, ""},
		{"zero", manager, eur(0), "re_1", aftersale.Invalid, "amount"},
		{"another currency", manager, aftersale.Money{Minor: 100, Currency: "USD"}, "re_1", aftersale.Invalid, "currency"},
		{"more than the line", manager, eur(3001), "re_1", aftersale.Invalid, "amount"},
		{"no reference", manager, eur(100), " ", aftersale.Invalid, "reference"},
		{"another distributor", distAsia, eur(100), "re_1", aftersale.NotFound, "number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.RecordRefund(ctx, tt.actor, c.Number, tt.amount, tt.ref)
			wantErrField(t, err, tt.kind, tt.field)
		})
	}
	first, err := p.RecordRefund(ctx, manager, c.Number, eur(2000), "re_1")
	if err != nil || first.ID == 0 || first.RefundedOn != testday.Today() || first.By != manager.String() {
		t.Fatalf("first refund %+v, %v", first, err)
	}
	_, err = p.RecordRefund(ctx, manager, c.Number, eur(1001), "re_2")
	wantErrField(t, err, aftersale.Invalid, "amount")
	if _, err := p.RecordRefund(ctx, manager, c.Number, eur(1000), "re_2"); err != nil {
		t.Fatal(err)
	}
	list, err := p.Refunds(ctx, agent, c.Number)
	if err != nil || len(list) != 2 || list[1].Amount != eur(1000) {
		t.Fatalf("refunds %+v, %v", list, err)
	}
	events, _ := cl.History(ctx, agent, c.Number)
	if n := countKind(events, "refund"); n != 2 {
		t.Errorf("%d refund events, want 2", n)
	}
	// A claim granted a repair has no refund to record.
	r := returned(t, cl, "SV-9", "quality_defect")
	r = walk(t, cl, r, []step{{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"}, aftersale.StatusApproved}})
	_, err = p.RecordRefund(ctx, manager, r.Number, eur(100), "re_1")
	wantErrField(t, err, aftersale.Conflict, "claim")
}

func countKind(events []aftersale.Event, kind string) int {
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// later is the service three weeks on: SV-9's three months (from its
// delivery 81 days before the test day) ended 8 to 11 days after it (on
// 4 Dec, from 4 Sep, on the default test day 24 Nov 2026).
func later(p *workflow.Parcels) *workflow.Service {
	s := *p.Service
	s.Now = func() time.Time { return now().AddDate(0, 0, 21) }
	return &s
}

// wantReshippedCover checks a unit's cover three weeks on: 1 month after
// shipping on the test day, beyond the original period that ended 8 to 11
// days after it (5.5): on the default test day, until 24 Dec, not 4 Dec.
func wantReshippedCover(t *testing.T, p *workflow.Parcels, serial string) {
	t.Helper()
	st, err := later(p).WarrantyBySerial(t.Context(), agent, serial)
	if err != nil {
		t.Fatal(err)
	}
	until := testday.Today().AddMonths(1).String()
	if !wire(st).Warranty.Covered || wire(st).Warranty.EndsOn == nil || *wire(st).Warranty.EndsOn != until || st.Order.Number != "A-1" || st.SKU != "SERVO-MG" {
		t.Errorf("%s: warranty %+v, order %s, sku %s; want covered until %s on order A-1", serial, wire(st).Warranty, st.Order.Number, st.SKU, until)
	}
	// The day it was shipped, as the reasons write a date ("2 Jan 2006"),
	// or as ISO.
	shipped := testday.Today()
	if !slices.ContainsFunc(wire(st).Reasons, func(r string) bool {
		return strings.Contains(r, "repaired or replaced and shipped to you on "+shipped.Format("2 Jan 2006")) || strings.Contains(r, "repaired or replaced and shipped to you on "+shipped.String())
	}) {
		t.Errorf("%s: reasons %q do not say it was reshipped", serial, wire(st).Reasons)
	}
	// The eligibility check by serial gives the same cover as the lookup.
	facts := fmt.Sprintf(`{"request":"defect","serial":%q,"reported_on":%q}`, serial, testday.Day(21))
	f, err := policyjson.ParseFactsFor(p.Policy, []byte(facts), func(f *policy.Facts) error { return p.CompleteFacts(t.Context(), f) })
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Policy.Decide(&f)
	if err != nil {
		t.Fatal(err)
	}
	if j := policyjson.FromDecision(&d); j.Outcome != "eligible" || !slices.Contains(j.Clauses, "5.5") || d.Warranty.EndsOn.String() != until {
		t.Errorf("%s: eligibility by serial %s %v until %s, want eligible under 5.5 until %s", serial, j.Outcome, j.Clauses, d.Warranty.EndsOn, until)
	}
}

func testRepairedUnitCover(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	st, err := later(p).WarrantyBySerial(ctx, agent, "SV-9")
	if err != nil || wire(st).Warranty.Covered {
		t.Fatalf("before the repair SV-9 is out of cover three weeks on: %+v, %v", wire(st).Warranty, err)
	}
	c := returned(t, cl, "SV-9", "quality_defect")
	c = walk(t, cl, c, []step{{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"}, aftersale.StatusApproved}})
	u, err := p.RegisterReplacement(ctx, agent, c.Number, workflow.ReplacementInput{Line: 1, Kind: aftersale.KindRepair})
	if err != nil || u.Serial != "SV-9" || u.ReplacesSerial != "SV-9" || u.ShippedOn != testday.Today() || u.OrderNumber != "A-1" {
		t.Fatalf("repair: %+v, %v", u, err)
	}
	wantReshippedCover(t, p, "SV-9")
	events, _ := cl.History(ctx, agent, c.Number)
	if countKind(events, "replacement_unit") != 1 {
		t.Errorf("no replacement_unit event: %+v", events)
	}
}

func testReplacementUnitCover(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := returned(t, cl, "SV-9", "quality_defect")
	c = walk(t, cl, c, []step{
		{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"}, aftersale.StatusApproved},
		{agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionReplacementShipped}, aftersale.StatusResolved},
	})
	u, err := p.RegisterReplacement(ctx, agent, c.Number, workflow.ReplacementInput{Line: 1, Serial: "SV-9-R", Kind: aftersale.KindReplacement})
	if err != nil || u.SKU != "SERVO-MG" || u.ReplacesSerial != "SV-9" || u.ClaimNumber != c.Number {
		t.Fatalf("replacement: %+v, %v", u, err)
	}
	wantReshippedCover(t, p, "SV-9-R")
	// A new claim on the replacement three weeks on, after the original
	// period ended, is judged with the replacement's own cover (5.5).
	laterClaims := *cl
	laterClaims.Service = later(p)
	again := open(t, &laterClaims, agent, "defect", workflow.OpenLine{Serial: "SV-9-R"})
	if d := again.Lines[0].Decision; d.Outcome != "eligible" || !slices.Contains(d.Clauses, "5.5") || again.Lines[0].ReshippedOn != testday.Today() {
		t.Errorf("a claim on the replacement: %+v, reshipped %s", d, again.Lines[0].ReshippedOn)
	}
	units, err := p.ReplacementUnits(ctx, agent, c.Number)
	if err != nil || len(units) != 1 || units[0].Serial != "SV-9-R" {
		t.Errorf("units %+v, %v", units, err)
	}
	// The faulty unit it replaced is the seller's: its own cover is over.
	st, err := later(p).WarrantyBySerial(ctx, agent, "SV-9")
	if err != nil || wire(st).Warranty.Covered {
		t.Errorf("the replaced unit SV-9: %+v, %v", wire(st).Warranty, err)
	}
	wantReplaced(t, cl, p, "SV-9", "SV-9-R")
}

// wantReplaced checks a unit replaced today: its cover ended yesterday
// though its period runs on, the lookups by serial and by order say what
// replaced it and when, and a claim on it is refused in favour of the
// replacement; a claim by its order line is judged on the replacement.
func wantReplaced(t *testing.T, cl *workflow.Claims, p *workflow.Parcels, serial, by string) {
	t.Helper()
	ctx := t.Context()
	today := testday.Today()
	says := "replaced by " + by + " on " + today.Format("2 Jan 2006")
	check := func(how string, st workflow.WarrantyStatus) {
		t.Helper()
		if yesterday := today.AddDays(-1).String(); wire(st).Warranty.Covered || wire(st).Warranty.EndsOn == nil || *wire(st).Warranty.EndsOn != yesterday ||
			st.DaysLeft == nil || *st.DaysLeft != 0 {
			t.Errorf("%s: warranty %+v, days left %v; want not covered, ended %s", how, wire(st).Warranty, st.DaysLeft, yesterday)
		}
		if d := wire(st); d.Outcome != "not_eligible" || len(d.Remedies) != 0 || d.ShippingPaidBy != nil ||
			len(d.Reasons) != 1 || !strings.Contains(d.Reasons[0], says) || !slices.Equal(d.Clauses, []string{"3.1"}) {
			t.Errorf("%s: decision %+v; want not eligible under 3.1, %q", how, d, says)
		}
		zh := "于" + today.Format("2006年1月2日") + "更换为" + by
		if got := st.ReasonsIn("zh"); len(got) != 1 || !strings.Contains(got[0], zh) {
			t.Errorf("%s: reasons in Chinese %q, want %q", how, got, zh)
		}
		if got := st.ReasonsIn("de"); !slices.Equal(got, wire(st).Reasons) {
			t.Errorf("%s: reasons in German %q, want the English %q", how, got, wire(st).Reasons)
		}
	}
	st, err := p.WarrantyBySerial(ctx, agent, serial)
	if err != nil {
		t.Fatal(err)
	}
	check("lookup of "+serial, st)
	items, err := p.WarrantyByOrder(ctx, agent, st.Order.Number)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, it := range items {
		seen = append(seen, it.Serials...)
		switch {
		case slices.Contains(it.Serials, serial):
			if len(it.Serials) != 1 {
				t.Errorf("order %s: %s shares an item with %q", st.Order.Number, serial, it.Serials)
			}
			check("order "+st.Order.Number, it)
		case slices.Contains(it.Serials, by):
			if !wire(it).Warranty.Covered || len(wire(it).Remedies) == 0 {
				t.Errorf("order %s: the replacement %s is not covered: %+v", st.Order.Number, by, wire(it))
			}
		}
	}
	if !slices.Contains(seen, serial) || !slices.Contains(seen, by) {
		t.Errorf("order %s lists %q, want %s and %s", st.Order.Number, seen, serial, by)
	}
	// A claim on the replaced unit: refused, naming the replacement.
	_, err = claimOf(cl.Open(ctx, agent, workflow.OpenClaimInput{Request: "defect", Description: "again",
		CustomerEmail: "ann@example.com", Lines: []workflow.OpenLine{{Serial: serial}}}, ""))
	wantErrField(t, err, aftersale.Invalid, "lines[0].serial")
	if msg := aftersale.MessageOf(err); !strings.Contains(msg, fmt.Sprintf("serial %s was replaced by %s on %s", serial, by, today)) {
		t.Errorf("refusal %q does not name the replacement", msg)
	}
	// The eligibility check by serial refuses it too.
	facts := fmt.Sprintf(`{"request":"defect","serial":%q,"reported_on":%q}`, serial, today)
	_, err = policyjson.ParseFactsFor(p.Policy, []byte(facts), func(f *policy.Facts) error { return p.CompleteFacts(ctx, f) })
	var ie *policy.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), by) {
		t.Errorf("eligibility of %s: %v, want an input error naming %s", serial, err, by)
	}
	// A claim by the order line is the customer's unit now: the replacement.
	c := open(t, cl, agent, "defect", workflow.OpenLine{OrderNumber: st.Order.Number, OrderLine: st.Order.Line})
	if l := c.Lines[0]; l.ReshippedOn != today || l.Decision.Outcome != "eligible" {
		t.Errorf("a claim by order line: reshipped %s, %+v; want the replacement's cover", l.ReshippedOn, l.Decision)
	}
}

func testReplacementRefusals(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-30"})
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_replacement"}, aftersale.StatusApproved},
	})
	repl := func(line int, serial, sku string, kind aftersale.ReplacementKind) workflow.ReplacementInput {
		return workflow.ReplacementInput{Line: line, Serial: serial, SKU: sku, Kind: kind}
	}
	tests := []struct {
		name  string
		actor aftersale.Actor
		in    workflow.ReplacementInput
		kind  aftersale.ErrorKind
		field string
	}{
		{"before the faulty unit is back", agent, repl(1, "SV-30-R", "", aftersale.KindReplacement), aftersale.Conflict, "kind"},
		{"a repair for a replacement", agent, repl(1, "SV-30", "", aftersale.KindRepair), aftersale.Conflict, "kind"},
		{"no such line", agent, repl(2, "SV-30-R", "", aftersale.KindReplacement), aftersale.Invalid, "line"},
		{"kind", agent, repl(1, "SV-30-R", "", "swap"), aftersale.Invalid, "kind"},
		{"inspector", inspector, repl(1, "SV-30-R", "", aftersale.KindReplacement), aftersale.Forbidden, ""},
		{"another distributor", distAsia, repl(1, "SV-30-R", "", aftersale.KindReplacement), aftersale.NotFound, "number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.RegisterReplacement(ctx, tt.actor, c.Number, tt.in)
			wantErrField(t, err, tt.kind, tt.field)
		})
	}
	// A manager waives the return (an advance replacement): now it may ship.
	c = walk(t, cl, c, []step{{manager, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionReplacementShipped,
		WaiveReturn: true, Note: "needed for a class on Friday"}, aftersale.StatusResolved}})
	for _, tt := range []struct {
		name  string
		in    workflow.ReplacementInput
		kind  aftersale.ErrorKind
		field string
	}{
		{"a serial already sold", repl(1, "SV-9", "", aftersale.KindReplacement), aftersale.Conflict, "serial"},
		{"no serial", repl(1, "", "", aftersale.KindReplacement), aftersale.Invalid, "serial"},
		{"not an equivalent product", repl(1, "SV-30-R", "MOD-MAIN", aftersale.KindReplacement), aftersale.Invalid, "sku"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.RegisterReplacement(ctx, agent, c.Number, tt.in)
			wantErrField(t, err, tt.kind, tt.field)
		})
	}
	if _, err := p.RegisterReplacement(ctx, agent, c.Number, repl(1, "SV-30-R", "", aftersale.KindReplacement)); err != nil {
		t.Fatal(err)
	}
	_, err := p.RegisterReplacement(ctx, agent, c.Number, repl(1, "SV-30-R", "", aftersale.KindReplacement))
	wantErrField(t, err, aftersale.Conflict, "serial")
}

// testParcelVisibility: another distributor's claim does not exist for it;
// its own distributor sees the parcels and gives its return's tracking.
func testParcelVisibility(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := open(t, cl, distEU, "defect", workflow.OpenLine{Serial: "SV-20"})
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
	})
	if _, err := p.AddShipment(ctx, distEU, c.Number, ship(aftersale.Inbound, "EU-RET")); err != nil {
		t.Fatalf("DIST-EU gives its return's tracking: %v", err)
	}
	_, err := p.AddShipment(ctx, distAsia, c.Number, ship(aftersale.Inbound, "ASIA"))
	wantErrField(t, err, aftersale.NotFound, "number")
	for name, fn := range map[string]func(aftersale.Actor) error{
		"shipments": func(a aftersale.Actor) error { _, err := p.Shipments(ctx, a, c.Number); return err },
		"refunds":   func(a aftersale.Actor) error { _, err := p.Refunds(ctx, a, c.Number); return err },
		"units":     func(a aftersale.Actor) error { _, err := p.ReplacementUnits(ctx, a, c.Number); return err },
	} {
		if err := fn(distAsia); aftersale.KindOf(err) != aftersale.NotFound {
			t.Errorf("%s by DIST-ASIA: %v, want NotFound", name, err)
		}
		if err := fn(distEU); err != nil {
			t.Errorf("%s by DIST-EU: %v", name, err)
		}
	}
	_, err = p.AddShipment(ctx, distEU, c.Number, ship(aftersale.Outbound, "EU-OUT"))
	wantErrField(t, err, aftersale.Forbidden, "")
}
