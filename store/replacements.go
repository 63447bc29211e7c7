package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// AddReplacementUnit records a unit the seller shipped to settle a claim
// line (and CreatedAt, when zero). A replacement serial already recorded
// is a Conflict; so is the same unit twice on one claim.
func (tx *Tx) AddReplacementUnit(ctx context.Context, u *aftersale.ReplacementUnit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = tx.db.now()
	}
	diffMinor, diffCurrency := moneyArgs(u.PriceDifference)
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO replacement_units (serial, claim_id, claim_line, sku, replaces_serial,
		order_number, order_line, kit_sku, shipped_on, kind, created_by, created_at,
		price_difference_minor, price_difference_currency)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		u.Serial, u.ClaimID, u.Line, u.SKU, u.ReplacesSerial, u.OrderNumber, u.OrderLine, u.KitSKU,
		dateArg(u.ShippedOn), string(u.Kind), u.CreatedBy, timeArg(u.CreatedAt), diffMinor, diffCurrency)
	if err != nil {
		switch classify(err) {
		case uniqueViolation:
			return userError(aftersale.Conflict, "serial", err, "unit %s is already registered: a replacement serial is used once, a repair once per claim", u.Serial)
		case foreignKeyViolation:
			return userError(aftersale.Invalid, "sku", err, "unit %s: product %q, claim %d or order %s line %d is not on file",
				u.Serial, u.SKU, u.ClaimID, u.OrderNumber, u.OrderLine)
		}
		return genericError("replacement unit "+u.Serial, err)
	}
	return nil
}

// ReplacementUnits lists the units shipped to settle a claim, in the order
// they were registered.
func (db *DB) ReplacementUnits(ctx context.Context, claimID int64) ([]aftersale.ReplacementUnit, error) {
	return listOf(ctx, db.reads, `SELECT r.serial, r.sku, r.replaces_serial, r.claim_id, c.number, r.claim_line,
		r.order_number, r.order_line, r.kit_sku, r.shipped_on, r.kind, r.created_by, r.created_at,
		r.price_difference_minor, r.price_difference_currency
		FROM replacement_units r JOIN claims c ON c.id = r.claim_id
		WHERE r.claim_id = $1 ORDER BY r.created_at, r.serial`, claimID, "replacement units",
		func(sc scanner) (aftersale.ReplacementUnit, error) {
			var u aftersale.ReplacementUnit
			diff := moneyDest{m: &u.PriceDifference}
			diffMinor, diffCurrency := diff.dests()
			err := sc.Scan(&u.Serial, &u.SKU, &u.ReplacesSerial, &u.ClaimID, &u.ClaimNumber, &u.Line,
				&u.OrderNumber, &u.OrderLine, &u.KitSKU, dateDest{&u.ShippedOn}, &u.Kind, &u.CreatedBy, timeDest{&u.CreatedAt},
				diffMinor, diffCurrency)
			diff.set()
			return u, err
		})
}

// reshippedColumn is the latest day the seller shipped the unit s.serial
// back repaired, for serialQuery.
const reshippedColumn = `(SELECT MAX(r.shipped_on) FROM replacement_units r WHERE r.serial = s.serial AND r.kind = 'repair')`

// serialFlags says, for serialQuery, whether a claim names the serial
// s.serial (flagClaimed) and whether the seller replaced that unit
// (flagReplaced: shipped a replacement for it). One column for both: each
// column of the hot lookup costs allocations in the drivers, and the day
// and the serial of the replacement are read only for a unit replaced
// (replacedBy). A replacement carries the original sale of the unit it
// replaces (order_number, order_line), so its probe is one seek of the
// index replacement_units_order among the units of the serial's line.
const serialFlags = `CASE WHEN EXISTS (SELECT 1 FROM claim_lines cl WHERE cl.serial = s.serial AND cl.serial <> '')
	THEN 1 ELSE 0 END +
	CASE WHEN EXISTS (SELECT 1 FROM replacement_units r
	  WHERE r.order_number = s.order_number AND r.order_line = s.line_number
	    AND r.replaces_serial = s.serial AND r.kind = 'replacement')
	THEN 2 ELSE 0 END`

// The bits of serialFlags.
const (
	flagClaimed  = 1
	flagReplaced = 2
)

// replacedByQuery finds the replacement of a unit the lookup found
// replaced: the first shipped (then the least serial), as the order lookup
// (shippedUnits) takes it.
const replacedByQuery = `SELECT serial, shipped_on FROM replacement_units
WHERE order_number = $1 AND order_line = $2 AND replaces_serial = $3 AND kind = 'replacement'
ORDER BY shipped_on, serial LIMIT 1`

// replacedBy fills it.ReplacedBy and ReplacedOn for a unit the lookup
// found replaced: a second query, on that rare path only.
func replacedBy(ctx context.Context, q querier, it *aftersale.SoldItem, serial string) error {
	err := q.QueryRowContext(ctx, replacedByQuery, it.Order.Number, it.Line, serial).
		Scan(&it.ReplacedBy, dateDest{&it.ReplacedOn})
	if errors.Is(err, sql.ErrNoRows) {
		return nil // gone since the lookup's read, in another snapshot
	}
	if err != nil {
		return fmt.Errorf("replacement of serial %q: %w", serial, err)
	}
	return nil
}

// replacementQuery finds a replacement unit by its own serial, with the
// original sale of the unit it replaces; its ReshippedOn is the latest
// shipping of that serial, as a replacement or after a later repair, and
// whether it was replaced in turn, as serialFlags.
const replacementQuery = `SELECT u.sku, p.name, p.category, p.warranty_months, p.discontinued,
	u.order_line, u.kit_sku,
	(SELECT MAX(r.shipped_on) FROM replacement_units r WHERE r.serial = u.serial),
	(SELECT MAX(v.signed_for) FROM deliveries v
	  WHERE v.order_number = u.order_number AND v.line_number = u.order_line),
	EXISTS (SELECT 1 FROM replacement_units r
	  WHERE r.order_number = u.order_number AND r.order_line = u.order_line
	    AND r.replaces_serial = u.serial AND r.kind = 'replacement'),
	` + orderHeader + `
FROM replacement_units u
JOIN products p ON p.sku = u.sku
JOIN orders o ON o.number = u.order_number
LEFT JOIN distributors d ON d.code = o.distributor_code
WHERE u.serial = $1 AND u.kind = 'replacement'`

// lookupReplacement is LookupSerial for a serial that was never sold but
// shipped as a replacement: the replacement's product on the original sale.
// A serial that is neither is NotFound.
func lookupReplacement(ctx context.Context, q querier, serial string) (aftersale.SoldItem, error) {
	it := aftersale.SoldItem{Serials: []string{serial}, Quantity: 1}
	var months *int64
	var lineDelivered date.Date
	var replaced bool
	h, err := scanHeader(q.QueryRowContext(ctx, replacementQuery, serial),
		&it.Product.SKU, &it.Product.Name, &it.Product.Category, &months, &it.Product.Discontinued,
		&it.Line, &it.KitSKU, dateDest{&it.ReshippedOn}, dateDest{&lineDelivered}, &replaced)
	if errors.Is(err, sql.ErrNoRows) {
		return it, userError(aftersale.NotFound, "serial", err, "serial %q is not on file", serial)
	}
	if err != nil {
		return it, fmt.Errorf("look up replacement serial %q: %w", serial, err)
	}
	it.Product.WarrantyMonths = intPtr(months)
	it.Order, it.Distributor = h.order, h.distributor
	it.DeliveredOn = deliveredOn(lineDelivered, h.delivered)
	if !replaced {
		return it, nil
	}
	return it, replacedBy(ctx, q, &it, serial)
}
