package store

import "context"

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
