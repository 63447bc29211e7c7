package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// PostgreSQL takes a large batch in two statements: a binary COPY of its
// rows into a temporary staging table, then one INSERT ... SELECT FROM the
// staging table ... ON CONFLICT DO UPDATE.
//
// Why: the multi-row VALUES path costs PostgreSQL a SAVEPOINT, a RELEASE and
// a 1,280-parameter statement per 256 rows, on the same 2 cores that parse
// the file. BenchmarkPostgresBulk (5,000 orders of 4 lines per transaction,
// median of 3 runs, loaded 2-core machine): VALUES 40,800 lines/s, COPY +
// staging 58,600, and a bare COPY of the same rows into tables without index
// or constraint, the server's floor for moving the bytes, 416,000. One array
// per column (INSERT ... SELECT FROM unnest($1::text[], ...)) is slower than
// COPY: in a run on a busier machine, VALUES 22,000, unnest 36,600, COPY
// 45,400. What is left is the server's per-row work: EXPLAIN ANALYZE of the INSERT ...
// SELECT of 20,000 lines spends 54% in the two foreign-key triggers (about
// 5 µs a row each) and most of the rest in the heap and its two indexes.
// With serials the same holds: VALUES 23,900, COPY 29,300, bare 190,000.

// minBulkRows is the smallest write that takes the COPY path: below it, the
// staging table costs more than the statements it saves, and a single order
// from the API leaves no temporary table behind.
const minBulkRows = 1000

// maxBulkRows bounds the rows of one COPY: an importer batch (10,000 rows)
// goes in one, and memory stays proportional to the batch, never to the
// file.
const maxBulkRows = 20000

// pgBulk turns the COPY path off when false, for benchmarks that compare it
// with the multi-row VALUES path.
var pgBulk = true

// carrier returns the SQL type that carries a column of type t into the
// staging table: dates travel as the ISO text the rows hold, and the INSERT
// casts them.
func carrier(t string) string {
	if t == "date" {
		return "text"
	}
	return t
}

func (u upsert) staging() string { return "staging_" + u.table }

// stagingSQL creates the staging table, once per transaction (it is dropped
// at commit, and lives in the session's local buffers: no WAL), and empties
// it.
func (u upsert) stagingSQL() string {
	defs := make([]string, len(u.cols))
	for i, c := range u.cols {
		defs[i] = c + " " + carrier(u.pgTypes[i])
	}
	return fmt.Sprintf("CREATE TEMPORARY TABLE IF NOT EXISTS %s (%s) ON COMMIT DROP; TRUNCATE pg_temp.%[1]s",
		u.staging(), strings.Join(defs, ", "))
}

// copySQL upserts the staging table's rows.
func (u upsert) copySQL() string {
	sel := make([]string, len(u.cols))
	for i, c := range u.cols {
		sel[i] = "s." + c
		if carrier(u.pgTypes[i]) != u.pgTypes[i] {
			sel[i] += "::" + u.pgTypes[i]
		}
	}
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM pg_temp.%s s%s",
		u.table, strings.Join(u.cols, ", "), strings.Join(sel, ", "), u.staging(), u.conflict())
}

// bulk writes rows [lo, hi) with COPY and one INSERT ... SELECT, on the
// transaction's own connection, and returns the rows it inserted or
// updated. database/sql hands no connection out of a *sql.Tx, but pgx calls
// a QueryRewriter passed as a statement's first argument with the
// connection about to run it: copyFirst fills the staging table there.
func (w rowsWriter) bulk(ctx context.Context, tx *Tx, lo, hi int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, w.u.copySQL(), copyFirst{w: w, lo: lo, hi: hi})
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// copyFirst fills the staging table before the statement it rides on runs.
type copyFirst struct {
	w      rowsWriter
	lo, hi int
}

// RewriteQuery implements pgx.QueryRewriter; it leaves the statement as is.
func (c copyFirst) RewriteQuery(ctx context.Context, conn *pgx.Conn, sql string, args []any) (string, []any, error) {
	u := c.w.u
	if _, err := conn.Exec(ctx, u.stagingSQL()); err != nil {
		return "", nil, fmt.Errorf("staging table for %s: %w", u.table, err)
	}
	i := c.lo
	var row []any
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == c.hi {
			return nil, nil
		}
		row = c.w.row(i, row[:0])
		i++
		return row, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"pg_temp", u.staging()}, u.cols, src); err != nil {
		return "", nil, fmt.Errorf("copy %s into staging: %w", u.table, err)
	}
	return sql, args, nil
}
