package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
)

// The claim methods of Tx implement workflow.ClaimTx (checked in
// claims_test.go); the store does not import workflow for them.

const claimColumns = `number, status, resolution, request, description, applicant, customer_email,
	distributor_code, distributor_unreachable, opened_by, approved_remedy, return_waived, quote,
	received_on, reported_on, respond_by, awaiting_since, first_answer_on, search, version, created_at, updated_at,
	categories, confirm_by`

// claimColumnCount is how many columns claimColumns names.
var claimColumnCount = strings.Count(claimColumns, ",") + 1

// claimArgs returns the values of claimColumns; the 23rd, categories, is
// the lines' SKUs that categoriesSQLite and categoriesPostgres turn into it.
func claimArgs(c *aftersale.Claim) ([]any, error) {
	if err := storableDates(map[string]date.Date{"received_on": c.ReceivedOn, "reported_on": c.ReportedOn,
		"respond_by": c.RespondBy, "awaiting_since": c.AwaitingSince, "first_answer_on": c.FirstAnswerOn}); err != nil {
		return nil, err
	}
	quote, err := encodeQuote(c.Quote)
	if err != nil {
		return nil, fmt.Errorf("claim %s: %w", c.Number, err)
	}
	skus, err := lineSKUs(c)
	if err != nil {
		return nil, fmt.Errorf("claim %s: %w", c.Number, err)
	}
	return []any{c.Number, string(c.Status), string(c.Resolution), c.Request, c.Description, string(c.Applicant),
		c.CustomerEmail, nullString(c.DistributorCode), c.DistributorUnreachable, c.OpenedBy, c.ApprovedRemedy,
		c.ReturnWaived, quote, dateArg(c.ReceivedOn), dateArg(c.ReportedOn), dateArg(c.RespondBy), dateArg(c.AwaitingSince),
		dateArg(c.FirstAnswerOn), searchText(c), c.Version, timeArg(c.CreatedAt), timeArg(c.UpdatedAt),
		skus, timeArg(c.ConfirmBy)}, nil
}

// lineSKUs is the claim's lines' SKUs as a JSON array: the INSERT makes
// claims.categories of their products' categories (categoriesSQLite,
// categoriesPostgres).
func lineSKUs(c *aftersale.Claim) (string, error) {
	skus := make([]string, len(c.Lines))
	for i, l := range c.Lines {
		skus[i] = l.SKU
	}
	b, err := json.Marshal(skus)
	return string(b), err
}

// claims.categories holds the product categories of the claim's lines
// between commas (",servo_motor,battery,"), "" without lines; the queue's
// indexes hold it, so that a category filter is tested on the index entry
// instead of each claim's lines (migration 00009). It is computed when the
// claim is created, from its SKUs (argument 23): the lines' products do
// not change.
const (
	categoriesSQLite = `COALESCE((SELECT ',' || group_concat(DISTINCT category) || ','
		FROM products WHERE sku IN (SELECT value FROM json_each($23))), '')`
	categoriesPostgres = `COALESCE((SELECT ',' || string_agg(DISTINCT category, ',') || ','
		FROM products WHERE sku IN (SELECT json_array_elements_text($23::json))), '')`
)

var linesInsert = upsert{table: "claim_lines", cols: []string{"claim_id", "line", "serial", "sku", "order_number",
	"order_line", "kit_sku", "purchased_on", "delivered_on", "reshipped_on", "proof_document", "cause",
	"resellable", "findings", "decision", "exception", "price_minor", "price_currency", "bought_from"}}

// insertLines writes the claim's lines in one statement (a claim has at
// most a hundred lines, which stays under both engines' parameter limits).
func (tx *Tx) insertLines(ctx context.Context, c *aftersale.Claim) error {
	if len(c.Lines) == 0 {
		return nil
	}
	args, err := lineArgs(c)
	if err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, linesInsert.sql(tx.db.engine, len(c.Lines)), args...); err != nil {
		return linesError(c, err)
	}
	return nil
}

// lineArgs returns the values of linesInsert's columns for c's lines.
func lineArgs(c *aftersale.Claim) ([]any, error) {
	args := make([]any, 0, len(c.Lines)*len(linesInsert.cols))
	for i, l := range c.Lines {
		field := fmt.Sprintf("lines[%d].", i)
		if err := storableDates(map[string]date.Date{field + "purchased_on": l.PurchasedOn,
			field + "delivered_on": l.DeliveredOn, field + "reshipped_on": l.ReshippedOn}); err != nil {
			return nil, err
		}
		decision, err := encodeDecision(field+"decision", l.Decision)
		if err != nil {
			return nil, err
		}
		exception, err := encodeException(l.Exception)
		if err != nil {
			return nil, fmt.Errorf("claim %s line %d: %w", c.Number, l.Line, err)
		}
		priceMinor, priceCurrency := moneyArgs(l.Price)
		args = append(args, c.ID, l.Line, l.Serial, l.SKU, nullString(l.OrderNumber), l.OrderLine, l.KitSKU,
			dateArg(l.PurchasedOn), dateArg(l.DeliveredOn), dateArg(l.ReshippedOn), l.ProofDocument, l.Cause,
			l.Resellable, l.Findings, decision, exception, priceMinor, priceCurrency, nullString(string(l.BoughtFrom)))
	}
	return args, nil
}

// linesError names what refused claim lines got wrong.
func linesError(c *aftersale.Claim, err error) error {
	if classify(err) == uniqueViolation {
		return userError(aftersale.Invalid, "lines", err, "claim %s: two lines have the same number", c.Number)
	}
	return genericError(fmt.Sprintf("claim %s lines (SKUs and orders must be on file)", c.Number), err)
}

// UpdateClaim writes c if the stored version is still c.Version-1, and
// replaces its lines; if another change got there first it is a Conflict
// error and nothing is written.
func (tx *Tx) UpdateClaim(ctx context.Context, c *aftersale.Claim) error {
	if c.ID == 0 {
		return userError(aftersale.Invalid, "id", nil, "claim %s has no id: read it before updating it", c.Number)
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = tx.db.now()
	}
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	// number and created_at ($1, $21) never change; the WHERE clause uses
	// their slots for the id and the expected version. categories ($23)
	// is set on creation only: confirm_by takes its slot.
	args = append(args[:22], args[23])
	args[0], args[20] = c.ID, c.Version-1
	res, err := tx.tx.ExecContext(ctx, `UPDATE claims SET status = $2, resolution = $3, request = $4,
		description = $5, applicant = $6, customer_email = $7, distributor_code = $8,
		distributor_unreachable = $9, opened_by = $10, approved_remedy = $11, return_waived = $12, quote = $13,
		received_on = $14, reported_on = $15, respond_by = $16, awaiting_since = $17, first_answer_on = $18,
		search = $19, version = $20, updated_at = $22, confirm_by = $23
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
	cols: []string{"claim_id", "at", "actor", "kind", "from_status", "to_status", "detail", "data"}}

// AddEvents appends events to the claims' history, in the order given.
func (tx *Tx) AddEvents(ctx context.Context, events []aftersale.Event) error {
	for i, e := range events {
		if e.ClaimID == 0 || e.Kind == "" {
			return userError(aftersale.Invalid, "events", nil, "event %d needs a claim and a kind", i)
		}
	}
	for lo := 0; lo < len(events); lo += maxChunkRows {
		part := events[lo:min(lo+maxChunkRows, len(events))]
		if _, err := tx.tx.ExecContext(ctx, eventsInsert.sql(tx.db.engine, len(part)), eventArgs(part, tx.db.now())...); err != nil {
			if classify(err) == foreignKeyViolation {
				return userError(aftersale.Invalid, "events", err, "an event names a claim that does not exist (claim id %d)", part[0].ClaimID)
			}
			return fmt.Errorf("add claim events: %w", err)
		}
	}
	return nil
}

// eventArgs returns the values of eventsInsert's columns for events; a
// zero At is now.
func eventArgs(events []aftersale.Event, now time.Time) []any {
	args := make([]any, 0, len(events)*len(eventsInsert.cols))
	for _, e := range events {
		at := e.At
		if at.IsZero() {
			at = now
		}
		args = append(args, e.ClaimID, timeArg(at), e.Actor, e.Kind, string(e.From), string(e.To), e.Detail, eventData(e.Data))
	}
	return args
}

// eventData encodes Event.Data for claim_events.data: "" for none.
func eventData(data map[string]string) string {
	if len(data) == 0 {
		return ""
	}
	b, _ := json.Marshal(data) // a map of strings always encodes
	return string(b)
}

// IdempotentClaim returns the number of the claim that an earlier request
// with key (in scope: the caller) created.
func (tx *Tx) IdempotentClaim(ctx context.Context, scope, key string) (string, bool, error) {
	return idempotentClaim(ctx, tx.tx, scope, key, "", tx.db.idempotencyCutoff())
}

// RecordIdempotentClaim remembers that key (in scope) created the claim
// number. A second record of the same scope and key is a Conflict error;
// DO NOTHING keeps a PostgreSQL transaction usable after it.
func (tx *Tx) RecordIdempotentClaim(ctx context.Context, scope, key, number string) error {
	return tx.recordIdempotentClaim(ctx, scope, key, "", number)
}

// recordIdempotentClaim is RecordIdempotentClaim with the hash of the
// request that used the key.
func (tx *Tx) recordIdempotentClaim(ctx context.Context, scope, key, hash, number string) error {
	if key == "" {
		return userError(aftersale.Invalid, "idempotency_key", nil, "an idempotency key must not be empty")
	}
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO idempotency_keys (scope, idempotency_key, claim_number, created_at, request_hash)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, idempotency_key) DO NOTHING`, scope, key, number, timeArg(tx.db.now()), hash)
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

// InClaimTx is InTx for the claim use cases: it is a workflow.TxRunner.
func (db *DB) InClaimTx(ctx context.Context, fn func(workflow.ClaimTx) error) error {
	return db.InTx(ctx, func(tx *Tx) error { return fn(tx) })
}
