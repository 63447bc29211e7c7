package storetest

import (
	"errors"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
)

// testCatalogChanges: a serial lookup reads the product and the
// distributor as they are now, after any change to them, and inside a
// transaction as the transaction sees them, without keeping what a
// rolled-back transaction wrote.
func testCatalogChanges(t *testing.T, db *store.DB) {
	seed(t, db)
	psu := product("PSU-1")
	dist := *distDE
	sale := aftersale.Order{Number: "D-4001", PurchaseDate: date.MustParse("2026-04-01"), Channel: aftersale.AuthorizedDistributor,
		DistributorCode: "DIST-DE", Total: aftersale.Money{Minor: 900, Currency: "EUR"},
		Lines: []aftersale.OrderLine{{Line: 1, SKU: "PSU-1", Quantity: 1, UnitPrice: 900, Serials: []aftersale.Serial{{Number: "SN-PSU-1"}}}}}
	if err := db.UpsertOrders(ctx(t), []aftersale.Order{sale}); err != nil {
		t.Fatal(err)
	}
	sale.Lines = nil
	renamed, longer := psu, psu
	renamed.Name, renamed.WarrantyMonths = "Power supply v2", months(12)
	longer.WarrantyMonths = months(24)
	wider := dist
	wider.ReturnWindowDays, wider.ReplacementWindowDays = months(30), months(60)
	errRollback := errors.New("roll back")
	tests := []struct {
		name string
		// change writes through db, or in a transaction that checks its
		// own lookup and rolls back.
		change   func(t *testing.T) error
		product  aftersale.Product
		distrib  aftersale.Distributor
		rollback bool
	}{
		{"as imported", func(*testing.T) error { return nil }, psu, dist, false},
		{"product renamed, its term changed", func(t *testing.T) error {
			return db.UpsertProducts(ctx(t), []aftersale.Product{renamed})
		}, renamed, dist, false},
		{"distributor's windows changed", func(t *testing.T) error {
			return db.UpsertDistributors(ctx(t), []aftersale.Distributor{wider})
		}, renamed, wider, false},
		{"the same catalog again", func(t *testing.T) error {
			if err := db.UpsertProducts(ctx(t), []aftersale.Product{renamed}); err != nil {
				return err
			}
			return db.UpsertDistributors(ctx(t), []aftersale.Distributor{wider})
		}, renamed, wider, false},
		{"changed in a transaction that rolls back", func(t *testing.T) error {
			return db.InTx(ctx(t), func(tx *store.Tx) error {
				if err := tx.UpsertProducts(ctx(t), []aftersale.Product{longer}); err != nil {
					return err
				}
				got, err := tx.LookupSerial(ctx(t), "SN-PSU-1")
				if err != nil {
					return err
				}
				if diff := cmp.Diff(longer, got.Product, cmpOpts); diff != "" {
					t.Errorf("tx.LookupSerial after the change in tx (-want +got):\n%s", diff)
				}
				return errRollback
			})
		}, renamed, wider, true},
		{"changed again", func(t *testing.T) error {
			return db.UpsertProducts(ctx(t), []aftersale.Product{longer})
		}, longer, wider, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.change(t); err != nil && !(tt.rollback && errors.Is(err, errRollback)) {
				t.Fatal(err)
			}
			want := aftersale.SoldItem{Serials: []string{"SN-PSU-1"}, Product: tt.product, Quantity: 1, Line: 1,
				Order: sale, Distributor: &tt.distrib}
			got, err := db.LookupSerial(ctx(t), "SN-PSU-1")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
				t.Errorf("LookupSerial (-want +got):\n%s", diff)
			}
			inTx(t, db, func(tx *store.Tx) error {
				got, err := tx.LookupSerial(ctx(t), "SN-PSU-1")
				if err != nil {
					return err
				}
				if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
					t.Errorf("tx.LookupSerial (-want +got):\n%s", diff)
				}
				return nil
			})
		})
	}
}
