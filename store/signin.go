package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// signInMemory is how long failed sign-ins to an address are remembered
// after the last one: a day of quiet starts its count afresh.
const signInMemory = 24 * time.Hour

// maxSignInEmail is the longest address a failure is recorded for: no
// account can have a longer one (RFC 5321's 254 characters).
const maxSignInEmail = 254

// SignInWait returns how long sign-ins to email (normalised) must still
// wait after its failures: zero when they need not, or when ip is the
// address of the account's last successful sign-in, so that failures from
// elsewhere do not lock the owner out.
func (db *DB) SignInWait(ctx context.Context, email, ip string) (time.Duration, error) {
	var until time.Time
	var trusted string
	err := db.reader.QueryRowContext(ctx, `SELECT locked_until, trusted_ip FROM sign_in_limits WHERE email = $1`, email).
		Scan(timeDest{&until}, &trusted)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sign-in limit of %s: %w", email, err)
	}
	if trusted != "" && trusted == ip {
		return 0, nil
	}
	return max(until.Sub(db.now()), 0), nil
}

// SignInFailed counts a failed sign-in to email (normalised, whether or
// not an account has it) and makes the next ones wait backoff(failures),
// failures counting this one; it returns that wait. Failures are forgotten
// after a day without any.
func (db *DB) SignInFailed(ctx context.Context, email string, backoff func(failures int) time.Duration) (time.Duration, error) {
	if len(email) > maxSignInEmail {
		return 0, nil
	}
	now := db.now()
	var wait time.Duration
	err := db.InTx(ctx, func(tx *Tx) error {
		// Addresses that never signed in and were quiet for a day go: a
		// guesser of many addresses leaves no lasting rows.
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sign_in_limits WHERE trusted_ip = '' AND last_failed_at < $1`,
			timeArg(now.Add(-signInMemory))); err != nil {
			return fmt.Errorf("forget old sign-in failures: %w", err)
		}
		var failures int
		err := tx.tx.QueryRowContext(ctx, `INSERT INTO sign_in_limits (email, failures, last_failed_at) VALUES ($1, 1, $2)
			ON CONFLICT (email) DO UPDATE SET last_failed_at = $2,
				failures = CASE WHEN sign_in_limits.last_failed_at < $3 THEN 1 ELSE sign_in_limits.failures + 1 END
			RETURNING failures`, email, timeArg(now), timeArg(now.Add(-signInMemory))).Scan(&failures)
		if err != nil {
			return fmt.Errorf("count failed sign-in of %s: %w", email, err)
		}
		wait = backoff(failures)
		if _, err := tx.tx.ExecContext(ctx, `UPDATE sign_in_limits SET locked_until = $1 WHERE email = $2`,
			timeArg(now.Add(wait)), email); err != nil {
			return fmt.Errorf("hold sign-ins of %s: %w", email, err)
		}
		return nil
	})
	return wait, err
}

// SignInSucceeded forgets the failed sign-ins to email and trusts ip, the
// address it signed in from, to sign in again during a later wait.
func (db *DB) SignInSucceeded(ctx context.Context, email, ip string) error {
	if len(email) > maxSignInEmail {
		return nil
	}
	_, err := db.writer.ExecContext(ctx, `INSERT INTO sign_in_limits (email, trusted_ip) VALUES ($1, $2)
		ON CONFLICT (email) DO UPDATE SET failures = 0, locked_until = NULL, trusted_ip = $2`, email, ip)
	if err != nil {
		return fmt.Errorf("record sign-in of %s: %w", email, err)
	}
	return nil
}

// RehashPassword replaces a user's password hash with a stronger one of the
// same password, unless it changed meanwhile; sessions and tokens stay.
func (db *DB) RehashPassword(ctx context.Context, userID int64, old, hash string) error {
	if _, err := db.writer.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`,
		hash, userID, old); err != nil {
		return fmt.Errorf("rehash password of user %d: %w", userID, err)
	}
	return nil
}
