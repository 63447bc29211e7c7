//go:build !unix

package store

import (
	"context"
	"database/sql"
)

// fileLocker does nothing where flock is missing: there, start one process
// first (`aftersale migrate`) before starting several.
type fileLocker struct {
	path string
}

func (l *fileLocker) Lock(context.Context, *sql.DB) error   { return nil }
func (l *fileLocker) Unlock(context.Context, *sql.DB) error { return nil }
