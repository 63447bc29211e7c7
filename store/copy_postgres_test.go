package store

// SetBulkCopy turns PostgreSQL's COPY path for large batches on or off, for
// benchmarks and tests that compare it with the multi-row VALUES path; the
// function it returns restores the default.
func SetBulkCopy(on bool) (restore func()) {
	prev := pgBulk
	pgBulk = on
	return func() { pgBulk = prev }
}
