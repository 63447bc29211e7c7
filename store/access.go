package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/aftersale/aftersale"
)

// AddClaimAccess stores a claim's secret link by the hash of its secret
// (hex SHA-256; the store never sees the secret), valid until expires. It
// runs in the claim's own transaction: a claim that rolls back leaves no link.
func (tx *Tx) AddClaimAccess(ctx context.Context, claimID int64, hash string, expires time.Time) error {
	if err := checkAccessHash(hash); err != nil {
		return err
	}
	_, err := tx.tx.ExecContext(ctx, accessInsert.sql(tx.db.engine, 1), claimID, hash, timeArg(tx.db.now()), timeArg(expires))
	if classify(err) == foreignKeyViolation {
		return userError(aftersale.NotFound, "claim", err, "no claim has id %d", claimID)
	}
	if err != nil {
		return genericError("claim access", err)
	}
	return nil
}

var accessInsert = upsert{table: "claim_access",
	cols: []string{"claim_id", "secret_sha256", "created_at", "expires_at"}}

func checkAccessHash(hash string) error {
	if len(hash) != 64 {
		return fmt.Errorf("claim access: hash of %d characters, want a hex SHA-256", len(hash))
	}
	return nil
}

// ClaimAccessActor returns the customer actor of the unexpired, unrevoked
// claim link whose secret has hash: it reaches that one claim. Anything
// else is a NotFound error.
func (db *DB) ClaimAccessActor(ctx context.Context, hash string) (aftersale.Actor, error) {
	var c aftersale.Claim
	err := db.reader.QueryRowContext(ctx, `SELECT c.number, c.customer_email
		FROM claim_access a JOIN claims c ON c.id = a.claim_id
		WHERE a.secret_sha256 = $1 AND a.revoked_at IS NULL AND a.expires_at > $2`, hash, timeArg(db.now())).
		Scan(&c.Number, &c.CustomerEmail)
	if errors.Is(err, sql.ErrNoRows) {
		return aftersale.Actor{}, userError(aftersale.NotFound, "access", err, "the claim link is unknown, revoked or expired")
	}
	if err != nil {
		return aftersale.Actor{}, fmt.Errorf("look up claim link: %w", err)
	}
	return aftersale.CustomerOf(c), nil
}

// RevokeClaimAccess ends every link of a claim (a customer's link leaked):
// the claim's customer needs a new one.
func (db *DB) RevokeClaimAccess(ctx context.Context, number string) (int64, error) {
	res, err := db.writer.ExecContext(ctx, `UPDATE claim_access SET revoked_at = $1
		WHERE revoked_at IS NULL AND claim_id = (SELECT id FROM claims WHERE number = $2)`, timeArg(db.now()), number)
	if err != nil {
		return 0, fmt.Errorf("revoke links of %s: %w", number, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("revoke links of %s: %w", number, err)
	}
	return n, nil
}

var confirmInsert = upsert{table: "claim_confirmations", cols: []string{"claim_id", "secret_sha256", "created_at"}}

// addClaimConfirmation stores the hash of the secret that confirms a claim
// waiting for its customer (migration 00015), in the claim's transaction.
func (tx *Tx) addClaimConfirmation(ctx context.Context, claimID int64, hash string) error {
	if err := checkAccessHash(hash); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, confirmInsert.sql(tx.db.engine, 1), claimID, hash, timeArg(tx.db.now())); err != nil {
		return genericError("claim confirmation", err)
	}
	return nil
}

// ClaimConfirmation returns the hex SHA-256 of the secret that confirms
// the claim claimID (workflow.ClaimTx); NotFound when it has none.
func (tx *Tx) ClaimConfirmation(ctx context.Context, claimID int64) (string, error) {
	return claimConfirmation(ctx, tx.tx, claimID)
}

// ClaimConfirmation is Tx.ClaimConfirmation on the readers.
func (db *DB) ClaimConfirmation(ctx context.Context, claimID int64) (string, error) {
	return claimConfirmation(ctx, db.reads, claimID)
}

func claimConfirmation(ctx context.Context, q querier, claimID int64) (string, error) {
	var hash string
	err := q.QueryRowContext(ctx, `SELECT secret_sha256 FROM claim_confirmations WHERE claim_id = $1`, claimID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", userError(aftersale.NotFound, "confirm", err, "claim %d has no confirmation link", claimID)
	}
	if err != nil {
		return "", fmt.Errorf("claim confirmation: %w", err)
	}
	return hash, nil
}
