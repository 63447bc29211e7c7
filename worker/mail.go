// Package worker runs the work that follows a change after its transaction
// committed: today the outbox of e-mail.
package worker

import (
	"context"
	"log/slog"
	"time"

	"github.com/aftersale/aftersale/notify"
)

// Outbox is the store's queue of messages (store.DB implements it).
type Outbox interface {
	// ClaimOutbox takes up to limit due messages for this worker until
	// now+lease, counting the attempt.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]notify.Entry, error)
	MarkSent(ctx context.Context, id int64, now time.Time) error
	// MarkFailed sets the next attempt; a zero next gives up.
	MarkFailed(ctx context.Context, id int64, reason string, next time.Time) error
}

// Mailer drains the outbox: it sends what is due, retries failures with
// exponential backoff, and gives up after MaxAttempts. Several mailers (in
// several processes) may share one outbox: each message is claimed by one.
type Mailer struct {
	Outbox Outbox
	Sender notify.Sender
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
	// Poll is how often it looks for due messages (default 2 s); Batch how
	// many it takes at once (default 20).
	Poll  time.Duration
	Batch int
	// Backoff is the wait after the first failure, doubled after each
	// further one up to MaxBackoff (defaults 30 s and 6 h); MaxAttempts
	// (default 12, about two days) ends the retries.
	Backoff     time.Duration
	MaxBackoff  time.Duration
	MaxAttempts int
	// Lease is how long a claimed message is this worker's before another
	// may retry it (a worker that died mid-send); default 5 min.
	Lease time.Duration
}

func (m *Mailer) now() time.Time {
	if m.Now == nil {
		return time.Now().UTC()
	}
	return m.Now().UTC()
}

func orDefault[T int | time.Duration](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

// Run drains the outbox every Poll until ctx ends; then it returns nil
// after the message in hand, if any, is recorded.
func (m *Mailer) Run(ctx context.Context) error {
	t := time.NewTicker(orDefault(m.Poll, 2*time.Second))
	defer t.Stop()
	for {
		if _, err := m.Drain(ctx); err != nil && ctx.Err() == nil {
			m.Log.ErrorContext(ctx, "outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Drain sends every message due now, batch by batch, and returns how many
// went out. It stops early when ctx ends.
func (m *Mailer) Drain(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		batch, err := m.Outbox.ClaimOutbox(ctx, m.now(), orDefault(m.Lease, 5*time.Minute), orDefault(m.Batch, 20))
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		for _, e := range batch {
			ok, err := m.send(ctx, e)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// send delivers one message and records the outcome. The outcome is
// recorded even when ctx ended meanwhile (shutdown), so the message is not
// sent twice; a message never recorded is retried when its lease ends.
func (m *Mailer) send(ctx context.Context, e notify.Entry) (bool, error) {
	sendErr := m.Sender.Send(ctx, e.Message)
	record := context.WithoutCancel(ctx)
	if sendErr == nil {
		if err := m.Outbox.MarkSent(record, e.ID, m.now()); err != nil {
			return false, err
		}
		m.Log.InfoContext(ctx, "e-mail sent", "id", e.ID, "to", e.To, "subject", e.Subject)
		return true, nil
	}
	next := time.Time{}
	if e.Attempts < orDefault(m.MaxAttempts, 12) {
		next = m.now().Add(m.backoff(e.Attempts))
	}
	// The error names the server, never the message's body or secret.
	reason := sendErr.Error()
	if err := m.Outbox.MarkFailed(record, e.ID, reason, next); err != nil {
		return false, err
	}
	if next.IsZero() {
		m.Log.ErrorContext(ctx, "e-mail given up", "id", e.ID, "to", e.To, "attempts", e.Attempts, "err", reason)
	} else {
		m.Log.WarnContext(ctx, "e-mail not sent; will retry", "id", e.ID, "to", e.To, "attempts", e.Attempts, "retry_at", next, "err", reason)
	}
	return false, nil
}

// backoff is the wait after the attempts-th failure: Backoff, doubled each
// time, at most MaxBackoff.
func (m *Mailer) backoff(attempts int) time.Duration {
	d, limit := orDefault(m.Backoff, 30*time.Second), orDefault(m.MaxBackoff, 6*time.Hour)
	for i := 1; i < attempts && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}
