package workflow_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// TestDecisionRules: every step that delivers a remedy asks the lines'
// current decisions, on both engines; only a manager's recorded exception
// overrides them.
func TestDecisionRules(t *testing.T) {
	cases := []parcelCase{
		{"MisuseFoundStopsTheFreeRemedy", testMisuseStopsFreeRemedy},
		{"NotResellableStopsTheRefund", testNotResellableStopsRefund},
		{"RepairOnlyAfterInspection", testRepairAfterInspection},
		{"QuotesAndTheCustomersAnswer", testQuoteRules},
		{"EveryAnswerStopsTheClock", testFirstAnswers},
		{"TechnicalSupportEndsTheClaim", testTechnicalSupportResolves},
		{"ReferAndReject", testReferAndReject},
	}
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") },
		"postgres": func(t *testing.T) string { return pg.Database(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					cl, p := newParcels(t, engines[name](t))
					c.fn(t, cl, p)
				})
			}
		})
	}
}

// approvedThenMisuse is a free repair approved before the return, whose
// inspection then finds misuse (4.3): the decision no longer gives it.
func approvedThenMisuse(t *testing.T, cl *workflow.Claims) aftersale.Claim {
	t.Helper()
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"}, aftersale.StatusApproved},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
		{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
		{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "misuse", Notes: "dropped"}}}, aftersale.StatusInspected},
	})
	if d := c.Lines[0].Decision; d.Outcome != "not_eligible" || d.Offers("free_repair") {
		t.Fatalf("after misuse: %+v", d)
	}
	return c
}

func testMisuseStopsFreeRemedy(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := approvedThenMisuse(t, cl)
	for _, tt := range []struct {
		name  string
		actor aftersale.Actor
		in    workflow.ActInput
	}{
		{"an agent ships the repair", agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRepairedShipped}},
		{"an agent ships a replacement", agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionReplacementShipped}},
		{"a manager without a reason", manager, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRepairedShipped}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Version = c.Version
			_, err := cl.Act(ctx, tt.actor, c.Number, tt.in)
			wantErrField(t, err, aftersale.Conflict, "remedy")
			for _, say := range []string{"not_eligible", "4.3", "quote", "unrepaired"} {
				if !strings.Contains(err.Error(), say) {
					t.Errorf("%q does not say %q", err, say)
				}
			}
		})
	}
	_, err := p.RegisterReplacement(ctx, agent, c.Number, workflow.ReplacementInput{Line: 1, Serial: "SV-NEW", Kind: aftersale.KindReplacement})
	wantErrField(t, err, aftersale.Conflict, "remedy")
	if got := workflow.Resolutions(agent, c); len(got) != 1 || got[0] != aftersale.ResolutionReturnedUnrepaired {
		t.Errorf("an agent is offered %v, want only returned_unrepaired", got)
	}
	// The ways on: returning it unrepaired (a quote and a rejection are
	// tested below), or a manager's exception with its reason.
	back := walk(t, cl, c, []step{{agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionReturnedUnrepaired}, aftersale.StatusResolved}})
	if back.Resolution != aftersale.ResolutionReturnedUnrepaired {
		t.Errorf("resolution %s", back.Resolution)
	}
	c = approvedThenMisuse(t, cl)
	c = walk(t, cl, c, []step{{manager, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRepairedShipped,
		ExceptionReason: "school project, goodwill"}, aftersale.StatusResolved}})
	e := c.Lines[0].Exception
	if e == nil || e.Remedy != "free_repair" || e.Outcome != "not_eligible" || e.Reason != "school project, goodwill" || e.By != manager.String() {
		t.Errorf("exception %+v", e)
	}
	events, err := cl.History(ctx, manager, c.Number)
	if err != nil || countKind(events, "exception") != 1 {
		t.Errorf("history %v: %d exception events, want 1", err, countKind(events, "exception"))
	}
}

func testNotResellableStopsRefund(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	// A resellable return is refunded by the policy (1).
	c := walk(t, cl, inspectedReturn(t, cl, true), []step{{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund"}, aftersale.StatusApproved}})
	_, err := cl.Act(ctx, manager, c.Number, workflow.ActInput{Action: aftersale.ActionResolve, Version: c.Version,
		Resolution: aftersale.ResolutionRefunded})
	if err != nil {
		t.Fatalf("a resellable return's refund: %v", err)
	}
	// One the inspection found not resellable is refunded only as a
	// manager's exception.
	r := inspectedReturn(t, cl, false)
	_, err = cl.Act(ctx, agent, r.Number, workflow.ActInput{Action: aftersale.ActionApprove, Version: r.Version, Remedy: "refund"})
	wantErrField(t, err, aftersale.Forbidden, "remedy")
	r = walk(t, cl, r, []step{{manager, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund", ExceptionReason: "loyal customer"}, aftersale.StatusApproved}})
	if _, err := p.RecordRefund(ctx, manager, r.Number, aftersale.Money{Minor: 1000, Currency: "EUR"}, "re_1"); err != nil {
		t.Errorf("a refund the manager excepted: %v", err)
	}
}

func testRepairAfterInspection(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"}, aftersale.StatusApproved},
	})
	for _, actor := range []aftersale.Actor{agent, manager} {
		_, err := cl.Act(ctx, actor, c.Number, workflow.ActInput{Action: aftersale.ActionResolve, Version: c.Version,
			Resolution: aftersale.ResolutionRepairedShipped, WaiveReturn: true, Note: "urgent", ExceptionReason: "urgent"})
		wantErrField(t, err, aftersale.Conflict, "resolution")
	}
	for _, r := range workflow.Resolutions(manager, c) {
		if r == aftersale.ResolutionRepairedShipped || r == aftersale.ResolutionReturnedUnrepaired {
			t.Errorf("before the unit is back a manager is offered %s", r)
		}
	}
	// An advance replacement stays a manager's waiver with its reason.
	c = walk(t, cl, c, []step{{manager, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionReplacementShipped,
		WaiveReturn: true, Note: "the customer's line is down"}, aftersale.StatusResolved}})
	if !c.ReturnWaived {
		t.Error("the return is not recorded as waived")
	}
}

func testQuoteRules(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	quote := &aftersale.Quote{Lines: []aftersale.QuoteLine{{Kind: "parts", Amount: aftersale.Money{Minor: 1200, Currency: "EUR"}},
		{Kind: "freight", Amount: aftersale.Money{Minor: 800, Currency: "EUR"}}}}
	// SV-9 is in warranty: its repair is free.
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
	c = walk(t, cl, c, []step{{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview}})
	_, err := cl.Act(ctx, manager, c.Number, workflow.ActInput{Action: aftersale.ActionSendQuote, Version: c.Version, Quote: quote})
	wantErrField(t, err, aftersale.Invalid, "exception_reason")
	c = walk(t, cl, c, []step{{manager, workflow.ActInput{Action: aftersale.ActionSendQuote, Quote: quote,
		ExceptionReason: "the customer asked for an express repair at his cost"}, aftersale.StatusQuoteSent}})
	if e := c.Lines[0].Exception; e == nil || e.Remedy != "paid_repair" {
		t.Errorf("exception %+v", e)
	}
	// SV-40 is out of warranty: a quote is the policy's own way.
	o := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-40"})
	o = walk(t, cl, o, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{manager, workflow.ActInput{Action: aftersale.ActionSendQuote, Quote: quote}, aftersale.StatusQuoteSent},
	})
	if o.Lines[0].Exception != nil || o.FirstAnswerOn != testday.Today() {
		t.Errorf("a quote of the policy's own: exception %+v, first answer %s", o.Lines[0].Exception, o.FirstAnswerOn)
	}
	// The answer is the customer's: staff record it only with a note.
	for _, a := range []aftersale.Action{aftersale.ActionAcceptQuote, aftersale.ActionDeclineQuote} {
		_, err = cl.Act(ctx, agent, o.Number, workflow.ActInput{Action: a, Version: o.Version})
		wantErrField(t, err, aftersale.Invalid, "note")
	}
	o = walk(t, cl, o, []step{
		{agent, workflow.ActInput{Action: aftersale.ActionAcceptQuote, Note: "accepted by phone today"}, aftersale.StatusQuoteAccepted},
		// The paid repair needs the unit: it comes back after the quote.
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
		{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
		{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "quality_defect"}}}, aftersale.StatusInspected},
		{agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRepairedShipped}, aftersale.StatusResolved},
	})
	events, _ := cl.History(ctx, agent, o.Number)
	found := false
	for _, e := range events {
		found = found || e.Kind == string(aftersale.ActionAcceptQuote) && e.Detail == "accepted by phone today"
	}
	if !found {
		t.Error("the history does not say how the customer answered")
	}
}

func testFirstAnswers(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	quote := &aftersale.Quote{Lines: []aftersale.QuoteLine{{Kind: "parts", Amount: aftersale.Money{Minor: 1200, Currency: "EUR"}}}}
	for _, tt := range []struct {
		name  string
		steps []step
	}{
		{"a quote", []step{{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
			{manager, workflow.ActInput{Action: aftersale.ActionSendQuote, Quote: quote}, aftersale.StatusQuoteSent}}},
		{"a question", []step{{agent, workflow.ActInput{Action: aftersale.ActionRequestInfo, Note: "Which firmware?"}, aftersale.StatusAwaitingCustomer}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := walk(t, cl, open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-40"}), tt.steps)
			if c.FirstAnswerOn != testday.Today() {
				t.Errorf("first answer %s, want %s", c.FirstAnswerOn, testday.Today())
			}
			if c.Overdue(testday.Day(30)) {
				t.Error("an answered claim is overdue a month later")
			}
		})
	}
	// A resolved claim is not overdue, on its page as in the queue.
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-40"})
	c.Status = aftersale.StatusResolved
	if c.Overdue(testday.Day(30)) {
		t.Error("a resolved claim is overdue")
	}
	page, err := cl.List(ctx, agent, workflow.Query{Overdue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Claims) != 0 {
		t.Errorf("the queue lists %d overdue claims today, want none", len(page.Claims))
	}
}

func testTechnicalSupportResolves(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-40"})
	c = walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "technical_support"}, aftersale.StatusApproved},
		{agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionSupportGiven}, aftersale.StatusResolved},
		{agent, act(aftersale.ActionClose), aftersale.StatusClosed},
	})
	if c.Resolution != aftersale.ResolutionSupportGiven {
		t.Errorf("resolution %s", c.Resolution)
	}
}

func testReferAndReject(t *testing.T, cl *workflow.Claims, p *workflow.Parcels) {
	ctx := t.Context()
	// SV-9 is a direct sale: there is no distributor to refer it to.
	direct := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
	_, err := cl.Act(ctx, agent, direct.Number, workflow.ActInput{Action: aftersale.ActionRefer, Version: direct.Version, Note: "ask your shop"})
	wantErrField(t, err, aftersale.Conflict, "action")
	if workflow.Referable(direct) {
		t.Error("a direct sale is offered for referral")
	}
	// SV-20 was sold by DIST-EU: referring it is the policy's way (5.3).
	dist := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-20"})
	walk(t, cl, dist, []step{{agent, workflow.ActInput{Action: aftersale.ActionRefer, Note: "your distributor handles it"}, aftersale.StatusReferred}})
	// Rejecting an eligible line is a manager's exception, the note its reason.
	direct = walk(t, cl, direct, []step{{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview}})
	_, err = cl.Act(ctx, agent, direct.Number, workflow.ActInput{Action: aftersale.ActionReject, Version: direct.Version, Note: "no"})
	wantErrField(t, err, aftersale.Forbidden, "remedy")
	direct = walk(t, cl, direct, []step{{manager, workflow.ActInput{Action: aftersale.ActionReject, Note: "the customer withdrew the claim"}, aftersale.StatusRejected}})
	if e := direct.Lines[0].Exception; e == nil || e.Remedy != "reject" || e.Reason != "the customer withdrew the claim" {
		t.Errorf("exception %+v", e)
	}
	// Rejecting what the policy refuses needs nobody's exception.
	old := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-40"})
	walk(t, cl, old, []step{{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, workflow.ActInput{Action: aftersale.ActionReject, Note: "out of warranty; we offered a paid repair"}, aftersale.StatusRejected}})
}

// TestUnauthorisedResellerHasNoWarranty: an order the registry labels as a
// distributor's sale, by a reseller it does not authorise, is decided as
// the unauthorised reseller's sale it is (5.6), in the warranty lookup and
// in a claim.
func TestUnauthorisedResellerHasNoWarranty(t *testing.T) {
	bothEnginesWithStore(t, func(t *testing.T, db *store.DB, cl *workflow.Claims) {
		err := db.InTx(t.Context(), func(tx *store.Tx) error {
			if err := tx.UpsertDistributors(t.Context(), []aftersale.Distributor{{Code: "GREY", Name: "Grey market"}}); err != nil {
				return err
			}
			return tx.UpsertOrders(t.Context(), []aftersale.Order{{Number: "G-1", PurchaseDate: testday.Day(-10),
				Channel: aftersale.AuthorizedDistributor, DistributorCode: "GREY", CustomerEmail: "ann@example.com",
				Total: aftersale.Money{Minor: 3000, Currency: "EUR"}, Lines: []aftersale.OrderLine{
					{Line: 1, SKU: "SERVO-MG", Quantity: 1, UnitPrice: 3000, Serials: []aftersale.Serial{{Number: "SV-G1"}}}}}})
		})
		if err != nil {
			t.Fatal(err)
		}
		st, err := cl.WarrantyBySerial(t.Context(), agent, "SV-G1")
		if err != nil {
			t.Fatal(err)
		}
		if wire(st).Outcome != "not_eligible" || !slices.Contains(wire(st).Clauses, "5.6") || wire(st).Warranty.Covered {
			t.Errorf("lookup: %s %v covered %v, want not_eligible under 5.6, not covered", wire(st).Outcome, wire(st).Clauses, wire(st).Warranty.Covered)
		}
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-G1"})
		if d := c.Lines[0].Decision; d.Outcome != "not_eligible" || !slices.Contains(d.Clauses, "5.6") {
			t.Errorf("claim: %+v", d)
		}
	})
}

// bothEnginesWithStore is bothEngines with the store, for tests that add to
// the fixture.
func bothEnginesWithStore(t *testing.T, test func(t *testing.T, db *store.DB, cl *workflow.Claims)) {
	for name, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") },
		"postgres": func(t *testing.T) string { return pg.Database(t) },
	} {
		t.Run(name, func(t *testing.T) {
			db, svc := newFixtureStore(t, dsn(t))
			test(t, db, &workflow.Claims{Service: svc, Read: db, InTx: db.InClaimTx, Opener: db.OpenClaim})
		})
	}
}

// TestTransitDamageNeedsPictures: a transit-damage claim is incomplete,
// waiting for the customer, until photos or a video arrive (5.1); nobody
// can decide it before; its 3-day answer clock starts the day they do (A2,
// I-9).
func TestTransitDamageNeedsPictures(t *testing.T) {
	bothEnginesWithStore(t, func(t *testing.T, db *store.DB, cl *workflow.Claims) {
		ctx := t.Context()
		c := open(t, cl, agent, "damaged_on_arrival", workflow.OpenLine{OrderNumber: "C-1", OrderLine: 1})
		if c.Status != aftersale.StatusAwaitingCustomer || c.AwaitingSince != testday.Today() || !c.FirstAnswerOn.IsZero() {
			t.Fatalf("opened %s, awaiting since %s, answered %s", c.Status, c.AwaitingSince, c.FirstAnswerOn)
		}
		if c.Overdue(testday.Day(10)) {
			t.Error("a claim waiting for its pictures is overdue")
		}
		for _, a := range []aftersale.Action{aftersale.ActionStartReview, aftersale.ActionApprove} {
			_, err := cl.Act(ctx, agent, c.Number, workflow.ActInput{Action: a, Version: c.Version, Remedy: "free_replacement"})
			wantErrField(t, err, aftersale.Conflict, "action")
		}
		_, err := cl.Act(ctx, agent, c.Number, workflow.ActInput{Action: aftersale.ActionProvideInfo, Version: c.Version, Note: "here"})
		wantErrField(t, err, aftersale.Conflict, "evidence")
		// The photo arrives two days later: the claim is complete then.
		twoDaysOn := func() time.Time { return now().AddDate(0, 0, 2) }
		ev := &workflow.Evidence{Read: db, Blobs: newBlobs(t), Sniff: blob.Sniff, Verify: blob.Verify, Now: twoDaysOn, InTx: db.InEvidenceTx,
			Today: func() date.Date { return testday.Day(2) }}
		if _, err := ev.AddEvidence(ctx, agent, c.Number, "box.jpg", bytes.NewReader(append(jpegHead, "crushed box"...))); err != nil {
			t.Fatal(err)
		}
		got, err := cl.Get(ctx, agent, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != aftersale.StatusSubmitted || got.RespondBy != testday.Day(2+3) || !got.AwaitingSince.IsZero() {
			t.Errorf("after the photo: %s, respond by %s (want %s), awaiting since %s", got.Status, got.RespondBy, testday.Day(5), got.AwaitingSince)
		}
		events, _ := cl.History(ctx, agent, c.Number)
		if countKind(events, "pictures_needed") != 1 || countKind(events, "completed") != 1 {
			t.Errorf("history %+v: want one pictures_needed and one completed event", events)
		}
		walk(t, cl, got, []step{{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview}})
	})
}

func newBlobs(t *testing.T) *blob.Dir {
	t.Helper()
	b, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPaidByFollowsStandingExceptions: the seller pays the parcels of a
// free remedy granted by an exception only while the exception holds: an
// inspection that judges the line again takes it away.
func TestPaidByFollowsStandingExceptions(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := approvedThenMisuse(t, cl)
		if got := workflow.DefaultPaidBy(c); got != aftersale.PaidByCustomer {
			t.Errorf("after misuse: %s pays, want the customer", got)
		}
		c = walk(t, cl, c, []step{{manager, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRepairedShipped,
			ExceptionReason: "goodwill"}, aftersale.StatusResolved}})
		if got := workflow.DefaultPaidBy(c); got != aftersale.PaidBySeller {
			t.Errorf("a free repair granted by exception: %s pays, want the seller", got)
		}
		// An exception granted out of warranty, before the inspection found misuse.
		o := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-40"})
		o = walk(t, cl, o, []step{
			{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
			{manager, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair", ExceptionReason: "loyal customer"}, aftersale.StatusApproved},
		})
		if got := workflow.DefaultPaidBy(o); got != aftersale.PaidBySeller {
			t.Errorf("out of warranty, by exception: %s pays, want the seller", got)
		}
		o = walk(t, cl, o, []step{
			{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
			{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
			{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "misuse"}}}, aftersale.StatusInspected},
		})
		if got := workflow.DefaultPaidBy(o); got != aftersale.PaidByCustomer {
			t.Errorf("the exception's decision was judged again: %s pays, want the customer", got)
		}
	})
}
