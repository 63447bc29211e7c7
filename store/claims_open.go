package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// idempotencyInsert records a request's key, without RecordIdempotentClaim's
// ON CONFLICT: a key recorded meanwhile fails the statement it is in.
var idempotencyInsert = upsert{table: "idempotency_keys",
	cols: []string{"scope", "idempotency_key", "claim_number", "created_at", "request_hash"}}

// OpenClaim writes a claim's opening (workflow.Opener): the claim, its
// lines and first events, its customer's link, its e-mails and the
// idempotency key of the request, all or nothing.
//
// On PostgreSQL that is the claim's number from its year's sequence (in a
// round trip shared with the openers waiting at the same moment,
// numbers.go), then one statement without BEGIN or COMMIT that writes
// everything and commits on its own. The same writes as a transaction of
// statements took seven round trips, and on two cores each costs CPU on
// both sides that 32 concurrent creators wait for. A number taken for an
// opening that then fails is skipped, as a rolled-back transaction's was.
// On SQLite it is one transaction, which may share its commit
// (groupcommit.go).
func (db *DB) OpenClaim(ctx context.Context, o workflow.ClaimOpening) (string, error) {
	c := o.Claim
	if err := prepareClaim(c, o.Events, db.now()); err != nil {
		return "", err
	}
	if o.Compose == nil {
		return "", errors.New("open claim: the opening has no Compose")
	}
	if db.engine == Postgres {
		return db.openClaimPostgres(ctx, o)
	}
	var earlier string
	err := db.InTx(ctx, func(tx *Tx) error {
		if o.IdempotencyKey != "" {
			if _, err := tx.tx.ExecContext(ctx, `DELETE FROM idempotency_keys
				WHERE scope = $1 AND idempotency_key = $2 AND created_at <= $3`,
				o.IdempotencyScope, o.IdempotencyKey, timeArg(db.idempotencyCutoff())); err != nil {
				return fmt.Errorf("idempotency key %q: %w", o.IdempotencyKey, err)
			}
			number, found, err := idempotentClaim(ctx, tx.tx, o.IdempotencyScope, o.IdempotencyKey, o.RequestHash, db.idempotencyCutoff())
			if err != nil || found {
				earlier = number
				return err
			}
		}
		if c.Number == "" {
			number, err := tx.NextClaimNumber(ctx, c.ReportedOn.Year())
			if err != nil {
				return err
			}
			c.Number = number
		}
		extras, err := o.Compose(*c)
		if err != nil {
			return err
		}
		if err := tx.CreateClaim(ctx, c, o.Events...); err != nil {
			return err
		}
		if extras.AccessHash != "" {
			if err := tx.AddClaimAccess(ctx, c.ID, extras.AccessHash, extras.AccessExpires); err != nil {
				return err
			}
		}
		if extras.ConfirmHash != "" {
			if err := tx.addClaimConfirmation(ctx, c.ID, extras.ConfirmHash); err != nil {
				return err
			}
		}
		for _, m := range extras.Messages {
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
		}
		if o.IdempotencyKey != "" {
			return tx.recordIdempotentClaim(ctx, o.IdempotencyScope, o.IdempotencyKey, o.RequestHash, c.Number)
		}
		return nil
	})
	return earlier, err
}

func (db *DB) openClaimPostgres(ctx context.Context, o workflow.ClaimOpening) (string, error) {
	c := o.Claim
	if o.IdempotencyKey != "" {
		// The expired key, if any, goes in the same round trip; the SELECT
		// sees the table as it was and skips it by its age.
		number, found, err := idempotentClaimQuery(ctx, db.writer, `WITH gone AS (DELETE FROM idempotency_keys
			WHERE scope = $1 AND idempotency_key = $2 AND created_at <= $3)
			SELECT claim_number, request_hash FROM idempotency_keys
			WHERE scope = $1 AND idempotency_key = $2 AND created_at > $3`,
			o.IdempotencyScope, o.IdempotencyKey, o.RequestHash, db.idempotencyCutoff())
		if err != nil || found {
			return number, err
		}
	}
	if c.Number == "" {
		number, err := db.nextClaimNumber(ctx, c.ReportedOn.Year())
		if err != nil {
			return "", err
		}
		c.Number = number
	}
	extras, err := o.Compose(*c)
	if err != nil {
		return "", err
	}
	st, err := newClaimStatement(c, o.Events, db.now())
	if err != nil {
		return "", err
	}
	now := timeArg(db.now())
	if extras.AccessHash != "" {
		if err := checkAccessHash(extras.AccessHash); err != nil {
			return "", err
		}
		st.with("a", &accessInsert, []any{extras.AccessHash, now, timeArg(extras.AccessExpires)}, true)
	}
	if extras.ConfirmHash != "" {
		if err := checkAccessHash(extras.ConfirmHash); err != nil {
			return "", err
		}
		st.with("f", &confirmInsert, []any{extras.ConfirmHash, now}, true)
	}
	if len(extras.Messages) > 0 {
		args := make([]any, 0, len(extras.Messages)*len(outboxInsert.cols))
		for _, m := range extras.Messages {
			margs, err := outboxArgs(m, now)
			if err != nil {
				return "", err
			}
			args = append(args, margs...)
		}
		st.with("o", &outboxInsert, args, false)
	}
	if o.IdempotencyKey != "" {
		// No ON CONFLICT here: a key recorded meanwhile fails the statement,
		// and with it the claim.
		st.with("k", &idempotencyInsert, []any{o.IdempotencyScope, o.IdempotencyKey, c.Number, now, o.RequestHash}, false)
	}
	if err := db.writer.QueryRowContext(ctx, st.query("id"), st.args...).Scan(&c.ID); err != nil {
		if violatedTable(err) == "idempotency_keys" && classify(err) == uniqueViolation {
			return "", userError(aftersale.Conflict, "idempotency_key", err, "idempotency key %q was already used", o.IdempotencyKey)
		}
		return "", createError(c, err)
	}
	return "", nil
}

// idempotencyCutoff is the creation time at or before which a key has
// expired.
func (db *DB) idempotencyCutoff() time.Time {
	return db.now().Add(-workflow.IdempotencyKeyLifetime)
}

// idempotentClaim returns the number of the claim that an earlier request
// with key (in scope), made after cutoff, created; that request's hash must
// be hash (an Invalid error on idempotency_key says it is not; "" matches
// any).
func idempotentClaim(ctx context.Context, q querier, scope, key, hash string, cutoff time.Time) (string, bool, error) {
	return idempotentClaimQuery(ctx, q, `SELECT claim_number, request_hash FROM idempotency_keys
		WHERE scope = $1 AND idempotency_key = $2 AND created_at > $3`, scope, key, hash, cutoff)
}

// idempotentClaimQuery is idempotentClaim with its query, which takes the
// scope, key and cutoff and returns the number and the hash.
func idempotentClaimQuery(ctx context.Context, q querier, query, scope, key, hash string, cutoff time.Time) (string, bool, error) {
	var number, stored string
	err := q.QueryRowContext(ctx, query, scope, key, timeArg(cutoff)).Scan(&number, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("idempotency key %q: %w", key, err)
	}
	// A key recorded without a hash (before the hash was kept) matches any
	// request.
	if stored != "" && hash != "" && stored != hash {
		return "", false, workflow.ErrIdempotencyKeyReused(key)
	}
	return number, true, nil
}
