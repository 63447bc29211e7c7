// Package stmtcache runs the store's hot read queries as prepared
// statements.
package stmtcache

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// Cache runs the read queries of the hot paths (warranty lookups) as
// prepared statements, each prepared once: on modernc's SQLite, preparing
// a joined query costs more than running it.
// database/sql re-prepares a statement on each pooled connection as needed.
type Cache struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// New returns a cache of statements on db.
func New(db *sql.DB) *Cache { return &Cache{db: db} }

func (c *Cache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = s
	return s, nil
}

func (c *Cache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (c *Cache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// QueryRowContext falls back to an unprepared query when preparing fails,
// so that the error surfaces from Scan as database/sql has it.
func (c *Cache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// Close closes every statement prepared.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, s := range c.stmts {
		err = errors.Join(err, s.Close())
	}
	c.stmts = nil
	return err
}
