package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
)

// BenchmarkImportOrderLines imports batches of orders (4 lines each), one
// transaction per batch, as `aftersale import` would, and reports order
// lines per second. The serials variant gives every line a serial number.
//
//	go test ./store -run '^$' -bench ImportOrderLines -benchtime 5x
func BenchmarkImportOrderLines(b *testing.B) {
	const orders, linesPerOrder = 5000, 4
	for _, e := range engines {
		for _, serials := range []bool{false, true} {
			name := e.name + "/plain"
			if serials {
				name = e.name + "/serials"
			}
			b.Run(name, func(b *testing.B) {
				db := open(b, e.dsn(b))
				seedProducts(b, db)
				var elapsed time.Duration
				round := 0
				for b.Loop() {
					b.StopTimer()
					batch := orderBatch(round, orders, linesPerOrder, serials)
					round++
					b.StartTimer()
					start := time.Now()
					if err := db.UpsertOrders(b.Context(), batch); err != nil {
						b.Fatal(err)
					}
					elapsed += time.Since(start)
				}
				lines := float64(round * orders * linesPerOrder)
				b.ReportMetric(lines/elapsed.Seconds(), "lines/s")
			})
		}
	}
}

func seedProducts(b *testing.B, db *store.DB) {
	b.Helper()
	var ps []aftersale.Product
	for i := range 100 {
		ps = append(ps, aftersale.Product{SKU: fmt.Sprintf("SKU-%03d", i), Name: "Product", Category: "electronic_module"})
	}
	if err := db.UpsertProducts(b.Context(), ps); err != nil {
		b.Fatal(err)
	}
}

func orderBatch(round, orders, linesPerOrder int, serials bool) []aftersale.Order {
	batch := make([]aftersale.Order, orders)
	day := date.MustParse("2026-01-01")
	for i := range batch {
		o := aftersale.Order{Number: fmt.Sprintf("R%d-%07d", round, i), PurchaseDate: day.AddDays(i % 300),
			Channel: aftersale.Direct, Total: aftersale.Money{Minor: 10000, Currency: "EUR"}}
		for l := 1; l <= linesPerOrder; l++ {
			line := aftersale.OrderLine{Line: l, SKU: fmt.Sprintf("SKU-%03d", (i+l)%100), Quantity: 1, UnitPrice: 2500}
			if serials {
				line.Serials = []aftersale.Serial{{Number: fmt.Sprintf("SN-%d-%d-%d", round, i, l)}}
			}
			o.Lines = append(o.Lines, line)
		}
		batch[i] = o
	}
	return batch
}

// BenchmarkLookupSerial measures the warranty check's read.
func BenchmarkLookupSerial(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			db := open(b, e.dsn(b))
			seedProducts(b, db)
			if err := db.UpsertOrders(b.Context(), orderBatch(0, 5000, 4, true)); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				serial := fmt.Sprintf("SN-0-%d-%d", i%5000, 1+i%4)
				if _, err := db.LookupSerial(b.Context(), serial); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
