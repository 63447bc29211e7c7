package workflow_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

// TestExtremeDates opens claims on purchases made elsewhere with extreme
// dates: each is either refused as Invalid naming the field, or opened,
// read back and listed in the queue. A claim that is stored but cannot be
// read (a decision ending 0000-03-31) fails.
func TestExtremeDates(t *testing.T) {
	days := []date.Date{date.Of(1, 1, 1), date.Of(0, 3, 31), date.Of(1899, 12, 31), date.Of(1900, 1, 1),
		date.Of(1900, 2, 28), date.Of(2000, 2, 29), date.Of(2024, 2, 29), date.Of(9996, 2, 29), date.Of(9999, 12, 31),
		date.Of(10000, 1, 1), testday.Day(-1), testday.Today(), testday.Day(1)}
	// Leap days and month ends around the test day.
	for _, d := range []date.Date{testday.Day(-400), testday.Day(-30)} {
		days = append(days, d, d.AddMonths(1))
	}
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		for _, d := range days {
			for _, delivered := range []date.Date{{}, d, d.AddDays(3)} {
				c, err := claimOf(cl.Open(t.Context(), agent, workflow.OpenClaimInput{Request: "defect", Description: "extreme dates",
					CustomerEmail: "ann@example.com", Lines: []workflow.OpenLine{{SKU: "SERVO-MG", PurchasedOn: d,
						DeliveredOn: delivered, ProofDocument: "receipt"}}}, ""))
				if err != nil {
					var e *aftersale.Error
					if !errors.As(err, &e) || e.Kind != aftersale.Invalid ||
						!strings.HasSuffix(e.Field, "purchased_on") && !strings.HasSuffix(e.Field, "delivered_on") {
						t.Errorf("purchased %s delivered %s: %v, want Invalid naming the date", d, delivered, err)
					}
					continue
				}
				got, err := cl.Get(t.Context(), agent, c.Number)
				if err != nil || got.Lines[0].PurchasedOn != d || got.Lines[0].Decision.EndsOn != c.Lines[0].Decision.EndsOn {
					t.Errorf("purchased %s: read back %+v, %v", d, got.Lines, err)
				}
				page, err := cl.List(t.Context(), agent, workflow.Query{Text: c.Number})
				if err != nil || len(page.Claims) != 1 {
					t.Errorf("purchased %s: queue %+v, %v", d, page, err)
				}
			}
		}
		// The queue holds them all, readable.
		if _, err := cl.List(t.Context(), agent, workflow.Query{Limit: 200}); err != nil {
			t.Errorf("queue: %v", err)
		}
	})
}

// TestQueueTextLimit: the use case refuses a search longer than
// MaxQueryText characters, naming q, before the store; 200 still search.
func TestQueueTextLimit(t *testing.T) {
	bothEngines(t, func(t *testing.T, cl *workflow.Claims) {
		for _, q := range []workflow.Query{{Text: strings.Repeat("a", 66000)}, {Text: strings.Repeat("é", 201)},
			{Distributor: strings.Repeat("D", 201)}, {After: strings.Repeat("x", 5000)}} {
			_, err := cl.List(t.Context(), agent, q)
			if aftersale.KindOf(err) != aftersale.Invalid {
				t.Errorf("query of %d bytes: %v, want Invalid", len(q.Text)+len(q.Distributor)+len(q.After), err)
			}
		}
		_, err := cl.List(t.Context(), agent, workflow.Query{Text: strings.Repeat("x", 66000)})
		if aftersale.FieldOf(err) != "q" {
			t.Errorf("a long text names %q", aftersale.FieldOf(err))
		}
		if _, err := cl.List(t.Context(), agent, workflow.Query{Text: strings.Repeat("é", 200)}); err != nil {
			t.Errorf("200 characters: %v", err)
		}
	})
}
