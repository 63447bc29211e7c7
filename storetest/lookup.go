package storetest

import (
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// header returns order number's header as lookups return it: no lines.
func header(number string) aftersale.Order {
	for _, o := range orders() {
		if o.Number == number {
			o = normalized(o)
			o.Lines = nil
			return o
		}
	}
	panic("no fixture order " + number)
}

var distDE = &distributors()[0]

func product(sku string) aftersale.Product {
	for _, p := range catalogue() {
		if p.SKU == sku {
			p.Successors, p.Components = nil, nil
			return p
		}
	}
	panic("no fixture product " + sku)
}

// cmpOpts compares sold items as the registry keeps them; whether a claim
// names the serial has its own test (testNeverClaimed).
var cmpOpts = cmp.Options{cmp.AllowUnexported(date.Date{}), cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(aftersale.SoldItem{}, "NeverClaimed")}

// testNeverClaimed: a serial lookup says whether any claim names the serial,
// so that the warranty lookup skips the earlier-claims query when none does.
func testNeverClaimed(t *testing.T, db *store.DB) {
	seed(t, db)
	before, err := db.LookupSerial(ctx(t), "SN-SERVO-2")
	if err != nil || !before.NeverClaimed {
		t.Fatalf("before any claim: NeverClaimed %v, %v", before.NeverClaimed, err)
	}
	c := sampleClaim()
	c.Lines = c.Lines[:1]
	c.Lines[0].Serial, c.Lines[0].SKU, c.Lines[0].OrderLine = "SN-SERVO-2", "SERVO-9G", 2
	createClaim(t, db, &c)
	after, err := db.LookupSerial(ctx(t), "SN-SERVO-2")
	if err != nil || after.NeverClaimed {
		t.Errorf("after a claim on it: NeverClaimed %v, %v", after.NeverClaimed, err)
	}
	other, err := db.LookupSerial(ctx(t), "SN-SERVO-1")
	if err != nil || !other.NeverClaimed {
		t.Errorf("another serial of the same line: NeverClaimed %v, %v", other.NeverClaimed, err)
	}
}

func testLookupSerial(t *testing.T, db *store.DB) {
	seed(t, db)
	tests := []struct {
		serial string
		want   aftersale.SoldItem
	}{
		{"SN-ESC-1", aftersale.SoldItem{Serials: []string{"SN-ESC-1"}, Product: product("ESC-1"), Quantity: 1, Line: 1,
			Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-13")}},
		// A servo inside a kit: its own SKU and category, the kit it came
		// in, and the parcel that held the kit's line.
		{"SN-SERVO-2", aftersale.SoldItem{Serials: []string{"SN-SERVO-2"}, Product: product("SERVO-9G"), Quantity: 1,
			KitSKU: "KIT-ARM", Line: 2, Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-15")}},
		{"SN-ARM-1", aftersale.SoldItem{Serials: []string{"SN-ARM-1"}, Product: product("KIT-ARM"), Quantity: 1,
			Line: 2, Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-15")}},
	}
	for _, tc := range tests {
		t.Run(tc.serial, func(t *testing.T) {
			got, err := db.LookupSerial(ctx(t), tc.serial)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmpOpts); diff != "" {
				t.Errorf("LookupSerial(%s) (-want +got):\n%s", tc.serial, diff)
			}
		})
	}
	// A later parcel of the whole order: the line that had its own parcel
	// keeps that one's date, the others take the latest of the order's,
	// and an unsigned parcel changes nothing.
	err := db.UpsertDeliveries(ctx(t), []aftersale.Delivery{
		{OrderNumber: "A-1001", TrackingNumber: "DHL-3", Carrier: "DHL", SignedFor: date.MustParse("2026-01-20")},
		{OrderNumber: "A-1001", TrackingNumber: "DHL-4", Carrier: "DHL"},
		{OrderNumber: "A-1001", TrackingNumber: "DHL-5", Carrier: "DHL", Line: 2}})
	if err != nil {
		t.Fatal(err)
	}
	for serial, want := range map[string]string{"SN-ESC-1": "2026-01-20", "SN-SERVO-2": "2026-01-15", "SN-ARM-1": "2026-01-15"} {
		got, err := db.LookupSerial(ctx(t), serial)
		if err != nil || got.DeliveredOn != date.MustParse(want) {
			t.Errorf("after a later parcel of the order, %s delivered on %v (%v), want %s", serial, got.DeliveredOn, err, want)
		}
	}
	// Inside a transaction, as the claim workflow will call it.
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		got, err := tx.LookupSerial(ctx(t), "SN-SERVO-1")
		if err == nil && got.KitSKU != "KIT-ARM" {
			t.Errorf("tx.LookupSerial: kit %q, want KIT-ARM", got.KitSKU)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testLookupOrder(t *testing.T, db *store.DB) {
	seed(t, db)
	a, b := header("A-1001"), header("B-2001")
	arm := date.MustParse("2026-01-15")
	tests := []struct {
		number string
		want   []aftersale.SoldItem
	}{
		{"A-1001", []aftersale.SoldItem{
			{Serials: []string{"SN-ESC-1"}, Product: product("ESC-1"), Quantity: 1, Line: 1, Order: a, DeliveredOn: date.MustParse("2026-01-13")},
			{Serials: []string{"SN-ARM-1"}, Product: product("KIT-ARM"), Quantity: 1, Line: 2, Order: a, DeliveredOn: arm},
			{Product: product("SCREW-M3"), Quantity: 10, KitSKU: "KIT-ARM", Line: 2, Order: a, DeliveredOn: arm},
			{Serials: []string{"SN-SERVO-1", "SN-SERVO-2"}, Product: product("SERVO-9G"), Quantity: 2, KitSKU: "KIT-ARM", Line: 2, Order: a, DeliveredOn: arm},
		}},
		// Two robot kits, each with an ESC and two arm kits: nested kits
		// expand, quantities multiply, and the distributor comes along. The
		// parcel is not signed for yet.
		{"B-2001", []aftersale.SoldItem{
			{Product: product("KIT-BOT"), Quantity: 2, Line: 1, Order: b, Distributor: distDE},
			{Product: product("ESC-2"), Quantity: 2, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
			{Product: product("KIT-ARM"), Quantity: 4, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
			{Product: product("SCREW-M3"), Quantity: 40, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
			{Product: product("SERVO-9G"), Quantity: 8, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.number, func(t *testing.T) {
			got, err := db.LookupOrder(ctx(t), tc.number)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmpOpts); diff != "" {
				t.Errorf("LookupOrder(%s) (-want +got):\n%s", tc.number, diff)
			}
		})
	}
}

func testNotFound(t *testing.T, db *store.DB) {
	seed(t, db)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"serial", func() error { _, err := db.LookupSerial(ctx(t), "SN-NOPE"); return err }, `serial "SN-NOPE" is not on file`},
		{"order lookup", func() error { _, err := db.LookupOrder(ctx(t), "NOPE"); return err }, `order "NOPE" not found`},
		{"order", func() error { _, err := db.Order(ctx(t), "NOPE"); return err }, `order "NOPE" not found`},
		{"product", func() error { _, err := db.Product(ctx(t), "NOPE"); return err }, `product "NOPE" not found`},
		{"distributor", func() error { _, err := db.Distributor(ctx(t), "NOPE"); return err }, `distributor "NOPE" not found`},
		{"customer", func() error { _, err := db.Customer(ctx(t), "No@Pe"); return err }, `customer "no@pe" not found`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.call(), aftersale.NotFound, tc.want)
		})
	}
}
