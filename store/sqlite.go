package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aftersale/aftersale/store/internal/stmtcache"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// busyTimeoutMillis is how long a SQLite connection waits for a lock held by
// another process (another `aftersale` on the same file) before failing.
const busyTimeoutMillis = 10000

// readerMmapBytes is how much of the database file readers map into memory;
// the operating system's page cache backs it, so it costs address space,
// not resident memory.
const readerMmapBytes = 4 << 30

// sqliteDSN returns the modernc.org/sqlite DSN of path.
//
// synchronous=FULL: in WAL mode NORMAL may lose the last transactions on a
// power cut (the database stays consistent, but a committed claim could
// vanish). A claim acknowledged to a customer must survive, so every commit
// syncs the WAL. Bulk imports pay this once per transaction, not per row.
//
// _time_format=sqlite writes time.Time as "2006-01-02 15:04:05.999999999-07:00",
// text SQLite's date functions understand; timestamps are passed in UTC.
func sqliteDSN(path string, readOnly bool) string {
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeoutMillis),
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(FULL)",
		"_time_format=sqlite",
	}
	if readOnly {
		// A reader that tries to write fails instead of taking the lock.
		// Readers map the file (mmap_size) instead of copying pages in with a
		// read(2) each: a serial lookup walks five B-trees, and with a
		// million orders that was 40% of its time in system calls.
		q = append(q, "_pragma=query_only(1)", fmt.Sprintf("_pragma=mmap_size(%d)", readerMmapBytes))
	} else {
		// journal_mode is persistent in the file; the writer sets it before
		// any reader connects. Write transactions take the write lock at
		// BEGIN: deferred ones fail with SQLITE_BUSY when they upgrade.
		q = append(q, "_pragma=journal_mode(WAL)", "_txlock=immediate",
			// Statement journals of multi-row upserts stay in memory.
			"_pragma=temp_store(MEMORY)")
	}
	return path + "?" + strings.Join(q, "&")
}

func openSQLite(ctx context.Context, path string, readers int) (*DB, error) {
	if path == "" || path == ":memory:" || strings.Contains(path, "?") {
		return nil, fmt.Errorf("open sqlite: %q is not a database file path (an in-memory database cannot be shared by the writer and the readers)", path)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open sqlite: create directory: %w", err)
		}
	}
	writer, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// One writer connection: SQLite has one write lock per file anyway, and
	// queueing in database/sql is cheaper and fairer than busy retries.
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	if err := pingBusy(ctx, writer); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open sqlite %s readers: %w", path, err)
	}
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	db := &DB{engine: SQLite, dsn: path, writer: writer, reader: reader, reads: stmtcache.New(reader),
		readSlots: make(chan struct{}, readers)}
	db.committer = startCommitter(db)
	return db, nil
}

// pingBusy connects the writer, retrying while another process holds the
// lock: switching a new file to WAL takes an exclusive lock, and SQLite
// reports SQLITE_BUSY for it at once instead of waiting busy_timeout (seen
// when several instances start on one new file).
func pingBusy(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, busyTimeoutMillis*time.Millisecond)
	defer cancel()
	wait := 5 * time.Millisecond
	for {
		err := db.PingContext(ctx)
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}
