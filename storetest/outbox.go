package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/store"
)

// RunCustomer runs the conformance tests of claim links and the outbox,
// each on its own fresh store.
func RunCustomer(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db *store.DB)
	}{
		{"ClaimAccess", testClaimAccess},
		{"RolledBackTxLeavesNoLinkNorMail", testRolledBackOutbox},
		{"OutboxLifecycle", testOutboxLifecycle},
		{"OutboxConcurrentWorkers", testOutboxConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// testClaimAccess: a link reaches its one claim until it expires or is
// revoked; an unknown hash is NotFound.
func testClaimAccess(t *testing.T, db *store.DB) {
	seed(t, db)
	a, b := sampleClaim(), sampleClaim()
	createClaim(t, db, &a)
	createClaim(t, db, &b)
	future, past := testday.Now().Add(time.Hour), testday.Now().Add(-time.Second)
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		return errors.Join(tx.AddClaimAccess(ctx(t), a.ID, hashOf("a"), future),
			tx.AddClaimAccess(ctx(t), b.ID, hashOf("b-expired"), past))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.ClaimAccessActor(ctx(t), hashOf("a"))
	if err != nil {
		t.Fatal(err)
	}
	want := aftersale.Actor{Role: aftersale.RoleCustomer, ClaimNumber: a.Number, CustomerEmail: "alice@example.com", Email: "alice@example.com"}
	if got != want {
		t.Errorf("actor %+v, want %+v", got, want)
	}
	for _, h := range []string{hashOf("b-expired"), hashOf("nobody"), ""} {
		_, err := db.ClaimAccessActor(ctx(t), h)
		wantError(t, err, aftersale.NotFound, "claim link")
	}
	if n, err := db.RevokeClaimAccess(ctx(t), a.Number); err != nil || n != 1 {
		t.Fatalf("revoke: %d, %v", n, err)
	}
	_, err = db.ClaimAccessActor(ctx(t), hashOf("a"))
	wantError(t, err, aftersale.NotFound)
	err = db.InTx(ctx(t), func(tx *store.Tx) error { return tx.AddClaimAccess(ctx(t), 999999, hashOf("x"), future) })
	wantError(t, err, aftersale.NotFound, "999999")
}

// testRolledBackOutbox: a claim transaction that fails after writing its
// link and its e-mail leaves neither.
func testRolledBackOutbox(t *testing.T, db *store.DB) {
	seed(t, db)
	c := sampleClaim()
	boom := errors.New("boom")
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		n, err := tx.NextClaimNumber(ctx(t), 2026)
		if err != nil {
			return err
		}
		c.Number = n
		if err := tx.CreateClaim(ctx(t), &c); err != nil {
			return err
		}
		if err := tx.AddClaimAccess(ctx(t), c.ID, hashOf("gone"), testday.Now().Add(time.Hour)); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx(t), notify.Message{To: "alice@example.com", Subject: "s", Body: "b"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx: %v, want boom", err)
	}
	if list, err := db.OutboxEntries(ctx(t), 10); err != nil || len(list) != 0 {
		t.Errorf("outbox after rollback: %+v, %v", list, err)
	}
	_, err = db.ClaimAccessActor(ctx(t), hashOf("gone"))
	wantError(t, err, aftersale.NotFound)
	err = db.InTx(ctx(t), func(tx *store.Tx) error {
		return tx.Enqueue(ctx(t), notify.Message{To: "a@b.c\r\nBcc: x@y.z", Subject: "s", Body: "b"})
	})
	if err == nil {
		t.Error("a recipient with a header in it was enqueued")
	}
}

func enqueue(t *testing.T, db *store.DB, msgs ...notify.Message) {
	t.Helper()
	err := db.InTx(ctx(t), func(tx *store.Tx) error {
		for _, m := range msgs {
			if err := tx.Enqueue(ctx(t), m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testOutboxLifecycle: due messages are claimed once per lease, failures
// wait for their next attempt, a sent message loses its secret, and one
// given up on is never claimed again.
func testOutboxLifecycle(t *testing.T, db *store.DB) {
	enqueue(t, db, notify.Message{To: "a@example.com", Subject: "one", Body: "see /c?access=cl_SECRET now", Secret: "cl_SECRET"},
		notify.Message{To: "b@example.com", Subject: "two", Body: "two"},
		notify.Message{To: "c@example.com", Subject: "three", Body: "three"})
	now := testday.Now().UTC().Add(time.Second)
	got, err := db.ClaimOutbox(ctx(t), now, time.Minute, 2)
	if err != nil || len(got) != 2 || got[0].Subject != "one" || got[1].Subject != "two" || got[0].Attempts != 1 {
		t.Fatalf("first claim: %+v, %v", got, err)
	}
	if got[0].Secret != "cl_SECRET" || got[0].To != "a@example.com" {
		t.Errorf("claimed %+v", got[0])
	}
	again, err := db.ClaimOutbox(ctx(t), now, time.Minute, 10)
	if err != nil || len(again) != 1 || again[0].Subject != "three" {
		t.Fatalf("claimed during the lease: %+v, %v", again, err)
	}
	if err := db.MarkSent(ctx(t), got[0].ID, now); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx(t), got[1].ID, "451 try later", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx(t), again[0].ID, "550 no such user", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if list, err := db.ClaimOutbox(ctx(t), now.Add(30*time.Minute), time.Minute, 10); err != nil || len(list) != 0 {
		t.Errorf("claimed before the next attempt: %+v, %v", list, err)
	}
	later, err := db.ClaimOutbox(ctx(t), now.Add(2*time.Hour), time.Minute, 10)
	if err != nil || len(later) != 1 || later[0].Subject != "two" || later[0].Attempts != 2 || later[0].LastError != "451 try later" {
		t.Fatalf("retry: %+v, %v", later, err)
	}
	list, err := db.OutboxEntries(ctx(t), 10)
	if err != nil || len(list) != 3 {
		t.Fatalf("entries: %+v, %v", list, err)
	}
	sent := list[2]
	if sent.SentAt.IsZero() || !sent.NextAttemptAt.IsZero() || strings.Contains(sent.Body, "cl_SECRET") ||
		sent.Body != "see /c?access=[secret removed] now" || sent.Secret != "" {
		t.Errorf("sent entry %+v", sent)
	}
	if gaveUp := list[0]; !gaveUp.SentAt.IsZero() || !gaveUp.NextAttemptAt.IsZero() || gaveUp.LastError != "550 no such user" {
		t.Errorf("given-up entry %+v", gaveUp)
	}
}

// testOutboxConcurrent: workers claiming at once never take the same
// message (SKIP LOCKED on PostgreSQL, the one writer on SQLite).
func testOutboxConcurrent(t *testing.T, db *store.DB) {
	const n, workers = 60, 4
	msgs := make([]notify.Message, n)
	for i := range msgs {
		msgs[i] = notify.Message{To: "x@example.com", Subject: "m", Body: "b"}
	}
	enqueue(t, db, msgs...)
	now := testday.Now().UTC().Add(time.Second)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				got, err := db.ClaimOutbox(ctx(t), now, time.Hour, 5)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, e := range got {
					seen[e.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d messages claimed, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("message %d claimed %d times", id, k)
		}
	}
}
