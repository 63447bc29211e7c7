package importer

import (
	"context"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
)

// Columns of a distributors file.
const (
	dCode = iota
	dName
	dAuthorised
	dEmail
	dPhone
	dReturnDays
	dReplacementDays
)

var distributorColumns = []string{"code", "name", "authorised", "email", "phone",
	"return_window_days", "replacement_window_days"}

func distributorsSpec(c *checker) *spec[aftersale.Distributor] {
	return &spec[aftersale.Distributor]{
		columns:  distributorColumns,
		required: []string{"code", "name", "authorised"},
		key:      func(f []string) string { return f[dCode] },
		parse: func(e *rowErrs, rows []*row) aftersale.Distributor {
			k, r := c.with(e, distributorColumns), rows[0]
			if k.str(r, dAuthorised) == "" {
				e.add(r, "authorised", "true or false is required")
			}
			return aftersale.Distributor{Code: k.req(r, dCode), Name: k.req(r, dName), Authorised: k.boolean(r, dAuthorised),
				Email: k.str(r, dEmail), Phone: k.str(r, dPhone),
				ReturnWindowDays: k.optInt(r, dReturnDays), ReplacementWindowDays: k.optInt(r, dReplacementDays)}
		},
		write: func(ctx context.Context, tx *store.Tx, ds []aftersale.Distributor) error {
			return tx.UpsertDistributors(ctx, ds)
		},
		fields: map[string]string{"contract": "return_window_days"},
	}
}

// Columns of a customers file.
const (
	cEmail = iota
	cName
	cPhone
	cCountry
	cLanguage
)

var customerColumns = []string{"email", "name", "phone", "country", "language"}

func customersSpec(c *checker) *spec[aftersale.Customer] {
	return &spec[aftersale.Customer]{
		columns:  customerColumns,
		required: []string{"email"},
		key:      func(f []string) string { return aftersale.NormalizeEmail(f[cEmail]) },
		parse: func(e *rowErrs, rows []*row) aftersale.Customer {
			k, r := c.with(e, customerColumns), rows[0]
			cu := aftersale.Customer{Email: aftersale.NormalizeEmail(k.req(r, cEmail)), Name: k.str(r, cName),
				Phone: k.str(r, cPhone), Country: k.str(r, cCountry), Language: k.str(r, cLanguage)}
			if cu.Email != "" {
				if err := cu.Validate(); err != nil {
					e.addErr(r, customerColumns, err)
				}
			}
			if n := len(cu.Country); n > 0 && (n != 2 || !upper(cu.Country)) {
				e.add(r, "country", "%q is not an ISO 3166 country code such as DE", cu.Country)
			}
			return cu
		},
		write: func(ctx context.Context, tx *store.Tx, cs []aftersale.Customer) error {
			return tx.UpsertCustomers(ctx, cs)
		},
	}
}

func upper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
