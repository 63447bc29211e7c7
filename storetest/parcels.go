package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
)

// inTx runs fn in one transaction and fails the test on an error.
func inTx(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.InTx(ctx(t), fn); err != nil {
		t.Fatal(err)
	}
}

// testShipments: parcels round-trip per claim, are delivered once, and
// another claim's parcel is not found through this one.
func testShipments(t *testing.T, db *store.DB) {
	a, b := twoClaims(t, db)
	want := []aftersale.Shipment{
		{ClaimID: a.ID, Direction: aftersale.Inbound, Carrier: "DHL", TrackingNumber: "RET-1", PaidBy: "seller",
			CreatedBy: "agent@shop.example", CreatedAt: claimTime},
		{ClaimID: a.ID, Direction: aftersale.Outbound, Carrier: "UPS", TrackingNumber: "OUT-1", PaidBy: "customer",
			OverrideReason: "customer asked for express", ShippedOn: claimDay.AddDays(3), CreatedBy: "boss@shop.example",
			CreatedAt: claimTime.Add(time.Hour)},
		{ClaimID: b.ID, Direction: aftersale.Inbound, Carrier: "DHL", TrackingNumber: "RET-1", PaidBy: "customer",
			CreatedBy: "agent@shop.example", CreatedAt: claimTime},
	}
	inTx(t, db, func(tx *store.Tx) error {
		for i := range want {
			if err := tx.AddShipment(ctx(t), &want[i]); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := db.Shipments(ctx(t), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[:2], got, cmpOpts); d != "" {
		t.Errorf("Shipments (-want +got):\n%s", d)
	}
	delivered := claimDay.AddDays(5)
	inTx(t, db, func(tx *store.Tx) error { return tx.SetShipmentDelivered(ctx(t), a.ID, want[1].ID, delivered) })
	err = db.InTx(ctx(t), func(tx *store.Tx) error { return tx.SetShipmentDelivered(ctx(t), a.ID, want[1].ID, delivered) })
	wantError(t, err, aftersale.Conflict, "already delivered", delivered.String())
	err = db.InTx(ctx(t), func(tx *store.Tx) error { return tx.SetShipmentDelivered(ctx(t), b.ID, want[1].ID, delivered) })
	wantError(t, err, aftersale.NotFound, "not on file")
	inTx(t, db, func(tx *store.Tx) error {
		s, err := tx.Shipment(ctx(t), a.ID, want[1].ID)
		if err == nil && s.DeliveredOn != delivered {
			t.Errorf("delivered on %s, want %s", s.DeliveredOn, delivered)
		}
		return err
	})
	tests := []struct {
		name  string
		edit  func(s *aftersale.Shipment)
		kind  aftersale.ErrorKind
		parts []string
	}{
		{"same tracking number twice", func(s *aftersale.Shipment) {}, aftersale.Conflict, []string{"DHL RET-1"}},
		{"unknown claim", func(s *aftersale.Shipment) { s.ClaimID, s.TrackingNumber = 999999, "X" }, aftersale.Invalid, []string{"999999"}},
		{"payer", func(s *aftersale.Shipment) { s.PaidBy = "nobody" }, aftersale.Invalid, []string{"nobody"}},
		{"direction", func(s *aftersale.Shipment) { s.Direction = "sideways" }, aftersale.Invalid, []string{"sideways"}},
		{"no tracking number", func(s *aftersale.Shipment) { s.TrackingNumber = " " }, aftersale.Invalid, []string{"tracking_number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := want[0]
			s.ID = 0
			tt.edit(&s)
			wantError(t, db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddShipment(ctx(t), &s) }), tt.kind, tt.parts...)
		})
	}
}

// testRefunds: refunds round-trip per claim; a reference is used once per
// claim; the amount is positive.
func testRefunds(t *testing.T, db *store.DB) {
	a, b := twoClaims(t, db)
	want := []aftersale.Refund{
		{ClaimID: a.ID, Amount: aftersale.Money{Minor: 1999, Currency: "EUR"}, Reference: "re_1", RefundedOn: claimDay, By: "boss@shop.example"},
		{ClaimID: a.ID, Amount: aftersale.Money{Minor: 1000, Currency: "EUR"}, Reference: "re_2", RefundedOn: claimDay.AddDays(1), By: "boss@shop.example"},
		{ClaimID: b.ID, Amount: aftersale.Money{Minor: 5, Currency: "JPY"}, Reference: "re_1", RefundedOn: claimDay, By: "boss@shop.example"},
	}
	inTx(t, db, func(tx *store.Tx) error {
		for i := range want {
			if err := tx.AddRefund(ctx(t), &want[i]); err != nil {
				return err
			}
		}
		inside, err := tx.Refunds(ctx(t), b.ID)
		if d := cmp.Diff(want[2:], inside, cmpOpts); err == nil && d != "" {
			t.Errorf("Tx.Refunds (-want +got):\n%s", d)
		}
		return err
	})
	got, err := db.Refunds(ctx(t), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[:2], got, cmpOpts); d != "" {
		t.Errorf("Refunds (-want +got):\n%s", d)
	}
	for _, tt := range []struct {
		name string
		r    aftersale.Refund
		kind aftersale.ErrorKind
		say  string
	}{
		{"reference twice", aftersale.Refund{ClaimID: a.ID, Amount: aftersale.Money{Minor: 1, Currency: "EUR"}, Reference: "re_1", RefundedOn: claimDay}, aftersale.Conflict, "re_1"},
		{"zero", aftersale.Refund{ClaimID: a.ID, Amount: aftersale.Money{Currency: "EUR"}, Reference: "re_9", RefundedOn: claimDay}, aftersale.Invalid, "amount"},
		{"currency", aftersale.Refund{ClaimID: a.ID, Amount: aftersale.Money{Minor: 1, Currency: "eur"}, Reference: "re_9", RefundedOn: claimDay}, aftersale.Invalid, "eur"},
		{"unknown claim", aftersale.Refund{ClaimID: 999999, Amount: aftersale.Money{Minor: 1, Currency: "EUR"}, Reference: "re_9", RefundedOn: claimDay}, aftersale.Invalid, "999999"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddRefund(ctx(t), &tt.r) }), tt.kind, tt.say)
		})
	}
}

// testReplacementUnits: a replacement's serial is looked up as the
// replacement's product on the original sale, shipped on its day; a
// repaired unit keeps its serial and its latest shipping day.
func testReplacementUnits(t *testing.T, db *store.DB) {
	a, b := twoClaims(t, db)
	d := func(n int) date.Date { return claimDay.AddDays(n) }
	units := []aftersale.ReplacementUnit{
		// ESC-1 replaced by its successor.
		{Serial: "SN-ESC-NEW", SKU: "ESC-2", ReplacesSerial: "SN-ESC-1", ClaimID: a.ID, Line: 1, OrderNumber: "A-1001", OrderLine: 1, ShippedOn: d(10), Kind: aftersale.KindReplacement},
		// A servo of the arm kit, repaired twice (in two claims), and another replaced.
		{Serial: "SN-SERVO-1", SKU: "SERVO-9G", ReplacesSerial: "SN-SERVO-1", ClaimID: a.ID, Line: 2, OrderNumber: "A-1001", OrderLine: 2, KitSKU: "KIT-ARM", ShippedOn: d(3), Kind: aftersale.KindRepair},
		{Serial: "SN-SERVO-1", SKU: "SERVO-9G", ReplacesSerial: "SN-SERVO-1", ClaimID: b.ID, Line: 1, OrderNumber: "A-1001", OrderLine: 2, KitSKU: "KIT-ARM", ShippedOn: d(40), Kind: aftersale.KindRepair},
		{Serial: "SN-SERVO-NEW", SKU: "SERVO-9G", ReplacesSerial: "SN-SERVO-2", ClaimID: a.ID, Line: 2, OrderNumber: "A-1001", OrderLine: 2, KitSKU: "KIT-ARM", ShippedOn: d(4), Kind: aftersale.KindReplacement},
		// A kit component sold without a serial gets a serial of its own; later repaired.
		{Serial: "SN-BOT-ESC", SKU: "ESC-2", ClaimID: b.ID, Line: 1, OrderNumber: "B-2001", OrderLine: 1, KitSKU: "KIT-BOT", ShippedOn: d(1), Kind: aftersale.KindReplacement},
		{Serial: "SN-BOT-ESC", SKU: "ESC-2", ReplacesSerial: "SN-BOT-ESC", ClaimID: a.ID, Line: 1, OrderNumber: "B-2001", OrderLine: 1, KitSKU: "KIT-BOT", ShippedOn: d(20), Kind: aftersale.KindRepair},
		// The replacement of ESC-1 replaced in turn.
		{Serial: "SN-ESC-NEWER", SKU: "ESC-2", ReplacesSerial: "SN-ESC-NEW", ClaimID: a.ID, Line: 1, OrderNumber: "A-1001", OrderLine: 1, ShippedOn: d(30), Kind: aftersale.KindReplacement},
		// SN-SERVO-2 replaced a second time, later: the first replacement
		// (SN-SERVO-NEW, on day 4) ended its cover.
		{Serial: "SN-SERVO-ALT", SKU: "SERVO-9G", ReplacesSerial: "SN-SERVO-2", ClaimID: a.ID, Line: 2, OrderNumber: "A-1001", OrderLine: 2, KitSKU: "KIT-ARM", ShippedOn: d(6), Kind: aftersale.KindReplacement},
	}
	inTx(t, db, func(tx *store.Tx) error {
		for i := range units {
			units[i].CreatedBy, units[i].CreatedAt = "agent@shop.example", claimTime.Add(time.Duration(i)*time.Minute)
			if err := tx.AddReplacementUnit(ctx(t), &units[i]); err != nil {
				return err
			}
		}
		// Inside the transaction the lookup sees the new unit.
		_, err := tx.LookupSerial(ctx(t), "SN-ESC-NEW")
		return err
	})
	esc2 := product("ESC-2")
	tests := []struct {
		serial string
		want   aftersale.SoldItem
	}{
		{"SN-ESC-NEW", aftersale.SoldItem{Serials: []string{"SN-ESC-NEW"}, Product: esc2, Quantity: 1, Line: 1,
			Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-13"), ReshippedOn: d(10),
			ReplacedBy: "SN-ESC-NEWER", ReplacedOn: d(30)}},
		{"SN-ESC-NEWER", aftersale.SoldItem{Serials: []string{"SN-ESC-NEWER"}, Product: esc2, Quantity: 1, Line: 1,
			Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-13"), ReshippedOn: d(30)}},
		// The unit SN-ESC-NEW replaced is the seller's from day 10.
		{"SN-ESC-1", aftersale.SoldItem{Serials: []string{"SN-ESC-1"}, Product: product("ESC-1"), Quantity: 1, Line: 1,
			Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-13"), ReplacedBy: "SN-ESC-NEW", ReplacedOn: d(10)}},
		{"SN-SERVO-1", aftersale.SoldItem{Serials: []string{"SN-SERVO-1"}, Product: product("SERVO-9G"), Quantity: 1, KitSKU: "KIT-ARM",
			Line: 2, Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-15"), ReshippedOn: d(40)}},
		{"SN-SERVO-NEW", aftersale.SoldItem{Serials: []string{"SN-SERVO-NEW"}, Product: product("SERVO-9G"), Quantity: 1, KitSKU: "KIT-ARM",
			Line: 2, Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-15"), ReshippedOn: d(4)}},
		{"SN-BOT-ESC", aftersale.SoldItem{Serials: []string{"SN-BOT-ESC"}, Product: esc2, Quantity: 1, KitSKU: "KIT-BOT",
			Line: 1, Order: header("B-2001"), Distributor: distDE, ReshippedOn: d(20)}},
		// The unit SN-SERVO-NEW replaced keeps its sale; it is the seller's
		// from the day of its first replacement.
		{"SN-SERVO-2", aftersale.SoldItem{Serials: []string{"SN-SERVO-2"}, Product: product("SERVO-9G"), Quantity: 1, KitSKU: "KIT-ARM",
			Line: 2, Order: header("A-1001"), DeliveredOn: date.MustParse("2026-01-15"), ReplacedBy: "SN-SERVO-NEW", ReplacedOn: d(4)}},
	}
	for _, tt := range tests {
		got, err := db.LookupSerial(ctx(t), tt.serial)
		if err != nil {
			t.Errorf("LookupSerial(%s): %v", tt.serial, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
			t.Errorf("LookupSerial(%s) (-want +got):\n%s", tt.serial, diff)
		}
		// Typed in lower case, as on file.
		if got, err = db.LookupSerial(ctx(t), strings.ToLower(tt.serial)); err != nil {
			t.Errorf("LookupSerial(%s): %v", strings.ToLower(tt.serial), err)
		} else if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
			t.Errorf("LookupSerial(%s) (-want +got):\n%s", strings.ToLower(tt.serial), diff)
		}
	}
	// Inside a transaction, as the claim workflow calls it.
	inTx(t, db, func(tx *store.Tx) error {
		got, err := tx.LookupSerial(ctx(t), "SN-SERVO-2")
		if err == nil && (got.ReplacedBy != "SN-SERVO-NEW" || got.ReplacedOn != d(4)) {
			t.Errorf("tx.LookupSerial(SN-SERVO-2): replaced by %q on %s, want SN-SERVO-NEW on %s", got.ReplacedBy, got.ReplacedOn, d(4))
		}
		return err
	})
	_, err := db.LookupSerial(ctx(t), "SN-NOWHERE")
	wantError(t, err, aftersale.NotFound, "SN-NOWHERE")
	testReshippedInOrders(t, db, d)
	listed, err := db.ReplacementUnits(ctx(t), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantB := []aftersale.ReplacementUnit{units[2], units[4]}
	for i := range wantB {
		wantB[i].ClaimNumber = b.Number
	}
	if diff := cmp.Diff(wantB, listed, cmpOpts); diff != "" {
		t.Errorf("ReplacementUnits (-want +got):\n%s", diff)
	}
	testReplacementRefusals(t, db, a, b)
}

// testReshippedInOrders: an order lookup agrees with the serial lookup
// about the units shipped again: a repaired or replaced serial is an item
// of its own with its latest shipping day and its replacement, a
// replacement unit one beside the article it replaced; the other units of
// an article keep their first cover.
func testReshippedInOrders(t *testing.T, db *store.DB, d func(int) date.Date) {
	a, b := header("A-1001"), header("B-2001")
	arm := date.MustParse("2026-01-15")
	tests := []struct {
		number string
		want   []aftersale.SoldItem
	}{
		{"A-1001", []aftersale.SoldItem{
			{Serials: []string{"SN-ESC-1"}, Product: product("ESC-1"), Quantity: 1, Line: 1, Order: a, DeliveredOn: date.MustParse("2026-01-13"),
				ReplacedBy: "SN-ESC-NEW", ReplacedOn: d(10)},
			{Serials: []string{"SN-ESC-NEW"}, Product: product("ESC-2"), Quantity: 1, Line: 1, Order: a, DeliveredOn: date.MustParse("2026-01-13"), ReshippedOn: d(10),
				ReplacedBy: "SN-ESC-NEWER", ReplacedOn: d(30)},
			{Serials: []string{"SN-ESC-NEWER"}, Product: product("ESC-2"), Quantity: 1, Line: 1, Order: a, DeliveredOn: date.MustParse("2026-01-13"), ReshippedOn: d(30)},
			{Serials: []string{"SN-ARM-1"}, Product: product("KIT-ARM"), Quantity: 1, Line: 2, Order: a, DeliveredOn: arm},
			{Product: product("SCREW-M3"), Quantity: 10, KitSKU: "KIT-ARM", Line: 2, Order: a, DeliveredOn: arm},
			{Serials: []string{"SN-SERVO-2"}, Product: product("SERVO-9G"), Quantity: 1, KitSKU: "KIT-ARM", Line: 2, Order: a, DeliveredOn: arm,
				ReplacedBy: "SN-SERVO-NEW", ReplacedOn: d(4)},
			{Serials: []string{"SN-SERVO-1"}, Product: product("SERVO-9G"), Quantity: 1, KitSKU: "KIT-ARM", Line: 2, Order: a, DeliveredOn: arm, ReshippedOn: d(40)},
			{Serials: []string{"SN-SERVO-ALT"}, Product: product("SERVO-9G"), Quantity: 1, KitSKU: "KIT-ARM", Line: 2, Order: a, DeliveredOn: arm, ReshippedOn: d(6)},
			{Serials: []string{"SN-SERVO-NEW"}, Product: product("SERVO-9G"), Quantity: 1, KitSKU: "KIT-ARM", Line: 2, Order: a, DeliveredOn: arm, ReshippedOn: d(4)},
		}},
		{"B-2001", []aftersale.SoldItem{
			{Product: product("KIT-BOT"), Quantity: 2, Line: 1, Order: b, Distributor: distDE},
			{Product: product("ESC-2"), Quantity: 2, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
			{Product: product("KIT-ARM"), Quantity: 4, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
			{Product: product("SCREW-M3"), Quantity: 40, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
			{Product: product("SERVO-9G"), Quantity: 8, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE},
			{Serials: []string{"SN-BOT-ESC"}, Product: product("ESC-2"), Quantity: 1, KitSKU: "KIT-BOT", Line: 1, Order: b, Distributor: distDE, ReshippedOn: d(20)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			got, err := db.LookupOrder(ctx(t), tt.number)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("LookupOrder(%s) (-want +got):\n%s", tt.number, diff)
			}
			var inTxGot []aftersale.SoldItem
			inTx(t, db, func(tx *store.Tx) error { inTxGot, err = tx.LookupOrder(ctx(t), tt.number); return err })
			if diff := cmp.Diff(got, inTxGot, cmpOpts); diff != "" {
				t.Errorf("tx.LookupOrder(%s) differs from LookupOrder (-db +tx):\n%s", tt.number, diff)
			}
			// Every serial of the order is the same unit to both lookups.
			for _, it := range got {
				for _, serial := range it.Serials {
					one, err := db.LookupSerial(ctx(t), serial)
					if err != nil {
						t.Fatalf("LookupSerial(%s): %v", serial, err)
					}
					want := it
					want.Serials, want.Quantity = []string{serial}, 1
					if diff := cmp.Diff(want, one, cmpOpts); diff != "" {
						t.Errorf("LookupSerial(%s) disagrees with LookupOrder(%s) (-order +serial):\n%s", serial, tt.number, diff)
					}
				}
			}
		})
	}
}

func testReplacementRefusals(t *testing.T, db *store.DB, a, b aftersale.Claim) {
	ok := aftersale.ReplacementUnit{Serial: "SN-X", SKU: "ESC-2", ReplacesSerial: "SN-ESC-1", ClaimID: b.ID, Line: 1,
		OrderNumber: "A-1001", OrderLine: 1, ShippedOn: claimDay, Kind: aftersale.KindReplacement, CreatedBy: "x"}
	tests := []struct {
		name string
		edit func(u *aftersale.ReplacementUnit)
		kind aftersale.ErrorKind
		say  string
	}{
		{"replacement serial used in another claim", func(u *aftersale.ReplacementUnit) { u.Serial = "SN-ESC-NEW" }, aftersale.Conflict, "SN-ESC-NEW"},
		{"same repair twice in a claim", func(u *aftersale.ReplacementUnit) {
			u.Serial, u.ReplacesSerial, u.Kind, u.ClaimID = "SN-SERVO-1", "SN-SERVO-1", aftersale.KindRepair, a.ID
		}, aftersale.Conflict, "SN-SERVO-1"},
		{"repair under another serial", func(u *aftersale.ReplacementUnit) { u.Kind = aftersale.KindRepair }, aftersale.Invalid, "keeps its serial"},
		{"unknown product", func(u *aftersale.ReplacementUnit) { u.SKU = "NOPE" }, aftersale.Invalid, "NOPE"},
		{"unknown order line", func(u *aftersale.ReplacementUnit) { u.OrderLine = 9 }, aftersale.Invalid, "line 9"},
		{"no shipping day", func(u *aftersale.ReplacementUnit) { u.ShippedOn = date.Date{} }, aftersale.Invalid, "shipped_on"},
		{"kind", func(u *aftersale.ReplacementUnit) { u.Kind = "swap" }, aftersale.Invalid, "swap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := ok
			tt.edit(&u)
			wantError(t, db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddReplacementUnit(ctx(t), &u) }), tt.kind, tt.say)
		})
	}
}
