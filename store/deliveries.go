package store

import (
	"context"
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

var deliveriesUpsert = upsert{
	table:  "deliveries",
	key:    []string{"order_number", "tracking_number"},
	cols:   []string{"order_number", "tracking_number", "line_number", "carrier", "signed_for"},
	update: []string{"line_number", "carrier", "signed_for"},
}

// UpsertDeliveries writes deliveries in one transaction, keyed by order and
// tracking number. A delivery signed for before its order's purchase date,
// or naming a line the order does not have, is refused.
func (db *DB) UpsertDeliveries(ctx context.Context, ds []aftersale.Delivery) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.UpsertDeliveries(ctx, ds) })
}

// UpsertDeliveries is DB.UpsertDeliveries inside tx.
func (tx *Tx) UpsertDeliveries(ctx context.Context, ds []aftersale.Delivery) error {
	keys := make([]string, len(ds))
	seenOrder := map[string]struct{}{}
	var orders []string
	for i, d := range ds {
		if err := d.Validate(); err != nil {
			return err
		}
		keys[i] = d.OrderNumber + "\x00" + d.TrackingNumber
		if _, ok := seenOrder[d.OrderNumber]; !ok {
			seenOrder[d.OrderNumber] = struct{}{}
			orders = append(orders, d.OrderNumber)
		}
	}
	if _, ok := firstDuplicate(keys); ok {
		return userError(aftersale.Invalid, "tracking_number", nil, "a delivery appears twice in the batch")
	}
	err := rowsWriter{u: deliveriesUpsert, n: len(ds),
		row: func(i int, dst []any) []any {
			d := ds[i]
			return append(dst, d.OrderNumber, d.TrackingNumber, d.Line, d.Carrier, dateArg(d.SignedFor))
		},
		explain: func(ctx context.Context, i int, err error) error {
			d := ds[i]
			if classify(err) == foreignKeyViolation {
				return userError(aftersale.Invalid, "order", err, "delivery %q: unknown order %q", d.TrackingNumber, d.OrderNumber)
			}
			return genericError(fmt.Sprintf("delivery %q of order %q", d.TrackingNumber, d.OrderNumber), err)
		},
	}.write(ctx, tx)
	if err != nil {
		return err
	}
	return tx.checkDeliveryDates(ctx, orders)
}

// checkDeliveryDates refuses, for the given orders, a delivery signed for
// before the purchase date or naming a line the order lacks. It runs after
// the write, as one set-based query per chunk of orders, so it also catches
// an order re-imported with a later purchase date.
func (tx *Tx) checkDeliveryDates(ctx context.Context, orders []string) error {
	return inChunks(orders, func(part []any) error {
		q := `SELECT d.order_number, d.tracking_number, d.line_number, d.signed_for, o.purchase_date,
			CASE WHEN d.line_number = 0 OR EXISTS (SELECT 1 FROM order_lines l
				WHERE l.order_number = d.order_number AND l.line_number = d.line_number) THEN 1 ELSE 0 END
			FROM deliveries d JOIN orders o ON o.number = d.order_number
			WHERE d.order_number IN (` + placeholders(tx.db.engine, 1, len(part)) + `)
			  AND (d.signed_for < o.purchase_date OR (d.line_number > 0 AND NOT EXISTS (SELECT 1 FROM order_lines l
				WHERE l.order_number = d.order_number AND l.line_number = d.line_number)))
			LIMIT 1`
		rows, err := tx.tx.QueryContext(ctx, q, part...)
		if err != nil {
			return fmt.Errorf("check deliveries: %w", err)
		}
		defer rows.Close()
		if !rows.Next() {
			return rows.Err()
		}
		var order, tracking string
		var line, lineOK int
		var signed, bought date.Date
		if err := rows.Scan(&order, &tracking, &line, dateDest{&signed}, dateDest{&bought}, &lineOK); err != nil {
			return fmt.Errorf("check deliveries: %w", err)
		}
		if lineOK == 0 {
			return userError(aftersale.Invalid, "line", nil, "delivery %q: order %s has no line %d", tracking, order, line)
		}
		return userError(aftersale.Invalid, "signed_for", nil, "delivery %q was signed for on %s, before order %s was bought on %s",
			tracking, signed, order, bought)
	})
}

// Deliveries returns the deliveries of an order, by tracking number.
func (db *DB) Deliveries(ctx context.Context, order string) ([]aftersale.Delivery, error) {
	return getDeliveries(ctx, db.reader, order)
}

func getDeliveries(ctx context.Context, q querier, order string) ([]aftersale.Delivery, error) {
	rows, err := q.QueryContext(ctx, `SELECT tracking_number, line_number, carrier, signed_for
		FROM deliveries WHERE order_number = $1 ORDER BY tracking_number`, order)
	if err != nil {
		return nil, fmt.Errorf("deliveries of %q: %w", order, err)
	}
	defer rows.Close()
	var out []aftersale.Delivery
	for rows.Next() {
		d := aftersale.Delivery{OrderNumber: order}
		if err := rows.Scan(&d.TrackingNumber, &d.Line, &d.Carrier, dateDest{&d.SignedFor}); err != nil {
			return nil, fmt.Errorf("deliveries of %q: %w", order, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("deliveries of %q: %w", order, err)
	}
	return out, nil
}
