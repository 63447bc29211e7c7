package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
)

var distributorsUpsert = upsert{
	table: "distributors",
	key:   []string{"code"},
	cols: []string{"code", "name", "authorised", "email", "phone",
		"return_window_days", "replacement_window_days"},
	update: []string{"name", "authorised", "email", "phone",
		"return_window_days", "replacement_window_days"},
}

var customersUpsert = upsert{
	table:  "customers",
	key:    []string{"email"},
	cols:   []string{"email", "name", "phone", "country", "language"},
	update: []string{"name", "phone", "country", "language"},
}

// UpsertDistributors writes distributors in one transaction.
func (db *DB) UpsertDistributors(ctx context.Context, ds []aftersale.Distributor) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.UpsertDistributors(ctx, ds) })
}

// UpsertDistributors is DB.UpsertDistributors inside tx.
func (tx *Tx) UpsertDistributors(ctx context.Context, ds []aftersale.Distributor) error {
	codes := make([]string, len(ds))
	for i, d := range ds {
		if err := d.Validate(); err != nil {
			return err
		}
		codes[i] = d.Code
	}
	if dup, ok := firstDuplicate(codes); ok {
		return userError(aftersale.Invalid, "code", nil, "distributor %q appears twice in the batch", dup)
	}
	return rowsWriter{u: distributorsUpsert, n: len(ds),
		row: func(i int, dst []any) []any {
			d := ds[i]
			return append(dst, d.Code, d.Name, d.Authorised, d.Email, d.Phone,
				d.ReturnWindowDays, d.ReplacementWindowDays)
		},
		explain: func(ctx context.Context, i int, err error) error {
			return genericError(fmt.Sprintf("distributor %q", ds[i].Code), err)
		},
	}.write(ctx, tx)
}

// UpsertCustomers writes customers in one transaction; e-mail addresses are
// stored lower-cased.
func (db *DB) UpsertCustomers(ctx context.Context, cs []aftersale.Customer) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.UpsertCustomers(ctx, cs) })
}

// UpsertCustomers is DB.UpsertCustomers inside tx.
func (tx *Tx) UpsertCustomers(ctx context.Context, cs []aftersale.Customer) error {
	emails := make([]string, len(cs))
	for i, c := range cs {
		c.Email = aftersale.NormalizeEmail(c.Email)
		if err := c.Validate(); err != nil {
			return err
		}
		emails[i] = c.Email
	}
	if dup, ok := firstDuplicate(emails); ok {
		return userError(aftersale.Invalid, "email", nil, "customer %q appears twice in the batch", dup)
	}
	return rowsWriter{u: customersUpsert, n: len(cs),
		row: func(i int, dst []any) []any {
			c := cs[i]
			return append(dst, emails[i], c.Name, c.Phone, c.Country, c.Language)
		},
		explain: func(ctx context.Context, i int, err error) error {
			return genericError(fmt.Sprintf("customer %q", emails[i]), err)
		},
	}.write(ctx, tx)
}

// Distributor returns the distributor code, or a NotFound error.
func (db *DB) Distributor(ctx context.Context, code string) (aftersale.Distributor, error) {
	return getDistributor(ctx, db.reader, code)
}

// Distributor is DB.Distributor inside tx.
func (tx *Tx) Distributor(ctx context.Context, code string) (aftersale.Distributor, error) {
	return getDistributor(ctx, tx.tx, code)
}

// Distributors returns every distributor on file, by name, then code.
func (db *DB) Distributors(ctx context.Context) ([]aftersale.Distributor, error) {
	var out []aftersale.Distributor
	err := eachRow(ctx, db.reader, `SELECT code, name, authorised, email, phone, return_window_days,
		replacement_window_days FROM distributors ORDER BY name, code`, func(sc scanner) error {
		var d aftersale.Distributor
		var ret, repl *int64
		if err := sc.Scan(&d.Code, &d.Name, &d.Authorised, &d.Email, &d.Phone, &ret, &repl); err != nil {
			return err
		}
		d.ReturnWindowDays, d.ReplacementWindowDays = intPtr(ret), intPtr(repl)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("distributors: %w", err)
	}
	return out, nil
}

func getDistributor(ctx context.Context, q querier, code string) (aftersale.Distributor, error) {
	d := aftersale.Distributor{Code: code}
	var ret, repl *int64
	err := q.QueryRowContext(ctx, `SELECT name, authorised, email, phone, return_window_days,
		replacement_window_days FROM distributors WHERE code = $1`, code).
		Scan(&d.Name, &d.Authorised, &d.Email, &d.Phone, &ret, &repl)
	if errors.Is(err, sql.ErrNoRows) {
		return d, userError(aftersale.NotFound, "code", err, "distributor %q not found", code)
	}
	if err != nil {
		return d, fmt.Errorf("distributor %q: %w", code, err)
	}
	d.ReturnWindowDays, d.ReplacementWindowDays = intPtr(ret), intPtr(repl)
	return d, nil
}

// Customer returns the customer with the e-mail address (in any case), or a
// NotFound error.
func (db *DB) Customer(ctx context.Context, email string) (aftersale.Customer, error) {
	return getCustomer(ctx, db.reader, email)
}

// Customer is DB.Customer inside tx.
func (tx *Tx) Customer(ctx context.Context, email string) (aftersale.Customer, error) {
	return getCustomer(ctx, tx.tx, email)
}

func getCustomer(ctx context.Context, q querier, email string) (aftersale.Customer, error) {
	c := aftersale.Customer{Email: aftersale.NormalizeEmail(email)}
	err := q.QueryRowContext(ctx, `SELECT name, phone, country, language FROM customers
		WHERE email = $1`, c.Email).Scan(&c.Name, &c.Phone, &c.Country, &c.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return c, userError(aftersale.NotFound, "email", err, "customer %q not found", c.Email)
	}
	if err != nil {
		return c, fmt.Errorf("customer %q: %w", c.Email, err)
	}
	return c, nil
}
