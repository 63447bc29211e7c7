package workflow_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// TestWarrantyNestedKits: a hexapod kit holds a servo on its own and five
// in a leg kit; the warranty lookup of its order lists each of the six
// servos once, and the one repaired once, with its own cover.
func TestWarrantyNestedKits(t *testing.T) {
	bothEnginesWithStore(t, func(t *testing.T, db *store.DB, cl *workflow.Claims) {
		ctx := t.Context()
		line := aftersale.OrderLine{Line: 1, SKU: "KIT-HEX", Quantity: 1, UnitPrice: 20000}
		var serials []string
		for i := 1; i <= 6; i++ {
			serials = append(serials, fmt.Sprintf("HX-%d", i))
			line.Serials = append(line.Serials, aftersale.Serial{Number: serials[i-1], SKU: "SERVO-MG"})
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.UpsertProducts(ctx, []aftersale.Product{
				{SKU: "KIT-LEG", Name: "Leg kit", Category: "other", Components: []aftersale.KitComponent{{SKU: "SERVO-MG", Quantity: 5}}},
				{SKU: "KIT-HEX", Name: "Hexapod kit", Category: "other", Components: []aftersale.KitComponent{
					{SKU: "KIT-LEG", Quantity: 1}, {SKU: "SERVO-MG", Quantity: 1}}},
			}); err != nil {
				return err
			}
			return tx.UpsertOrders(ctx, []aftersale.Order{{Number: "H-1", PurchaseDate: testday.Day(-20), Channel: aftersale.Direct,
				CustomerEmail: "ann@example.com", ProofOfPurchase: true, Total: aftersale.Money{Minor: 20000, Currency: "EUR"},
				Lines: []aftersale.OrderLine{line}}})
		})
		if err != nil {
			t.Fatal(err)
		}
		// Each servo once, one cover each, before and after HX-3 is repaired.
		check := func(repaired string) {
			t.Helper()
			items, err := cl.WarrantyByOrder(ctx, agent, "H-1")
			if err != nil {
				t.Fatal(err)
			}
			var seen []string
			servos := 0
			for _, it := range items {
				seen = append(seen, it.Serials...)
				if it.SKU == "SERVO-MG" {
					servos += it.Quantity
				}
				if repaired != "" && slices.Contains(it.Serials, repaired) && len(it.Serials) != 1 {
					t.Errorf("the repaired %s shares an item with %q", repaired, it.Serials)
				}
			}
			slices.Sort(seen)
			if !slices.Equal(seen, serials) || servos != 6 {
				t.Errorf("order H-1 lists serials %q and %d servos, want each of %q once and 6 servos", seen, servos, serials)
			}
		}
		check("")
		c := open(t, cl, agent, "defect", workflow.OpenLine{Serial: "HX-3"})
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return tx.AddReplacementUnit(ctx, &aftersale.ReplacementUnit{Serial: "HX-3", SKU: "SERVO-MG", ReplacesSerial: "HX-3",
				ClaimID: c.ID, Line: 1, OrderNumber: "H-1", OrderLine: 1, KitSKU: "KIT-HEX", ShippedOn: testday.Today(),
				Kind: aftersale.KindRepair, CreatedBy: "agent"})
		})
		if err != nil {
			t.Fatal(err)
		}
		check("HX-3")
	})
}
