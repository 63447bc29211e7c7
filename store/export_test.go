package store

// SQLiteWriterDSN is the DSN of the store's SQLite writer connection, for
// benchmarks' bare baselines on the same settings (durable commits, WAL,
// immediate transactions).
func SQLiteWriterDSN(path string) string { return sqliteDSN(path, false) }

// Commits is how many grouped commits a SQLite store has made.
func Commits(db *DB) int64 { return db.committer.commits.Load() }
