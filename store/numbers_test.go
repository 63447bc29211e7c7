package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aftersale/aftersale/store"
)

// TestNumbersBatched takes PostgreSQL claim numbers of two years from
// concurrent callers: each gets its own, each year's numbers run on without
// a gap, and callers waiting together share round trips.
func TestNumbersBatched(t *testing.T) {
	db := open(t, pg.Database(t))
	const n = 64
	numbers := make([]string, n)
	errs := make([]error, n)
	release := make(chan struct{})
	var done sync.WaitGroup
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			<-release
			numbers[i], errs[i] = store.NextClaimNumber(db, t.Context(), 2026+i%2)
		}()
	}
	close(release)
	done.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	var want []string
	for i := 1; i <= n/2; i++ {
		want = append(want, fmt.Sprintf("RMA-2026-%06d", i), fmt.Sprintf("RMA-2027-%06d", i))
	}
	slices.Sort(want)
	got := slices.Sorted(slices.Values(numbers))
	if !slices.Equal(got, want) {
		t.Errorf("numbers %v, want %v", got, want)
	}
	if b := store.NumberBatches(db); b >= n {
		t.Errorf("%d callers took %d round trips: none shared", n, b)
	}
	if _, err := store.NextClaimNumber(db, t.Context(), 10000); err == nil {
		t.Error("year 10000 got a number")
	}
	// A caller that gave up does not stop the others.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := store.NextClaimNumber(db, ctx, 2026); err == nil {
		t.Error("a cancelled caller got a number")
	}
	if got, err := store.NextClaimNumber(db, t.Context(), 2026); err != nil || got <= "RMA-2026-000032" {
		t.Errorf("after a cancelled caller: %q, %v", got, err)
	}
	db.Close()
	ctx, cancel = context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := store.NextClaimNumber(db, ctx, 2026); err == nil {
		t.Error("a closed store gave a number")
	}
}
