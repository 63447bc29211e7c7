package store_test

import (
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// TestCatalogOfAnotherInstance: a product or distributor changed by
// another process or instance on the same database (an import) shows in
// this one's next serial lookup, though it keeps the catalog in memory.
func TestCatalogOfAnotherInstance(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			here, there := open(t, dsn), open(t, dsn)
			months := func(n int) *int { return &n }
			if err := there.UpsertProducts(t.Context(), []aftersale.Product{{SKU: "SV-1", Name: "Servo", Category: "servo_motor"}}); err != nil {
				t.Fatal(err)
			}
			if err := there.UpsertDistributors(t.Context(), []aftersale.Distributor{{Code: "D-1", Name: "Dist", Authorised: true}}); err != nil {
				t.Fatal(err)
			}
			err := there.UpsertOrders(t.Context(), []aftersale.Order{{Number: "O-1", PurchaseDate: date.MustParse("2026-05-01"),
				Channel: aftersale.AuthorizedDistributor, DistributorCode: "D-1", Total: aftersale.Money{Minor: 1, Currency: "EUR"},
				Lines: []aftersale.OrderLine{{Line: 1, SKU: "SV-1", Quantity: 1, UnitPrice: 1, Serials: []aftersale.Serial{{Number: "S-1"}}}}}})
			if err != nil {
				t.Fatal(err)
			}
			steps := []struct {
				name    string
				change  func() error
				product string
				months  *int
				window  *int
			}{
				{"first lookup", func() error { return nil }, "Servo", nil, nil},
				{"product changed there", func() error {
					return there.UpsertProducts(t.Context(), []aftersale.Product{{SKU: "SV-1", Name: "Servo II", Category: "servo_motor", WarrantyMonths: months(9)}})
				}, "Servo II", months(9), nil},
				{"distributor changed there", func() error {
					return there.UpsertDistributors(t.Context(), []aftersale.Distributor{{Code: "D-1", Name: "Dist", Authorised: true, ReturnWindowDays: months(21)}})
				}, "Servo II", months(9), months(21)},
			}
			for _, s := range steps {
				if err := s.change(); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				got, err := here.LookupSerial(t.Context(), "S-1")
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if got.Product.Name != s.product || !sameInt(got.Product.WarrantyMonths, s.months) ||
					got.Distributor == nil || !sameInt(got.Distributor.ReturnWindowDays, s.window) {
					t.Errorf("%s: product %q %v, distributor %+v; want %q %v, return window %v",
						s.name, got.Product.Name, got.Product.WarrantyMonths, got.Distributor, s.product, s.months, s.window)
				}
			}
		})
	}
}

func sameInt(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
