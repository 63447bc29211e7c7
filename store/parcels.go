package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
)

// InParcelTx is InTx for the parcel, refund and replacement use cases: it
// is a workflow.ParcelTxRunner.
func (db *DB) InParcelTx(ctx context.Context, fn func(workflow.ParcelTx) error) error {
	return db.InTx(ctx, func(tx *Tx) error { return fn(tx) })
}

// AddShipment records a parcel of a claim and sets s.ID (and CreatedAt,
// when zero). The caller adds the claim's event in the same transaction.
func (tx *Tx) AddShipment(ctx context.Context, s *aftersale.Shipment) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = tx.db.now()
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO claim_shipments (claim_id, direction, carrier, tracking_number,
		paid_by, override_reason, shipped_on, delivered_on, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		s.ClaimID, string(s.Direction), s.Carrier, s.TrackingNumber, s.PaidBy, s.OverrideReason,
		dateArg(s.ShippedOn), dateArg(s.DeliveredOn), s.CreatedBy, timeArg(s.CreatedAt)).Scan(&s.ID)
	if err != nil {
		switch classify(err) {
		case foreignKeyViolation:
			return userError(aftersale.Invalid, "claim", err, "shipment names a claim that does not exist (claim id %d)", s.ClaimID)
		case uniqueViolation:
			return userError(aftersale.Conflict, "tracking_number", err, "%s %s is already recorded on this claim", s.Carrier, s.TrackingNumber)
		}
		return genericError(fmt.Sprintf("shipment %s %s", s.Carrier, s.TrackingNumber), err)
	}
	return nil
}

// SetShipmentDelivered records the day a claim's parcel arrived. A parcel of
// another claim is NotFound, one already delivered a Conflict.
func (tx *Tx) SetShipmentDelivered(ctx context.Context, claimID, id int64, on date.Date) error {
	if on.IsZero() {
		return userError(aftersale.Invalid, "delivered_on", nil, "delivered_on: is required")
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE claim_shipments SET delivered_on = $1
		WHERE claim_id = $2 AND id = $3 AND delivered_on IS NULL`, dateArg(on), claimID, id)
	if err != nil {
		return fmt.Errorf("shipment %d delivered: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("shipment %d delivered: %w", id, err)
	} else if n == 1 {
		return nil
	}
	s, err := tx.Shipment(ctx, claimID, id)
	if err != nil {
		return err
	}
	return userError(aftersale.Conflict, "id", nil, "shipment %d was already delivered on %s", id, s.DeliveredOn)
}

const shipmentSelect = `SELECT id, claim_id, direction, carrier, tracking_number, paid_by, override_reason,
	shipped_on, delivered_on, created_by, created_at FROM claim_shipments`

func scanShipment(sc scanner) (aftersale.Shipment, error) {
	var s aftersale.Shipment
	err := sc.Scan(&s.ID, &s.ClaimID, &s.Direction, &s.Carrier, &s.TrackingNumber, &s.PaidBy, &s.OverrideReason,
		dateDest{&s.ShippedOn}, dateDest{&s.DeliveredOn}, &s.CreatedBy, timeDest{&s.CreatedAt})
	return s, err
}

// Shipments lists a claim's parcels, oldest first.
func (db *DB) Shipments(ctx context.Context, claimID int64) ([]aftersale.Shipment, error) {
	return listOf(ctx, db.reads, shipmentSelect+` WHERE claim_id = $1 ORDER BY id`, claimID, "shipments", scanShipment)
}

// Shipment returns one of a claim's parcels; another claim's is NotFound.
func (tx *Tx) Shipment(ctx context.Context, claimID, id int64) (aftersale.Shipment, error) {
	s, err := scanShipment(tx.tx.QueryRowContext(ctx, shipmentSelect+` WHERE claim_id = $1 AND id = $2`, claimID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, userError(aftersale.NotFound, "id", err, "shipment %d is not on file for this claim", id)
	}
	if err != nil {
		return s, fmt.Errorf("shipment %d of claim %d: %w", id, claimID, err)
	}
	return s, nil
}

// AddRefund records money paid back on a claim and sets r.ID.
func (tx *Tx) AddRefund(ctx context.Context, r *aftersale.Refund) error {
	if err := r.Validate(); err != nil {
		return err
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO claim_refunds (claim_id, amount_minor, currency, reference,
		refunded_on, refunded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		r.ClaimID, r.Amount.Minor, r.Amount.Currency, r.Reference, dateArg(r.RefundedOn), r.By).Scan(&r.ID)
	if err != nil {
		switch classify(err) {
		case foreignKeyViolation:
			return userError(aftersale.Invalid, "claim", err, "refund names a claim that does not exist (claim id %d)", r.ClaimID)
		case uniqueViolation:
			return userError(aftersale.Conflict, "reference", err, "refund %q is already recorded on this claim", r.Reference)
		}
		return genericError(fmt.Sprintf("refund %q", r.Reference), err)
	}
	return nil
}

const refundSelect = `SELECT id, claim_id, amount_minor, currency, reference, refunded_on, refunded_by FROM claim_refunds`

func scanRefund(sc scanner) (aftersale.Refund, error) {
	var r aftersale.Refund
	err := sc.Scan(&r.ID, &r.ClaimID, &r.Amount.Minor, &r.Amount.Currency, &r.Reference, dateDest{&r.RefundedOn}, &r.By)
	return r, err
}

// Refunds lists a claim's refunds, oldest first.
func (db *DB) Refunds(ctx context.Context, claimID int64) ([]aftersale.Refund, error) {
	return refundsOf(ctx, db.reads, claimID)
}

// Refunds is DB.Refunds inside tx, to check a new refund against the rest.
func (tx *Tx) Refunds(ctx context.Context, claimID int64) ([]aftersale.Refund, error) {
	return refundsOf(ctx, tx.tx, claimID)
}

func refundsOf(ctx context.Context, q querier, claimID int64) ([]aftersale.Refund, error) {
	return listOf(ctx, q, refundSelect+` WHERE claim_id = $1 ORDER BY id`, claimID, "refunds", scanRefund)
}

// listOf runs a query of one claim's rows and scans each.
func listOf[T any](ctx context.Context, q querier, query string, claimID int64, what string, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, claimID)
	if err != nil {
		return nil, fmt.Errorf("%s of claim %d: %w", what, claimID, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s of claim %d: %w", what, claimID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s of claim %d: %w", what, claimID, err)
	}
	return out, nil
}
