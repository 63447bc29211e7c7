package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aftersale/aftersale/notify"
)

// The outbox is the jobs table of e-mail. A table of our own keeps the
// promises a job queue such as River makes (enqueued in the change's
// transaction, so nothing is lost and nothing is sent for a change that
// rolled back; retries with backoff; SKIP LOCKED among instances) in about a
// hundred lines, where River would add a young SQLite driver and its own
// migrations for a single kind of job.

// Enqueue adds m to the outbox inside the transaction, due at once.
func (tx *Tx) Enqueue(ctx context.Context, m notify.Message) error {
	args, err := outboxArgs(m, timeArg(tx.db.now()))
	if err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, outboxInsert.sql(tx.db.engine, 1), args...); err != nil {
		return fmt.Errorf("enqueue mail to %s: %w", m.To, err)
	}
	return nil
}

// outboxInsert writes a message due at once (next_attempt_at = created_at).
var outboxInsert = upsert{table: "outbox",
	cols: []string{"recipient", "subject", "body", "secret", "created_at", "next_attempt_at"}}

// outboxArgs checks m and returns its outboxInsert values, created at now.
func outboxArgs(m notify.Message, now any) ([]any, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("enqueue: %w", err)
	}
	return []any{m.To, m.Subject, m.Body, m.Secret, now, now}, nil
}

const outboxColumns = `id, recipient, subject, body, secret, attempts, created_at, next_attempt_at, sent_at, last_error`

func scanEntry(sc scanner) (notify.Entry, error) {
	var e notify.Entry
	err := sc.Scan(&e.ID, &e.To, &e.Subject, &e.Body, &e.Secret, &e.Attempts, timeDest{&e.CreatedAt},
		timeDest{&e.NextAttemptAt}, timeDest{&e.SentAt}, &e.LastError)
	return e, err
}

// ClaimOutbox takes up to limit messages that are due at now for one
// worker: it counts the attempt and pushes their next attempt to now+lease,
// so no other worker takes them meanwhile, and a worker that dies
// mid-send leaves them to be retried when the lease ends. On PostgreSQL,
// where several instances share the table, SKIP LOCKED lets concurrent
// workers pass over each other's rows instead of queueing; SQLite has one
// writer, which serialises the claims.
func (db *DB) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]notify.Entry, error) {
	lock := ""
	if db.engine == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := db.writer.QueryContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1
		WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2
			ORDER BY next_attempt_at, id LIMIT $3`+lock+`)
		RETURNING `+outboxColumns, timeArg(now.Add(lease)), timeArg(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	defer rows.Close()
	var out []notify.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("claim outbox: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	slices.SortFunc(out, func(a, b notify.Entry) int { return int(a.ID - b.ID) })
	return out, nil
}

// MarkSent records a message as sent and cuts its secret out of the kept
// body: the link is stored as a hash only, once it has gone out.
func (db *DB) MarkSent(ctx context.Context, id int64, now time.Time) error {
	_, err := db.writer.ExecContext(ctx, `UPDATE outbox SET sent_at = $1, next_attempt_at = NULL, last_error = '',
		body = CASE WHEN secret = '' THEN body ELSE replace(body, secret, '[secret removed]') END, secret = ''
		WHERE id = $2 AND secret NOT LIKE '% %'`, timeArg(now), id)
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	// A message with several secrets (notify.Message.Secret, separated by
	// spaces) is cut in Go: SQL has no portable split.
	var body, secret string
	err = db.writer.QueryRowContext(ctx, `SELECT body, secret FROM outbox WHERE id = $1 AND secret LIKE '% %'`, id).
		Scan(&body, &secret)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err == nil {
		_, err = db.writer.ExecContext(ctx, `UPDATE outbox SET sent_at = $1, next_attempt_at = NULL, last_error = '',
			body = $2, secret = '' WHERE id = $3`, timeArg(now), notify.Redact(body, secret), id)
	}
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkFailed records why a message was not sent and when to try again; a
// zero next gives up on it (it stays, unsent, with its last error).
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	if len(reason) > 2000 {
		reason = reason[:2000]
	}
	_, err := db.writer.ExecContext(ctx, `UPDATE outbox SET last_error = $1, next_attempt_at = $2 WHERE id = $3`,
		reason, timeArg(next), id)
	if err != nil {
		return fmt.Errorf("mark mail %d failed: %w", id, err)
	}
	return nil
}

// OutboxEntries lists the newest messages first, up to limit, with their
// secrets cut out of the bodies: for admins and tests.
func (db *DB) OutboxEntries(ctx context.Context, limit int) ([]notify.Entry, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []notify.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		e.Body, e.Secret = e.Redacted(), ""
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}
