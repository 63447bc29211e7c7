package store

import (
	"context"
	"fmt"
)

// OpenClaimsWithSerial returns the numbers of the open claims other than
// claim exceptID that name serial: the same unit claimed twice.
func (db *DB) OpenClaimsWithSerial(ctx context.Context, serial string, exceptID int64) ([]string, error) {
	rows, err := db.reads.QueryContext(ctx, `SELECT DISTINCT c.number FROM claim_lines l JOIN claims c ON c.id = l.claim_id
		WHERE l.serial = $1 AND l.claim_id <> $2 AND c.status NOT IN ('closed', 'rejected', 'referred')
		ORDER BY c.number LIMIT 20`, serial, exceptID)
	if err != nil {
		return nil, fmt.Errorf("open claims with serial %q: %w", serial, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("open claims with serial %q: %w", serial, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open claims with serial %q: %w", serial, err)
	}
	return out, nil
}

// ClaimsOfCustomer counts the claims filed for a customer e-mail.
func (db *DB) ClaimsOfCustomer(ctx context.Context, email string) (int, error) {
	var n int
	err := db.reads.QueryRowContext(ctx, `SELECT count(*) FROM claims WHERE customer_email = $1`, email).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("claims of customer %q: %w", email, err)
	}
	return n, nil
}
