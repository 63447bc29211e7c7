package worker_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale/internal/pgtest"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/worker"
)

var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// engines opens a fresh store on each engine.
func engines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, e := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") }},
		{"postgres", func(t *testing.T) string { return pg.Database(t) }},
	} {
		t.Run(e.name, func(t *testing.T) {
			db, err := store.Open(t.Context(), e.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db)
		})
	}
}

func enqueue(t *testing.T, db *store.DB, msgs ...notify.Message) {
	t.Helper()
	err := db.InTx(t.Context(), func(tx *store.Tx) error {
		for _, m := range msgs {
			if err := tx.Enqueue(t.Context(), m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMailerSendsRetriesAndMarksSent: a failing server's message waits for
// its backoff and goes out on the next attempt; sent messages carry their
// link to the customer and lose it in the outbox.
func TestMailerSendsRetriesAndMarksSent(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t)
		sender, err := notify.ParseSMTPURL(srv.url(), "Service <rma@shop.example>")
		if err != nil {
			t.Fatal(err)
		}
		clock := time.Now().UTC().Add(time.Second)
		var logs bytes.Buffer
		m := &worker.Mailer{Outbox: db, Sender: sender, Log: slog.New(slog.NewTextHandler(&logs, nil)),
			Now: func() time.Time { return clock }, Backoff: time.Minute}
		enqueue(t, db,
			notify.Message{To: "alice@example.com", Subject: "Your claim RMA-1 is received", Body: "Open https://x/c?access=cl_S3CRET\n", Secret: "cl_S3CRET"},
			notify.Message{To: "bob@example.com", Subject: "Größe", Body: "Grüße\n"})
		srv.failNext(1)
		steps := []struct {
			advance  time.Duration
			wantSent int
		}{
			{0, 1},                // the first fails with 451, the second goes
			{30 * time.Second, 0}, // not yet due again
			{time.Minute, 1},      // the retry goes
			{time.Hour, 0},        // nothing left
		}
		for i, st := range steps {
			clock = clock.Add(st.advance)
			n, err := m.Drain(t.Context())
			if err != nil || n != st.wantSent {
				t.Fatalf("step %d: sent %d, %v; want %d", i, n, err, st.wantSent)
			}
		}
		msgs, bodies := srv.received()
		if len(msgs) != 2 {
			t.Fatalf("server got %d messages", len(msgs))
		}
		byTo := map[string]string{}
		for i, msg := range msgs {
			byTo[msg.Header.Get("To")] = bodies[i]
			if msg.Header.Get("From") != "Service <rma@shop.example>" {
				t.Errorf("From %q", msg.Header.Get("From"))
			}
		}
		if !strings.Contains(byTo["alice@example.com"], "access=cl_S3CRET") || byTo["bob@example.com"] != "Grüße\n" {
			t.Errorf("bodies %q", byTo)
		}
		entries, err := db.OutboxEntries(t.Context(), 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.SentAt.IsZero() || strings.Contains(e.Body, "S3CRET") {
				t.Errorf("entry %+v", e)
			}
		}
		if alice := entries[1]; alice.Attempts != 2 {
			t.Errorf("alice's message took %d attempts, want 2", alice.Attempts)
		}
		if strings.Contains(logs.String(), "S3CRET") || !strings.Contains(logs.String(), "451") {
			t.Errorf("log: %s", logs.String())
		}
	})
}

// TestMailerGivesUp: after MaxAttempts failures the message is left unsent
// with its last error and never tried again.
func TestMailerGivesUp(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t)
		srv.failNext(100)
		sender, _ := notify.ParseSMTPURL(srv.url(), "rma@shop.example")
		clock := time.Now().UTC().Add(time.Second)
		m := &worker.Mailer{Outbox: db, Sender: sender, Log: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return clock }, Backoff: time.Minute, MaxAttempts: 3}
		enqueue(t, db, notify.Message{To: "a@example.com", Subject: "s", Body: "b"})
		for range 5 {
			if n, err := m.Drain(t.Context()); n != 0 || err != nil {
				t.Fatalf("sent %d, %v", n, err)
			}
			clock = clock.Add(24 * time.Hour)
		}
		e, err := db.OutboxEntries(t.Context(), 1)
		if err != nil || len(e) != 1 || e[0].Attempts != 3 || !e[0].NextAttemptAt.IsZero() || !e[0].SentAt.IsZero() ||
			!strings.Contains(e[0].LastError, "451") {
			t.Fatalf("entry %+v, %v", e, err)
		}
	})
}

// TestMailerRunStops: Run sends through the log sender until its context
// ends, then returns; the log never holds the secret.
func TestMailerRunStops(t *testing.T) {
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	m := &worker.Mailer{Outbox: db, Sender: notify.LogSender{Log: log}, Log: log, Poll: 10 * time.Millisecond}
	enqueue(t, db, notify.Message{To: "a@example.com", Subject: "s", Body: "link ?access=cl_HIDDEN", Secret: "cl_HIDDEN"})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := db.OutboxEntries(t.Context(), 1)
		if err == nil && len(e) == 1 && !e[0].SentAt.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not sent: %+v, %v", e, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	if strings.Contains(logs.String(), "HIDDEN") || !strings.Contains(logs.String(), "[secret removed]") {
		t.Errorf("log: %s", logs.String())
	}
}
