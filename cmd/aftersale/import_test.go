package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/store"
)

// TestDemoDataThenImport is the newcomer's path: generate the CSV files,
// import them in order, import them again (nothing changes), and find a
// servo sold inside a kit by its serial.
func TestDemoDataThenImport(t *testing.T) {
	dataDir, out := t.TempDir(), t.TempDir()
	stdout, errOut, code := runCLI(t, nil, "", "--data-dir", dataDir, "demo-data", "--orders", "300", "--seed", "5", "--today", "2026-06-30", "--out", out)
	if code != 0 || !strings.Contains(stdout, "300 orders") || !strings.Contains(stdout, "aftersale import orders "+out+"/orders.csv") {
		t.Fatalf("demo-data: exit %d, out %q, err %q", code, stdout, errOut)
	}
	for round := range 2 {
		for _, kind := range []string{"products", "kits", "distributors", "customers", "orders", "deliveries"} {
			file := filepath.Join(out, kind+".csv")
			stdout, errOut, code := runCLI(t, nil, "", "--data-dir", dataDir, "import", kind, file)
			if code != 0 || !strings.Contains(stdout, " applied, 0 rejected") {
				t.Fatalf("round %d: import %s: exit %d, out %q, err %q", round, kind, code, stdout, errOut)
			}
		}
	}
	orders, err := os.ReadFile(filepath.Join(out, "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(orders), "SV-LD20MG:")
	if !ok {
		t.Fatal("no servo serial inside a kit in orders.csv")
	}
	serial := strings.FieldsFunc(rest, func(r rune) bool { return r == ';' || r == '\n' })[0]
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "aftersale.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	it, err := db.LookupSerial(t.Context(), serial)
	if err != nil || it.KitSKU != "KIT-HUMANOID-17" || it.Product.Category != "servo_motor" {
		t.Errorf("LookupSerial(%s): %+v, %v", serial, it, err)
	}
}

const cliProducts = "sku,name,category\nSERVO-9G,9 g servo,servo_motor\nESC-1,Speed controller,electronic_module\n"

const cliOrders = "order_number,purchase_date,channel,currency,line,sku,quantity,unit_price,serials\n" +
	"A-1,2026-01-10,direct,EUR,1,ESC-1,1,2999,SN-1\n" +
	"A-2,2026-02-30,direct,EUR,1,ESC-1,1,2999,SN-2\n" +
	"A-3,2026-01-11,direct,EUR,1,NOPE,1,100,\n" +
	"A-4,2026-01-12,direct,EUR,1,SERVO-9G,2,500,SN-1\n" +
	"A-5,2026-01-12,direct,EUR,1,SERVO-9G,2,500,SN-5;SN-6\n"

func TestImportCommandBadRows(t *testing.T) {
	dataDir, dir := t.TempDir(), t.TempDir()
	products, orders := filepath.Join(dir, "products.csv"), filepath.Join(dir, "orders.csv")
	writeFile(t, products, cliProducts)
	writeFile(t, orders, cliOrders)
	if _, errOut, code := runCLI(t, nil, "", "--data-dir", dataDir, "import", "products", products); code != 0 {
		t.Fatalf("import products: %d %s", code, errOut)
	}

	// Whole or nothing: every bad row on stderr, exit 2, nothing stored.
	stdout, errOut, code := runCLI(t, nil, "", "--data-dir", dataDir, "import", "orders", orders)
	for _, want := range []string{
		orders + `:3: column purchase_date: "2026-02-30" is not a day of the calendar`,
		orders + `:4: column sku: order "A-3" line 1: unknown SKU "NOPE"`,
		orders + `:5: column serials: serial "SN-1" is sold twice: also on line 2 of this file`,
		"3 bad row(s); nothing imported",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code != 2 || stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, stdout)
	}
	if _, err := os.Stat(orders + ".rejects.csv"); !os.IsNotExist(err) {
		t.Errorf("a rejects file without --skip-invalid: %v", err)
	}

	// --skip-invalid: the good orders go in, the bad ones to the rejects file.
	stdout, errOut, code = runCLI(t, nil, "", "--data-dir", dataDir, "import", "orders", orders, "--skip-invalid")
	if code != 0 || !strings.Contains(stdout, "5 rows read, 2 applied, 3 rejected") || !strings.Contains(stdout, orders+".rejects.csv") {
		t.Errorf("--skip-invalid: exit %d, out %q, err %q", code, stdout, errOut)
	}
	rejects := string(mustRead(t, orders+".rejects.csv"))
	want := "order_number,purchase_date,channel,currency,line,sku,quantity,unit_price,serials,line,reason\n" +
		`A-2,2026-02-30,direct,EUR,1,ESC-1,1,2999,SN-2,3,"column purchase_date: ""2026-02-30"" is not a day of the calendar"` + "\n" +
		`A-3,2026-01-11,direct,EUR,1,NOPE,1,100,,4,"column sku: order ""A-3"" line 1: unknown SKU ""NOPE"""` + "\n" +
		`A-4,2026-01-12,direct,EUR,1,SERVO-9G,2,500,SN-1,5,"column serials: serial ""SN-1"" is sold twice: also on line 2 of this file"` + "\n"
	if rejects != want {
		t.Errorf("rejects file:\n%s\nwant:\n%s", rejects, want)
	}

	// A clean file removes a stale rejects file; --rejects names another.
	other := filepath.Join(dir, "bad.csv")
	writeFile(t, orders, strings.Join(strings.Split(cliOrders, "\n")[:2], "\n")+"\n")
	stdout, _, code = runCLI(t, nil, "", "--data-dir", dataDir, "import", "orders", orders, "--skip-invalid", "--rejects", other)
	if code != 0 || !strings.Contains(stdout, "1 rows read, 1 applied, 0 rejected") {
		t.Errorf("clean re-import: %d %q", code, stdout)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("rejects file of a clean import: %v", err)
	}
}

func TestImportCommandUsage(t *testing.T) {
	dataDir := t.TempDir()
	jsonl := filepath.Join(t.TempDir(), "p.data")
	writeFile(t, jsonl, `{"sku":"X-1","name":"X","category":"robot"}`+"\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown kind", []string{"import", "widgets", "x.csv"}, "widgets"},
		{"missing file", []string{"import", "orders", "/nonexistent/orders.csv"}, "/nonexistent/orders.csv"},
		{"format flag and policy categories", []string{"import", "products", jsonl, "--format", "jsonl"}, `p.data:1: column category: "robot" is not a category of the policy in force`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, nil, "", append([]string{"--data-dir", dataDir}, tt.args...)...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
	stdout, errOut, code := runCLI(t, nil, cliProducts, "--data-dir", dataDir, "import", "products", "-")
	if code != 0 || !strings.Contains(stdout, "-: 2 rows read, 2 applied") {
		t.Errorf("standard input: %d %q %q", code, stdout, errOut)
	}
}

func TestDemoDataIntoDatabase(t *testing.T) {
	dataDir := t.TempDir()
	for range 2 { // the same seed twice: the same data, no conflict
		stdout, errOut, code := runCLI(t, nil, "", "--data-dir", dataDir, "demo-data", "--orders", "200", "--seed", "9")
		if code != 0 || !strings.HasPrefix(stdout, "sqlite database: 38 products (6 kits), 7 distributors") || !strings.Contains(stdout, "200 orders") {
			t.Fatalf("demo-data: exit %d, out %q, err %q", code, stdout, errOut)
		}
	}
	if _, errOut, code := runCLI(t, nil, "", "demo-data", "--today", "2026-02-30"); code != 2 || !strings.Contains(errOut, "--today") {
		t.Errorf("bad --today: %d %q", code, errOut)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
