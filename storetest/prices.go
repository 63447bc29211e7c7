package storetest

import (
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
)

// testPrices: the optional amounts of migration 00012 round-trip: a claim
// line bought elsewhere keeps its price (with or without one, through an
// update of the claim too), and an exchange for another product its price
// difference, negative as well as positive.
func testPrices(t *testing.T, db *store.DB) {
	a, b := twoClaims(t, db)
	got, err := db.Claim(ctx(t), a.Number)
	if err != nil {
		t.Fatal(err)
	}
	if p := got.Lines[1].Price; p == nil || *p != (aftersale.Money{Minor: 990, Currency: "EUR"}) || got.Lines[0].Price != nil {
		t.Fatalf("prices read back: %v and %v, want none and 9.90 EUR", got.Lines[0].Price, p)
	}
	// An update rewrites the lines: the price stays, or goes when removed.
	got.Lines[1].Price, got.Version = nil, got.Version+1
	inTx(t, db, func(tx *store.Tx) error { return tx.UpdateClaim(ctx(t), &got) })
	again, err := db.Claim(ctx(t), a.Number)
	if err != nil {
		t.Fatal(err)
	}
	if again.Lines[1].Price != nil {
		t.Errorf("price after it was removed: %v", again.Lines[1].Price)
	}
	units := []aftersale.ReplacementUnit{
		{Serial: "SN-EX-1", SKU: "ESC-2", ReplacesSerial: "SN-ESC-1", ClaimID: a.ID, Line: 1, OrderNumber: "A-1001", OrderLine: 1,
			ShippedOn: claimDay, Kind: aftersale.KindReplacement, PriceDifference: &aftersale.Money{Minor: 1250, Currency: "EUR"}},
		{Serial: "SN-EX-2", SKU: "SERVO-9G", ReplacesSerial: "SN-ESC-1", ClaimID: b.ID, Line: 1, OrderNumber: "A-1001", OrderLine: 1,
			ShippedOn: claimDay, Kind: aftersale.KindReplacement, PriceDifference: &aftersale.Money{Minor: -2000, Currency: "EUR"}},
		{Serial: "SN-EX-3", SKU: "ESC-1", ReplacesSerial: "SN-ESC-1", ClaimID: b.ID, Line: 1, OrderNumber: "A-1001", OrderLine: 1,
			ShippedOn: claimDay, Kind: aftersale.KindReplacement},
	}
	inTx(t, db, func(tx *store.Tx) error {
		for i := range units {
			units[i].CreatedBy, units[i].CreatedAt = "agent@shop.example", claimTime
			if err := tx.AddReplacementUnit(ctx(t), &units[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for _, c := range []aftersale.Claim{a, b} {
		list, err := db.ReplacementUnits(ctx(t), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var want []aftersale.ReplacementUnit
		for _, u := range units {
			if u.ClaimID == c.ID {
				u.ClaimNumber = c.Number
				want = append(want, u)
			}
		}
		if d := cmp.Diff(want, list, claimCmp); d != "" {
			t.Errorf("units of %s (-want +got):\n%s", c.Number, d)
		}
	}
	bad := units[0]
	bad.Serial, bad.PriceDifference = "SN-EX-4", &aftersale.Money{Minor: 100, Currency: "eu"}
	wantError(t, db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddReplacementUnit(ctx(t), &bad) }), aftersale.Invalid, "currency")
}
