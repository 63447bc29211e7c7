//go:build unix

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/pressly/goose/v3/lock"
)

// fileLocker serialises SQLite migrations across processes with an
// exclusive flock on a file next to the database. SQLite's own locks cannot
// do it: goose reads the version and applies each migration in separate
// transactions, so two processes could both see version 0 and both apply
// version 1. The kernel releases a flock when its process dies, so a crash
// leaves no stale lock.
type fileLocker struct {
	path string
	f    *os.File
}

var _ lock.Locker = (*fileLocker)(nil)

// Lock waits for the lock until ctx ends.
func (l *fileLocker) Lock(ctx context.Context, _ *sql.DB) error {
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			l.f = f
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return fmt.Errorf("migration lock %s: %w", l.path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return fmt.Errorf("migration lock %s: %w", l.path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Unlock releases the lock; closing the file releases the flock.
func (l *fileLocker) Unlock(_ context.Context, _ *sql.DB) error {
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("migration unlock: %w", err)
	}
	return nil
}
