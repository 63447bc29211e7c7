package storetest

import (
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testCreateClaim: CreateClaim numbers a claim that has no number (the
// next of its ReportedOn year), keeps one that has, stores its first
// events, and makes it findable by its number; a refused claim, line or
// event is the error of the right kind, and the transaction writes nothing.
func testCreateClaim(t *testing.T, db *store.DB) {
	seed(t, db)
	created := aftersale.Event{At: claimTime, Actor: "agent@shop.example", Kind: "created", To: aftersale.StatusSubmitted, Detail: "defect"}
	message := aftersale.Event{At: claimTime, Actor: "customer alice@example.com", Kind: "message", Detail: "photo"}
	tests := []struct {
		name       string
		change     func(c *aftersale.Claim)
		events     []aftersale.Event
		wantNumber string
		wantKind   aftersale.ErrorKind
		wantIn     string // the error's message contains it
	}{
		{"numbered", nil, []aftersale.Event{created, message}, "RMA-2026-000001", "", ""},
		{"next number", nil, []aftersale.Event{created}, "RMA-2026-000002", "", ""},
		{"another year", func(c *aftersale.Claim) { c.ReportedOn = date.MustParse("2031-01-02") }, nil, "RMA-2031-000001", "", ""},
		{"without lines", func(c *aftersale.Claim) { c.Lines = nil }, []aftersale.Event{created}, "RMA-2026-000003", "", ""},
		{"number given", func(c *aftersale.Claim) { c.Number = "RMA-2026-900000" }, []aftersale.Event{created}, "RMA-2026-900000", "", ""},
		{"number taken", func(c *aftersale.Claim) { c.Number = "RMA-2026-900000" }, []aftersale.Event{created}, "", aftersale.Conflict, "RMA-2026-900000"},
		{"neither number nor date", func(c *aftersale.Claim) { c.ReportedOn = date.Date{} }, nil, "", aftersale.Invalid, "number"},
		{"two lines numbered 1", func(c *aftersale.Claim) { c.Lines[1].Line = 1 }, nil, "", aftersale.Invalid, "same number"},
		{"unknown SKU", func(c *aftersale.Claim) { c.Lines[1].SKU = "NO-SUCH-SKU" }, []aftersale.Event{created}, "", aftersale.Invalid, "SKUs"},
		{"unknown distributor", func(c *aftersale.Claim) { c.DistributorCode = "NOBODY" }, nil, "", aftersale.Invalid, "NOBODY"},
		{"event without kind", nil, []aftersale.Event{{Actor: "x"}}, "", aftersale.Invalid, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sampleClaim()
			if tt.change != nil {
				tt.change(&c)
			}
			err := db.InTx(ctx(t), func(tx *store.Tx) error { return tx.CreateClaim(ctx(t), &c, tt.events...) })
			if tt.wantKind != "" {
				wantError(t, err, tt.wantKind, tt.wantIn)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Number != tt.wantNumber || c.ID == 0 || c.Version != 1 {
				t.Fatalf("created claim: number %s, id %d, version %d; want number %s", c.Number, c.ID, c.Version, tt.wantNumber)
			}
			got, err := db.Claim(ctx(t), c.Number)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c, got, claimCmp); d != "" {
				t.Errorf("Claim (-want +got):\n%s", d)
			}
			evs, err := db.Events(ctx(t), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := claimEventsOf(c.ID, tt.events)
			if d := cmp.Diff(want, evs, cmpopts.IgnoreFields(aftersale.Event{}, "ID"), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("Events (-want +got):\n%s", d)
			}
			page, err := db.Queue(ctx(t), workflow.Query{Text: c.Number})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Claims) != 1 || page.Claims[0].Number != c.Number {
				t.Errorf("Queue(text %s) = %v, want that claim", c.Number, numbersOf(page.Claims))
			}
		})
	}
	// Nothing of the refused claims was written.
	page, err := db.Queue(ctx(t), workflow.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"RMA-2026-000001", "RMA-2026-000002", "RMA-2031-000001", "RMA-2026-000003", "RMA-2026-900000"}
	if d := cmp.Diff(want, numbersOf(page.Claims), cmpopts.SortSlices(func(a, b string) bool { return a < b })); d != "" {
		t.Errorf("claims stored (-want +got):\n%s", d)
	}
	// Past 999,999 claims in a year the number grows a digit.
	setLast := `UPDATE claim_numbers SET last = 999999 WHERE year = 2026`
	if db.Engine() == store.Postgres {
		setLast = `SELECT setval('claim_number_2026', 999999)`
	}
	c := sampleClaim()
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		if _, err := tx.SQL().ExecContext(ctx(t), setLast); err != nil {
			return err
		}
		return tx.CreateClaim(ctx(t), &c)
	})
	if err != nil || c.Number != "RMA-2026-1000000" {
		t.Errorf("the millionth claim of 2026: %s, %v; want RMA-2026-1000000", c.Number, err)
	}
}

func claimEventsOf(id int64, events []aftersale.Event) []aftersale.Event {
	out := make([]aftersale.Event, len(events))
	for i, e := range events {
		e.ClaimID = id
		out[i] = e
	}
	return out
}

func numbersOf(claims []aftersale.Claim) []string {
	out := make([]string, len(claims))
	for i, c := range claims {
		out[i] = c.Number
	}
	return out
}
