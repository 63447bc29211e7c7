package importer_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/importer"
	"github.com/aftersale/aftersale/internal/pgtest"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// engine is a fresh database of one engine.
type engine struct {
	name string
	dsn  func(t testing.TB) string
}

var engines = []engine{
	{store.SQLite, func(t testing.TB) string { return filepath.Join(t.TempDir(), "aftersale.db") }},
	{store.Postgres, func(t testing.TB) string { return pg.Database(t) }},
}

// testDB is an open store and its DSN, to count rows behind its back.
type testDB struct {
	*store.DB
	dsn string
}

func open(t testing.TB, e engine) testDB {
	t.Helper()
	dsn := e.dsn(t)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return testDB{db, dsn}
}

var tables = []string{"products", "kit_components", "product_successors", "distributors", "customers",
	"orders", "order_lines", "serials", "deliveries"}

// counts returns the rows of every registry table.
func (db testDB) counts(t testing.TB) map[string]int {
	t.Helper()
	driver := "sqlite"
	if store.IsPostgresDSN(db.dsn) {
		driver = "pgx"
	}
	conn, err := sql.Open(driver, db.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := conn.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

var today = date.MustParse("2026-06-30")

var categories = []string{"electronic_module", "servo_motor", "mechanical_part", "consumable", "battery",
	"power_module", "packaging", "gift", "other"}

func options(kind importer.Kind, name string) importer.Options {
	return importer.Options{Kind: kind, Name: name, Format: importer.FormatOf(name), Today: today, Categories: categories}
}

// load imports text as file name (its extension gives the format).
func load(t testing.TB, db testDB, kind importer.Kind, name, text string) (importer.Result, error) {
	t.Helper()
	return importer.Import(context.Background(), db.DB, strings.NewReader(text), options(kind, name))
}

func mustLoad(t testing.TB, db testDB, kind importer.Kind, name, text string) importer.Result {
	t.Helper()
	res, err := load(t, db, kind, name, text)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return res
}

const productsCSV = `sku,name,category,warranty_months,successors,discontinued
SERVO-9G,9 g servo,servo_motor,,,false
ESC-1,Speed controller,electronic_module,,ESC-2;ESC-3,true
ESC-2,Speed controller v2,electronic_module,18,,
SCREW-M3,M3 screws,consumable,,,
KIT-ARM,Robot arm kit,other,,,no
`

const kitsCSV = `kit_sku,component_sku,quantity
KIT-ARM,SERVO-9G,2
KIT-ARM,SCREW-M3,10
KIT-ARM,ESC-2,1
`

const distributorsCSV = `code,name,authorised,email,phone,return_window_days,replacement_window_days
DIST-DE,Robots GmbH,true,service@robots.de,+49 30 1234,14,
SHOP-X,Grey market shop,false,,,,
`

const customersCSV = `email,name,phone,country,language
Alice@Example.com,Alice,+44 20 7946 0000,GB,en
bob@example.de,Bob,,DE,de
`

const ordersCSV = `order_number,purchase_date,channel,distributor,customer_email,proof_of_purchase,proof_document,currency,line,sku,quantity,unit_price,serials
A-1001,2026-01-10,direct,,alice@example.com,true,INV-1001,EUR,1,ESC-1,1,2999,SN-ESC-1
A-1001,,,,,,,,2,KIT-ARM,1,10000,SN-ARM-1;SERVO-9G:SN-SERVO-1;SERVO-9G:SN-SERVO-2
B-2001,2026-02-01,authorized_distributor,DIST-DE,bob@example.de,yes,,EUR,1,SCREW-M3,50,2,
C-3001,2026-03-01,unauthorized_reseller,SHOP-X,,false,,USD,1,SERVO-9G,2,500,SN-S-1;SN-S-2
`

const deliveriesCSV = `order_number,line,carrier,tracking_number,signed_for
A-1001,0,DHL,DHL-1,2026-01-13
A-1001,2,DHL,DHL-2,2026-01-15
B-2001,,UPS,UPS-9,
`

// fixture is the whole registry in import order.
var fixture = []struct {
	kind       importer.Kind
	name, text string
}{
	{importer.Products, "products.csv", productsCSV},
	{importer.Kits, "kits.csv", kitsCSV},
	{importer.Distributors, "distributors.csv", distributorsCSV},
	{importer.Customers, "customers.csv", customersCSV},
	{importer.Orders, "orders.csv", ordersCSV},
	{importer.Deliveries, "deliveries.csv", deliveriesCSV},
}

func seed(t testing.TB, db testDB) {
	t.Helper()
	for _, f := range fixture {
		mustLoad(t, db, f.kind, f.name, f.text)
	}
}

var wantCounts = map[string]int{"products": 5, "kit_components": 3, "product_successors": 2, "distributors": 2,
	"customers": 2, "orders": 3, "order_lines": 4, "serials": 6, "deliveries": 3}

func wantInvalid(t *testing.T, err error, parts ...string) *importer.InvalidError {
	t.Helper()
	var ie *importer.InvalidError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InvalidError", err)
	}
	var lines []string
	for _, r := range ie.Rows {
		lines = append(lines, r.Error())
	}
	all := strings.Join(lines, "\n")
	for _, p := range parts {
		if !strings.Contains(all, p) {
			t.Errorf("bad rows\n%s\nlack %q", all, p)
		}
	}
	return ie
}

func diff(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpopts.EquateComparable(date.Date{})); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}
