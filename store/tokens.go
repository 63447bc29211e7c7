package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
)

// lastUsedGranularity is how stale a token's last use may get before a
// request writes it again: a busy client costs one write a minute, not one
// per request.
const lastUsedGranularity = time.Minute

// CreateToken stores a new API token of a user, given its hash (hex
// SHA-256 of the secret, which the store never sees) and the secret's first
// characters. An unknown user is a NotFound error.
func (db *DB) CreateToken(ctx context.Context, userID int64, name, prefix, hash string) (aftersale.APIToken, error) {
	t := aftersale.APIToken{UserID: userID, Name: strings.TrimSpace(name), Prefix: prefix, CreatedAt: db.now()}
	if t.Name == "" {
		return t, userError(aftersale.Invalid, "name", nil, "the token needs a name that says what it is for")
	}
	if len(hash) != 64 {
		return t, fmt.Errorf("create token: hash of %d characters, want a hex SHA-256", len(hash))
	}
	err := db.writer.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_sha256, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, userID, t.Name, prefix, hash, timeArg(t.CreatedAt)).Scan(&t.ID)
	if classify(err) == foreignKeyViolation {
		return t, userError(aftersale.NotFound, "user", err, "no user has id %d", userID)
	}
	if err != nil {
		return t, genericError("token "+t.Name, err)
	}
	return t, nil
}

// TokenActor returns the actor of the token with hash. A token that is
// unknown, revoked, or of a disabled user is a NotFound error. It records
// the token's last use at most once a minute.
func (db *DB) TokenActor(ctx context.Context, hash string) (aftersale.Actor, error) {
	var a aftersale.Actor
	var lastUsed time.Time
	err := db.reader.QueryRowContext(ctx, `SELECT t.id, t.name, t.last_used_at, u.id, u.email, u.name, u.role, COALESCE(u.distributor_code, '')
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND u.active`, hash).
		Scan(&a.TokenID, &a.TokenName, timeDest{&lastUsed}, &a.UserID, &a.Email, &a.Name, &a.Role, &a.DistributorCode)
	if errors.Is(err, sql.ErrNoRows) {
		return aftersale.Actor{}, userError(aftersale.NotFound, "token", err, "the API token is unknown, revoked, or its user is disabled")
	}
	if err != nil {
		return aftersale.Actor{}, fmt.Errorf("look up token: %w", err)
	}
	if t := db.now(); t.Sub(lastUsed) >= lastUsedGranularity {
		// Losing this write loses nothing but a timestamp: it must not fail the request.
		if _, err := db.writer.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, timeArg(t), a.TokenID); err != nil {
			db.log.WarnContext(ctx, "record token use", "token", a.TokenID, "err", err)
		}
	}
	return a, nil
}

// RevokeToken revokes a token for good; revoking it again changes nothing.
// An unknown id is a NotFound error.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	res, err := db.writer.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, timeArg(db.now()), id)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	} else if n == 0 {
		return userError(aftersale.NotFound, "id", nil, "no API token has id %d", id)
	}
	return nil
}

// ListTokens returns a user's tokens, revoked ones included, oldest first.
func (db *DB) ListTokens(ctx context.Context, userID int64) ([]aftersale.APIToken, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var tokens []aftersale.APIToken
	for rows.Next() {
		var t aftersale.APIToken
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, timeDest{&t.CreatedAt}, timeDest{&t.LastUsedAt}, timeDest{&t.RevokedAt}); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return tokens, nil
}

// CreateSession stores a sign-in session of a user by the hash of its
// secret, valid until expires.
func (db *DB) CreateSession(ctx context.Context, userID int64, hash string, expires time.Time) error {
	_, err := db.writer.ExecContext(ctx, `INSERT INTO sessions (id_sha256, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		hash, userID, timeArg(db.now()), timeArg(expires))
	if classify(err) == foreignKeyViolation {
		return userError(aftersale.NotFound, "user", err, "no user has id %d", userID)
	}
	if err != nil {
		return genericError("session", err)
	}
	return nil
}

// SessionActor returns the actor of the unexpired session with hash, of an
// active user; anything else is a NotFound error.
func (db *DB) SessionActor(ctx context.Context, hash string) (aftersale.Actor, error) {
	var a aftersale.Actor
	err := db.reader.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.role, COALESCE(u.distributor_code, '')
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_sha256 = $1 AND s.expires_at > $2 AND u.active`, hash, timeArg(db.now())).
		Scan(&a.UserID, &a.Email, &a.Name, &a.Role, &a.DistributorCode)
	if errors.Is(err, sql.ErrNoRows) {
		return aftersale.Actor{}, userError(aftersale.NotFound, "session", err, "the session has ended; sign in again")
	}
	if err != nil {
		return aftersale.Actor{}, fmt.Errorf("look up session: %w", err)
	}
	return a, nil
}

// DeleteSession ends a session (signing out); an unknown one is no error.
// Expired sessions of everyone go too, so the table does not grow.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	if _, err := db.writer.ExecContext(ctx, `DELETE FROM sessions WHERE id_sha256 = $1 OR expires_at <= $2`, hash, timeArg(db.now())); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// revokeTokens revokes every live API token of a user.
func (tx *Tx) revokeTokens(ctx context.Context, userID int64) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`,
		timeArg(tx.db.now()), userID); err != nil {
		return fmt.Errorf("revoke the tokens of user %d: %w", userID, err)
	}
	return nil
}

func (tx *Tx) endSessions(ctx context.Context, userID int64) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}
