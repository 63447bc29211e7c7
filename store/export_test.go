package store

import (
	"context"
	"fmt"
	"strings"
)

// SQLiteWriterDSN is the DSN of the store's SQLite writer connection, for
// benchmarks' bare baselines on the same settings (durable commits, WAL,
// immediate transactions).
func SQLiteWriterDSN(path string) string { return sqliteDSN(path, false) }

// Commits is how many grouped commits a SQLite store has made.
func Commits(db *DB) int64 { return db.committer.commits.Load() }

// NextClaimNumbers takes a PostgreSQL claim number through the store's
// batches (numbers.go), and Batches is how many round trips they made.
func NextClaimNumber(db *DB, ctx context.Context, year int) (string, error) {
	return db.nextClaimNumber(ctx, year)
}

func NumberBatches(db *DB) int64 { return db.numbers.Batches() }

// SpellingPlans returns the query plans of the lookups of a serial and of
// an order number typed in another case (lookup.go), as text. On
// PostgreSQL a sequential scan is discouraged: a test's tiny tables would
// be scanned anyway, and the plan is to show that an index can serve them.
func SpellingPlans(ctx context.Context, db *DB) (string, error) {
	tx, err := db.reader.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	explain := "EXPLAIN QUERY PLAN "
	if db.engine == Postgres {
		explain = "EXPLAIN "
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return "", err
		}
	}
	var plans []string
	for _, q := range []string{serialSpelling, orderSpelling} {
		rows, err := tx.QueryContext(ctx, explain+q, "x")
		if err != nil {
			return "", err
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return "", err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			for i := range vals {
				vals[i] = new(any)
			}
			if err := rows.Scan(vals...); err != nil {
				rows.Close()
				return "", err
			}
			plans = append(plans, fmt.Sprint(*vals[len(vals)-1].(*any)))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	return strings.Join(plans, "\n"), nil
}
