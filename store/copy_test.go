package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
)

// TestBulkOrders writes batches large enough for PostgreSQL's COPY path
// (store's minBulkRows) and checks what the conformance suite checks with
// small ones: a re-import rewrites no row, and a refused batch names the row
// at fault.
func TestBulkOrders(t *testing.T) {
	const orders = 1500
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := t.Context()
			dsn := e.dsn(t)
			db := open(t, dsn)
			products(t, db)
			first := orderBatch(0, orders, 2, true)
			if err := db.UpsertOrders(ctx, first); err != nil {
				t.Fatal(err)
			}
			before := versions(t, db, dsn)
			if err := db.UpsertOrders(ctx, first); err != nil {
				t.Fatalf("re-import: %v", err)
			}
			if after := versions(t, db, dsn); after != before {
				t.Errorf("re-import rewrote rows: %s, then %s", before, after)
			}

			bad := orderBatch(1, orders, 2, false)
			bad[1200].Lines[1].SKU = "NOPE"
			wantRefusal(t, db.UpsertOrders(ctx, bad), aftersale.Invalid, `unknown SKU "NOPE"`, bad[1200].Number)

			twice := orderBatch(2, orders, 1, true)
			sold := first[5].Lines[0].Serials[0].Number
			twice[1300].Lines[0].Serials[0].Number = sold
			wantRefusal(t, db.UpsertOrders(ctx, twice), aftersale.Conflict, sold, first[5].Number)

			// Two large batches in one transaction share the staging tables.
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for round := 3; round <= 4; round++ {
					if err := tx.UpsertOrders(ctx, orderBatch(round, orders, 2, true)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := versions(t, db, dsn), fmt.Sprintf("%d %d %d", 3*orders, 6*orders, 6*orders); !strings.HasPrefix(got, want) {
				t.Errorf("rows after two batches in one transaction: %s, want %s", got, want)
			}
		})
	}
}

// TestReimportWritesNothing: importing the same orders, lines and serials
// again writes no row, through multi-row statements (small batches) and
// through PostgreSQL's COPY path (large ones). On PostgreSQL a row version
// would show in xmin; SQLite leaves a page whose bytes do not change as it
// was.
func TestReimportWritesNothing(t *testing.T) {
	for _, e := range engines {
		for _, size := range []struct {
			name   string
			orders int
		}{{"statements", 20}, {"bulk", 1500}} {
			t.Run(e.name+"/"+size.name, func(t *testing.T) {
				dsn := e.dsn(t)
				db := open(t, dsn)
				products(t, db)
				batch := orderBatch(0, size.orders, 3, true)
				if err := db.UpsertOrders(t.Context(), batch); err != nil {
					t.Fatal(err)
				}
				before := versions(t, db, dsn)
				for range 2 {
					if err := db.UpsertOrders(t.Context(), batch); err != nil {
						t.Fatalf("re-import: %v", err)
					}
				}
				if after := versions(t, db, dsn); after != before {
					t.Errorf("re-import rewrote rows: %s, then %s", before, after)
				}
			})
		}
	}
}

func wantRefusal(t *testing.T, err error, kind aftersale.ErrorKind, words ...string) {
	t.Helper()
	if aftersale.KindOf(err) != kind {
		t.Fatalf("error %v (%v), want kind %v", err, aftersale.KindOf(err), kind)
	}
	for _, w := range words {
		if !strings.Contains(aftersale.MessageOf(err), w) {
			t.Errorf("error %q does not name %q", aftersale.MessageOf(err), w)
		}
	}
}

func products(t *testing.T, db *store.DB) {
	t.Helper()
	var ps []aftersale.Product
	for i := range 100 {
		ps = append(ps, aftersale.Product{SKU: fmt.Sprintf("SKU-%03d", i), Name: "Product", Category: "electronic_module"})
	}
	if err := db.UpsertProducts(t.Context(), ps); err != nil {
		t.Fatal(err)
	}
}

// versions counts the orders, lines and serials and, on PostgreSQL, adds
// the sum of their xmin: an update, even to the same values, changes it.
func versions(t *testing.T, db *store.DB, dsn string) string {
	t.Helper()
	driver, xmin := "sqlite", "0"
	if db.Engine() == store.Postgres {
		driver, xmin = "pgx", "xmin::text::bigint"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var counts, sums []string
	for _, table := range []string{"orders", "order_lines", "serials"} {
		var n, sum int64
		q := fmt.Sprintf("SELECT count(*), coalesce(sum(%s), 0) FROM %s", xmin, table)
		if err := raw.QueryRowContext(context.Background(), q).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, fmt.Sprint(n))
		sums = append(sums, fmt.Sprint(sum))
	}
	return strings.Join(append(counts, sums...), " ")
}
