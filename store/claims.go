package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
)

// The claim methods of Tx implement workflow.ClaimTx (checked in
// claims_test.go); the store does not import workflow for them.

// NextClaimNumber returns a new RMA number for year, RMA-2026-000123. The
// counter row's UPSERT is the same SQL on both engines: on PostgreSQL it
// row-locks the year's counter until the transaction ends, so concurrent
// creators (in any process) queue there; on SQLite the transaction already
// holds the database's only write lock. A rolled-back transaction gives its
// number back: the numbers have no gaps.
func (tx *Tx) NextClaimNumber(ctx context.Context, year int) (string, error) {
	if year < 1 || year > 9999 {
		return "", userError(aftersale.Invalid, "year", nil, "year %d is out of range", year)
	}
	var n int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO claim_numbers (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = claim_numbers.last + 1
		RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("next claim number of %d: %w", year, err)
	}
	return fmt.Sprintf("RMA-%04d-%06d", year, n), nil
}

const claimColumns = `number, status, resolution, request, description, applicant, customer_email,
	distributor_code, distributor_unreachable, opened_by, approved_remedy, return_waived, quote,
	received_on, reported_on, respond_by, awaiting_since, first_answer_on, search, version, created_at, updated_at`

// claimArgs returns the values of claimColumns.
func claimArgs(c *aftersale.Claim) ([]any, error) {
	quote, err := encodeQuote(c.Quote)
	if err != nil {
		return nil, fmt.Errorf("claim %s: %w", c.Number, err)
	}
	return []any{c.Number, string(c.Status), string(c.Resolution), c.Request, c.Description, string(c.Applicant),
		c.CustomerEmail, nullString(c.DistributorCode), c.DistributorUnreachable, c.OpenedBy, c.ApprovedRemedy,
		c.ReturnWaived, quote, dateArg(c.ReceivedOn), dateArg(c.ReportedOn), dateArg(c.RespondBy), dateArg(c.AwaitingSince),
		dateArg(c.FirstAnswerOn), searchText(c), c.Version, timeArg(c.CreatedAt), timeArg(c.UpdatedAt)}, nil
}

// CreateClaim stores a new claim with its lines, setting its ID and
// Version 1 (and its timestamps, when the caller left them zero).
func (tx *Tx) CreateClaim(ctx context.Context, c *aftersale.Claim) error {
	if c.Number == "" {
		return userError(aftersale.Invalid, "number", nil, "a claim needs a number (NextClaimNumber)")
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = utcNow()
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	c.Version = 1
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	err = tx.tx.QueryRowContext(ctx, `INSERT INTO claims (`+claimColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
		RETURNING id`, args...).Scan(&c.ID)
	if err != nil {
		return claimError(c, err)
	}
	return tx.insertLines(ctx, c)
}

// claimError names what a refused claim row got wrong.
func claimError(c *aftersale.Claim, err error) error {
	switch classify(err) {
	case uniqueViolation:
		return userError(aftersale.Conflict, "number", err, "claim number %s is already taken", c.Number)
	case foreignKeyViolation:
		return userError(aftersale.Invalid, "distributor_code", err, "distributor %q is not on file", c.DistributorCode)
	case checkViolation, notNullViolation:
		return userError(aftersale.Invalid, "", err,
			"claim %s: a value is out of range or missing (status %q, applicant %q)", c.Number, c.Status, c.Applicant)
	}
	return fmt.Errorf("write claim %s: %w", c.Number, err)
}

var linesInsert = upsert{table: "claim_lines", cols: []string{"claim_id", "line", "serial", "sku", "order_number",
	"order_line", "kit_sku", "purchased_on", "delivered_on", "reshipped_on", "proof_document", "cause",
	"resellable", "findings", "decision", "exception"}}

// insertLines writes the claim's lines in one statement (a claim has at
// most a hundred lines, which stays under both engines' parameter limits).
func (tx *Tx) insertLines(ctx context.Context, c *aftersale.Claim) error {
	if len(c.Lines) == 0 {
		return nil
	}
	args := make([]any, 0, len(c.Lines)*len(linesInsert.cols))
	for _, l := range c.Lines {
		decision, err := encodeDecision(l.Decision)
		if err != nil {
			return fmt.Errorf("claim %s line %d: %w", c.Number, l.Line, err)
		}
		exception, err := encodeException(l.Exception)
		if err != nil {
			return fmt.Errorf("claim %s line %d: %w", c.Number, l.Line, err)
		}
		args = append(args, c.ID, l.Line, l.Serial, l.SKU, nullString(l.OrderNumber), l.OrderLine, l.KitSKU,
			dateArg(l.PurchasedOn), dateArg(l.DeliveredOn), dateArg(l.ReshippedOn), l.ProofDocument, l.Cause,
			l.Resellable, l.Findings, decision, exception)
	}
	if _, err := tx.tx.ExecContext(ctx, linesInsert.sql(tx.db.engine, len(c.Lines)), args...); err != nil {
		if classify(err) == uniqueViolation {
			return userError(aftersale.Invalid, "lines", err, "claim %s: two lines have the same number", c.Number)
		}
		return genericError(fmt.Sprintf("claim %s lines (SKUs and orders must be on file)", c.Number), err)
	}
	return nil
}

// UpdateClaim writes c if the stored version is still c.Version-1, and
// replaces its lines; if another change got there first it is a Conflict
// error and nothing is written.
func (tx *Tx) UpdateClaim(ctx context.Context, c *aftersale.Claim) error {
	if c.ID == 0 {
		return userError(aftersale.Invalid, "id", nil, "claim %s has no id: read it before updating it", c.Number)
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = utcNow()
	}
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	// number and created_at ($1, $21) never change; the WHERE clause uses
	// their slots for the id and the expected version.
	args[0], args[20] = c.ID, c.Version-1
	res, err := tx.tx.ExecContext(ctx, `UPDATE claims SET status = $2, resolution = $3, request = $4,
		description = $5, applicant = $6, customer_email = $7, distributor_code = $8,
		distributor_unreachable = $9, opened_by = $10, approved_remedy = $11, return_waived = $12, quote = $13,
		received_on = $14, reported_on = $15, respond_by = $16, awaiting_since = $17, first_answer_on = $18,
		search = $19, version = $20, updated_at = $22
		WHERE id = $1 AND version = $21`, args...)
	if err != nil {
		return claimError(c, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update claim %s: %w", c.Number, err)
	}
	if n == 0 {
		return userError(aftersale.Conflict, "version", nil,
			"claim %s changed since it was read (version %d is no longer current): reload it and try again",
			c.Number, c.Version-1)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM claim_lines WHERE claim_id = $1`, c.ID); err != nil {
		return fmt.Errorf("update claim %s lines: %w", c.Number, err)
	}
	return tx.insertLines(ctx, c)
}

// ClaimForUpdate reads a claim and its lines and keeps others from
// changing it until the transaction ends: PostgreSQL locks the row (FOR
// UPDATE); SQLite's write transaction already excludes every other writer.
func (tx *Tx) ClaimForUpdate(ctx context.Context, number string) (aftersale.Claim, error) {
	lock := ""
	if tx.db.engine == Postgres {
		lock = " FOR UPDATE"
	}
	return readClaim(ctx, tx.tx, claimByNumber+lock, number)
}

var eventsInsert = upsert{table: "claim_events",
	cols: []string{"claim_id", "at", "actor", "kind", "from_status", "to_status", "detail"}}

// AddEvents appends events to the claims' history, in the order given.
func (tx *Tx) AddEvents(ctx context.Context, events []aftersale.Event) error {
	for lo := 0; lo < len(events); lo += maxChunkRows {
		part := events[lo:min(lo+maxChunkRows, len(events))]
		args := make([]any, 0, len(part)*len(eventsInsert.cols))
		for i, e := range part {
			if e.ClaimID == 0 || e.Kind == "" {
				return userError(aftersale.Invalid, "events", nil, "event %d needs a claim and a kind", lo+i)
			}
			at := e.At
			if at.IsZero() {
				at = utcNow()
			}
			args = append(args, e.ClaimID, timeArg(at), e.Actor, e.Kind, string(e.From), string(e.To), e.Detail)
		}
		if _, err := tx.tx.ExecContext(ctx, eventsInsert.sql(tx.db.engine, len(part)), args...); err != nil {
			if classify(err) == foreignKeyViolation {
				return userError(aftersale.Invalid, "events", err, "an event names a claim that does not exist (claim id %d)", part[0].ClaimID)
			}
			return fmt.Errorf("add claim events: %w", err)
		}
	}
	return nil
}

// IdempotentClaim returns the number of the claim that an earlier request
// with key (in scope: the caller) created.
func (tx *Tx) IdempotentClaim(ctx context.Context, scope, key string) (string, bool, error) {
	var number string
	err := tx.tx.QueryRowContext(ctx, `SELECT claim_number FROM idempotency_keys
		WHERE scope = $1 AND idempotency_key = $2`, scope, key).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("idempotency key %q: %w", key, err)
	}
	return number, true, nil
}

// RecordIdempotentClaim remembers that key (in scope) created the claim
// number. A second record of the same scope and key is a Conflict error;
// DO NOTHING keeps a PostgreSQL transaction usable after it.
func (tx *Tx) RecordIdempotentClaim(ctx context.Context, scope, key, number string) error {
	if key == "" {
		return userError(aftersale.Invalid, "idempotency_key", nil, "an idempotency key must not be empty")
	}
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO idempotency_keys (scope, idempotency_key, claim_number, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (scope, idempotency_key) DO NOTHING`, scope, key, number, timeArg(utcNow()))
	if err != nil {
		if classify(err) == foreignKeyViolation {
			return userError(aftersale.Invalid, "number", err, "claim %s is not on file", number)
		}
		return fmt.Errorf("record idempotency key %q: %w", key, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("record idempotency key %q: %w", key, err)
	} else if n == 0 {
		return userError(aftersale.Conflict, "idempotency_key", nil, "idempotency key %q was already used", key)
	}
	return nil
}
