package store

import (
	"database/sql"

	"github.com/aftersale/aftersale"
)

// An optional amount (aftersale.Money) is two nullable columns, its minor
// units and its currency (migration 00012): both NULL when it is not known.

// moneyArgs returns the SQL arguments of the two columns of m.
func moneyArgs(m *aftersale.Money) (minor, currency any) {
	if m == nil {
		return nil, nil
	}
	return m.Minor, m.Currency
}

// moneyDest scans the two columns of an optional amount into *m: nil when
// they are NULL.
type moneyDest struct {
	m        **aftersale.Money
	minor    sql.NullInt64
	currency sql.NullString
}

// dests returns the Scan destinations of the two columns; set stores what
// they read.
func (d *moneyDest) dests() (minor, currency any) { return &d.minor, &d.currency }

func (d *moneyDest) set() {
	*d.m = nil
	if d.minor.Valid && d.currency.Valid {
		*d.m = &aftersale.Money{Minor: d.minor.Int64, Currency: d.currency.String}
	}
}
