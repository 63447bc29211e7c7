package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/aftersale/aftersale"
)

// The warnings leave out the claims waiting for their customer to confirm
// the e-mail address (claims.confirm_by, migration 00015): an unconfirmed
// claim is nobody's yet, and an address typed by anybody must not make
// another customer's claim look repeated.

// OpenClaimsWithSerial returns the numbers of the open claims other than
// claim exceptID that name serial: the same unit claimed twice.
func (db *DB) OpenClaimsWithSerial(ctx context.Context, serial string, exceptID int64) ([]string, error) {
	rows, err := db.reads.QueryContext(ctx, `SELECT DISTINCT c.number FROM claim_lines l JOIN claims c ON c.id = l.claim_id
		WHERE l.serial = $1 AND l.serial <> '' AND l.claim_id <> $2 AND c.status NOT IN ('closed', 'rejected', 'referred')
		AND c.confirm_by IS NULL ORDER BY c.number LIMIT 20`, serial, exceptID)
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
	err := db.reads.QueryRowContext(ctx, `SELECT count(*) FROM claims WHERE customer_email = $1 AND confirm_by IS NULL`, email).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("claims of customer %q: %w", email, err)
	}
	return n, nil
}

// EarlierClaims lists the claims on an article, newest first: by its
// serials, or, for an article without one, by its order line and SKU;
// unconfirmed claims are left out.
func (db *DB) EarlierClaims(ctx context.Context, serials []string, order string, line int, sku string) ([]aftersale.ClaimRef, error) {
	release, err := db.admit(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	var rows *sql.Rows
	const cols = `SELECT DISTINCT c.number, c.status, c.request, c.reported_on, l.serial FROM claim_lines l JOIN claims c ON c.id = l.claim_id`
	switch {
	case len(serials) == 1:
		rows, err = db.reads.QueryContext(ctx, cols+` WHERE l.serial = $1 AND l.serial <> '' AND c.confirm_by IS NULL ORDER BY c.reported_on DESC, c.number DESC LIMIT 50`, serials[0])
	case len(serials) > 1:
		args := make([]any, len(serials))
		for i, s := range serials {
			args[i] = s
		}
		rows, err = db.reader.QueryContext(ctx, cols+` WHERE l.serial <> '' AND c.confirm_by IS NULL AND l.serial IN (`+placeholders(db.engine, 1, len(serials))+
			`) ORDER BY c.reported_on DESC, c.number DESC LIMIT 50`, args...)
	default:
		rows, err = db.reads.QueryContext(ctx, cols+` WHERE l.order_number = $1 AND l.order_line = $2 AND l.sku = $3
			AND c.confirm_by IS NULL ORDER BY c.reported_on DESC, c.number DESC LIMIT 50`, order, line, sku)
	}
	if err != nil {
		return nil, fmt.Errorf("earlier claims: %w", err)
	}
	defer rows.Close()
	var out []aftersale.ClaimRef
	for rows.Next() {
		var r aftersale.ClaimRef
		if err := rows.Scan(&r.Number, &r.Status, &r.Request, dateDest{&r.ReportedOn}, &r.Serial); err != nil {
			return nil, fmt.Errorf("earlier claims: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("earlier claims: %w", err)
	}
	return out, nil
}
