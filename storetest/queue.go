package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
	"github.com/google/go-cmp/cmp"
)

// queueSpec is one claim of the queue fixture.
type queueSpec struct {
	respondIn  int // days after claimDay
	status     aftersale.Status
	sale       string // A: direct ESC-1, B: DIST-DE kit, C: SHOP-X screws, P: bought elsewhere
	answered   bool
	awaiting   bool
	describing string
}

var queueSpecs = []queueSpec{
	{5, aftersale.StatusSubmitted, "A", false, false, ""},
	{2, aftersale.StatusInReview, "B", false, false, ""},
	{2, aftersale.StatusClosed, "A", true, false, ""},
	{-3, aftersale.StatusSubmitted, "C", false, false, ""},
	{-1, aftersale.StatusAwaitingCustomer, "A", false, true, "Rattles when shaken"},
	{-2, aftersale.StatusInReview, "A", true, false, ""},
	{-5, aftersale.StatusResolved, "A", false, false, ""},
	{9, aftersale.StatusRejected, "B", true, false, ""},
	{1, aftersale.StatusApproved, "P", true, false, "50% off?"},
	{3, aftersale.StatusSubmitted, "A", false, false, ""},
	{3, aftersale.StatusSubmitted, "A", false, false, ""},
	{3, aftersale.StatusSubmitted, "A", false, false, ""},
}

func (s queueSpec) claim() aftersale.Claim {
	c := aftersale.Claim{Status: s.status, Request: "defect", Description: s.describing, Applicant: aftersale.ApplicantStaff,
		CustomerEmail: "alice@example.com", OpenedBy: "agent", ReportedOn: claimDay, RespondBy: claimDay.AddDays(s.respondIn),
		CreatedAt: claimTime, UpdatedAt: claimTime}
	if s.answered {
		c.FirstAnswerOn = claimDay
	}
	if s.awaiting {
		c.AwaitingSince = claimDay
	}
	d := aftersale.Decision{Outcome: "eligible"}
	switch s.sale {
	case "A":
		c.Lines = []aftersale.ClaimLine{{Line: 1, Serial: "SN-ESC-1", SKU: "ESC-1", OrderNumber: "A-1001", OrderLine: 1, Decision: d}}
	case "B":
		c.DistributorCode, c.CustomerEmail = "DIST-DE", "bob@example.de"
		c.Lines = []aftersale.ClaimLine{{Line: 1, SKU: "KIT-BOT", OrderNumber: "B-2001", OrderLine: 1, Decision: d},
			{Line: 2, SKU: "ESC-2", KitSKU: "KIT-BOT", OrderNumber: "B-2001", OrderLine: 1, Decision: d}}
	case "C":
		c.DistributorCode, c.CustomerEmail = "SHOP-X", ""
		c.Lines = []aftersale.ClaimLine{{Line: 1, SKU: "SCREW-M3", OrderNumber: "C-3001", OrderLine: 1, Decision: d}}
	case "P":
		c.Lines = []aftersale.ClaimLine{{Line: 1, SKU: "PSU-1", PurchasedOn: claimDay.AddDays(-30), ProofDocument: "r.pdf", Decision: d}}
	}
	return c
}

func testClaimQueue(t *testing.T, db *store.DB) {
	seed(t, db)
	claims := make([]aftersale.Claim, len(queueSpecs))
	for i, s := range queueSpecs {
		claims[i] = s.claim()
		createClaim(t, db, &claims[i])
	}
	// want lists the claims i, in queue order.
	want := func(idx ...int) []string {
		slices.SortFunc(idx, func(a, b int) int {
			if c := claims[a].RespondBy.DaysUntil(claims[b].RespondBy); c != 0 {
				return -c
			}
			return strings.Compare(claims[a].Number, claims[b].Number)
		})
		out := []string{}
		for _, i := range idx {
			out = append(out, claims[i].Number)
		}
		return out
	}
	all := want(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	for _, limit := range []int{0, 1, 5, 12} {
		if got := walkQueue(t, db, workflow.Query{Limit: limit}, claims); !cmp.Equal(got, all) {
			t.Errorf("limit %d: pages give %v, want %v", limit, got, all)
		}
	}
	tests := []struct {
		name string
		q    workflow.Query
		want []string
	}{
		{"open", workflow.Query{OnlyOpen: true}, want(0, 1, 3, 4, 5, 6, 8, 9, 10, 11)},
		{"overdue", workflow.Query{Overdue: true, Today: claimDay}, want(3)},
		{"overdue later", workflow.Query{Overdue: true, Today: claimDay.AddDays(4)}, want(1, 3, 9, 10, 11)},
		{"one status", workflow.Query{Statuses: []aftersale.Status{aftersale.StatusSubmitted}}, want(0, 3, 9, 10, 11)},
		{"statuses", workflow.Query{Statuses: []aftersale.Status{aftersale.StatusInReview, aftersale.StatusApproved}}, want(1, 5, 8)},
		{"distributor", workflow.Query{Distributor: "DIST-DE"}, want(1, 7)},
		{"open distributor", workflow.Query{Distributor: "DIST-DE", OnlyOpen: true}, want(1)},
		{"category", workflow.Query{Category: "power_module"}, want(8)},
		{"kit component category", workflow.Query{Category: "electronic_module", Distributor: "DIST-DE"}, want(1, 7)},
		{"channel", workflow.Query{Channel: "unauthorized_reseller"}, want(3)},
		{"text serial", workflow.Query{Text: "sn-ESC-1"}, want(0, 2, 4, 5, 6, 9, 10, 11)},
		{"text number", workflow.Query{Text: claims[3].Number}, want(3)},
		{"text number in lower case", workflow.Query{Text: strings.ToLower(claims[3].Number)}, want(3)},
		{"text number's beginning", workflow.Query{Text: claims[3].Number[:12]}, all},
		{"text email", workflow.Query{Text: " BOB@example"}, want(1, 7)},
		{"text whole email", workflow.Query{Text: " Bob@Example.DE "}, want(1, 7)},
		{"text whole email, open", workflow.Query{Text: "bob@example.de", OnlyOpen: true}, want(1)},
		{"text whole email of nobody", workflow.Query{Text: "carol@example.de"}, want()},
		{"text description", workflow.Query{Text: "rattles"}, want(4)},
		{"text sku", workflow.Query{Text: "screw-m"}, want(3)},
		// A whole SKU, which the walked run finds common by its lines.
		{"text whole sku", workflow.Query{Text: "PSU-1"}, want(8)},
		{"text whole sku, in serials too", workflow.Query{Text: "esc-1"}, want(0, 2, 4, 5, 6, 9, 10, 11)},
		{"text short", workflow.Query{Text: "m3"}, want(3)},
		{"text percent", workflow.Query{Text: "50%"}, want(8)},
		{"text wildcard is literal", workflow.Query{Text: "5_%"}, want()},
		{"text quote", workflow.Query{Text: `"rattles`}, want()},
		{"nothing", workflow.Query{Category: "no-such-category"}, want()},
	}
	for _, tt := range tests {
		for _, limit := range []int{2, 200} {
			tt.q.Limit = limit
			if got := walkQueue(t, db, tt.q, claims); !cmp.Equal(got, tt.want) {
				t.Errorf("%s, limit %d: %v, want %v", tt.name, limit, got, tt.want)
			}
		}
	}
	testQueueRefusals(t, db)
}

// walkQueue reads every page of q and returns the claims' numbers, checking
// that each claim comes with the lines it was created with.
func walkQueue(t *testing.T, db *store.DB, q workflow.Query, claims []aftersale.Claim) []string {
	t.Helper()
	out := []string{}
	for pages := 0; pages < 100; pages++ {
		page, err := db.Queue(ctx(t), q)
		if err != nil {
			t.Fatalf("Queue(%+v): %v", q, err)
		}
		for _, c := range page.Claims {
			out = append(out, c.Number)
			for _, w := range claims {
				if w.Number == c.Number && !cmp.Equal(w, c, claimCmp) {
					t.Errorf("queue's %s differs from the stored claim: %s", c.Number, cmp.Diff(w, c, claimCmp))
				}
			}
		}
		limit := q.Limit
		if limit == 0 {
			limit = 50
		}
		if page.Next == "" {
			if len(page.Claims) > limit {
				t.Errorf("page of %d claims, limit %d", len(page.Claims), limit)
			}
			return out
		}
		if len(page.Claims) != limit {
			t.Errorf("a page with a next page holds %d claims, want %d", len(page.Claims), limit)
		}
		q.After = page.Next
	}
	t.Fatalf("Queue(%+v): more than 100 pages", q)
	return nil
}

func testQueueRefusals(t *testing.T, db *store.DB) {
	for _, tt := range []struct {
		q    workflow.Query
		part string
	}{
		{workflow.Query{Limit: 201}, "limit"},
		{workflow.Query{Limit: -1}, "limit"},
		{workflow.Query{After: "not a cursor!"}, "not a cursor!"},
		{workflow.Query{After: "eHl6"}, "eHl6"},
		{workflow.Query{Statuses: []aftersale.Status{"lost"}}, "lost"},
		{workflow.Query{Overdue: true, Today: date.Date{}}, "today"},
		// Longer than workflow.MaxQueryText characters: refused before any
		// query, whoever calls (66,000 once grew SQLite to 12 GB).
		{workflow.Query{Text: strings.Repeat("a", 66000)}, "at most 200 characters"},
		{workflow.Query{Text: strings.Repeat("é", 201)}, "at most 200 characters"},
		{workflow.Query{Category: strings.Repeat("c", 201)}, "category"},
	} {
		start := time.Now()
		_, err := db.Queue(ctx(t), tt.q)
		wantError(t, err, aftersale.Invalid, tt.part)
		if took := time.Since(start); took > time.Second {
			t.Errorf("refusing %q took %s", tt.part, took)
		}
	}
	// 200 characters still search, by the trigram probe and by the walk.
	for _, text := range []string{strings.Repeat("a", 200), strings.Repeat("é", 200), strings.Repeat("ab", 100)} {
		if _, err := db.Queue(ctx(t), workflow.Query{Text: text}); err != nil {
			t.Errorf("a %d-character text: %v", len([]rune(text)), err)
		}
	}
}

// testUnreadableDatesRefused: a claim whose dates would not read back
// (a warranty ending past 9999-12-31, once stored as 0000-03-31) is
// refused as Invalid naming the field, and nothing is written: the queue
// stays readable.
func testUnreadableDatesRefused(t *testing.T, db *store.DB) {
	seed(t, db)
	last := date.MustParse("9999-12-31")
	for _, tt := range []struct {
		change func(c *aftersale.Claim)
		field  string
	}{
		{func(c *aftersale.Claim) { c.Lines[0].Decision.EndsOn = last.AddMonths(3) }, "lines[0].decision.ends_on"},
		{func(c *aftersale.Claim) { c.Lines[1].PurchasedOn = date.Of(1, 1, 1) }, "lines[1].purchased_on"},
		{func(c *aftersale.Claim) { c.RespondBy = last.AddDays(3) }, "respond_by"},
	} {
		c := sampleClaim()
		tt.change(&c)
		err := db.InTx(ctx(t), func(tx *store.Tx) error {
			n, err := tx.NextClaimNumber(ctx(t), c.ReportedOn.Year())
			if err != nil {
				return err
			}
			c.Number = n
			return tx.CreateClaim(ctx(t), &c)
		})
		wantError(t, err, aftersale.Invalid, tt.field)
		var e *aftersale.Error
		if errors.As(err, &e) && e.Field != tt.field {
			t.Errorf("field %q, want %q", e.Field, tt.field)
		}
	}
	if _, err := db.Queue(ctx(t), workflow.Query{Limit: 200}); err != nil {
		t.Errorf("queue: %v", err)
	}
	// The last day that reads back is stored and read back.
	c := sampleClaim()
	c.Lines[0].Decision.EndsOn = last
	createClaim(t, db, &c)
	got, err := db.Claim(ctx(t), c.Number)
	if err != nil || got.Lines[0].Decision.EndsOn != last {
		t.Errorf("ends on %s: %v", got.Lines[0].Decision.EndsOn, err)
	}
}
