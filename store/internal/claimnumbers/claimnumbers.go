// Package claimnumbers hands out PostgreSQL claim numbers to the openers
// waiting at the same moment in one round trip.
package claimnumbers

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aftersale/aftersale/store/internal/batcher"
)

// On PostgreSQL, OpenClaim takes a claim's number from its year's sequence
// before it writes the claim: a round trip of its own, which cost 32
// concurrent openers a tenth of their throughput. So the openers waiting
// at the same moment share one: a numberer goroutine takes every request
// queued while its last round trip ran and fetches their numbers in one
// statement, in the order they came (package batcher). Nothing waits to fill a
// batch: a lone request is fetched at once.

// numbersTimeout bounds one batch's round trip; the batch is shared, so no
// one caller's context may cancel it.
const numbersTimeout = 30 * time.Second

type numberRequest struct {
	year  int
	reply chan numberReply
}

type numberReply struct {
	number string
	err    error
}

// Numberer hands out PostgreSQL claim numbers in batches, from the
// database's next_claim_number(year).
type Numberer struct {
	pool    *sql.DB
	batch   *batcher.Batcher[numberRequest]
	batches atomic.Int64 // round trips made
}

// Start starts a numberer on pool.
func Start(pool *sql.DB) *Numberer {
	n := &Numberer{pool: pool}
	n.batch = batcher.Start(n.fetch)
	return n
}

// Close lets the batch in flight finish, then stops; later requests fail.
func (n *Numberer) Close() { n.batch.Close() }

// Batches is how many round trips the numberer made.
func (n *Numberer) Batches() int64 { return n.batches.Load() }

// Next returns a new number of year, which the caller checked. A caller
// whose context ends while its batch is in flight leaves its number unused:
// a gap, as a rolled-back transaction's number is.
func (n *Numberer) Next(ctx context.Context, year int) (string, error) {
	r := numberRequest{year: year, reply: make(chan numberReply, 1)}
	if err := n.batch.Submit(ctx, r); err != nil {
		return "", fmt.Errorf("next claim number of %d: %w", year, err)
	}
	select {
	case rep := <-r.reply:
		return rep.number, rep.err
	case <-ctx.Done():
		return "", fmt.Errorf("next claim number of %d: %w", year, ctx.Err())
	}
}

// fetch answers a batch: one statement per year in it, whose numbers go to
// that year's requests in the order they came.
func (n *Numberer) fetch(batch []numberRequest) {
	n.batches.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), numbersTimeout)
	defer cancel()
	var years []int
	byYear := map[int][]numberRequest{}
	for _, r := range batch {
		if _, seen := byYear[r.year]; !seen {
			years = append(years, r.year)
		}
		byYear[r.year] = append(byYear[r.year], r)
	}
	for _, year := range years {
		requests := byYear[year]
		numbers, err := n.numbers(ctx, year, len(requests))
		for i, r := range requests {
			if err != nil {
				r.reply <- numberReply{err: err}
			} else {
				r.reply <- numberReply{number: numbers[i]}
			}
		}
	}
}

// numbers takes count numbers of year from its sequence, in order.
func (n *Numberer) numbers(ctx context.Context, year, count int) ([]string, error) {
	rows, err := n.pool.QueryContext(ctx, `SELECT next_claim_number($1)
		FROM generate_series(1, $2::integer) AS i ORDER BY i`, year, count)
	if err != nil {
		return nil, fmt.Errorf("next claim numbers of %d: %w", year, err)
	}
	defer rows.Close()
	numbers := make([]string, 0, count)
	for rows.Next() {
		var number string
		if err := rows.Scan(&number); err != nil {
			return nil, fmt.Errorf("next claim numbers of %d: %w", year, err)
		}
		numbers = append(numbers, number)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("next claim numbers of %d: %w", year, err)
	}
	if len(numbers) != count {
		return nil, fmt.Errorf("next claim numbers of %d: got %d, want %d", year, len(numbers), count)
	}
	return numbers, nil
}
