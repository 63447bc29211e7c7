package store

import (
	"context"

	"github.com/aftersale/aftersale"
)

// HasUsers reports whether any user account exists: a new installation
// has none, and offers to create the first administrator.
func (db *DB) HasUsers(ctx context.Context) (bool, error) {
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) AS u`).Scan(&n); err != nil {
		return false, genericError("users", err)
	}
	return n > 0, nil
}

// CreateFirstUser stores u as CreateUser does, but only while no user
// exists at all: it is how a new installation gets its first
// administrator, so a second attempt, even a concurrent one, is a
// Conflict error and creates nothing.
func (db *DB) CreateFirstUser(ctx context.Context, u aftersale.User, passwordHash string) (aftersale.User, error) {
	u.Email = aftersale.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return u, err
	}
	u.Active, u.CreatedAt = true, db.now()
	var created aftersale.User
	err := db.InTx(ctx, func(tx *Tx) error {
		if db.engine == Postgres {
			// Two first sign-ups at once: the second waits here, then sees
			// the first's user.
			if _, err := tx.tx.ExecContext(ctx, `LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return genericError("lock users", err)
			}
		}
		var exists int
		if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) AS u`).Scan(&exists); err != nil {
			return genericError("users", err)
		}
		if exists > 0 {
			return &aftersale.Error{Kind: aftersale.Conflict, Message: "this installation already has its users: sign in, or ask an administrator"}
		}
		row := tx.tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, distributor_code, password_hash, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.Email, u.Name, u.Role, nullString(u.DistributorCode), passwordHash, u.Active, timeArg(u.CreatedAt))
		if err := row.Scan(&u.ID); err != nil {
			return userWriteError(u, err)
		}
		created = u
		return nil
	})
	return created, err
}
