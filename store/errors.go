package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// violation is the kind of constraint a statement broke, the same on both
// engines.
type violation int

const (
	noViolation violation = iota
	uniqueViolation
	foreignKeyViolation
	checkViolation
	notNullViolation
)

// classify tells which constraint err broke, if any.
func classify(err error) violation {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return checkViolation
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return notNullViolation
		}
		return noViolation
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		case "23514":
			return checkViolation
		case "23502":
			return notNullViolation
		}
	}
	return noViolation
}

// userError wraps cause in an *aftersale.Error of kind with a message; the
// driver's text stays in the cause, for logs.
func userError(kind aftersale.ErrorKind, field string, cause error, format string, args ...any) error {
	return &aftersale.Error{Kind: kind, Field: field, Message: fmt.Sprintf(format, args...), Err: cause}
}

// genericError turns an unexplained constraint violation into a user error
// that names the table, and anything else into an internal error with
// context.
func genericError(what string, err error) error {
	switch classify(err) {
	case uniqueViolation:
		return userError(aftersale.Conflict, "", err, "%s: already exists", what)
	case foreignKeyViolation:
		return userError(aftersale.Invalid, "", err, "%s: refers to something that does not exist", what)
	case checkViolation, notNullViolation:
		return userError(aftersale.Invalid, "", err, "%s: a value is out of range or missing", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// dateArg is the SQL argument for d: its ISO text, or NULL for the zero
// Date. Text suits both engines: SQLite stores it as is, and PostgreSQL
// parses it into the DATE column.
func dateArg(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// dateDest scans a DATE (PostgreSQL: time.Time) or TEXT (SQLite) column into
// a date.Date; NULL becomes the zero Date.
type dateDest struct{ d *date.Date }

func (s dateDest) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.d = date.Date{}
		return nil
	case time.Time:
		*s.d = date.FromTime(x)
		return nil
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	}
	return fmt.Errorf("scan date: unexpected %T", v)
}

func (s dateDest) parse(text string) error {
	d, err := date.Parse(text)
	if err != nil {
		return fmt.Errorf("scan date: %w", err)
	}
	*s.d = d
	return nil
}

// intPtr returns nil for a NULL column, so optional numbers round-trip.
func intPtr(n *int64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

// nullString maps "" to NULL, for optional foreign keys.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// violatedTable returns the table whose constraint err broke, where the
// engine tells it (PostgreSQL), else "".
func violatedTable(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.TableName
	}
	return ""
}
