package storetest

import (
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
)

// testBoughtFrom: where a purchase made elsewhere was bought (migration
// 00013) round-trips through the claim's creation and every update, which
// rewrites the lines, so that the line is judged again by the same channel;
// an article of an order on file has none.
func testBoughtFrom(t *testing.T, db *store.DB) {
	a, _ := twoClaims(t, db)
	got, err := db.Claim(ctx(t), a.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Lines[0].BoughtFrom != "" || got.Lines[1].BoughtFrom != aftersale.UnauthorizedReseller {
		t.Fatalf("bought from, read back: %q and %q, want none and %q", got.Lines[0].BoughtFrom, got.Lines[1].BoughtFrom,
			aftersale.UnauthorizedReseller)
	}
	for _, ch := range []aftersale.Channel{aftersale.AuthorizedDistributor, aftersale.Direct, ""} {
		got.Lines[1].BoughtFrom, got.Version = ch, got.Version+1
		inTx(t, db, func(tx *store.Tx) error { return tx.UpdateClaim(ctx(t), &got) })
		again, err := db.Claim(ctx(t), a.Number)
		if err != nil {
			t.Fatal(err)
		}
		if again.Lines[1].BoughtFrom != ch || again.Lines[0].BoughtFrom != "" {
			t.Errorf("bought from after an update to %q: %q and %q", ch, again.Lines[0].BoughtFrom, again.Lines[1].BoughtFrom)
		}
	}
	// The column takes the channels only.
	got.Lines[1].BoughtFrom, got.Version = "a market stall", got.Version+1
	if err := db.InTx(ctx(t), func(tx *store.Tx) error { return tx.UpdateClaim(ctx(t), &got) }); err == nil {
		t.Error("a line bought from an unknown channel was stored")
	}
}
