package store

import (
	"context"
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// AddMessage appends m to its claim's thread and sets m.ID; the caller
// adds the claim's event in the same transaction.
func (tx *Tx) AddMessage(ctx context.Context, m *aftersale.Message) error {
	at := m.At
	if at.IsZero() {
		at = tx.db.now()
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO claim_messages (claim_id, author, body, internal, at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, m.ClaimID, m.Author, m.Body, m.Internal, timeArg(at)).Scan(&m.ID)
	if err != nil {
		switch classify(err) {
		case foreignKeyViolation:
			return userError(aftersale.Invalid, "claim", err, "the message names a claim that does not exist (claim id %d)", m.ClaimID)
		case checkViolation, notNullViolation:
			return userError(aftersale.Invalid, "body", err, "a message needs a body")
		}
		return fmt.Errorf("add message to claim %d: %w", m.ClaimID, err)
	}
	m.At = at
	return nil
}

const messagesSelect = `SELECT id, claim_id, author, body, internal, at FROM claim_messages`

// MessagesOf returns a claim's thread, oldest first; without
// includeInternal, the staff's internal notes are left out.
func (db *DB) MessagesOf(ctx context.Context, claimID int64, includeInternal bool) ([]aftersale.Message, error) {
	query, args := messagesSelect+` WHERE claim_id = $1 ORDER BY id`, []any{claimID}
	if !includeInternal {
		query, args = messagesSelect+` WHERE claim_id = $1 AND internal = $2 ORDER BY id`, []any{claimID, false}
	}
	rows, err := db.reads.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("messages of claim %d: %w", claimID, err)
	}
	defer rows.Close()
	out := []aftersale.Message{}
	for rows.Next() {
		var m aftersale.Message
		if err := rows.Scan(&m.ID, &m.ClaimID, &m.Author, &m.Body, &m.Internal, timeDest{&m.At}); err != nil {
			return nil, fmt.Errorf("messages of claim %d: %w", claimID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("messages of claim %d: %w", claimID, err)
	}
	return out, nil
}

// MarkAnswered records on as the claim's first answer to the customer (A2),
// unless it already has one. It leaves the claim's version alone: a message
// is not an edit of the claim that a concurrent step should lose to.
func (tx *Tx) MarkAnswered(ctx context.Context, claimID int64, on date.Date) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE claims SET first_answer_on = $1
		WHERE id = $2 AND first_answer_on IS NULL`, dateArg(on), claimID); err != nil {
		return fmt.Errorf("mark claim %d answered: %w", claimID, err)
	}
	return nil
}
