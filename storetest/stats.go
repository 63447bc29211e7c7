package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// RunStats runs the dashboard statistics' conformance tests, each on its
// own fresh store.
func RunStats(t *testing.T, open Open) {
	t.Run("EmptyStore", func(t *testing.T) {
		got, err := open(t).ClaimStats(ctx(t), date.MustParse("2026-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(workflow.StatsRows{}, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("an empty store's statistics (-want +got):\n%s", d)
		}
	})
	t.Run("Aggregates", func(t *testing.T) { testStats(t, open(t)) })
	t.Run("Exceptions", func(t *testing.T) { testStatsExceptions(t, open(t)) })
}

// statsClaim is a claim of the statistics' test: its request, status, days
// and lines (each a SKU of the seed, an order line and a cause found).
type statsClaim struct {
	request, status    string
	reported, answered string // answered "": not yet
	lines              []aftersale.ClaimLine
	distributor        string
}

func (s statsClaim) claim() aftersale.Claim {
	c := sampleClaim()
	c.Request, c.Status, c.DistributorCode, c.Quote = s.request, aftersale.Status(s.status), s.distributor, nil
	c.ReportedOn = date.MustParse(s.reported)
	c.RespondBy = c.ReportedOn.AddDays(3)
	if s.answered != "" {
		c.FirstAnswerOn = date.MustParse(s.answered)
	}
	c.Lines = s.lines
	for i := range c.Lines {
		c.Lines[i].Line = i + 1
		c.Lines[i].Decision = aftersale.Decision{Outcome: "eligible"}
	}
	return c
}

// testStats: counts over every claim; monthly series from the first day
// given, per month and currency; units sold inside kits count for their
// parts; a unit priced by a kit's line is counted apart.
func testStats(t *testing.T, db *store.DB) {
	seed(t, db)
	esc := aftersale.ClaimLine{SKU: "ESC-1", Serial: "SN-ESC-1", OrderNumber: "A-1001", OrderLine: 1}
	servo := aftersale.ClaimLine{SKU: "SERVO-9G", Serial: "SN-SERVO-1", OrderNumber: "A-1001", OrderLine: 2, KitSKU: "KIT-ARM"}
	screws := aftersale.ClaimLine{SKU: "SCREW-M3", OrderNumber: "C-3001", OrderLine: 1, Cause: "misuse"}
	psu := aftersale.ClaimLine{SKU: "PSU-1", PurchasedOn: date.MustParse("2025-12-24"), ProofDocument: "receipt.pdf"}
	found := esc
	found.Cause = "quality_defect"
	specs := []statsClaim{
		{request: "defect", status: "closed", reported: "2026-03-10", answered: "2026-03-12", lines: []aftersale.ClaimLine{found, psu}},
		{request: "defect", status: "in_review", reported: "2026-03-20", answered: "2026-03-25", lines: []aftersale.ClaimLine{servo}, distributor: "DIST-DE"},
		{request: "return", status: "submitted", reported: "2026-04-01", lines: []aftersale.ClaimLine{screws}},
		{request: "defect", status: "closed", reported: "2025-01-01", answered: "2025-01-02", lines: []aftersale.ClaimLine{esc}},
	}
	claims := make([]aftersale.Claim, len(specs))
	for i, s := range specs {
		claims[i] = s.claim()
		createClaim(t, db, &claims[i])
	}
	eur := func(n int64) aftersale.Money { return aftersale.Money{Minor: n, Currency: "EUR"} }
	inTx(t, db, func(tx *store.Tx) error {
		for _, r := range []aftersale.Refund{
			{ClaimID: claims[0].ID, Amount: eur(3000), Reference: "re_1", RefundedOn: date.MustParse("2026-03-15"), By: "boss"},
			{ClaimID: claims[2].ID, Amount: aftersale.Money{Minor: 500, Currency: "USD"}, Reference: "re_2", RefundedOn: date.MustParse("2026-04-02"), By: "boss"},
			{ClaimID: claims[3].ID, Amount: eur(100), Reference: "re_3", RefundedOn: date.MustParse("2025-12-31"), By: "boss"},
		} {
			if err := tx.AddRefund(ctx(t), &r); err != nil {
				return err
			}
		}
		for _, u := range []aftersale.ReplacementUnit{
			{Serial: "NEW-1", SKU: "ESC-1", ReplacesSerial: "SN-ESC-1", ClaimID: claims[0].ID, Line: 1, OrderNumber: "A-1001", OrderLine: 1,
				ShippedOn: date.MustParse("2026-03-16"), Kind: aftersale.KindReplacement, CreatedBy: "agent"},
			{Serial: "NEW-2", SKU: "SERVO-9G", ReplacesSerial: "SN-SERVO-1", ClaimID: claims[1].ID, Line: 1, OrderNumber: "A-1001", OrderLine: 2,
				KitSKU: "KIT-ARM", ShippedOn: date.MustParse("2026-03-26"), Kind: aftersale.KindReplacement, CreatedBy: "agent"},
			{Serial: "SN-ESC-1", SKU: "ESC-1", ReplacesSerial: "SN-ESC-1", ClaimID: claims[3].ID, Line: 1, OrderNumber: "A-1001", OrderLine: 1,
				ShippedOn: date.MustParse("2026-03-05"), Kind: aftersale.KindRepair, CreatedBy: "agent"},
		} {
			if err := tx.AddReplacementUnit(ctx(t), &u); err != nil {
				return err
			}
		}
		for _, s := range []aftersale.Shipment{
			{ClaimID: claims[0].ID, Direction: aftersale.Outbound, Carrier: "DHL", TrackingNumber: "O-1", PaidBy: "seller", ShippedOn: date.MustParse("2026-03-16")},
			{ClaimID: claims[1].ID, Direction: aftersale.Inbound, Carrier: "DHL", TrackingNumber: "I-1", PaidBy: "seller"},
			{ClaimID: claims[1].ID, Direction: aftersale.Outbound, Carrier: "DHL", TrackingNumber: "O-2", PaidBy: "seller", ShippedOn: date.MustParse("2026-04-05")},
			{ClaimID: claims[2].ID, Direction: aftersale.Outbound, Carrier: "UPS", TrackingNumber: "O-3", PaidBy: "customer", ShippedOn: date.MustParse("2026-04-03")},
		} {
			s.CreatedBy, s.CreatedAt = "agent", claimTime
			if err := tx.AddShipment(ctx(t), &s); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := db.ClaimStats(ctx(t), date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	cnt := func(k string, n int64) workflow.Count { return workflow.Count{Key: k, N: n} }
	want := workflow.StatsRows{
		ByStatus:   []workflow.Count{cnt("closed", 2), cnt("in_review", 1), cnt("submitted", 1)},
		ByRequest:  []workflow.Count{cnt("defect", 3), cnt("return", 1)},
		ByCategory: []workflow.Count{cnt("consumable", 1), cnt("electronic_module", 2), cnt("power_module", 1), cnt("servo_motor", 1)},
		ByCause:    []workflow.Count{cnt("misuse", 1), cnt("quality_defect", 1)},
		// SERVO-9G: 2 inside the kit KIT-ARM of A-1001 (not those inside
		// KIT-ARMs inside KIT-BOTs: one level of kit).
		Defects: []workflow.DefectRate{{SKU: "ESC-1", Name: "Speed controller", Claims: 2, Sold: 1},
			{SKU: "PSU-1", Name: "Power supply", Claims: 1, Sold: 0},
			{SKU: "SERVO-9G", Name: "9 g servo", Claims: 1, Sold: 2}},
		Answers: []workflow.AnswerMonth{{Month: "2026-03", OnTime: 1, Late: 1}, {Month: "2026-04", Unanswered: 1}},
		Costs: []workflow.CostRow{
			{Month: "2026-03", Currency: "EUR", Refunds: 3000, RefundCount: 1, Replacements: 2999, ReplacedUnits: 1},
			{Month: "2026-04", Currency: "USD", Refunds: 500, RefundCount: 1}},
		KitParts:        []workflow.MonthCount{{Month: "2026-03", N: 1}},
		SellerShipments: []workflow.MonthCount{{Month: "2026-03", N: 1}, {Month: "2026-04", N: 1}},
	}
	sortCounts := cmpopts.SortSlices(func(a, b workflow.Count) bool { return a.Key < b.Key })
	if d := cmp.Diff(want, got, sortCounts); d != "" {
		t.Errorf("ClaimStats (-want +got):\n%s", d)
	}
	// Units sold of the screws: 50 on C-3001, and 10 in A-1001's arm kit.
	c := statsClaim{request: "defect", status: "submitted", reported: "2026-04-02", lines: []aftersale.ClaimLine{screws}}.claim()
	createClaim(t, db, &c)
	got, err = db.ClaimStats(ctx(t), date.MustParse("2026-04-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Defects) != 4 || got.Defects[2] != (workflow.DefectRate{SKU: "SCREW-M3", Name: "M3 screws", Claims: 1, Sold: 60}) {
		t.Errorf("defects %+v, want SCREW-M3 with 1 claim and 60 sold third", got.Defects)
	}
	if d := cmp.Diff([]workflow.AnswerMonth{{Month: "2026-04", Unanswered: 2}}, got.Answers); d != "" {
		t.Errorf("answers from April (-want +got):\n%s", d)
	}
}

// testStatsExceptions: the managers' exceptions from the first day given
// on (00:00 UTC) are counted per manager and remedy, from the history's
// "exception" events (one per line), other events and earlier exceptions
// left out; an exception recorded before events had data is read from its
// detail; the newest are listed with their claims' numbers, newest first
// (the same time: the later event first), ten at most.
func testStatsExceptions(t *testing.T, db *store.DB) {
	seed(t, db)
	a := statsClaim{request: "defect", status: "approved", reported: "2026-03-01",
		lines: []aftersale.ClaimLine{{SKU: "ESC-1", Serial: "SN-ESC-1", OrderNumber: "A-1001", OrderLine: 1}, {SKU: "PSU-1"}}}.claim()
	b := statsClaim{request: "defect", status: "rejected", reported: "2026-03-02",
		lines: []aftersale.ClaimLine{{SKU: "PSU-1"}}}.claim()
	createClaim(t, db, &a)
	createClaim(t, db, &b)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	exception := func(c aftersale.Claim, by, on string, line int, remedy, outcome, reason string) aftersale.Event {
		return aftersale.Event{ClaimID: c.ID, At: at(on), Actor: by, Kind: "exception",
			Detail: fmt.Sprintf("line %d: %s granted against %s (clauses 3.1): %s", line, remedy, outcome, reason),
			Data:   map[string]string{"line": fmt.Sprint(line), "remedy": remedy, "outcome": outcome, "reason": reason}}
	}
	const mia, leo = "mia@shop.example", "leo@shop.example"
	events := []aftersale.Event{
		exception(a, mia, "2026-03-10T10:00:00Z", 1, "free_replacement", "not_eligible", "loyal customer"),
		exception(a, mia, "2026-03-10T10:00:00Z", 2, "free_replacement", "not_eligible", "loyal customer"),
		exception(b, leo, "2026-03-12T08:00:00Z", 1, "reject", "eligible", "obvious abuse"),
		// Before the first day: not counted.
		exception(b, mia, "2025-12-31T23:59:59Z", 1, "free_repair", "not_eligible", "last year"),
		// Recorded before migration 00010, in the words of that time:
		// the detail says it all.
		{ClaimID: a.ID, At: at("2026-03-11T00:00:00Z"), Actor: leo, Kind: "exception",
			Detail: "line 2: exchange granted against not_eligible: an old goodwill"},
		{ClaimID: a.ID, At: at("2026-03-11T00:00:00Z"), Actor: mia, Kind: "decided", Data: map[string]string{"line": "1", "remedy": "refund"}},
	}
	for i := range 10 {
		events = append(events, exception(b, leo, fmt.Sprintf("2026-02-%02dT12:00:00Z", i+1), 1, "refund", "not_eligible", fmt.Sprint("goodwill ", i+1)))
	}
	inTx(t, db, func(tx *store.Tx) error { return tx.AddEvents(ctx(t), events) })
	got, err := db.ClaimStats(ctx(t), date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := []workflow.ExceptionCount{{By: leo, Remedy: "exchange", N: 1}, {By: leo, Remedy: "refund", N: 10},
		{By: leo, Remedy: "reject", N: 1}, {By: mia, Remedy: "free_replacement", N: 2}}
	sortCounts := cmpopts.SortSlices(func(a, b workflow.ExceptionCount) bool { return a.By+a.Remedy < b.By+b.Remedy })
	if d := cmp.Diff(wantCounts, got.Exceptions, sortCounts); d != "" {
		t.Errorf("exceptions per manager and remedy (-want +got):\n%s", d)
	}
	latest := func(c aftersale.Claim, e aftersale.Event) workflow.ExceptionEvent {
		x := workflow.ExceptionEvent{Claim: c.Number, By: e.Actor, At: e.At, Remedy: e.Data["remedy"], Outcome: e.Data["outcome"], Reason: e.Data["reason"]}
		fmt.Sscan(e.Data["line"], &x.Line)
		return x
	}
	old := workflow.ExceptionEvent{Claim: a.Number, Line: 2, Remedy: "exchange", Outcome: "not_eligible", By: leo,
		Reason: "an old goodwill", At: events[4].At}
	want := []workflow.ExceptionEvent{latest(b, events[2]), old, latest(a, events[1]), latest(a, events[0])}
	for i := 9; len(want) < workflow.LatestExceptionsShown; i-- {
		want = append(want, latest(b, events[6+i]))
	}
	if d := cmp.Diff(want, got.LatestExceptions); d != "" {
		t.Errorf("the newest exceptions (-want +got):\n%s", d)
	}
	// From 11 March (00:00 UTC) on.
	got, err = db.ClaimStats(ctx(t), date.MustParse("2026-03-11"))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[:2], got.LatestExceptions); d != "" {
		t.Errorf("the exceptions from 11 March (-want +got):\n%s", d)
	}
	wantCounts = []workflow.ExceptionCount{{By: leo, Remedy: "exchange", N: 1}, {By: leo, Remedy: "reject", N: 1}}
	if d := cmp.Diff(wantCounts, got.Exceptions, sortCounts); d != "" {
		t.Errorf("exceptions from 11 March (-want +got):\n%s", d)
	}
}
