// Package batcher hands the requests that wait at the same moment to one
// goroutine as a batch: the store's SQLite group commit and PostgreSQL claim
// numbers share it.
package batcher

import (
	"context"
	"errors"
	"sync"
)

// MaxGroup bounds a batch, so that the latency of one batch's work stays
// bounded.
const MaxGroup = 64

// ErrClosed is what a request to a closed batcher gets.
var ErrClosed = errors.New("store: closed")

// Batcher hands the requests that wait at the same moment to one goroutine
// as a batch: it takes the first request, then whatever else is queued
// (up to MaxGroup), and calls handle with them while new requests queue for
// the next batch. Nothing waits to fill a batch: a lone request is handled
// at once.
type Batcher[R any] struct {
	requests chan R
	stop     chan struct{}
	stopped  sync.WaitGroup
	once     sync.Once
}

// Start starts a batcher that hands each batch to handle.
func Start[R any](handle func([]R)) *Batcher[R] {
	b := &Batcher[R]{requests: make(chan R), stop: make(chan struct{})}
	b.stopped.Add(1)
	go b.run(handle)
	return b
}

// Submit queues r; it fails with ctx's error when ctx ends first, or with
// ErrClosed once the batcher is closed. A queued request is handled:
// handle answers it.
func (b *Batcher[R]) Submit(ctx context.Context, r R) error {
	select {
	case b.requests <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stop:
		return ErrClosed
	}
}

// Close lets the batch being handled finish, then stops; later requests
// fail.
func (b *Batcher[R]) Close() {
	b.once.Do(func() { close(b.stop) })
	b.stopped.Wait()
}

func (b *Batcher[R]) run(handle func([]R)) {
	defer b.stopped.Done()
	for {
		var batch []R
		select {
		case r := <-b.requests:
			batch = append(batch, r)
		case <-b.stop:
			return
		}
	gather:
		for len(batch) < MaxGroup {
			select {
			case r := <-b.requests:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		handle(batch)
	}
}
