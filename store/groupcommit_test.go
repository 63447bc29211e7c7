package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/aftersale/aftersale/store"
)

// TestInTxGroups runs concurrent transactions, some failing or panicking
// after writing, and checks that each one's changes are kept or undone
// alone; on SQLite, that transactions waiting together share commits.
func TestInTxGroups(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db := open(t, e.dsn(t))
			err := db.InTx(t.Context(), func(tx *store.Tx) error {
				_, err := tx.SQL().ExecContext(t.Context(), `CREATE TABLE group_rows (n INTEGER PRIMARY KEY)`)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			const n = 32
			errFailed := errors.New("refused")
			release := make(chan struct{})
			var started, done sync.WaitGroup
			results := make([]any, n)
			// All of started is added before any goroutine can wait on it:
			// transaction 0 waits inside the committer while the others
			// start.
			started.Add(n)
			for i := range n {
				done.Add(1)
				go func() {
					defer done.Done()
					defer func() {
						if p := recover(); p != nil {
							results[i] = fmt.Sprint("panic: ", p)
						}
					}()
					if i > 0 {
						started.Done()
					}
					results[i] = db.InTx(t.Context(), func(tx *store.Tx) error {
						if i == 0 {
							// Hold the writer until the others are queued.
							started.Done()
							started.Wait()
							<-release
						}
						if _, err := tx.SQL().ExecContext(context.Background(), `INSERT INTO group_rows (n) VALUES ($1)`, i); err != nil {
							return err
						}
						switch {
						case i%5 == 3:
							return errFailed
						case i == 7:
							panic("boom")
						}
						return nil
					})
				}()
			}
			started.Wait()
			close(release)
			done.Wait()
			want := 0
			for i, got := range results {
				switch {
				case i%5 == 3:
					if err, _ := got.(error); !errors.Is(err, errFailed) {
						t.Errorf("transaction %d: %v, want its own error", i, got)
					}
				case i == 7:
					if got != "panic: boom" {
						t.Errorf("transaction %d: %v, want its panic", i, got)
					}
				default:
					want++
					if got != error(nil) {
						t.Errorf("transaction %d: %v, want success", i, got)
					}
				}
			}
			var kept []int
			err = db.InTx(t.Context(), func(tx *store.Tx) error {
				rows, err := tx.SQL().QueryContext(t.Context(), `SELECT n FROM group_rows ORDER BY n`)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var i int
					if err := rows.Scan(&i); err != nil {
						return err
					}
					kept = append(kept, i)
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range kept {
				if i%5 == 3 || i == 7 {
					t.Errorf("row %d of a failed transaction was kept", i)
				}
			}
			if len(kept) != want {
				t.Errorf("%d rows kept, want %d", len(kept), want)
			}
			if e.name == store.SQLite {
				// One commit for the table, one for the first transaction,
				// and the rest in groups.
				if c := store.Commits(db); c > n/2 {
					t.Errorf("%d commits for %d transactions: they were not grouped", c, n+1)
				}
			}
		})
	}
}

// TestInTxCancelled: a transaction whose context ended before it ran
// writes nothing and says why.
func TestInTxCancelled(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db := open(t, e.dsn(t))
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			ran := false
			err := db.InTx(ctx, func(tx *store.Tx) error { ran = true; return nil })
			if !errors.Is(err, context.Canceled) || ran {
				t.Errorf("InTx with a cancelled context: %v (ran: %v), want context.Canceled without running", err, ran)
			}
		})
	}
}
