package demo_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/demo"
	"github.com/aftersale/aftersale/importer"
	"github.com/aftersale/aftersale/internal/pgtest"
	"github.com/aftersale/aftersale/store"
)

var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

var today = date.MustParse("2026-06-30")

func options(orders int, seed uint64) demo.Options {
	return demo.Options{Orders: orders, Seed: seed, Today: today, Batch: 97}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range demo.Files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(b)
	}
	return out
}

// TestDeterministic: a seed gives the same files, another seed others.
func TestDeterministic(t *testing.T) {
	gen := func(seed uint64) map[string]string {
		dir := t.TempDir()
		if _, err := demo.WriteCSV(t.Context(), dir, options(500, seed)); err != nil {
			t.Fatal(err)
		}
		return readDir(t, dir)
	}
	a, b, c := gen(7), gen(7), gen(8)
	for name := range a {
		if a[name] != b[name] {
			t.Errorf("%s differs between two runs of seed 7", name)
		}
	}
	if a["orders.csv"] == c["orders.csv"] || a["customers.csv"] == c["customers.csv"] {
		t.Error("seeds 7 and 8 gave the same orders or customers")
	}
}

// TestCoverage checks that the data set has what a demo needs: every
// channel and category, kits, deliveries with and without dates, and
// purchases within two years before today.
func TestCoverage(t *testing.T) {
	dir := t.TempDir()
	st, err := demo.WriteCSV(t.Context(), dir, options(2000, 1))
	if err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	for _, want := range []string{",direct,", ",authorized_distributor,", ",unauthorized_reseller,SHOP-GREY,", ",JPY,", ",EUR,",
		"KIT-HUMANOID-17", "SV-LD20MG:SV1-"} {
		if !strings.Contains(files["orders.csv"], want) {
			t.Errorf("orders.csv lacks %q", want)
		}
	}
	for _, cat := range []string{"electronic_module", "servo_motor", "mechanical_part", "consumable", "battery",
		"power_module", "packaging", "gift", "other"} {
		if !strings.Contains(files["products.csv"], ","+cat+",") {
			t.Errorf("products.csv lacks category %s", cat)
		}
	}
	if !strings.Contains(files["distributors.csv"], "SHOP-GREY,Cheap Bots Online,false") {
		t.Error("no unauthorised reseller")
	}
	if st.Orders != 2000 || st.Kits < 5 || st.Deliveries < 1800 || st.Deliveries > 2600 || st.Serials < st.Lines {
		t.Errorf("stats %+v", st)
	}
	rows, err := csv.NewReader(strings.NewReader(files["orders.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	oldest := today.AddDays(-731)
	for _, r := range rows[1:] {
		d := date.MustParse(r[1])
		if !d.Before(today) || !d.After(oldest) {
			t.Fatalf("purchase date %s outside the two years before %s", d, today)
		}
	}
}

// TestImportsCleanly writes the CSV files, imports them on each engine and
// finds a servo inside a kit by its serial; writing straight into a
// database gives the same registry.
func TestImportsCleanly(t *testing.T) {
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{store.SQLite, func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") }},
		{store.Postgres, func(t *testing.T) string { return pg.Database(t) }},
	}
	dir := t.TempDir()
	st, err := demo.WriteCSV(t.Context(), dir, options(600, 3))
	if err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	serial := kitServoSerial(t, files["orders.csv"])
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			imported, direct := openDB(t, e.dsn(t)), openDB(t, e.dsn(t))
			for _, f := range demo.Files {
				res, err := importer.Import(t.Context(), imported, strings.NewReader(files[f.Name]),
					importer.Options{Kind: f.Kind, Name: f.Name, Today: today})
				if err != nil || res.Rejected != 0 {
					t.Fatalf("import %s: %+v, %v", f.Name, res, err)
				}
			}
			st2, err := demo.Store(t.Context(), direct, options(600, 3))
			if err != nil {
				t.Fatal(err)
			}
			if st2 != st {
				t.Errorf("Store stats %+v, WriteCSV stats %+v", st2, st)
			}
			for _, db := range []*store.DB{imported, direct} {
				it, err := db.LookupSerial(t.Context(), serial)
				if err != nil || it.KitSKU != "KIT-HUMANOID-17" || it.Product.SKU != "SV-LD20MG" || it.Product.Category != "servo_motor" {
					t.Errorf("LookupSerial(%s): %+v, %v", serial, it, err)
				}
			}
			a, err := imported.LookupOrder(t.Context(), "SO3-0000042")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := direct.LookupOrder(t.Context(), "SO3-0000042")
			if len(a) == 0 || len(a) != len(b) {
				t.Errorf("order SO3-0000042: %d items imported, %d written directly", len(a), len(b))
			}
		})
	}
}

// kitServoSerial finds the serial of a servo sold inside a humanoid kit.
func kitServoSerial(t *testing.T, orders string) string {
	t.Helper()
	for _, line := range strings.Split(orders, "\n") {
		if !strings.Contains(line, ",KIT-HUMANOID-17,") {
			continue
		}
		for _, s := range strings.Split(line[strings.LastIndex(line, ",")+1:], ";") {
			if sn, ok := strings.CutPrefix(s, "SV-LD20MG:"); ok {
				return sn
			}
		}
	}
	t.Fatal("no humanoid kit with a servo serial in orders.csv")
	return ""
}

func openDB(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The example a newcomer is shown exists in the data set, as it says.
func TestExample(t *testing.T) {
	var sink recordSink
	st, err := demo.Generate(t.Context(), options(300, 1), &sink)
	if err != nil {
		t.Fatal(err)
	}
	ex := st.Example
	if ex.Order == "" || ex.Serial == "" || ex.DistributorOrder == "" || ex.Distributor == "" {
		t.Fatalf("incomplete example: %+v", ex)
	}
	found := map[string]bool{}
	for _, o := range sink.orders {
		switch o.Number {
		case ex.Order:
			found["direct"] = o.Channel == aftersale.Direct && o.CustomerEmail == ex.Email && o.PurchaseDate == ex.PurchasedOn
			for _, l := range o.Lines {
				for _, s := range l.Serials {
					found["serial"] = found["serial"] || s.Number == ex.Serial
				}
			}
		case ex.DistributorOrder:
			found["distributor"] = o.DistributorCode == ex.Distributor && o.CustomerEmail == ex.DistributorEmail
		}
	}
	for _, k := range []string{"direct", "serial", "distributor"} {
		if !found[k] {
			t.Errorf("example's %s sale not in the data set: %+v", k, ex)
		}
	}
}

// recordSink keeps the orders it is given.
type recordSink struct{ orders []aftersale.Order }

func (s *recordSink) Products(context.Context, []aftersale.Product) error         { return nil }
func (s *recordSink) Distributors(context.Context, []aftersale.Distributor) error { return nil }
func (s *recordSink) Customers(context.Context, []aftersale.Customer) error       { return nil }
func (s *recordSink) Deliveries(context.Context, []aftersale.Delivery) error      { return nil }
func (s *recordSink) Orders(_ context.Context, os []aftersale.Order) error {
	s.orders = append(s.orders, os...)
	return nil
}
