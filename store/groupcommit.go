package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"

	"github.com/aftersale/aftersale/store/internal/batcher"
)

// SQLite has one writer, and a durable commit waits for an fsync of the
// write-ahead log. With one transaction per commit, 32 concurrent claim
// creators queued for the writer one fsync each, and every commit wrote
// the same index pages to the log again. So on SQLite, InTx hands its
// function to a committer goroutine that runs whatever transactions are
// waiting when it is free in one SQLite transaction, each inside its own
// savepoint, and commits them together: one fsync and one write of each
// page for the group. Each InTx still returns only after the commit that
// made its changes durable, and a function that fails (or panics) rolls
// back its savepoint alone, so its neighbours are unaffected. Nothing
// waits to fill a group: a lone transaction commits at once (batcher.go).

// groupSavepoint names the savepoint of each transaction in a group.
const groupSavepoint = "intx"

type commitRequest struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan commitResult
}

type commitResult struct {
	err   error
	panic any
}

// committer runs SQLite's write transactions in groups.
type committer struct {
	db      *DB
	batch   *batcher.Batcher[*commitRequest]
	commits atomic.Int64 // commits made (or tried), one per group, for tests
}

func startCommitter(db *DB) *committer {
	c := &committer{db: db}
	c.batch = batcher.Start(c.commit)
	return c
}

// close lets the group being committed finish, then stops; later InTx
// calls fail.
func (c *committer) close() { c.batch.Close() }

// inTx queues fn and waits for its group's outcome. It waits even when ctx
// ends meanwhile: fn's statements run without ctx's cancellation (a
// SQLite statement interrupted inside a transaction rolls back the whole
// transaction, the group's other members included).
func (c *committer) inTx(ctx context.Context, fn func(*Tx) error) error {
	r := &commitRequest{ctx: ctx, fn: fn, done: make(chan commitResult, 1)}
	if err := c.batch.Submit(ctx, r); err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	res := <-r.done
	if res.panic != nil {
		panic(res.panic)
	}
	return res.err
}

// commit runs a group in one transaction and answers each request.
func (c *committer) commit(group []*commitRequest) {
	// The transaction belongs to the group, not to any one caller.
	sqlTx, err := c.db.writer.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range group {
			r.done <- commitResult{err: fmt.Errorf("begin transaction: %w", err)}
		}
		return
	}
	var committed []*commitRequest
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.done <- commitResult{err: fmt.Errorf("begin transaction: %w", err)}
			continue
		}
		res, broken := c.runOne(sqlTx, r)
		if broken != nil {
			// The savepoint could not be rolled back: the transaction
			// is in no known state, so nobody's work in it is kept.
			sqlTx.Rollback()
			for _, w := range committed {
				w.done <- commitResult{err: fmt.Errorf("rolled back with the transaction it shared: %w", broken)}
			}
			r.done <- res
			for _, w := range group[i+1:] {
				w.done <- commitResult{err: fmt.Errorf("begin transaction: %w", broken)}
			}
			return
		}
		if res.err != nil || res.panic != nil {
			r.done <- res
			continue
		}
		committed = append(committed, r)
	}
	err = sqlTx.Commit()
	c.commits.Add(1)
	if err != nil {
		err = fmt.Errorf("commit: %w", err)
	}
	for _, r := range committed {
		r.done <- commitResult{err: err}
	}
}

// runOne runs one request's fn inside its own savepoint. broken is set when
// a failed fn's savepoint could not be rolled back.
func (c *committer) runOne(sqlTx *sql.Tx, r *commitRequest) (res commitResult, broken error) {
	bg := context.Background()
	if _, err := sqlTx.ExecContext(bg, "SAVEPOINT "+groupSavepoint); err != nil {
		return commitResult{err: fmt.Errorf("begin transaction: savepoint: %w", err)}, err
	}
	res = c.call(sqlTx, r)
	if res.err != nil || res.panic != nil {
		if _, err := sqlTx.ExecContext(bg, "ROLLBACK TO SAVEPOINT "+groupSavepoint); err != nil {
			c.db.log.WarnContext(r.ctx, "rollback to savepoint failed", "err", err)
			return res, err
		}
	}
	if _, err := sqlTx.ExecContext(bg, "RELEASE SAVEPOINT "+groupSavepoint); err != nil {
		if res.err == nil && res.panic == nil {
			res.err = fmt.Errorf("release savepoint: %w", err)
		}
		return res, err
	}
	return res, nil
}

// call runs fn, turning a panic into a result that inTx re-raises in the
// caller's goroutine.
func (c *committer) call(sqlTx *sql.Tx, r *commitRequest) (res commitResult) {
	defer func() {
		if p := recover(); p != nil {
			res = commitResult{panic: p}
		}
	}()
	return commitResult{err: r.fn(&Tx{tx: txConn{Tx: sqlTx, detach: true}, db: c.db})}
}
