// Package store keeps the registry (and later the claims) in SQLite or
// PostgreSQL.
//
// Both engines run the same SQL wherever the SQL is the same: $1 placeholders,
// ON CONFLICT ... DO UPDATE and RETURNING work unchanged on modernc.org/sqlite
// and on pgx through database/sql. Engine-specific code is limited to opening
// the database, the migration lock and the schema files.
//
// Writes happen inside DB.InTx: the caller hands the store one function, and
// everything it does commits or rolls back together. Errors a user may see
// are *aftersale.Error values naming the offending value; driver messages stay
// in the wrapped cause, for logs.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/aftersale/aftersale/store/internal/claimnumbers"
	"github.com/aftersale/aftersale/store/internal/stmtcache"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open store.
type DB struct {
	engine string
	dsn    string
	// writer runs every write transaction. On SQLite it holds one
	// connection, so writers queue in Go instead of failing with
	// SQLITE_BUSY; on PostgreSQL it is the only pool.
	writer *sql.DB
	// reader serves reads outside transactions: a pool of read-only
	// connections on SQLite (WAL lets them read while the writer writes),
	// the same pool as writer on PostgreSQL.
	reader *sql.DB
	// reads runs the reader pool's hot queries as prepared statements.
	reads *stmtcache.Cache
	// readSlots admits as many hot reads as SQLite has reader connections,
	// in arrival order (nil on PostgreSQL): database/sql hands a freed
	// connection to a random waiter, which is unfair under load.
	readSlots chan struct{}
	// catalog is the products and distributors the serial lookup reads
	// from memory (catalog_cache.go).
	catalog catalogCache
	log     *slog.Logger
	// committer groups SQLite's write transactions (nil on PostgreSQL).
	committer *committer
	// numbers hands out PostgreSQL's claim numbers in batches (nil on
	// SQLite).
	numbers *claimnumbers.Numberer
	// commonProbes names the queue's probes that found their category or
	// SKU common (queue.go productClaims).
	commonProbes sync.Map
	// probeLimit is how many matches a rare filter's probe collects before
	// the queue walks in order instead (queue.go).
	probeLimit int
	// clock is the time of creation, last use and expiry checks; tests
	// pass their pinned clock so that no row depends on the machine's date.
	clock func() time.Time
}

// Option configures Open.
type Option func(*config)

type config struct {
	migrate    bool
	readers    int
	log        *slog.Logger
	probeLimit int
	clock      func() time.Time
}

// WithoutMigrate makes Open leave the schema alone; call Migrate yourself
// (the `aftersale migrate` command does).
func WithoutMigrate() Option { return func(c *config) { c.migrate = false } }

// WithReaders sets the number of SQLite reader connections (default: one
// per CPU the process may use). More readers than CPUs only contend inside
// modernc's SQLite: throughput falls and the slowest lookups wait seconds.
// PostgreSQL ignores it.
func WithReaders(n int) Option { return func(c *config) { c.readers = n } }

// WithProbeLimit sets how many claims a text or category may match and
// still be looked up through its index, the matches then sorted; past it
// the queue is walked in order, testing each claim (default 5,000). Tests
// lower it to take the walk.
func WithProbeLimit(n int) Option { return func(c *config) { c.probeLimit = n } }

// WithClock sets the store's clock (default time.Now): the time it stamps on
// what it creates and compares with sessions' and links' expiry. The rest of
// the program takes the same clock, so a test's pinned clock is the only one.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithLogger sets the logger for migrations and slow paths.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// IsPostgresDSN reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store named by dsn: a postgres:// or postgresql:// URL opens
// PostgreSQL, anything else is the path of a SQLite file (its directory is
// created). Open applies pending migrations unless WithoutMigrate is given.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	cfg := config{migrate: true, readers: max(1, runtime.GOMAXPROCS(0)), log: slog.New(slog.DiscardHandler),
		probeLimit: defaultProbeLimit, clock: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	var db *DB
	var err error
	if IsPostgresDSN(dsn) {
		db, err = openPostgres(ctx, dsn)
	} else {
		db, err = openSQLite(ctx, dsn, cfg.readers)
	}
	if err != nil {
		return nil, err
	}
	db.log, db.probeLimit, db.clock = cfg.log, max(1, cfg.probeLimit), cfg.clock
	if cfg.migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	pool.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return &DB{engine: Postgres, dsn: dsn, writer: pool, reader: pool, reads: stmtcache.New(pool),
		numbers: claimnumbers.Start(pool)}, nil
}

// Engine returns SQLite or Postgres.
func (db *DB) Engine() string { return db.engine }

// Close closes the connections.
func (db *DB) Close() error {
	if db.committer != nil {
		db.committer.close()
	}
	if db.numbers != nil {
		db.numbers.Close()
	}
	err := db.reads.Close()
	err = errors.Join(err, db.writer.Close())
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

// Tx is a write transaction; its methods write and read inside it.
type Tx struct {
	tx txConn
	db *DB
}

// txConn runs a transaction's statements; with detach, without their
// context's cancellation (groupcommit.go).
type txConn struct {
	*sql.Tx
	detach bool
}

func (t txConn) context(ctx context.Context) context.Context {
	if t.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (t txConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(t.context(ctx), query, args...)
}

func (t txConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(t.context(ctx), query, args...)
}

func (t txConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(t.context(ctx), query, args...)
}

func (t txConn) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(t.context(ctx), query)
}

// InTx runs fn inside one write transaction: it commits when fn returns nil
// and rolls back when fn returns an error (which InTx returns unchanged) or
// panics. On SQLite the transaction starts IMMEDIATE, taking the write lock
// up front, so it cannot fail half-way with SQLITE_BUSY, and it may share
// its commit with other transactions waiting at the same time
// (groupcommit.go).
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) (err error) {
	if db.committer != nil {
		return db.committer.inTx(ctx, fn)
	}
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			sqlTx.Rollback()
		}
	}()
	if err := fn(&Tx{tx: txConn{Tx: sqlTx}, db: db}); err != nil {
		done = true
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			db.log.WarnContext(ctx, "rollback failed", "err", rbErr)
		}
		return err
	}
	done = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Engine returns the engine of the transaction's database.
func (tx *Tx) Engine() string { return tx.db.engine }

// SQL returns the underlying transaction, for packages of this module that
// add their own tables (claims, jobs) to the same transaction.
func (tx *Tx) SQL() *sql.Tx { return tx.tx.Tx }

// querier is what both *sql.DB and *sql.Tx offer, so read code serves
// DB (through the reader pool) and Tx alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// admit waits for a read slot, in arrival order (channel senders queue
// FIFO), and returns the function that frees it; on PostgreSQL it admits at
// once.
func (db *DB) admit(ctx context.Context) (func(), error) {
	if db.readSlots == nil {
		return func() {}, nil
	}
	select {
	case db.readSlots <- struct{}{}:
		return func() { <-db.readSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
