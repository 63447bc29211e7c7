package workflow_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

var (
	agent     = aftersale.Actor{UserID: 1, Email: "agent@shop.test", Role: aftersale.RoleAgent}
	inspector = aftersale.Actor{UserID: 2, Email: "inspector@shop.test", Role: aftersale.RoleInspector}
	manager   = aftersale.Actor{UserID: 3, Email: "manager@shop.test", Role: aftersale.RoleManager}
	distEU    = aftersale.Actor{UserID: 4, Email: "eu@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-EU"}
	distAsia  = aftersale.Actor{UserID: 5, Email: "asia@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-ASIA"}
)

// bothEngines runs test on SQLite and on PostgreSQL, each with a fresh
// database holding the fixture.
func bothEngines(t *testing.T, test func(t *testing.T, cl *workflow.Claims)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newClaimsAt(t, filepath.Join(t.TempDir(), "a.db"))) })
	t.Run("postgres", func(t *testing.T) { test(t, newClaimsAt(t, pg.Database(t))) })
}

// newFixtureStore opens the store at dsn on the tests' clock, holding the
// fixture, and the service on it.
func newFixtureStore(t testing.TB, dsn string) (*store.DB, *workflow.Service) {
	t.Helper()
	db, err := store.Open(t.Context(), dsn, store.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fixture.Seed(t, db)
	svc, err := workflow.New(policy.Default(), db, now)
	if err != nil {
		t.Fatal(err)
	}
	return db, svc
}

func newClaimsAt(t testing.TB, dsn string) *workflow.Claims {
	t.Helper()
	db, svc := newFixtureStore(t, dsn)
	svc.History = db
	return &workflow.Claims{Service: svc, Read: db, InTx: db.InClaimTx, Opener: db.OpenClaim}
}

// step takes actions one after the other, each on the version the last
// one returned, and fails the test on the first refusal.
type step struct {
	actor aftersale.Actor
	in    workflow.ActInput
	want  aftersale.Status
}

func walk(t *testing.T, cl *workflow.Claims, c aftersale.Claim, steps []step) aftersale.Claim {
	t.Helper()
	for _, s := range steps {
		s.in.Version = c.Version
		next, err := cl.Act(t.Context(), s.actor, c.Number, s.in)
		if err != nil {
			t.Fatalf("%s by %s from %s: %v", s.in.Action, s.actor.Role, c.Status, err)
		}
		if next.Status != s.want || next.Version != c.Version+1 {
			t.Fatalf("%s: status %s version %d, want %s version %d", s.in.Action, next.Status, next.Version, s.want, c.Version+1)
		}
		c = next
	}
	return c
}

func open(t *testing.T, cl *workflow.Claims, actor aftersale.Actor, request string, lines ...workflow.OpenLine) aftersale.Claim {
	t.Helper()
	c, err := claimOf(cl.Open(t.Context(), actor, workflow.OpenClaimInput{Request: request, Description: "test",
		CustomerEmail: "ann@example.com", Lines: lines}, ""))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestInWarrantyRepair(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		// Numbered in the test day's year; answered within 3 days.
		if c.Number != fmt.Sprintf("RMA-%d-000001", testday.Today().Year()) || c.Status != aftersale.StatusSubmitted || c.RespondBy != testday.Day(3) {
			t.Fatalf("opened %s %s respond by %s", c.Number, c.Status, c.RespondBy)
		}
		if d := c.Lines[0].Decision; d.Outcome != "eligible" || !slices.Equal(d.Remedies, []string{"free_repair"}) || d.PolicyVersion != "2026.1" {
			t.Fatalf("decision %+v", d)
		}
		c = walk(t, cl, c, []step{
			{agent, workflow.ActInput{Action: aftersale.ActionStartReview}, aftersale.StatusInReview},
			{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"}, aftersale.StatusApproved},
			{agent, workflow.ActInput{Action: aftersale.ActionAwaitReturn}, aftersale.StatusAwaitingReturn},
			{inspector, workflow.ActInput{Action: aftersale.ActionReceive}, aftersale.StatusReceived},
			{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "quality_defect", Notes: "gear stripped"}}}, aftersale.StatusInspected},
			{agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRepairedShipped}, aftersale.StatusResolved},
			{agent, workflow.ActInput{Action: aftersale.ActionClose}, aftersale.StatusClosed},
		})
		if c.FirstAnswerOn != testday.Today() || c.ReceivedOn != testday.Today() || c.Resolution != aftersale.ResolutionRepairedShipped {
			t.Errorf("answered %s, received %s, resolution %s", c.FirstAnswerOn, c.ReceivedOn, c.Resolution)
		}
		events, err := cl.History(t.Context(), agent, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
		}
		want := []string{"created", "start_review", "approve", "await_return", "receive", "inspect", "resolve", "close"}
		if !slices.Equal(kinds, want) {
			t.Errorf("history %v, want %v", kinds, want)
		}
		if events[4].Actor != inspector.String() || events[4].From != aftersale.StatusAwaitingReturn || events[4].To != aftersale.StatusReceived {
			t.Errorf("receive event %+v", events[4])
		}
		// The facts of the summary, for pages in other languages.
		if d := events[0].Data; d["request"] != "defect" || d["lines"] != "1" || d["outcome.1"] != c.Lines[0].Decision.Outcome || d["item.1"] == "" {
			t.Errorf("created event's data %v", d)
		}
	})
}

// TestInspectionRejudges: water on the board turns a free repair into paid
// service, and shipping onto the customer.
func TestInspectionRejudges(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		c = walk(t, cl, c, []step{
			{agent, workflow.ActInput{Action: aftersale.ActionStartReview}, aftersale.StatusInReview},
			{agent, workflow.ActInput{Action: aftersale.ActionAwaitReturn}, aftersale.StatusAwaitingReturn},
			{inspector, workflow.ActInput{Action: aftersale.ActionReceive}, aftersale.StatusReceived},
			{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "misuse", Notes: "liquid inside"}}}, aftersale.StatusInspected},
		})
		d := c.Lines[0].Decision
		if d.Outcome != "not_eligible" || d.ShippingPaidBy != "customer" || !slices.Contains(d.Clauses, "4.3") {
			t.Fatalf("after inspection: %+v", d)
		}
		// The re-judgement is stored in Chinese too.
		stored, getErr := cl.Get(t.Context(), agent, c.Number)
		if getErr != nil {
			t.Fatal(getErr)
		}
		zh := stored.Lines[0].Decision.ReasonsIn("zh")
		if len(zh) != len(d.Reasons) || !strings.HasPrefix(zh[0], "检验发现意外或使用不当") {
			t.Errorf("stored reasons in Chinese %q, English %q", zh, d.Reasons)
		}
		_, err := cl.Act(t.Context(), agent, c.Number, workflow.ActInput{Action: aftersale.ActionApprove, Version: c.Version, Remedy: "free_repair"})
		if aftersale.KindOf(err) != aftersale.Forbidden {
			t.Errorf("an agent granting a free repair against the policy: %v, want Forbidden", err)
		}
		c = walk(t, cl, c, []step{
			{manager, workflow.ActInput{Action: aftersale.ActionSendQuote, Quote: &aftersale.Quote{Lines: []aftersale.QuoteLine{
				{Kind: "parts", Description: "gearbox", Amount: aftersale.Money{Minor: 1200, Currency: "EUR"}},
				{Kind: "labour", Description: "30 min", Amount: aftersale.Money{Minor: 1500, Currency: "EUR"}},
				{Kind: "freight", Description: "return", Amount: aftersale.Money{Minor: 700, Currency: "EUR"}}}}}, aftersale.StatusQuoteSent},
		})
		if c.Quote.Total != (aftersale.Money{Minor: 3400, Currency: "EUR"}) {
			t.Errorf("quote total %v", c.Quote.Total)
		}
		c = walk(t, cl, c, []step{
			{agent, workflow.ActInput{Action: aftersale.ActionAcceptQuote, Note: "accepted by phone"}, aftersale.StatusQuoteAccepted},
			{agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRepairedShipped}, aftersale.StatusResolved},
		})
		events, _ := cl.History(t.Context(), agent, c.Number)
		if !slices.ContainsFunc(events, func(e aftersale.Event) bool {
			return e.Kind == "decided" && strings.Contains(e.Detail, "not_eligible") && e.Data["to"] == "not_eligible" && e.Data["shipping"] == "customer"
		}) {
			t.Errorf("no 'decided' event for the re-judgement: %+v", events)
		}
	})
}

func TestReplacementWithinSevenDays(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		// SV-30 was delivered two days ago: a free replacement (3.1).
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-30"})
		if d := c.Lines[0].Decision; !slices.Equal(d.Remedies, []string{"free_replacement"}) {
			t.Fatalf("decision %+v", d)
		}
		c = walk(t, cl, c, []step{
			{agent, workflow.ActInput{Action: aftersale.ActionStartReview}, aftersale.StatusInReview},
			{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_replacement"}, aftersale.StatusApproved},
		})
		// The faulty servo must come back first, unless a manager waives it.
		_, err := cl.Act(t.Context(), agent, c.Number, workflow.ActInput{Action: aftersale.ActionResolve, Version: c.Version,
			Resolution: aftersale.ResolutionReplacementShipped})
		if aftersale.KindOf(err) != aftersale.Invalid || !strings.Contains(err.Error(), "waive_return") {
			t.Fatalf("replacement before the return: %v", err)
		}
		_, err = cl.Act(t.Context(), agent, c.Number, workflow.ActInput{Action: aftersale.ActionResolve, Version: c.Version,
			Resolution: aftersale.ResolutionReplacementShipped, WaiveReturn: true, Note: "school needs it for Friday"})
		if aftersale.KindOf(err) != aftersale.Forbidden {
			t.Fatalf("an agent waiving the return: %v", err)
		}
		c = walk(t, cl, c, []step{{manager, workflow.ActInput{Action: aftersale.ActionResolve,
			Resolution: aftersale.ResolutionReplacementShipped, WaiveReturn: true, Note: "school needs it for Friday"}, aftersale.StatusResolved}})
		if !c.ReturnWaived {
			t.Error("the waiver is not recorded")
		}
	})
}

func TestChangeOfMindReturn(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := open(t, cl, agent, "return", workflow.OpenLine{OrderNumber: "C-1", OrderLine: 1})
		if d := c.Lines[0].Decision; d.Outcome != "eligible" || !slices.Equal(d.Remedies, []string{"refund", "exchange"}) || d.ShippingPaidBy != "customer" {
			t.Fatalf("decision %+v", d)
		}
		yes := true
		c = walk(t, cl, c, []step{
			{agent, workflow.ActInput{Action: aftersale.ActionStartReview}, aftersale.StatusInReview},
			{agent, workflow.ActInput{Action: aftersale.ActionAwaitReturn}, aftersale.StatusAwaitingReturn},
			{inspector, workflow.ActInput{Action: aftersale.ActionReceive}, aftersale.StatusReceived},
			{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Resellable: &yes}}}, aftersale.StatusInspected},
			{agent, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund"}, aftersale.StatusApproved},
			{agent, workflow.ActInput{Action: aftersale.ActionResolve, Resolution: aftersale.ResolutionRefunded}, aftersale.StatusResolved},
		})
		if c.Resolution != aftersale.ResolutionRefunded || c.ReturnWaived {
			t.Errorf("resolution %s waived %v", c.Resolution, c.ReturnWaived)
		}
	})
}

func TestOutOfWarrantyException(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-40"})
		if d := c.Lines[0].Decision; d.Outcome != "not_eligible" || !slices.Equal(d.Remedies, []string{"paid_repair", "technical_support"}) {
			t.Fatalf("decision %+v", d)
		}
		c = walk(t, cl, c, []step{{agent, workflow.ActInput{Action: aftersale.ActionStartReview}, aftersale.StatusInReview}})
		_, err := cl.Act(t.Context(), manager, c.Number, workflow.ActInput{Action: aftersale.ActionApprove, Version: c.Version, Remedy: "free_repair"})
		if aftersale.KindOf(err) != aftersale.Invalid || !strings.Contains(err.Error(), "exception_reason") {
			t.Fatalf("an exception without a reason: %v", err)
		}
		c = walk(t, cl, c, []step{{manager, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair",
			ExceptionReason: "goodwill: school customer"}, aftersale.StatusApproved}})
		if e := c.Lines[0].Exception; e == nil || e.By != manager.String() || e.Reason != "goodwill: school customer" {
			t.Errorf("exception %+v", e)
		}
	})
}

func TestRefusals(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		tests := []struct {
			name  string
			actor aftersale.Actor
			in    workflow.ActInput
			kind  aftersale.ErrorKind
			say   string
		}{
			{"illegal transition", agent, workflow.ActInput{Action: aftersale.ActionClose, Version: 1}, aftersale.Conflict, "allowed: start_review, request_info, refer"},
			{"stale version", agent, workflow.ActInput{Action: aftersale.ActionStartReview, Version: 7}, aftersale.Conflict, "changed since you read it"},
			{"inspector cannot review", inspector, workflow.ActInput{Action: aftersale.ActionStartReview, Version: 1}, aftersale.Forbidden, ""},
			{"anonymous", aftersale.Actor{}, workflow.ActInput{Action: aftersale.ActionStartReview, Version: 1}, aftersale.Unauthorized, "sign in"},
			{"another distributor's claim does not exist", distAsia, workflow.ActInput{Action: aftersale.ActionStartReview, Version: 1}, aftersale.NotFound, ""},
			{"request_info needs a question", agent, workflow.ActInput{Action: aftersale.ActionRequestInfo, Version: 1}, aftersale.Invalid, "note"},
			{"unknown action", agent, workflow.ActInput{Action: "explode", Version: 1}, aftersale.Invalid, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := cl.Act(t.Context(), tt.actor, c.Number, tt.in)
				if aftersale.KindOf(err) != tt.kind || !strings.Contains(err.Error(), tt.say) {
					t.Errorf("%v, want %s saying %q", err, tt.kind, tt.say)
				}
			})
		}
		got, err := cl.Get(t.Context(), agent, c.Number)
		if err != nil || got.Version != 1 || got.Status != aftersale.StatusSubmitted {
			t.Errorf("refusals changed the claim: %+v %v", got, err)
		}
		if _, err := cl.Get(t.Context(), distAsia, c.Number); aftersale.KindOf(err) != aftersale.NotFound {
			t.Errorf("another party reads the claim: %v", err)
		}
	})
}

func TestDistributorsClaims(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := open(t, cl, distEU, "defect", workflow.OpenLine{Serial: "SV-20"})
		if c.Applicant != aftersale.ApplicantDistributor || c.DistributorCode != "DIST-EU" {
			t.Fatalf("applicant %s distributor %s", c.Applicant, c.DistributorCode)
		}
		// A distributor applying for its customer gets the contract on file: 14 days.
		if d := c.Lines[0].Decision; !slices.Equal(d.Remedies, []string{"free_replacement"}) || !slices.Contains(d.Clauses, "A4") {
			t.Errorf("decision %+v", d)
		}
		if _, err := claimOf(cl.Open(t.Context(), distEU, workflow.OpenClaimInput{Request: "defect",
			Lines: []workflow.OpenLine{{Serial: "SV-50"}}}, "")); aftersale.KindOf(err) != aftersale.Forbidden {
			t.Errorf("claiming another distributor's sale: %v", err)
		}
		page, err := cl.List(t.Context(), distAsia, workflow.Query{})
		if err != nil || len(page.Claims) != 0 {
			t.Errorf("DIST-ASIA sees %d claims (%v)", len(page.Claims), err)
		}
		page, err = cl.List(t.Context(), distEU, workflow.Query{})
		if err != nil || len(page.Claims) != 1 {
			t.Errorf("DIST-EU sees %d claims (%v)", len(page.Claims), err)
		}
	})
}

// TestAwaitingCustomerMovesTheDeadline: a question is the first answer
// (A2), and the days the claim waits for the customer's move its deadline
// (I-9).
func TestAwaitingCustomerMovesTheDeadline(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		c = walk(t, cl, c, []step{{agent, workflow.ActInput{Action: aftersale.ActionRequestInfo, Note: "a video of the servo moving, please"}, aftersale.StatusAwaitingCustomer}})
		if c.AwaitingSince != testday.Today() || c.FirstAnswerOn != testday.Today() {
			t.Fatalf("awaiting since %s, answered %s; want both today", c.AwaitingSince, c.FirstAnswerOn)
		}
		later := *cl.Service
		later.Now = func() time.Time { return now().AddDate(0, 0, 5) }
		cl2 := *cl
		cl2.Service = &later
		c = walk(t, &cl2, c, []step{{agent, workflow.ActInput{Action: aftersale.ActionProvideInfo, Note: "video attached"}, aftersale.StatusInReview}})
		if want := testday.Day(3 + 5); c.RespondBy != want || !c.AwaitingSince.IsZero() {
			t.Errorf("respond by %s (want %s: 3 days + 5 days waited), awaiting %s", c.RespondBy, want, c.AwaitingSince)
		}
	})
}

func TestIdempotentOpen(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		in := workflow.OpenClaimInput{Request: "defect", Lines: []workflow.OpenLine{{Serial: "SV-9"}}}
		a, err := claimOf(cl.Open(t.Context(), agent, in, "key-1"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := claimOf(cl.Open(t.Context(), agent, in, "key-1"))
		if err != nil || b.Number != a.Number {
			t.Fatalf("retry made %s (%v), want %s", b.Number, err, a.Number)
		}
		c, err := claimOf(cl.Open(t.Context(), manager, in, "key-1"))
		if err != nil || c.Number == a.Number {
			t.Errorf("another user's key-1 returned %s (%v): keys are per caller", c.Number, err)
		}
		page, _ := cl.List(t.Context(), agent, workflow.Query{})
		if len(page.Claims) != 2 {
			t.Errorf("%d claims, want 2", len(page.Claims))
		}
	})
}

func TestWarnings(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		cl.Warn = cl.Read.(workflow.WarningReader)
		open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		second := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		third := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SN-NOT-OURS", SKU: "SERVO-MG",
			PurchasedOn: testday.Day(-20), ProofDocument: "receipt from a market stall"})
		codes := func(a aftersale.Actor, c aftersale.Claim) string {
			ws, err := cl.Warnings(t.Context(), a, c)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, w := range ws {
				out = append(out, w.Code)
			}
			return strings.Join(out, " ")
		}
		if got := codes(agent, second); got != "serial_in_other_claim frequent_claimant" {
			t.Errorf("second claim on SV-9: %q", got)
		}
		if got := codes(agent, third); got != "serial_not_sold frequent_claimant" {
			t.Errorf("a unit bought elsewhere: %q", got)
		}
		if third.Lines[0].OrderNumber != "" || third.Lines[0].Serial != "SN-NOT-OURS" {
			t.Errorf("line %+v", third.Lines[0])
		}
		if got := codes(inspector, second); got != "" {
			t.Errorf("an inspector sees warnings %q: they are for staff who decide", got)
		}
	})
}

// TestIdempotentOpenConcurrently: eight retries of one request in flight at
// once make one claim; each answers with it, or, while another with the key
// is under way, with a Conflict on the key (the 409 the IETF draft asks for).
func TestIdempotentOpenConcurrently(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		in := workflow.OpenClaimInput{Request: "defect", Lines: []workflow.OpenLine{{Serial: "SV-9"}}}
		numbers := make(chan string, 8)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				c, err := claimOf(cl.Open(t.Context(), agent, in, "same-key"))
				if aftersale.KindOf(err) == aftersale.Conflict && aftersale.FieldOf(err) == "idempotency_key" {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				numbers <- c.Number
			})
		}
		wg.Wait()
		close(numbers)
		seen := map[string]int{}
		for n := range numbers {
			seen[n]++
		}
		if len(seen) != 1 {
			t.Errorf("retries answered with %v, want one claim", seen)
		}
		page, err := cl.List(t.Context(), agent, workflow.Query{})
		if err != nil || len(page.Claims) != 1 {
			t.Errorf("%d claims stored (%v), want 1", len(page.Claims), err)
		}
	})
}

// TestWarrantyClaimsByAudience: a warranty lookup lists an article's claims
// only to those who may see them: staff, the distributor of the sale, the
// holder of a claim's link (that claim only). Anybody else learns only that
// a claim is open on it: serials and order numbers are easy to guess.
func TestWarrantyClaimsByAudience(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		direct := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		other := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		viaEU := open(t, cl, distEU, "defect", workflow.OpenLine{Serial: "SV-20"})
		holder := aftersale.Actor{Role: aftersale.RoleCustomer, ClaimNumber: direct.Number, CustomerEmail: "ann@example.com"}
		tests := []struct {
			name   string
			who    aftersale.Actor
			serial string
			want   []string
		}{
			{"staff see every claim", agent, "SV-9", []string{other.Number, direct.Number}},
			{"an inspector too", inspector, "SV-9", []string{other.Number, direct.Number}},
			{"anybody sees none", aftersale.Actor{}, "SV-9", nil},
			{"the link's holder sees its claim", holder, "SV-9", []string{direct.Number}},
			{"another distributor sees none of a direct sale's", distEU, "SV-9", nil},
			{"the sale's distributor sees its claims", distEU, "SV-20", []string{viaEU.Number}},
			{"another distributor sees none of them", distAsia, "SV-20", nil},
			{"anybody sees none of them", aftersale.Actor{}, "SV-20", nil},
		}
		for _, tt := range tests {
			st, err := cl.WarrantyBySerial(t.Context(), tt.who, tt.serial)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range st.Claims {
				got = append(got, c.Number)
			}
			if !slices.Equal(got, tt.want) || !st.ClaimOpen {
				t.Errorf("%s: claims %q, open %v; want %q, open", tt.name, got, st.ClaimOpen, tt.want)
			}
			items, err := cl.WarrantyByOrder(t.Context(), tt.who, st.Order.Number)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if slices.Contains(it.Serials, tt.serial) && len(it.Claims) != len(tt.want) {
					t.Errorf("%s: by order, claims %+v; want %q", tt.name, it.Claims, tt.want)
				}
			}
		}
		st, err := cl.WarrantyBySerial(t.Context(), aftersale.Actor{}, "SV-30")
		if err != nil || st.ClaimOpen || len(st.Claims) != 0 {
			t.Errorf("SV-30, never claimed: open %v, claims %+v, %v", st.ClaimOpen, st.Claims, err)
		}
	})
}

// TestWarrantyListsEarlierClaims: a warranty lookup shows the claims
// already made on the article, by serial or, without one, by order line.
func TestWarrantyListsEarlierClaims(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		first := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		second := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "SV-9"})
		st, err := cl.WarrantyBySerial(t.Context(), agent, "SV-9")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range st.Claims {
			got = append(got, c.Number+" "+string(c.Status)+" "+c.ReportedOn.String())
		}
		today := testday.Today().String()
		want := []string{second.Number + " submitted " + today, first.Number + " submitted " + today}
		if !slices.Equal(got, want) {
			t.Errorf("claims of SV-9: %q, want %q", got, want)
		}
		screws := open(t, cl, agent, "missing_parts", workflow.OpenLine{OrderNumber: "A-1", OrderLine: 1, SKU: "SCREW-SET"})
		items, err := cl.WarrantyByOrder(t.Context(), agent, "A-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			n := len(it.Claims)
			switch {
			case it.SKU == "SCREW-SET" && (n != 1 || it.Claims[0].Number != screws.Number):
				t.Errorf("screws of A-1: %+v", it.Claims)
			case it.SKU == "KIT-ARM" && n != 0:
				t.Errorf("the kit itself: %+v", it.Claims)
			}
		}
	})
}

// claimOf is the claim an opening made (the tests that need its link read
// workflow.Opened themselves).
func claimOf(o workflow.Opened, err error) (aftersale.Claim, error) { return o.Claim, err }
