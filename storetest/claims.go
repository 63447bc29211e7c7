package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var (
	claimDay  = date.MustParse("2026-04-01")
	claimTime = time.Date(2026, 4, 1, 9, 30, 0, 123456000, time.UTC)
)

// claimCmp compares claims: dates by value, times by their Equal method.
var claimCmp = cmpopts.EquateComparable(date.Date{})

func yes() *bool { v := true; return &v }

// sampleClaim is a claim of two lines: an article of order A-1001 found by
// its serial, and a power supply bought elsewhere (in another shop) for
// 9.90 EUR, with an exception.
func sampleClaim() aftersale.Claim {
	return aftersale.Claim{
		Status: aftersale.StatusSubmitted, Request: "defect", Description: "Stops after ten minutes",
		Applicant: aftersale.ApplicantStaff, CustomerEmail: "alice@example.com", OpenedBy: "agent@shop.example",
		ReportedOn: claimDay, RespondBy: claimDay.AddDays(14), CreatedAt: claimTime, UpdatedAt: claimTime,
		Quote: &aftersale.Quote{Lines: []aftersale.QuoteLine{{Kind: "labour", Description: "1 h", Amount: aftersale.Money{Minor: 4500, Currency: "EUR"}}},
			Total: aftersale.Money{Minor: 4500, Currency: "EUR"}},
		Lines: []aftersale.ClaimLine{
			{Line: 1, Serial: "SN-ESC-1", SKU: "ESC-1", OrderNumber: "A-1001", OrderLine: 1,
				PurchasedOn: date.MustParse("2026-01-10"), DeliveredOn: date.MustParse("2026-01-13"),
				Decision: aftersale.Decision{Outcome: "eligible", Remedies: []string{"free_replacement", "refund"},
					ShippingPaidBy: "seller", Clauses: []string{"3.1"}, Reasons: []string{"within warranty"}, Covered: true,
					StartsOn: date.MustParse("2026-01-13"), EndsOn: date.MustParse("2028-01-13"), PolicyVersion: "2026-01",
					ReasonsByLang: map[string][]string{"zh": {"在保修期内"}}}},
			{Line: 2, SKU: "PSU-1", PurchasedOn: date.MustParse("2025-12-24"), ProofDocument: "receipt.pdf",
				Price: &aftersale.Money{Minor: 990, Currency: "EUR"}, BoughtFrom: aftersale.UnauthorizedReseller,
				Cause: "quality_defect", Resellable: yes(), Findings: "burnt capacitor",
				Decision:  aftersale.Decision{Outcome: "not_eligible", Missing: []string{"delivery_date"}, PolicyVersion: "2026-01"},
				Exception: &aftersale.Exception{By: "boss@shop.example", Reason: "loyal customer", At: claimTime}},
		},
	}
}

// createClaim numbers and stores c in its own transaction.
func createClaim(t *testing.T, db *store.DB, c *aftersale.Claim) {
	t.Helper()
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		n, err := tx.NextClaimNumber(ctx(t), c.ReportedOn.Year())
		if err != nil {
			return err
		}
		c.Number = n
		return tx.CreateClaim(ctx(t), c)
	})
	if err != nil {
		t.Fatalf("create claim: %v", err)
	}
}

func testClaimRoundTrip(t *testing.T, db *store.DB) {
	seed(t, db)
	want := sampleClaim()
	createClaim(t, db, &want)
	if want.ID == 0 || want.Version != 1 || want.Number != "RMA-2026-000001" {
		t.Fatalf("created claim: id %d, version %d, number %s", want.ID, want.Version, want.Number)
	}
	got, err := db.Claim(ctx(t), want.Number)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, claimCmp); d != "" {
		t.Errorf("Claim (-want +got):\n%s", d)
	}
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		locked, err := tx.ClaimForUpdate(ctx(t), want.Number)
		if d := cmp.Diff(want, locked, claimCmp); d != "" {
			t.Errorf("ClaimForUpdate (-want +got):\n%s", d)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Claim(ctx(t), "RMA-2026-999999")
	wantError(t, err, aftersale.NotFound, "RMA-2026-999999")
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		_, err := tx.ClaimForUpdate(ctx(t), "RMA-1999-000001")
		return err
	})
	wantError(t, err, aftersale.NotFound, "RMA-1999-000001")
}

// testClaimNumbers: concurrent creators, each in its own transaction, get
// distinct numbers with no gaps; each year counts from 1; a rolled-back
// transaction gives its number back on SQLite, and leaves a gap on
// PostgreSQL (whose numbers come from a sequence, which takes no lock
// until commit).
func testClaimNumbers(t *testing.T, db *store.DB) {
	seed(t, db)
	const n = 8
	numbers := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := sampleClaim()
			errs[i] = db.InTx(ctx(t), func(tx *store.Tx) error {
				num, err := tx.NextClaimNumber(ctx(t), 2026)
				if err != nil {
					return err
				}
				c.Number, numbers[i] = num, num
				return tx.CreateClaim(ctx(t), &c)
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := fmt.Sprintf("RMA-2026-%06d", i+1); got != want {
			t.Errorf("numbers[%d] = %s, want %s (all: %v)", i, got, want, numbers)
		}
	}
	errRollback := errors.New("roll back")
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		if num, err := tx.NextClaimNumber(ctx(t), 2026); err != nil || num != "RMA-2026-000009" {
			t.Errorf("next number = %s, %v; want RMA-2026-000009", num, err)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("InTx = %v, want the function's error", err)
	}
	after := []string{"RMA-2026-000009", "RMA-2027-000001", "RMA-2026-000010"}
	if db.Engine() == store.Postgres {
		after = []string{"RMA-2026-000010", "RMA-2027-000001", "RMA-2026-000011"}
	}
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		for _, want := range after {
			var y int
			fmt.Sscanf(want, "RMA-%d-", &y)
			if got, err := tx.NextClaimNumber(ctx(t), y); err != nil || got != want {
				t.Errorf("NextClaimNumber(%d) = %s, %v; want %s", y, got, err, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testClaimUpdate: an update with the version read succeeds and replaces
// the lines; one based on a stale version is a Conflict and writes nothing.
func testClaimUpdate(t *testing.T, db *store.DB) {
	seed(t, db)
	c := sampleClaim()
	createClaim(t, db, &c)
	stale := c
	want := c
	want.Status, want.FirstAnswerOn, want.AwaitingSince = aftersale.StatusInReview, claimDay.AddDays(1), claimDay.AddDays(2)
	want.ReceivedOn, want.ApprovedRemedy, want.ReturnWaived = claimDay.AddDays(3), "refund", true
	want.Resolution, want.Quote, want.Version = aftersale.ResolutionRefunded, nil, 2
	want.UpdatedAt = claimTime.Add(time.Hour)
	want.Lines = []aftersale.ClaimLine{c.Lines[0]}
	want.Lines[0].Findings, want.Lines[0].ReshippedOn = "water inside", claimDay.AddDays(5)
	err := db.InTx(ctx(t), func(tx *store.Tx) error { return tx.UpdateClaim(ctx(t), &want) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Claim(ctx(t), c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, claimCmp); d != "" {
		t.Errorf("after update (-want +got):\n%s", d)
	}
	stale.Version, stale.Status = 2, aftersale.StatusRejected
	err = db.InTx(ctx(t), func(tx *store.Tx) error { return tx.UpdateClaim(ctx(t), &stale) })
	wantError(t, err, aftersale.Conflict, c.Number, "changed")
	if got, _ := db.Claim(ctx(t), c.Number); got.Status != aftersale.StatusInReview || got.Version != 2 {
		t.Errorf("after the refused update: status %s, version %d; want in_review, 2", got.Status, got.Version)
	}
}

func testClaimEvents(t *testing.T, db *store.DB) {
	seed(t, db)
	c := sampleClaim()
	createClaim(t, db, &c)
	other := sampleClaim()
	createClaim(t, db, &other)
	want := []aftersale.Event{
		{ClaimID: c.ID, At: claimTime, Actor: "agent@shop.example", Kind: "created", To: aftersale.StatusSubmitted, Detail: "defect",
			Data: map[string]string{"request": "defect", "outcome.1": "eligible"}},
		{ClaimID: c.ID, At: claimTime, Actor: "agent@shop.example", Kind: "start_review", From: aftersale.StatusSubmitted, To: aftersale.StatusInReview},
		{ClaimID: c.ID, At: claimTime.Add(time.Minute), Actor: "customer alice@example.com", Kind: "message", Detail: "photo attached"},
	}
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		if err := tx.AddEvents(ctx(t), want[:2]); err != nil {
			return err
		}
		return tx.AddEvents(ctx(t), []aftersale.Event{{ClaimID: other.ID, At: claimTime, Actor: "x", Kind: "created"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddEvents(ctx(t), want[2:]) }); err != nil {
		t.Fatal(err)
	}
	got, err := db.Events(ctx(t), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if i > 0 && got[i].ID <= got[i-1].ID {
			t.Errorf("event ids not increasing: %d after %d", got[i].ID, got[i-1].ID)
		}
		got[i].ID = 0
	}
	if d := cmp.Diff(want, got, claimCmp); d != "" {
		t.Errorf("Events (-want +got):\n%s", d)
	}
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		return tx.AddEvents(ctx(t), []aftersale.Event{{ClaimID: 424242, Kind: "created"}})
	})
	wantError(t, err, aftersale.Invalid, "424242")
	if none, err := db.Events(ctx(t), 424242); err != nil || len(none) != 0 {
		t.Errorf("Events of an unknown claim = %v, %v; want none", none, err)
	}
}

func testIdempotency(t *testing.T, db *store.DB) {
	seed(t, db)
	c := sampleClaim()
	createClaim(t, db, &c)
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		if _, found, err := tx.IdempotentClaim(ctx(t), "user:1", "k-1"); err != nil || found {
			t.Errorf("unused key: found %v, %v", found, err)
		}
		if err := tx.RecordIdempotentClaim(ctx(t), "user:1", "k-1", c.Number); err != nil {
			return err
		}
		// Another caller's identical key is another key.
		return tx.RecordIdempotentClaim(ctx(t), "user:2", "k-1", c.Number)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		if n, found, err := tx.IdempotentClaim(ctx(t), "user:1", "k-1"); err != nil || !found || n != c.Number {
			t.Errorf("IdempotentClaim = %s, %v, %v; want %s", n, found, err, c.Number)
		}
		err := tx.RecordIdempotentClaim(ctx(t), "user:1", "k-1", c.Number)
		wantError(t, err, aftersale.Conflict, "k-1")
		// The refusal leaves the transaction usable (PostgreSQL included).
		_, _, err = tx.IdempotentClaim(ctx(t), "user:1", "k-2")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		return tx.RecordIdempotentClaim(ctx(t), "user:1", "k-3", "RMA-2026-424242")
	})
	wantError(t, err, aftersale.Invalid, "RMA-2026-424242")
}

// testFailedClaimTx: a transaction that fails after creating a claim and
// its events leaves no trace, and its number is given out again (on
// SQLite; PostgreSQL skips it).
func testFailedClaimTx(t *testing.T, db *store.DB) {
	seed(t, db)
	c := sampleClaim()
	boom := errors.New("boom")
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		n, err := tx.NextClaimNumber(ctx(t), 2026)
		if err != nil {
			return err
		}
		c.Number = n
		if err := tx.CreateClaim(ctx(t), &c); err != nil {
			return err
		}
		if err := tx.AddEvents(ctx(t), []aftersale.Event{{ClaimID: c.ID, Kind: "created"}}); err != nil {
			return err
		}
		return tx.RecordIdempotentClaim(ctx(t), "u", "k", c.Number)
	})
	if err != nil {
		t.Fatal(err)
	}
	c2 := sampleClaim()
	c2.Lines[1].SKU = "NO-SUCH-SKU"
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		n, err := tx.NextClaimNumber(ctx(t), 2026)
		if err != nil {
			return err
		}
		c2.Number = n
		if err := tx.CreateClaim(ctx(t), &c2); err != nil {
			return err
		}
		return boom
	})
	wantError(t, err, aftersale.Invalid, c2.Number)
	c3 := sampleClaim()
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		n, err := tx.NextClaimNumber(ctx(t), 2026)
		if err != nil {
			return err
		}
		c3.Number = n
		if err := tx.CreateClaim(ctx(t), &c3); err != nil {
			return err
		}
		if err := tx.AddEvents(ctx(t), []aftersale.Event{{ClaimID: c3.ID, Kind: "created"}}); err != nil {
			return err
		}
		if err := tx.RecordIdempotentClaim(ctx(t), "u", "k3", c3.Number); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	_, err = db.Claim(ctx(t), "RMA-2026-000002")
	wantError(t, err, aftersale.NotFound, "RMA-2026-000002")
	if evs, err := db.Events(ctx(t), c3.ID); err != nil || len(evs) != 0 {
		t.Errorf("events of the rolled-back claim: %v, %v", evs, err)
	}
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		if _, found, err := tx.IdempotentClaim(ctx(t), "u", "k3"); err != nil || found {
			t.Errorf("the rolled-back key is found: %v, %v", found, err)
		}
		want := "RMA-2026-000002"
		if db.Engine() == store.Postgres {
			want = "RMA-2026-000004"
		}
		if n, err := tx.NextClaimNumber(ctx(t), 2026); err != nil || n != want {
			t.Errorf("next number after rollbacks = %s, %v; want %s", n, err, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
