package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func testProductsRoundTrip(t *testing.T, db *store.DB) {
	want := catalog()
	if err := db.UpsertProducts(ctx(t), want); err != nil {
		t.Fatal(err)
	}
	// A second import changes a name, drops a successor and turns the kit's
	// bill of materials into another: the store keeps what was given last.
	want[0].Name, want[0].Successors = "Speed controller (old)", []string{"ESC-2"}
	want[5].Components = []aftersale.KitComponent{{SKU: "SERVO-9G", Quantity: 4}}
	want[4].WarrantyMonths = nil
	if err := db.UpsertProducts(ctx(t), want); err != nil {
		t.Fatal(err)
	}
	for _, p := range want {
		got, err := db.Product(ctx(t), p.SKU)
		if err != nil {
			t.Fatalf("Product(%s): %v", p.SKU, err)
		}
		if diff := cmp.Diff(p, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Product(%s) (-want +got):\n%s", p.SKU, diff)
		}
	}
}

func testPartiesRoundTrip(t *testing.T, db *store.DB) {
	if err := db.UpsertDistributors(ctx(t), distributors()); err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertCustomers(ctx(t), customers()); err != nil {
		t.Fatal(err)
	}
	for _, d := range distributors() {
		got, err := db.Distributor(ctx(t), d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, got); diff != "" {
			t.Errorf("Distributor(%s) (-want +got):\n%s", d.Code, diff)
		}
	}
	// Every one, by name: the grey market shop sorts before Robots GmbH.
	all, err := db.Distributors(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]aftersale.Distributor{distributors()[1], distributors()[0]}, all); diff != "" {
		t.Errorf("Distributors (-want +got):\n%s", diff)
	}
	for _, c := range customers() {
		got, err := db.Customer(ctx(t), c.Email) // any case finds it
		if err != nil {
			t.Fatal(err)
		}
		c.Email = aftersale.NormalizeEmail(c.Email)
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("Customer(%s) (-want +got):\n%s", c.Email, diff)
		}
	}
}

// normalized returns o as the store gives it back: lines carry the order
// number, serials their SKU, the customer e-mail is lower-cased.
func normalized(o aftersale.Order) aftersale.Order {
	o.CustomerEmail = aftersale.NormalizeEmail(o.CustomerEmail)
	lines := make([]aftersale.OrderLine, len(o.Lines))
	for i, l := range o.Lines {
		l.OrderNumber = o.Number
		serials := make([]aftersale.Serial, len(l.Serials))
		for j, s := range l.Serials {
			if s.SKU == "" {
				s.SKU = l.SKU
			}
			serials[j] = s
		}
		l.Serials = serials
		lines[i] = l
	}
	o.Lines = lines
	return o
}

func testOrdersRoundTrip(t *testing.T, db *store.DB) {
	seed(t, db)
	for _, o := range orders() {
		got, err := db.Order(ctx(t), o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(normalized(o), got, cmpopts.EquateEmpty(), cmp.AllowUnexported(date.Date{})); diff != "" {
			t.Errorf("Order(%s) (-want +got):\n%s", o.Number, diff)
		}
	}
	got, err := db.Deliveries(ctx(t), "A-1001")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(deliveries()[:2], got, cmp.AllowUnexported(date.Date{})); diff != "" {
		t.Errorf("Deliveries(A-1001) (-want +got):\n%s", diff)
	}
}

// state is everything the fixture wrote, read back.
type state struct {
	Products   []aftersale.Product
	Orders     []aftersale.Order
	Items      [][]aftersale.SoldItem
	Deliveries [][]aftersale.Delivery
	Errors     []string
}

func snapshot(t *testing.T, db *store.DB) state {
	t.Helper()
	var s state
	note := func(err error) {
		if err != nil {
			s.Errors = append(s.Errors, err.Error())
		}
	}
	for _, p := range catalog() {
		got, err := db.Product(ctx(t), p.SKU)
		s.Products = append(s.Products, got)
		note(err)
	}
	for _, o := range orders() {
		got, err := db.Order(ctx(t), o.Number)
		s.Orders = append(s.Orders, got)
		note(err)
		items, err := db.LookupOrder(ctx(t), o.Number)
		s.Items = append(s.Items, items)
		note(err)
		ds, err := db.Deliveries(ctx(t), o.Number)
		s.Deliveries = append(s.Deliveries, ds)
		note(err)
	}
	return s
}

func testReimportChangesNothing(t *testing.T, db *store.DB) {
	seed(t, db)
	before := snapshot(t, db)
	seed(t, db)
	seed(t, db)
	if diff := cmp.Diff(before, snapshot(t, db), cmpOpts); diff != "" {
		t.Errorf("re-import changed the registry (-before +after):\n%s", diff)
	}
}

func testRefusals(t *testing.T, db *store.DB) {
	seed(t, db)
	order := func(number, sku string, serials ...string) aftersale.Order {
		o := aftersale.Order{Number: number, PurchaseDate: date.MustParse("2026-04-01"), Channel: aftersale.Direct,
			Total: aftersale.Money{Minor: 1, Currency: "EUR"},
			Lines: []aftersale.OrderLine{{Line: 1, SKU: sku, Quantity: 1}}}
		for _, s := range serials {
			o.Lines[0].Serials = append(o.Lines[0].Serials, aftersale.Serial{Number: s})
		}
		return o
	}
	tests := []struct {
		name  string
		write func() error
		kind  aftersale.ErrorKind
		parts []string
	}{
		{"serial sold twice", func() error { return db.UpsertOrders(ctx(t), []aftersale.Order{order("D-1", "ESC-1", "SN-ESC-1")}) },
			aftersale.Conflict, []string{`serial "SN-ESC-1" is already sold on order A-1001`}},
		{"serial twice in one batch", func() error {
			return db.UpsertOrders(ctx(t), []aftersale.Order{order("D-1", "ESC-1", "SN-NEW"), order("D-2", "ESC-1", "SN-NEW")})
		}, aftersale.Conflict, []string{`serial "SN-NEW"`, "D-1", "D-2"}},
		{"kit contains itself", func() error {
			return db.UpsertProducts(ctx(t), []aftersale.Product{{SKU: "KIT-ARM", Name: "Arm", Category: "other",
				Components: []aftersale.KitComponent{{SKU: "KIT-ARM", Quantity: 1}}}})
		}, aftersale.Invalid, []string{`kit "KIT-ARM" cannot contain itself`}},
		{"kit contains itself through another kit", func() error {
			return db.UpsertProducts(ctx(t), []aftersale.Product{{SKU: "KIT-ARM", Name: "Arm", Category: "other",
				Components: []aftersale.KitComponent{{SKU: "KIT-BOT", Quantity: 1}}}})
		}, aftersale.Invalid, []string{`kit "KIT-ARM" cannot contain itself`, "KIT-ARM > KIT-BOT > KIT-ARM"}},
		{"kit lists unknown product", func() error {
			return db.UpsertProducts(ctx(t), []aftersale.Product{{SKU: "KIT-Z", Name: "Z", Category: "other",
				Components: []aftersale.KitComponent{{SKU: "NOPE", Quantity: 1}}}})
		}, aftersale.Invalid, []string{`kit "KIT-Z" lists unknown product "NOPE"`}},
		{"unknown SKU on an order line", func() error { return db.UpsertOrders(ctx(t), []aftersale.Order{order("D-1", "NOPE")}) },
			aftersale.Invalid, []string{`order "D-1" line 1: unknown SKU "NOPE"`}},
		{"line of an unknown order", func() error {
			return db.UpsertOrderLines(ctx(t), []aftersale.OrderLine{{OrderNumber: "NOPE", Line: 1, SKU: "ESC-1", Quantity: 1}})
		}, aftersale.Invalid, []string{`unknown order "NOPE"`}},
		{"unknown SKU of a kit serial", func() error {
			o := order("D-1", "KIT-ARM")
			o.Lines[0].Serials = []aftersale.Serial{{Number: "SN-X", SKU: "NOPE"}}
			return db.UpsertOrders(ctx(t), []aftersale.Order{o})
		}, aftersale.Invalid, []string{`serial "SN-X"`, `unknown SKU "NOPE"`}},
		{"unknown distributor", func() error {
			o := order("D-1", "ESC-1")
			o.Channel, o.DistributorCode = aftersale.AuthorizedDistributor, "NOPE"
			return db.UpsertOrders(ctx(t), []aftersale.Order{o})
		}, aftersale.Invalid, []string{`unknown distributor "NOPE"`}},
		{"unknown customer", func() error {
			o := order("D-1", "ESC-1")
			o.CustomerEmail = "Nobody@example.com"
			return db.UpsertOrders(ctx(t), []aftersale.Order{o})
		}, aftersale.Invalid, []string{`unknown customer "nobody@example.com"`}},
		{"delivery before purchase", func() error {
			return db.UpsertDeliveries(ctx(t), []aftersale.Delivery{{OrderNumber: "A-1001", TrackingNumber: "EARLY", SignedFor: date.MustParse("2026-01-09")}})
		}, aftersale.Invalid, []string{`delivery "EARLY" was signed for on 2026-01-09, before order A-1001 was bought on 2026-01-10`}},
		{"purchase moved after a delivery", func() error {
			o := orders()[0]
			o.PurchaseDate = date.MustParse("2026-01-14")
			return db.UpsertOrders(ctx(t), []aftersale.Order{o})
		}, aftersale.Invalid, []string{`delivery "DHL-1" was signed for on 2026-01-13`}},
		{"delivery of a missing line", func() error {
			return db.UpsertDeliveries(ctx(t), []aftersale.Delivery{{OrderNumber: "A-1001", TrackingNumber: "T", Line: 9}})
		}, aftersale.Invalid, []string{`order A-1001 has no line 9`}},
		{"delivery of an unknown order", func() error {
			return db.UpsertDeliveries(ctx(t), []aftersale.Delivery{{OrderNumber: "NOPE", TrackingNumber: "T"}})
		}, aftersale.Invalid, []string{`unknown order "NOPE"`}},
		{"invalid channel", func() error {
			o := order("D-1", "ESC-1")
			o.Channel = "flea_market"
			return db.UpsertOrders(ctx(t), []aftersale.Order{o})
		}, aftersale.Invalid, []string{`unknown channel "flea_market"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, db)
			wantError(t, tc.write(), tc.kind, tc.parts...)
			if diff := cmp.Diff(before, snapshot(t, db), cmpOpts); diff != "" {
				t.Errorf("a refused write changed the registry (-before +after):\n%s", diff)
			}
		})
	}
}

func testFailedBatchLeavesNothing(t *testing.T, db *store.DB) {
	seed(t, db)
	batch := []aftersale.Order{}
	for i := 0; i < 5; i++ {
		batch = append(batch, aftersale.Order{Number: fmt.Sprintf("E-%d", i), PurchaseDate: date.MustParse("2026-05-01"),
			Channel: aftersale.Direct, Total: aftersale.Money{Currency: "EUR"},
			Lines: []aftersale.OrderLine{{Line: 1, SKU: "ESC-2", Quantity: 1, Serials: []aftersale.Serial{{Number: fmt.Sprintf("SN-E-%d", i)}}}}})
	}
	batch[4].Lines[0].SKU = "NOPE"
	wantError(t, db.UpsertOrders(ctx(t), batch), aftersale.Invalid, `unknown SKU "NOPE"`)
	for _, o := range batch {
		_, err := db.Order(ctx(t), o.Number)
		if aftersale.KindOf(err) != aftersale.NotFound {
			t.Errorf("Order(%s) after a failed batch: err = %v, want NotFound", o.Number, err)
		}
	}
	_, err := db.LookupSerial(ctx(t), "SN-E-0")
	if aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("serial of a failed batch is on file: %v", err)
	}
}

// testErrorInLaterChunk fails one row deep inside a batch larger than a
// statement's chunk: the error names that row, and nothing stays.
func testErrorInLaterChunk(t *testing.T, db *store.DB) {
	seed(t, db)
	o := aftersale.Order{Number: "BIG-1", PurchaseDate: date.MustParse("2026-05-01"), Channel: aftersale.Direct,
		Total: aftersale.Money{Currency: "EUR"}}
	for i := 1; i <= 700; i++ {
		o.Lines = append(o.Lines, aftersale.OrderLine{Line: i, SKU: "SERVO-9G", Quantity: 1,
			Serials: []aftersale.Serial{{Number: fmt.Sprintf("SN-BIG-%d", i)}}})
	}
	o.Lines[599].Serials[0].Number = "SN-SERVO-2" // sold on A-1001
	wantError(t, db.UpsertOrders(ctx(t), []aftersale.Order{o}), aftersale.Conflict,
		`serial "SN-SERVO-2" is already sold on order A-1001`)
	o.Lines[599].Serials[0].Number = "SN-BIG-600"
	o.Lines[650].SKU = "NOPE"
	wantError(t, db.UpsertOrders(ctx(t), []aftersale.Order{o}), aftersale.Invalid, `order "BIG-1" line 651: unknown SKU "NOPE"`)
	if _, err := db.Order(ctx(t), "BIG-1"); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("Order(BIG-1) after failed writes: %v, want NotFound", err)
	}
	o.Lines[650].SKU = "SERVO-9G"
	if err := db.UpsertOrders(ctx(t), []aftersale.Order{o}); err != nil {
		t.Fatalf("the corrected batch: %v", err)
	}
	got, err := db.Order(ctx(t), "BIG-1")
	if err != nil || len(got.Lines) != 700 {
		t.Fatalf("Order(BIG-1) = %d lines, %v; want 700", len(got.Lines), err)
	}
}

func testInTxRollsBack(t *testing.T, db *store.DB) {
	errStop := errors.New("stop")
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		if err := tx.UpsertProducts(ctx(t), catalog()); err != nil {
			return err
		}
		if _, err := tx.Product(ctx(t), "ESC-1"); err != nil {
			return fmt.Errorf("the transaction does not see its own write: %w", err)
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("InTx returned %v, want the function's error", err)
	}
	if _, err := db.Product(ctx(t), "ESC-1"); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("Product after rollback: %v, want NotFound", err)
	}
}
