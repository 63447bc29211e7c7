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
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO replacement_units (serial, claim_id, claim_line, sku, replaces_serial,
		order_number, order_line, kit_sku, shipped_on, kind, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		u.Serial, u.ClaimID, u.Line, u.SKU, u.ReplacesSerial, u.OrderNumber, u.OrderLine, u.KitSKU,
		dateArg(u.ShippedOn), string(u.Kind), u.CreatedBy, timeArg(u.CreatedAt))
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
		r.order_number, r.order_line, r.kit_sku, r.shipped_on, r.kind, r.created_by, r.created_at
		FROM replacement_units r JOIN claims c ON c.id = r.claim_id
		WHERE r.claim_id = $1 ORDER BY r.created_at, r.serial`, claimID, "replacement units",
		func(sc scanner) (aftersale.ReplacementUnit, error) {
			var u aftersale.ReplacementUnit
			err := sc.Scan(&u.Serial, &u.SKU, &u.ReplacesSerial, &u.ClaimID, &u.ClaimNumber, &u.Line,
				&u.OrderNumber, &u.OrderLine, &u.KitSKU, dateDest{&u.ShippedOn}, &u.Kind, &u.CreatedBy, timeDest{&u.CreatedAt})
			return u, err
		})
}

// reshippedColumn is the latest day the seller shipped the unit s.serial
// back repaired, for serialQuery.
const reshippedColumn = `(SELECT MAX(r.shipped_on) FROM replacement_units r WHERE r.serial = s.serial AND r.kind = 'repair')`

// replacementQuery finds a replacement unit by its own serial, with the
// original sale of the unit it replaces; its ReshippedOn is the latest
// shipping of that serial, as a replacement or after a later repair.
const replacementQuery = `SELECT u.sku, p.name, p.category, p.warranty_months, p.discontinued,
	u.order_line, u.kit_sku,
	(SELECT MAX(r.shipped_on) FROM replacement_units r WHERE r.serial = u.serial),
	(SELECT MAX(v.signed_for) FROM deliveries v
	  WHERE v.order_number = u.order_number AND v.line_number = u.order_line),
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
	h, err := scanHeader(q.QueryRowContext(ctx, replacementQuery, serial),
		&it.Product.SKU, &it.Product.Name, &it.Product.Category, &months, &it.Product.Discontinued,
		&it.Line, &it.KitSKU, dateDest{&it.ReshippedOn}, dateDest{&lineDelivered})
	if errors.Is(err, sql.ErrNoRows) {
		return it, userError(aftersale.NotFound, "serial", err, "serial %q is not on file", serial)
	}
	if err != nil {
		return it, fmt.Errorf("look up replacement serial %q: %w", serial, err)
	}
	it.Product.WarrantyMonths = intPtr(months)
	it.Order, it.Distributor = h.order, h.distributor
	it.DeliveredOn = deliveredOn(lineDelivered, h.delivered)
	return it, nil
}
