package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
)

var ordersUpsert = upsert{
	table: "orders",
	key:   []string{"number"},
	cols: []string{"number", "purchase_date", "channel", "distributor_code", "customer_email",
		"proof_of_purchase", "proof_document", "currency", "total_minor"},
	update: []string{"purchase_date", "channel", "distributor_code", "customer_email",
		"proof_of_purchase", "proof_document", "currency", "total_minor"},
	pgTypes: []string{"text", "date", "text", "text", "text", "boolean", "text", "text", "bigint"},
}

var linesUpsert = upsert{
	table:   "order_lines",
	key:     []string{"order_number", "line_number"},
	cols:    []string{"order_number", "line_number", "sku", "quantity", "unit_price_minor"},
	update:  []string{"sku", "quantity", "unit_price_minor"},
	pgTypes: []string{"text", "integer", "text", "integer", "bigint"},
}

// serialsUpsert touches a known serial only when it is on the same order
// line and its SKU changed: a re-imported serial is left alone (no new row
// version on PostgreSQL), and a serial sold elsewhere is neither inserted
// nor updated. Both leave the affected-row count short, and upsertSerials
// then tells them apart (a plain unique violation could not tell a
// re-import from a second sale).
var serialsUpsert = upsert{
	table:  "serials",
	key:    []string{"serial"},
	cols:   []string{"serial", "order_number", "line_number", "sku"},
	update: []string{"sku"},
	where: "serials.order_number = excluded.order_number AND serials.line_number = excluded.line_number" +
		" AND serials.sku IS DISTINCT FROM excluded.sku",
	pgTypes: []string{"text", "text", "integer", "text"},
}

// UpsertOrders writes orders, and the lines they hold, in one transaction.
// Lines are upserted by (order, line number); lines missing from a re-import
// are kept.
func (db *DB) UpsertOrders(ctx context.Context, orders []aftersale.Order) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.UpsertOrders(ctx, orders) })
}

// UpsertOrders is DB.UpsertOrders inside tx.
func (tx *Tx) UpsertOrders(ctx context.Context, orders []aftersale.Order) error {
	numbers := make([]string, len(orders))
	var lines []aftersale.OrderLine
	for i, o := range orders {
		if err := o.Validate(); err != nil {
			return err
		}
		numbers[i] = o.Number
		for _, l := range o.Lines {
			l.OrderNumber = o.Number
			lines = append(lines, l)
		}
	}
	if dup, ok := firstDuplicate(numbers); ok {
		return userError(aftersale.Invalid, "number", nil, "order %q appears twice in the batch", dup)
	}
	err := rowsWriter{u: ordersUpsert, n: len(orders),
		row: func(i int, dst []any) []any {
			o := orders[i]
			return append(dst, o.Number, o.PurchaseDate.String(), string(o.Channel),
				nullString(o.DistributorCode), nullString(aftersale.NormalizeEmail(o.CustomerEmail)),
				o.ProofOfPurchase, o.ProofDocument, o.Total.Currency, o.Total.Minor)
		},
		explain: func(ctx context.Context, i int, err error) error { return tx.explainOrder(ctx, orders[i], err) },
	}.write(ctx, tx)
	if err != nil {
		return err
	}
	// A re-import may move a purchase date past a delivery already on file.
	if err := tx.checkDeliveryDates(ctx, numbers); err != nil {
		return err
	}
	return tx.UpsertOrderLines(ctx, lines)
}

func (tx *Tx) explainOrder(ctx context.Context, o aftersale.Order, err error) error {
	if classify(err) == foreignKeyViolation {
		if o.DistributorCode != "" {
			ok, qErr := tx.exists(ctx, `SELECT 1 FROM distributors WHERE code = $1`, o.DistributorCode)
			if qErr != nil {
				return qErr
			}
			if !ok {
				return userError(aftersale.Invalid, "distributor", err, "order %q: unknown distributor %q", o.Number, o.DistributorCode)
			}
		}
		if email := aftersale.NormalizeEmail(o.CustomerEmail); email != "" {
			return userError(aftersale.Invalid, "customer", err, "order %q: unknown customer %q", o.Number, email)
		}
	}
	return genericError(fmt.Sprintf("order %q", o.Number), err)
}

// UpsertOrderLines writes order lines and their serials in one transaction.
// A serial already sold on another order line is refused.
func (db *DB) UpsertOrderLines(ctx context.Context, ls []aftersale.OrderLine) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.UpsertOrderLines(ctx, ls) })
}

// serialRow is one serial of a batch: line i, serial j.
type serialRow struct{ line, serial int }

// UpsertOrderLines is DB.UpsertOrderLines inside tx.
func (tx *Tx) UpsertOrderLines(ctx context.Context, ls []aftersale.OrderLine) error {
	type lineKey struct {
		order string
		line  int
	}
	seenLine := make(map[lineKey]struct{}, len(ls))
	seenSerial := make(map[string]int)
	var serials []serialRow
	for i, l := range ls {
		if err := l.Validate(); err != nil {
			return err
		}
		k := lineKey{l.OrderNumber, l.Line}
		if _, ok := seenLine[k]; ok {
			return userError(aftersale.Invalid, "line", nil, "order %q line %d appears twice in the batch", l.OrderNumber, l.Line)
		}
		seenLine[k] = struct{}{}
		for j, s := range l.Serials {
			if prev, ok := seenSerial[s.Number]; ok {
				p := ls[prev]
				return userError(aftersale.Conflict, "serial", nil, "serial %q is sold twice: on order %s line %d and on order %s line %d",
					s.Number, p.OrderNumber, p.Line, l.OrderNumber, l.Line)
			}
			seenSerial[s.Number] = i
			serials = append(serials, serialRow{i, j})
		}
	}
	err := rowsWriter{u: linesUpsert, n: len(ls),
		row: func(i int, dst []any) []any {
			l := ls[i]
			return append(dst, l.OrderNumber, l.Line, l.SKU, l.Quantity, l.UnitPrice)
		},
		explain: func(ctx context.Context, i int, err error) error { return tx.explainLine(ctx, ls[i], err) },
	}.write(ctx, tx)
	if err != nil {
		return err
	}
	return tx.upsertSerials(ctx, ls, serials)
}

func (tx *Tx) explainLine(ctx context.Context, l aftersale.OrderLine, err error) error {
	if classify(err) == foreignKeyViolation {
		ok, qErr := tx.exists(ctx, `SELECT 1 FROM orders WHERE number = $1`, l.OrderNumber)
		if qErr != nil {
			return qErr
		}
		if !ok {
			return userError(aftersale.Invalid, "order", err, "order line %d: unknown order %q", l.Line, l.OrderNumber)
		}
		return userError(aftersale.Invalid, "sku", err, "order %q line %d: unknown SKU %q", l.OrderNumber, l.Line, l.SKU)
	}
	return genericError(fmt.Sprintf("order %q line %d", l.OrderNumber, l.Line), err)
}

func (tx *Tx) upsertSerials(ctx context.Context, ls []aftersale.OrderLine, rows []serialRow) error {
	serialOf := func(i int) (aftersale.OrderLine, aftersale.Serial) {
		l := ls[rows[i].line]
		s := l.Serials[rows[i].serial]
		if s.SKU == "" {
			s.SKU = l.SKU
		}
		return l, s
	}
	return rowsWriter{u: serialsUpsert, n: len(rows),
		row: func(i int, dst []any) []any {
			l, s := serialOf(i)
			return append(dst, s.Number, l.OrderNumber, l.Line, s.SKU)
		},
		explain: func(ctx context.Context, i int, err error) error {
			l, s := serialOf(i)
			if classify(err) == foreignKeyViolation {
				return userError(aftersale.Invalid, "sku", err, "serial %q on order %q line %d: unknown SKU %q", s.Number, l.OrderNumber, l.Line, s.SKU)
			}
			return genericError(fmt.Sprintf("serial %q", s.Number), err)
		},
		after: func(ctx context.Context, lo, hi int, affected int64) error {
			if affected == int64(hi-lo) {
				return nil
			}
			// Some serials were already on file: unchanged on their line,
			// or sold on another.
			where := make(map[string]aftersale.OrderLine, hi-lo)
			keys := make([]string, 0, hi-lo)
			for i := lo; i < hi; i++ {
				l, s := serialOf(i)
				where[s.Number] = l
				keys = append(keys, s.Number)
			}
			return tx.checkSerialOwners(ctx, where, keys)
		},
	}.write(ctx, tx)
}

// checkSerialOwners checks that each serial of keys is on file for the
// order line where gives it, a few hundred serials a query; one on file for
// another line is a Conflict.
func (tx *Tx) checkSerialOwners(ctx context.Context, where map[string]aftersale.OrderLine, keys []string) error {
	found := 0
	err := inChunks(keys, func(part []any) error {
		q := `SELECT serial, order_number, line_number FROM serials WHERE serial IN (` + placeholders(tx.db.engine, 1, len(part)) + `)`
		return eachRowArgs(ctx, tx.tx, q, part, func(sc scanner) error {
			var serial, order string
			var line int
			if err := sc.Scan(&serial, &order, &line); err != nil {
				return err
			}
			found++
			if l := where[serial]; order != l.OrderNumber || line != l.Line {
				return userError(aftersale.Conflict, "serial", nil, "serial %q is already sold on order %s (line %d)", serial, order, line)
			}
			return nil
		})
	})
	var conflict *aftersale.Error
	if errors.As(err, &conflict) {
		return err
	}
	if err != nil {
		return fmt.Errorf("serials: %w", err)
	}
	if found != len(keys) {
		return fmt.Errorf("serials: %d of %d on file after writing them", found, len(keys))
	}
	return nil
}

// exists reports whether query returns a row.
func (tx *Tx) exists(ctx context.Context, query string, args ...any) (bool, error) {
	rows, err := tx.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("exists: %w", err)
	}
	defer rows.Close()
	found := rows.Next()
	return found, rows.Err()
}
