package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/aftersale/aftersale"
)

// userColumns selects a user; scanUser reads them.
const userColumns = `id, email, name, role, COALESCE(distributor_code, ''), active, created_at`

func scanUser(sc scanner, extra ...any) (aftersale.User, error) {
	var u aftersale.User
	err := sc.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.DistributorCode, &u.Active, timeDest{&u.CreatedAt}}, extra...)...)
	return u, err
}

// CreateUser stores a new, active user with a password hash (an argon2id
// PHC string; "" for a user who cannot sign in with a password yet) and
// returns it with its id and creation time. The e-mail address is stored
// lower-case; a taken address is a Conflict error naming it.
func (db *DB) CreateUser(ctx context.Context, u aftersale.User, passwordHash string) (aftersale.User, error) {
	u.Email = aftersale.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return u, err
	}
	u.Active, u.CreatedAt = true, db.now()
	row := db.writer.QueryRowContext(ctx, `INSERT INTO users (email, name, role, distributor_code, password_hash, active, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.Email, u.Name, u.Role, nullString(u.DistributorCode), passwordHash, u.Active, timeArg(u.CreatedAt))
	if err := row.Scan(&u.ID); err != nil {
		return u, userWriteError(u, err)
	}
	return u, nil
}

func userWriteError(u aftersale.User, err error) error {
	switch classify(err) {
	case uniqueViolation:
		return userError(aftersale.Conflict, "email", err, "a user with e-mail %s already exists", u.Email)
	case foreignKeyViolation:
		return userError(aftersale.Invalid, "distributor_code", err, "distributor %q does not exist", u.DistributorCode)
	}
	return genericError("user "+u.Email, err)
}

// UserByEmail returns the user with an e-mail address (in any case); an
// unknown address is a NotFound error.
func (db *DB) UserByEmail(ctx context.Context, email string) (aftersale.User, error) {
	email = aftersale.NormalizeEmail(email)
	u, err := scanUser(db.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
	return u, userReadError(err, "email", "no user has e-mail %s", email)
}

// UserByID returns the user with id; an unknown id is a NotFound error.
func (db *DB) UserByID(ctx context.Context, id int64) (aftersale.User, error) {
	u, err := scanUser(db.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	return u, userReadError(err, "id", "no user has id %d", id)
}

// Credentials returns the user with an e-mail address and its password
// hash, for signing in. An unknown address is a NotFound error.
func (db *DB) Credentials(ctx context.Context, email string) (aftersale.User, string, error) {
	email = aftersale.NormalizeEmail(email)
	var hash string
	u, err := scanUser(db.reader.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`, email), &hash)
	return u, hash, userReadError(err, "email", "no user has e-mail %s", email)
}

func userReadError(err error, field, format string, arg any) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return userError(aftersale.NotFound, field, err, format, arg)
	}
	return fmt.Errorf("read user: %w", err)
}

// ListUsers returns every user, by e-mail address.
func (db *DB) ListUsers(ctx context.Context) ([]aftersale.User, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []aftersale.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// SetPassword replaces a user's password hash, ends the user's sessions and
// revokes its API tokens: a password is reset when the account may be in
// other hands, and whoever held it could have been given tokens too
// (`aftersale token create` issues new ones).
func (db *DB) SetPassword(ctx context.Context, userID int64, passwordHash string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.updateUser(ctx, userID, `UPDATE users SET password_hash = $1 WHERE id = $2`, passwordHash, userID); err != nil {
			return err
		}
		if err := tx.revokeTokens(ctx, userID); err != nil {
			return err
		}
		return tx.endSessions(ctx, userID)
	})
}

// SetUserActive enables or disables a user. Disabling ends the user's
// sessions and revokes its tokens for good: enabling it again revives
// neither. Disabling the last active admin is a Conflict error: nobody could
// manage the system any more.
func (db *DB) SetUserActive(ctx context.Context, userID int64, active bool) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if !active {
			if err := tx.keepAnAdmin(ctx, userID, "disable"); err != nil {
				return err
			}
			if err := tx.endSessions(ctx, userID); err != nil {
				return err
			}
			if err := tx.revokeTokens(ctx, userID); err != nil {
				return err
			}
		}
		return tx.updateUser(ctx, userID, `UPDATE users SET active = $1 WHERE id = $2`, active, userID)
	})
}

// SetRole changes a user's role and distributor code (set for distributor
// users only). Taking the role from the last active admin is a Conflict
// error.
func (db *DB) SetRole(ctx context.Context, userID int64, role aftersale.Role, distributorCode string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
		if err := userReadError(err, "id", "no user has id %d", userID); err != nil {
			return err
		}
		u.Role, u.DistributorCode = role, distributorCode
		if err := u.Validate(); err != nil {
			return err
		}
		if role != aftersale.RoleAdmin {
			if err := tx.keepAnAdmin(ctx, userID, "demote"); err != nil {
				return err
			}
		}
		_, err = tx.tx.ExecContext(ctx, `UPDATE users SET role = $1, distributor_code = $2 WHERE id = $3`,
			role, nullString(distributorCode), userID)
		if err != nil {
			return userWriteError(u, err)
		}
		return nil
	})
}

// keepAnAdmin refuses to take away userID's admin powers when it is the last
// active admin.
func (tx *Tx) keepAnAdmin(ctx context.Context, userID int64, verb string) error {
	var others int
	var isAdmin bool
	err := tx.tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM users WHERE role = 'admin' AND active AND id <> $1),
		EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'admin' AND active)`, userID).Scan(&others, &isAdmin)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	return aftersale.KeepAnAdmin(isAdmin, others, verb)
}

// updateUser runs an UPDATE of one user; no such user is NotFound.
func (tx *Tx) updateUser(ctx context.Context, userID int64, query string, args ...any) error {
	res, err := tx.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return genericError(fmt.Sprintf("user %d", userID), err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("user %d: %w", userID, err)
	} else if n == 0 {
		return userError(aftersale.NotFound, "id", nil, "no user has id %d", userID)
	}
	return nil
}

// now is the store's clock in UTC, to the microsecond PostgreSQL keeps.
func (db *DB) now() time.Time { return db.clock().UTC().Truncate(time.Microsecond) }

// timeFormat writes timestamps as text both engines read: SQLite keeps it as
// is (it sorts as text), PostgreSQL parses it into TIMESTAMPTZ.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// timeArg is the SQL argument for t in UTC, or NULL for the zero time.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeFormat)
}

// timeDest scans a TIMESTAMPTZ (PostgreSQL) or TEXT (SQLite) column into a
// UTC time.Time; NULL becomes the zero time.
type timeDest struct{ t *time.Time }

func (s timeDest) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.t = time.Time{}
		return nil
	case time.Time:
		*s.t = x.UTC()
		return nil
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	}
	return fmt.Errorf("scan timestamp: unexpected %T", v)
}

func (s timeDest) parse(text string) error {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return fmt.Errorf("scan timestamp: %w", err)
	}
	*s.t = t.UTC()
	return nil
}
