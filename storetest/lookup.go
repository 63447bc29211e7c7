package storetest

import (
	"fmt"
	"strings"
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
	for _, p := range catalog() {
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

// testLookupAnyCase: a serial or an order number typed in another case
// than on file finds the same article, spelled as on file, inside a
// transaction too; one on file in no case is still not found.
func testLookupAnyCase(t *testing.T, db *store.DB) {
	seed(t, db)
	for _, serial := range []string{"SN-SERVO-2", "SN-ESC-1"} {
		want, err := db.LookupSerial(ctx(t), serial)
		if err != nil {
			t.Fatal(err)
		}
		for _, typed := range []string{strings.ToLower(serial), "sN-" + serial[3:]} {
			got, err := db.LookupSerial(ctx(t), typed)
			if err != nil {
				t.Errorf("LookupSerial(%s): %v", typed, err)
				continue
			}
			if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
				t.Errorf("LookupSerial(%s) differs from LookupSerial(%s) (-want +got):\n%s", typed, serial, diff)
			}
		}
	}
	want, err := db.LookupOrder(ctx(t), "A-1001")
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.LookupOrder(ctx(t), "a-1001")
	if err != nil {
		t.Fatalf("LookupOrder(a-1001): %v", err)
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("LookupOrder(a-1001) differs from LookupOrder(A-1001) (-want +got):\n%s", diff)
	}
	inTx(t, db, func(tx *store.Tx) error {
		item, err := tx.LookupSerial(ctx(t), "sn-servo-1")
		if err == nil && item.Serials[0] != "SN-SERVO-1" {
			t.Errorf("tx.LookupSerial(sn-servo-1): serials %v, want SN-SERVO-1", item.Serials)
		}
		if err != nil {
			return err
		}
		items, err := tx.LookupOrder(ctx(t), "b-2001")
		if err == nil && items[0].Order.Number != "B-2001" {
			t.Errorf("tx.LookupOrder(b-2001): order %q, want B-2001", items[0].Order.Number)
		}
		return err
	})
	_, err = db.LookupSerial(ctx(t), "sn-nope")
	wantError(t, err, aftersale.NotFound, `serial "sn-nope" is not on file`)
	_, err = db.LookupOrder(ctx(t), "nope")
	wantError(t, err, aftersale.NotFound, `order "nope" not found`)
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

// testNestedKits: a product a kit holds both on its own and inside a
// nested kit (or inside two nested kits) is one article of the order:
// quantities add up, and each of its serials is listed once, so a repaired
// or replaced serial has one item, one cover, as LookupSerial finds it.
func testNestedKits(t *testing.T, db *store.DB) {
	a, _ := twoClaims(t, db)
	n := aftersale.Order{Number: "N-1", PurchaseDate: date.MustParse("2026-03-02"), Channel: aftersale.Direct,
		Total: aftersale.Money{Minor: 30000, Currency: "EUR"}, Lines: []aftersale.OrderLine{
			{Line: 1, SKU: "KIT-HEX", Quantity: 1, UnitPrice: 20000},
			{Line: 2, SKU: "KIT-DUO", Quantity: 1, UnitPrice: 10000},
		}}
	var hex, duo []string
	for i := 1; i <= 6; i++ {
		hex = append(hex, fmt.Sprintf("SN-H-%d", i))
		n.Lines[0].Serials = append(n.Lines[0].Serials, aftersale.Serial{Number: hex[i-1], SKU: "SERVO-9G"})
	}
	for i := 1; i <= 7; i++ {
		duo = append(duo, fmt.Sprintf("SN-D-%d", i))
		n.Lines[1].Serials = append(n.Lines[1].Serials, aftersale.Serial{Number: duo[i-1], SKU: "SERVO-9G"})
	}
	inTx(t, db, func(tx *store.Tx) error {
		err := tx.UpsertProducts(ctx(t), []aftersale.Product{
			{SKU: "KIT-LEG", Name: "Leg kit", Category: "other", Components: []aftersale.KitComponent{{SKU: "SERVO-9G", Quantity: 5}}},
			// A servo on its own and five in the leg.
			{SKU: "KIT-HEX", Name: "Hexapod kit", Category: "other", Components: []aftersale.KitComponent{
				{SKU: "KIT-LEG", Quantity: 1}, {SKU: "SERVO-9G", Quantity: 1}}},
			// Five servos in the leg and two in the arm, at the same depth.
			{SKU: "KIT-DUO", Name: "Leg and arm kit", Category: "other", Components: []aftersale.KitComponent{
				{SKU: "KIT-LEG", Quantity: 1}, {SKU: "KIT-ARM", Quantity: 1}}},
		})
		if err != nil {
			return err
		}
		return tx.UpsertOrders(ctx(t), []aftersale.Order{n})
	})
	o := normalized(n)
	o.Lines = nil
	servo := func(line int, kit string, serials ...string) aftersale.SoldItem {
		return aftersale.SoldItem{Serials: serials, Product: product("SERVO-9G"), Quantity: len(serials), KitSKU: kit, Line: line, Order: o}
	}
	kit := func(line int, sku, in string, qty int) aftersale.SoldItem {
		return aftersale.SoldItem{Product: aftersale.Product{SKU: sku, Name: map[string]string{"KIT-HEX": "Hexapod kit",
			"KIT-DUO": "Leg and arm kit", "KIT-LEG": "Leg kit", "KIT-ARM": "Robot arm kit"}[sku], Category: "other"},
			Quantity: qty, KitSKU: in, Line: line, Order: o}
	}
	screws := aftersale.SoldItem{Product: product("SCREW-M3"), Quantity: 10, KitSKU: "KIT-DUO", Line: 2, Order: o}
	sold := []aftersale.SoldItem{
		kit(1, "KIT-HEX", "", 1), kit(1, "KIT-LEG", "KIT-HEX", 1), servo(1, "KIT-HEX", hex...),
		kit(2, "KIT-DUO", "", 1), kit(2, "KIT-ARM", "KIT-DUO", 1), kit(2, "KIT-LEG", "KIT-DUO", 1), screws, servo(2, "KIT-DUO", duo...),
	}
	wantOrder(t, db, "N-1", sold)

	// SN-H-3 comes back repaired, SN-D-2 is replaced by SN-D-R.
	d := func(n int) date.Date { return claimDay.AddDays(n) }
	inTx(t, db, func(tx *store.Tx) error {
		for _, u := range []aftersale.ReplacementUnit{
			{Serial: "SN-H-3", SKU: "SERVO-9G", ReplacesSerial: "SN-H-3", ClaimID: a.ID, Line: 1, OrderNumber: "N-1", OrderLine: 1, KitSKU: "KIT-HEX", ShippedOn: d(3), Kind: aftersale.KindRepair},
			{Serial: "SN-D-R", SKU: "SERVO-9G", ReplacesSerial: "SN-D-2", ClaimID: a.ID, Line: 1, OrderNumber: "N-1", OrderLine: 2, KitSKU: "KIT-DUO", ShippedOn: d(5), Kind: aftersale.KindReplacement},
		} {
			u.CreatedBy, u.CreatedAt = "agent@shop.example", claimTime
			if err := tx.AddReplacementUnit(ctx(t), &u); err != nil {
				return err
			}
		}
		return nil
	})
	repaired, replaced, replacement := servo(1, "KIT-HEX", "SN-H-3"), servo(2, "KIT-DUO", "SN-D-2"), servo(2, "KIT-DUO", "SN-D-R")
	repaired.ReshippedOn = d(3)
	replaced.ReplacedBy, replaced.ReplacedOn = "SN-D-R", d(5)
	replacement.ReshippedOn = d(5)
	wantOrder(t, db, "N-1", []aftersale.SoldItem{
		sold[0], sold[1], servo(1, "KIT-HEX", "SN-H-1", "SN-H-2", "SN-H-4", "SN-H-5", "SN-H-6"), repaired,
		sold[3], sold[4], sold[5], screws, servo(2, "KIT-DUO", "SN-D-1", "SN-D-3", "SN-D-4", "SN-D-5", "SN-D-6", "SN-D-7"), replaced, replacement,
	})
}

// wantOrder checks an order lookup, and that it agrees with the serial
// lookup: each serial is listed once, as the unit LookupSerial finds.
func wantOrder(t *testing.T, db *store.DB, number string, want []aftersale.SoldItem) {
	t.Helper()
	got, err := db.LookupOrder(ctx(t), number)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("LookupOrder(%s) (-want +got):\n%s", number, diff)
	}
	seen := map[string]int{}
	for _, it := range got {
		for _, serial := range it.Serials {
			if seen[serial]++; seen[serial] > 1 {
				t.Errorf("LookupOrder(%s) lists %s more than once", number, serial)
				continue
			}
			one, err := db.LookupSerial(ctx(t), serial)
			if err != nil {
				t.Fatalf("LookupSerial(%s): %v", serial, err)
			}
			it := it
			it.Serials, it.Quantity = []string{serial}, 1
			if diff := cmp.Diff(it, one, cmpOpts); diff != "" {
				t.Errorf("LookupSerial(%s) disagrees with LookupOrder(%s) (-order +serial):\n%s", serial, number, diff)
			}
		}
	}
}
