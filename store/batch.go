package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxChunkRows bounds the rows of one multi-row statement. Past a few
// hundred rows a bigger statement gains nothing, and both engines cap the
// parameters of a statement (SQLite 32766, PostgreSQL 65535).
const maxChunkRows = 256

// upsert is a multi-row INSERT ... ON CONFLICT DO UPDATE of one table, the
// same SQL on both engines.
type upsert struct {
	table string
	key   []string // the conflict target: the natural key; none for a plain INSERT
	cols  []string // every column written, key columns included
	// update lists the columns a conflict overwrites. The update is skipped
	// when none of them changes, so re-importing the same data writes
	// nothing (and leaves no dead tuples on PostgreSQL).
	update []string
	// where, when set, replaces that "something changed" condition.
	where string
	// pgTypes, when set, gives each column's SQL type (text, integer,
	// bigint, boolean, date) and lets PostgreSQL write a large batch
	// through COPY (see writeBulk).
	pgTypes []string
}

// sql returns the statement for rows rows on engine.
func (u upsert) sql(engine string, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", u.table, strings.Join(u.cols, ", "))
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range u.cols {
			if c > 0 {
				b.WriteString(", ")
			}
			writePlaceholder(&b, engine, n)
			n++
		}
		b.WriteByte(')')
	}
	return b.String() + u.conflict()
}

// conflict returns the statement's ON CONFLICT clause, if any.
func (u upsert) conflict() string {
	if len(u.key) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, " ON CONFLICT (%s) ", strings.Join(u.key, ", "))
	if len(u.update) == 0 {
		b.WriteString("DO NOTHING")
		return b.String()
	}
	set := make([]string, len(u.update))
	changed := make([]string, len(u.update))
	for i, c := range u.update {
		set[i] = c + " = excluded." + c
		changed[i] = u.table + "." + c + " IS DISTINCT FROM excluded." + c
	}
	where := u.where
	if where == "" {
		where = strings.Join(changed, " OR ")
	}
	fmt.Fprintf(&b, "DO UPDATE SET %s WHERE %s", strings.Join(set, ", "), where)
	return b.String()
}

// rowsWriter writes n rows through an upsert.
type rowsWriter struct {
	u upsert
	n int
	// row appends the values of row i, in u.cols order, to dst.
	row func(i int, dst []any) []any
	// explain turns the failure of row i into a user error naming the
	// offending value; it runs inside the transaction, before the failing
	// chunk is applied.
	explain func(ctx context.Context, i int, err error) error
	// after, when set, runs after each chunk [lo, hi) with the rows it
	// inserted or updated.
	after func(ctx context.Context, lo, hi int, affected int64) error
}

// write writes the rows: on PostgreSQL, when the upsert has pgTypes and the
// rows are many, through COPY (writeBulk); otherwise in multi-row
// statements.
func (w rowsWriter) write(ctx context.Context, tx *Tx) error {
	if tx.db.engine == Postgres && w.u.pgTypes != nil && w.n >= minBulkRows && pgBulk {
		return w.writeBulk(ctx, tx)
	}
	return w.writeChunks(ctx, tx, 0, w.n)
}

// writeBulk writes up to maxBulkRows rows per COPY (see copy_postgres.go).
// A batch refused for a constraint is undone and written again through
// writeChunks, whose row-by-row replay names the row at fault.
func (w rowsWriter) writeBulk(ctx context.Context, tx *Tx) error {
	for lo := 0; lo < w.n; lo += maxBulkRows {
		hi := min(lo+maxBulkRows, w.n)
		var affected int64
		err := tx.savepoint(ctx, func() error {
			var err error
			affected, err = w.bulk(ctx, tx, lo, hi)
			return err
		})
		if err != nil {
			if classify(err) == noViolation {
				return fmt.Errorf("write %s: %w", w.u.table, err)
			}
			// writeChunks fails naming the bad row; should every row pass
			// on its own after all, the batch is written and that is fine.
			if err := w.writeChunks(ctx, tx, lo, hi); err != nil {
				return err
			}
			continue
		}
		if w.after != nil {
			if err := w.after(ctx, lo, hi, affected); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeChunks writes rows [from, to) in multi-row statements, the full-size
// one prepared once and reused. A failing statement is undone and its chunk
// replayed row by row, so the error names the row at fault rather than the
// chunk.
func (w rowsWriter) writeChunks(ctx context.Context, tx *Tx, from, to int) error {
	if from == to {
		return nil
	}
	chunk := min(maxChunkRows, to-from)
	full, err := tx.tx.PrepareContext(ctx, w.u.sql(tx.db.engine, chunk))
	if err != nil {
		return fmt.Errorf("prepare %s: %w", w.u.table, err)
	}
	defer full.Close()
	args := make([]any, 0, chunk*len(w.u.cols))
	for lo := from; lo < to; lo += chunk {
		hi := min(lo+chunk, to)
		args = args[:0]
		for i := lo; i < hi; i++ {
			args = w.row(i, args)
		}
		var res sql.Result
		err := tx.guard(ctx, func() error {
			var err error
			if hi-lo == chunk {
				res, err = full.ExecContext(ctx, args...)
			} else {
				res, err = tx.tx.ExecContext(ctx, w.u.sql(tx.db.engine, hi-lo), args...)
			}
			return err
		})
		if err != nil {
			return w.diagnose(ctx, tx, lo, hi, err)
		}
		if w.after != nil {
			affected, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("write %s: %w", w.u.table, err)
			}
			if err := w.after(ctx, lo, hi, affected); err != nil {
				return err
			}
		}
	}
	return nil
}

// diagnose replays rows [lo, hi) one at a time to find the first that fails,
// then undoes the replay and explains that row.
func (w rowsWriter) diagnose(ctx context.Context, tx *Tx, lo, hi int, chunkErr error) error {
	if classify(chunkErr) == noViolation {
		return fmt.Errorf("write %s: %w", w.u.table, chunkErr)
	}
	one := w.u.sql(tx.db.engine, 1)
	var culprit = -1
	var rowErr error
	spErr := tx.savepoint(ctx, func() error {
		for i := lo; i < hi; i++ {
			if _, err := tx.tx.ExecContext(ctx, one, w.row(i, nil)...); err != nil {
				culprit, rowErr = i, err
				break
			}
		}
		// Always undo: the rows written here belong to a chunk that failed.
		return errUndo
	})
	if spErr != nil && !errors.Is(spErr, errUndo) {
		return fmt.Errorf("write %s: %w", w.u.table, spErr)
	}
	if culprit < 0 {
		return genericError("write "+w.u.table, chunkErr)
	}
	return w.explain(ctx, culprit, rowErr)
}

// errUndo makes savepoint roll back work that succeeded.
var errUndo = errors.New("undo")

// guard runs one statement so that its failure leaves the transaction
// usable. PostgreSQL aborts the whole transaction on any error, hence a
// savepoint there; SQLite undoes just the failing statement by itself.
func (tx *Tx) guard(ctx context.Context, fn func() error) error {
	if tx.db.engine == SQLite {
		return fn()
	}
	return tx.savepoint(ctx, fn)
}

// Savepoint runs fn so that its failure leaves the transaction as it was
// before fn, and still usable: a bulk import tries a batch, and on a refusal
// retries its rows one by one to name each bad row, then carries on.
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
	return tx.savepoint(ctx, fn)
}

// savepoint runs fn so that its failure leaves the transaction as it was
// before fn, and still usable.
func (tx *Tx) savepoint(ctx context.Context, fn func() error) error {
	if _, err := tx.tx.ExecContext(ctx, "SAVEPOINT chunk"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rbErr := tx.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT chunk"); rbErr != nil {
			return fmt.Errorf("rollback to savepoint: %w (after %w)", rbErr, err)
		}
		if _, relErr := tx.tx.ExecContext(ctx, "RELEASE SAVEPOINT chunk"); relErr != nil {
			return fmt.Errorf("release savepoint: %w", relErr)
		}
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, "RELEASE SAVEPOINT chunk"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// writePlaceholder writes the placeholder of argument n. Both engines
// understand $n, but SQLite treats $n as a named parameter and modernc.org's
// driver looks each name up in a list, so binding a statement with k named
// parameters costs k squared: long statements use SQLite's positional ?.
func writePlaceholder(b *strings.Builder, engine string, n int) {
	if engine == SQLite {
		b.WriteByte('?')
		return
	}
	b.WriteByte('$')
	b.WriteString(strconv.Itoa(n))
}

// placeholders returns the placeholders of arguments from, from+1, ... for n
// arguments.
func placeholders(engine string, from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		writePlaceholder(&b, engine, from+i)
	}
	return b.String()
}

// inChunks calls fn with consecutive slices of keys of at most
// maxChunkRows, for statements with an IN list.
func inChunks(keys []string, fn func(part []any) error) error {
	for lo := 0; lo < len(keys); lo += maxChunkRows {
		hi := min(lo+maxChunkRows, len(keys))
		part := make([]any, hi-lo)
		for i, k := range keys[lo:hi] {
			part[i] = k
		}
		if err := fn(part); err != nil {
			return err
		}
	}
	return nil
}
