package importer_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/importer"
)

func TestRoundTrip(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db := open(t, e)
			seed(t, db)
			diff(t, "counts", db.counts(t), wantCounts)

			p, err := db.Product(t.Context(), "ESC-2")
			if err != nil || p.WarrantyMonths == nil || *p.WarrantyMonths != 18 {
				t.Errorf("ESC-2: %+v, %v", p, err)
			}
			kit, err := db.Product(t.Context(), "KIT-ARM")
			if err != nil {
				t.Fatal(err)
			}
			diff(t, "kit", kit.Components, []aftersale.KitComponent{{SKU: "ESC-2", Quantity: 1}, {SKU: "SCREW-M3", Quantity: 10}, {SKU: "SERVO-9G", Quantity: 2}})
			esc, err := db.Product(t.Context(), "ESC-1")
			if err != nil {
				t.Fatal(err)
			}
			diff(t, "successors", esc.Successors, []string{"ESC-2", "ESC-3"})

			o, err := db.Order(t.Context(), "A-1001")
			if err != nil {
				t.Fatal(err)
			}
			if o.Total.Minor != 12999 || o.Total.Currency != "EUR" || !o.ProofOfPurchase || o.CustomerEmail != "alice@example.com" || len(o.Lines) != 2 {
				t.Errorf("order A-1001: %+v", o)
			}
			it, err := db.LookupSerial(t.Context(), "SN-SERVO-2")
			if err != nil || it.KitSKU != "KIT-ARM" || it.Product.SKU != "SERVO-9G" || it.DeliveredOn != date.MustParse("2026-01-15") {
				t.Errorf("LookupSerial: %+v, %v", it, err)
			}
			it, err = db.LookupSerial(t.Context(), "SN-S-2")
			if err != nil || it.Distributor == nil || it.Distributor.Authorised || it.Order.Channel != aftersale.UnauthorizedReseller {
				t.Errorf("LookupSerial SN-S-2: %+v, %v", it, err)
			}
			d, _ := db.Distributor(t.Context(), "DIST-DE")
			if !d.Authorised || d.ReturnWindowDays == nil || *d.ReturnWindowDays != 14 || d.ReplacementWindowDays != nil {
				t.Errorf("distributor: %+v", d)
			}

			// Importing products again keeps the kit's bill of materials.
			mustLoad(t, db, importer.Products, "products.csv", productsCSV)
			if kit, _ := db.Product(t.Context(), "KIT-ARM"); len(kit.Components) != 3 {
				t.Errorf("products re-import dropped the bill of materials: %+v", kit)
			}
		})
	}
}

// TestJSONL imports the fixture as JSON Lines and expects the same data as
// from CSV.
func TestJSONL(t *testing.T) {
	files := []struct {
		kind       importer.Kind
		name, text string
	}{
		{importer.Products, "p.jsonl", `{"sku":"SERVO-9G","name":"9 g servo","category":"servo_motor"}
{"sku":"ESC-1","name":"Speed controller","category":"electronic_module","successors":["ESC-2","ESC-3"],"discontinued":true}

{"sku":"ESC-2","name":"Speed controller v2","category":"electronic_module","warranty_months":18}
{"sku":"SCREW-M3","name":"M3 screws","category":"consumable"}
{"sku":"KIT-ARM","name":"Robot arm kit","category":"other"}`},
		{importer.Kits, "k.ndjson", `{"kit_sku":"KIT-ARM","component_sku":"SERVO-9G","quantity":2}
{"kit_sku":"KIT-ARM","component_sku":"SCREW-M3","quantity":10}
{"kit_sku":"KIT-ARM","component_sku":"ESC-2","quantity":1}`},
		{importer.Distributors, "d.jsonl", `{"code":"DIST-DE","name":"Robots GmbH","authorised":true,"email":"service@robots.de","phone":"+49 30 1234","return_window_days":14}
{"code":"SHOP-X","name":"Grey market shop","authorised":false}`},
		{importer.Customers, "c.jsonl", `{"email":"Alice@Example.com","name":"Alice","phone":"+44 20 7946 0000","country":"GB","language":"en"}
{"email":"bob@example.de","name":"Bob","country":"DE","language":"de"}`},
		{importer.Orders, "o.jsonl", `{"order_number":"A-1001","purchase_date":"2026-01-10","channel":"direct","customer_email":"alice@example.com","proof_of_purchase":true,"proof_document":"INV-1001","currency":"EUR","line":1,"sku":"ESC-1","quantity":1,"unit_price":2999,"serials":["SN-ESC-1"]}
{"order_number":"A-1001","line":2,"sku":"KIT-ARM","quantity":1,"unit_price":10000,"serials":"SN-ARM-1;SERVO-9G:SN-SERVO-1;SERVO-9G:SN-SERVO-2"}
{"order_number":"B-2001","purchase_date":"2026-02-01","channel":"authorized_distributor","distributor":"DIST-DE","customer_email":"bob@example.de","proof_of_purchase":"yes","currency":"EUR","line":1,"sku":"SCREW-M3","quantity":50,"unit_price":2}
{"order_number":"C-3001","purchase_date":"2026-03-01","channel":"unauthorized_reseller","distributor":"SHOP-X","currency":"USD","line":1,"sku":"SERVO-9G","quantity":2,"unit_price":500,"serials":["SN-S-1","SN-S-2"]}`},
		{importer.Deliveries, "v.jsonl", `{"order_number":"A-1001","line":0,"carrier":"DHL","tracking_number":"DHL-1","signed_for":"2026-01-13"}
{"order_number":"A-1001","line":2,"carrier":"DHL","tracking_number":"DHL-2","signed_for":"2026-01-15"}
{"order_number":"B-2001","carrier":"UPS","tracking_number":"UPS-9","signed_for":null}`},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db, ref := open(t, e), open(t, e)
			seed(t, ref)
			for _, f := range files {
				mustLoad(t, db, f.kind, f.name, f.text)
			}
			diff(t, "counts", db.counts(t), wantCounts)
			for _, n := range []string{"A-1001", "B-2001", "C-3001"} {
				got, err1 := db.Order(t.Context(), n)
				want, err2 := ref.Order(t.Context(), n)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				diff(t, "order "+n, got, want)
			}
		})
	}
}

// TestReimport imports every file twice: the second changes nothing.
func TestReimport(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db := open(t, e)
			seed(t, db)
			before, _ := db.Order(t.Context(), "A-1001")
			for _, f := range fixture {
				res := mustLoad(t, db, f.kind, f.name, f.text)
				rows := strings.Count(f.text, "\n") - 1
				if res.Read != rows || res.Applied != rows || res.Rejected != 0 {
					t.Errorf("%s again: %+v, want %d rows read and applied", f.name, res, rows)
				}
			}
			diff(t, "counts", db.counts(t), wantCounts)
			after, _ := db.Order(t.Context(), "A-1001")
			diff(t, "order", after, before)
		})
	}
}
