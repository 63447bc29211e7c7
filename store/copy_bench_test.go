package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
	"github.com/jackc/pgx/v5"
)

// BenchmarkPostgresBulk compares, in one run, the ways PostgreSQL can take
// a batch of BenchmarkImportOrderLines (5,000 orders, 4 lines each, one
// transaction): multi-row VALUES statements, binary COPY into a staging
// table then INSERT ... SELECT, and, as the server's floor, a bare COPY of
// the same rows into tables without index or constraint.
//
//	go test ./store -run '^$' -bench PostgresBulk -benchtime 3x -count 3
func BenchmarkPostgresBulk(b *testing.B) {
	const orders, linesPerOrder = 5000, 4
	for _, serials := range []bool{false, true} {
		kind := "plain"
		if serials {
			kind = "serials"
		}
		for _, mode := range []string{"values", "copy", "bare-copy"} {
			b.Run(kind+"/"+mode, func(b *testing.B) {
				dsn := pg.Database(b)
				db := open(b, dsn)
				seedProducts(b, db)
				write := func(ctx context.Context, batch []aftersale.Order) error { return db.UpsertOrders(ctx, batch) }
				if mode == "bare-copy" {
					write = bareCopy(b, dsn)
				} else {
					defer store.SetBulkCopy(mode == "copy")()
				}
				var elapsed time.Duration
				round := 0
				for b.Loop() {
					b.StopTimer()
					batch := orderBatch(round, orders, linesPerOrder, serials)
					round++
					b.StartTimer()
					start := time.Now()
					if err := write(b.Context(), batch); err != nil {
						b.Fatal(err)
					}
					elapsed += time.Since(start)
				}
				b.ReportMetric(float64(round*orders*linesPerOrder)/elapsed.Seconds(), "lines/s")
			})
		}
	}
}

// bareCopy returns a writer that COPYs orders, lines and serials into
// tables with the same columns and no index, key or constraint, in one
// transaction per batch.
func bareCopy(b *testing.B, dsn string) func(context.Context, []aftersale.Order) error {
	conn, err := pgx.Connect(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close(context.Background()) })
	_, err = conn.Exec(b.Context(), `
		CREATE TABLE bare_orders (number text, purchase_date date, channel text, distributor_code text,
			customer_email text, proof_of_purchase boolean, proof_document text, currency text, total_minor bigint);
		CREATE TABLE bare_lines (order_number text, line_number integer, sku text, quantity integer, unit_price_minor bigint);
		CREATE TABLE bare_serials (serial text, order_number text, line_number integer, sku text)`)
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context, batch []aftersale.Order) error {
		var os, ls, ss [][]any
		for _, o := range batch {
			day, _ := time.Parse(time.DateOnly, o.PurchaseDate.String())
			os = append(os, []any{o.Number, day, string(o.Channel), nil, nil, o.ProofOfPurchase, o.ProofDocument,
				o.Total.Currency, o.Total.Minor})
			for _, l := range o.Lines {
				ls = append(ls, []any{o.Number, l.Line, l.SKU, l.Quantity, l.UnitPrice})
				for _, s := range l.Serials {
					ss = append(ss, []any{s.Number, o.Number, l.Line, l.SKU})
				}
			}
		}
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			for _, t := range []struct {
				table string
				cols  []string
				rows  [][]any
			}{
				{"bare_orders", []string{"number", "purchase_date", "channel", "distributor_code", "customer_email",
					"proof_of_purchase", "proof_document", "currency", "total_minor"}, os},
				{"bare_lines", []string{"order_number", "line_number", "sku", "quantity", "unit_price_minor"}, ls},
				{"bare_serials", []string{"serial", "order_number", "line_number", "sku"}, ss},
			} {
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
					return err
				}
			}
			return nil
		})
	}
}
