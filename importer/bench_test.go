package importer_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aftersale/aftersale/importer"
)

// BenchmarkImportOrders imports an orders CSV file of 20,000 orders (4
// lines each) end to end: read, parse, validate and write in one
// transaction, into a fresh database each round. It reports order lines per
// second; the serials variant gives every line a serial number, as the
// store's BenchmarkImportOrderLines does.
//
//	go test ./importer -run '^$' -bench ImportOrders -benchtime 3x
func BenchmarkImportOrders(b *testing.B) {
	const orders, perOrder = 20000, 4
	for _, e := range engines {
		for _, serials := range []bool{false, true} {
			name := e.name + "/plain"
			if serials {
				name = e.name + "/serials"
			}
			path := filepath.Join(b.TempDir(), "orders.csv")
			writeOrders(b, path, orders, perOrder, serials)
			benchImport(b, name, e, path, orders*perOrder)
		}
	}
}

func benchImport(b *testing.B, name string, e engine, path string, lines int) {
	b.Run(name, func(b *testing.B) {
		var elapsed time.Duration
		rounds := 0
		for b.Loop() {
			b.StopTimer()
			db := open(b, e)
			mustLoad(b, db, importer.Products, "products.csv", benchProducts())
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			res, err := importer.Import(b.Context(), db.DB, f, options(importer.Orders, "orders.csv"))
			elapsed += time.Since(start)
			f.Close()
			if err != nil || res.Applied != lines {
				b.Fatalf("%+v, %v", res, err)
			}
			rounds++
		}
		b.ReportMetric(float64(rounds*lines)/elapsed.Seconds(), "lines/s")
	})
}

func benchProducts() string {
	s := "sku,name,category\n"
	for i := range 100 {
		s += fmt.Sprintf("SKU-%03d,Product %d,electronic_module\n", i, i)
	}
	return s
}

func writeOrders(b *testing.B, path string, orders, perOrder int, serials bool) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(orderHead)
	for i := range orders {
		for l := 1; l <= perOrder; l++ {
			fmt.Fprintf(w, "R-%07d,2026-%02d-%02d,direct,,,true,INV-%d,EUR,%d,SKU-%03d,1,2500,", i, 1+i%5, 1+i%28, i, l, (i+l)%100)
			if serials {
				fmt.Fprintf(w, "SN-%d-%d", i, l)
			}
			w.WriteString("\n")
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}
