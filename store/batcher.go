package store

import (
	"context"
	"errors"
	"sync"
)

// maxGroup bounds a batch, so that the latency of one batch's work stays
// bounded.
const maxGroup = 64

// errClosed is what a request to a closed store's batcher gets.
var errClosed = errors.New("store: closed")

// batcher hands the requests that wait at the same moment to one goroutine
// as a batch: it takes the first request, then whatever else is queued
// (up to maxGroup), and calls handle with them while new requests queue for
// the next batch. Nothing waits to fill a batch: a lone request is handled
// at once. The SQLite group commit (groupcommit.go) and PostgreSQL's claim
// numbers (numbers.go) share it.
type batcher[R any] struct {
	requests chan R
	stop     chan struct{}
	stopped  sync.WaitGroup
	once     sync.Once
}

func startBatcher[R any](handle func([]R)) *batcher[R] {
	b := &batcher[R]{requests: make(chan R), stop: make(chan struct{})}
	b.stopped.Add(1)
	go b.run(handle)
	return b
}

// submit queues r; it fails with ctx's error when ctx ends first, or with
// errClosed once the batcher is closed. A queued request is handled:
// handle answers it.
func (b *batcher[R]) submit(ctx context.Context, r R) error {
	select {
	case b.requests <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stop:
		return errClosed
	}
}

// close lets the batch being handled finish, then stops; later requests
// fail.
func (b *batcher[R]) close() {
	b.once.Do(func() { close(b.stop) })
	b.stopped.Wait()
}

func (b *batcher[R]) run(handle func([]R)) {
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
		for len(batch) < maxGroup {
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
