package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/importer"
)

const orderHead = "order_number,purchase_date,channel,distributor,customer_email,proof_of_purchase,proof_document,currency,line,sku,quantity,unit_price,serials\n"

// TestBadRows refuses files with bad rows, names each row's line and
// column, and leaves the database as it was.
func TestBadRows(t *testing.T) {
	tests := []struct {
		name       string
		kind       importer.Kind
		file, text string
		want       []string
	}{
		{"malformed CSV", importer.Orders, "orders.csv", orderHead + "Z-1,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,\n" + `Z-2,"2026-01-10,direct` + "\n",
			[]string{"orders.csv:3: malformed CSV"}},
		// A quote that never closes on the first data row: the reader has
		// no field positions then (FieldPos panicked).
		{"unclosed quote on the first row", importer.Orders, "orders.csv", orderHead + `Z-1,"2026-01-10,direct` + "\nZ-2,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,\n",
			[]string{"orders.csv:2: malformed CSV: extraneous or missing \" in quoted-field (line 3, column 46)"}},
		{"bare quote on the first row", importer.Orders, "orders.csv", orderHead + `Z"1,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,` + "\n",
			[]string{"orders.csv:2: malformed CSV: bare \" in non-quoted-field (line 2, column 2)"}},
		{"field count", importer.Orders, "orders.csv", orderHead + "Z-1,2026-01-10,direct\n",
			[]string{"orders.csv:2: 3 fields, but the header has 13"}},
		{"impossible date", importer.Orders, "orders.csv", orderHead + "Z-1,2026-02-30,direct,,,,,EUR,1,ESC-1,1,100,\n",
			[]string{`orders.csv:2: column purchase_date: "2026-02-30" is not a day of the calendar`}},
		{"future date", importer.Orders, "orders.csv", orderHead + "Z-1,2026-07-01,direct,,,,,EUR,1,ESC-1,1,100,\n",
			[]string{`orders.csv:2: column purchase_date: "2026-07-01" is in the future (today is 2026-06-30)`}},
		{"unknown SKU", importer.Orders, "orders.csv", orderHead + "Z-1,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,\nZ-1,,,,,,,,2,NOPE,1,100,\n",
			[]string{`orders.csv:3: column sku: order "Z-1" line 2: unknown SKU "NOPE"`}},
		{"unknown component SKU of a serial", importer.Orders, "orders.csv", orderHead + "Z-1,2026-01-10,direct,,,,,EUR,1,KIT-ARM,1,100,NOPE:SN-Z\n",
			[]string{`orders.csv:2: column serials: serial "SN-Z" on order "Z-1" line 1: unknown SKU "NOPE"`}},
		{"serial twice in the file", importer.Orders, "orders.csv", orderHead + "Z-1,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,SN-Z\nZ-2,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,SN-Z\n",
			[]string{`orders.csv:3: column serials: serial "SN-Z" is sold twice: also on line 2 of this file`}},
		{"serial already in the database", importer.Orders, "orders.csv", orderHead + "Z-1,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,SN-ESC-1\n",
			[]string{`orders.csv:2: column serials: serial "SN-ESC-1" is already sold on order A-1001 (line 1)`}},
		{"unknown distributor and customer", importer.Orders, "orders.csv", orderHead +
			"Z-1,2026-01-10,authorized_distributor,NOPE,,,,EUR,1,ESC-1,1,100,\nZ-2,2026-01-10,direct,,nobody@example.com,,,EUR,1,ESC-1,1,100,\n",
			[]string{`orders.csv:2: column distributor: order "Z-1": unknown distributor "NOPE"`,
				`orders.csv:3: column customer_email: order "Z-2": unknown customer "nobody@example.com"`}},
		{"bad values", importer.Orders, "orders.csv", orderHead + "Z-1,2026-01-10,mail_order,,,maybe,,euro,x,ESC-1,0,1.5,\n",
			[]string{`orders.csv:2: column channel: "mail_order" is not a channel`, `orders.csv:2: column proof_of_purchase: "maybe" is not true or false`,
				`orders.csv:2: column currency: "euro" is not an ISO 4217`, `orders.csv:2: column line: "x" is not a whole number`,
				`orders.csv:2: column quantity: 0 is less than 1`, `orders.csv:2: column unit_price: "1.5" is not a whole number`}},
		{"delivery before purchase", importer.Deliveries, "deliveries.csv", "order_number,line,carrier,tracking_number,signed_for\nB-2001,0,UPS,UPS-1,2026-02-02\nB-2001,0,UPS,UPS-2,2026-01-31\n",
			[]string{`deliveries.csv:3: column signed_for: delivery "UPS-2" was signed for on 2026-01-31, before order B-2001 was bought on 2026-02-01`}},
		{"delivery of an unknown order and line", importer.Deliveries, "deliveries.csv", "order_number,line,carrier,tracking_number,signed_for\nNOPE,0,UPS,UPS-1,2026-02-02\nB-2001,7,UPS,UPS-2,2026-02-03\n",
			[]string{`deliveries.csv:2: column order_number: delivery "UPS-1": unknown order "NOPE"`, `deliveries.csv:3: column line: delivery "UPS-2": order B-2001 has no line 7`}},
		{"unknown column", importer.Orders, "orders.csv", strings.Replace(orderHead, "serials", "colour", 1) + "Z-1,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,red\n",
			[]string{`orders.csv:1: column colour: unknown column (a orders file has: order_number, purchase_date`}},
		{"missing column", importer.Products, "products.csv", "sku,name\nX,Y\n",
			[]string{`products.csv:1: column category: required column is missing from the header`}},
		{"wrong category", importer.Products, "products.csv", "sku,name,category\nX-1,Thing,robot\nX-2,Other,battery\nX-3,,gift\n",
			[]string{`products.csv:2: column category: "robot" is not a category of the policy in force`, `products.csv:4: column name: a value is required`}},
		{"kit contains itself", importer.Kits, "kits.csv", "kit_sku,component_sku,quantity\nKIT-ARM,SERVO-9G,2\nKIT-ARM,KIT-ARM,1\n",
			[]string{`kits.csv:3: column component_sku: kit "KIT-ARM" cannot contain itself`}},
		{"kit contains itself through another", importer.Kits, "kits.csv", "kit_sku,component_sku,quantity\nESC-2,SCREW-M3,4\nESC-2,KIT-ARM,1\n",
			[]string{`kits.csv:3: column component_sku: kit "ESC-2" cannot contain itself, directly or through another kit (ESC-2 > KIT-ARM > ESC-2)`}},
		{"kit of unknown products", importer.Kits, "kits.csv", "kit_sku,component_sku,quantity\nNOPE,SERVO-9G,1\nESC-2,GONE,1\n",
			[]string{`kits.csv:2: column kit_sku: unknown kit SKU "NOPE"`, `kits.csv:3: column component_sku: kit "ESC-2" lists unknown product "GONE"`}},
		{"malformed JSON", importer.Orders, "orders.jsonl", `{"order_number":"Z-1"` + "\n" + `{"order_number":"Z-2","purchase_date":"2026-01-10","channel":"direct","currency":"EUR","line":1,"sku":"ESC-1","quantity":1,"unit_price":1,"colour":"red"}` + "\n",
			[]string{`orders.jsonl:1: malformed JSON`, `orders.jsonl:2: column colour: unknown column`}},
		{"JSON of the wrong shape", importer.Customers, "c.jsonl", `{"email":"x@example.com","name":{"first":"X"}}` + "\n" + `{"email":"no address"}` + "\n",
			[]string{`c.jsonl:1: column name: {"first":"X"} is not a string`, `c.jsonl:2: column email: customer e-mail "no address" is not an address`}},
	}
	for _, e := range engines {
		db := open(t, e)
		seed(t, db)
		for _, tt := range tests {
			t.Run(e.name+"/"+tt.name, func(t *testing.T) {
				res, err := load(t, db, tt.kind, tt.file, tt.text)
				wantInvalid(t, err, tt.want...)
				if res.Applied != 0 {
					t.Errorf("result %+v: a refused file applies nothing", res)
				}
				diff(t, "counts after a refused file", db.counts(t), wantCounts)
			})
		}
	}
}

// TestMaxErrors stops listing at the limit and counts the rest.
func TestMaxErrors(t *testing.T) {
	db := open(t, engines[0])
	var b strings.Builder
	b.WriteString("sku,name,category\n")
	for i := range 150 {
		fmt.Fprintf(&b, "X-%d,Thing,robot\n", i)
	}
	o := options(importer.Products, "products.csv")
	o.MaxErrors = 10
	_, err := importer.Import(t.Context(), db.DB, strings.NewReader(b.String()), o)
	ie := wantInvalid(t, err, "products.csv:11: column category")
	if len(ie.Rows) != 10 || ie.More != 140 || !ie.Truncated {
		t.Errorf("%d rows listed, %d more, truncated %v; want 10, 140, true", len(ie.Rows), ie.More, ie.Truncated)
	}
}

// TestSkipInvalid applies the good rows and writes the bad ones, whole
// orders at a time, to the rejects file.
func TestSkipInvalid(t *testing.T) {
	text := orderHead +
		"Z-1,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,SN-Z1\n" +
		"Z-2,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,SN-Z2\n" +
		"Z-2,,,,,,,,2,NOPE,1,100,\n" +
		"Z-3,2026-02-30,direct,,,,,EUR,1,ESC-1,1,100,\n" +
		"Z-4,2026-01-11,direct,,,,,EUR,1,SERVO-9G,2,100,SN-Z4a;SN-Z4b\n"
	want := orderHead[:len(orderHead)-1] + ",line,reason\n" +
		"Z-2,2026-01-10,direct,,,,,EUR,1,ESC-1,1,100,SN-Z2,3,refused with line 4 of the same order\n" +
		`Z-2,,,,,,,,2,NOPE,1,100,,4,"column sku: order ""Z-2"" line 2: unknown SKU ""NOPE"""` + "\n" +
		`Z-3,2026-02-30,direct,,,,,EUR,1,ESC-1,1,100,,5,"column purchase_date: ""2026-02-30"" is not a day of the calendar"` + "\n"
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db := open(t, e)
			seed(t, db)
			for round := range 2 {
				var rejects bytes.Buffer
				o := options(importer.Orders, "orders.csv")
				o.SkipInvalid, o.Rejects, o.BatchRows = true, &rejects, 2
				// The second round reads a pipe: no second pass is possible.
				var in io.Reader = strings.NewReader(text)
				if round == 1 {
					in = struct{ io.Reader }{in}
				}
				res, err := importer.Import(context.Background(), db.DB, in, o)
				if err != nil {
					t.Fatal(err)
				}
				diff(t, fmt.Sprintf("result of round %d", round), res, importer.Result{Read: 5, Applied: 2, Rejected: 3})
				diff(t, "rejects", rejects.String(), want)
			}
			c := db.counts(t)
			if c["orders"] != wantCounts["orders"]+2 || c["serials"] != wantCounts["serials"]+3 {
				t.Errorf("counts %v: want Z-1 and Z-4 added", c)
			}
		})
	}
}
