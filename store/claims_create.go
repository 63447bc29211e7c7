package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aftersale/aftersale"
)

// NextClaimNumber returns a new RMA number for year, RMA-2026-000123.
//
// On PostgreSQL the number comes from the year's sequence
// (next_claim_number, migration 00007): it holds no lock until commit, so
// concurrent creators (in any process) do not wait for each other's
// commits, but a number taken by a transaction that rolls back is lost: a
// year's numbers are unique and increasing, with gaps. On SQLite it is the
// claim_numbers row's UPSERT: the transaction already holds the database's
// only write lock, and a rolled-back transaction gives its number back, so
// there the numbers have no gaps.
func (tx *Tx) NextClaimNumber(ctx context.Context, year int) (string, error) {
	if err := checkClaimYear(year); err != nil {
		return "", err
	}
	if tx.db.engine == Postgres {
		var number string
		if err := tx.tx.QueryRowContext(ctx, `SELECT next_claim_number($1)`, year).Scan(&number); err != nil {
			return "", fmt.Errorf("next claim number of %d: %w", year, err)
		}
		return number, nil
	}
	var n int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO claim_numbers (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = claim_numbers.last + 1
		RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("next claim number of %d: %w", year, err)
	}
	return fmt.Sprintf("RMA-%04d-%06d", year, n), nil
}

// CreateClaim stores a new claim with its lines and its first events
// (their ClaimID is set here), setting its ID and Version 1 (and its
// timestamps, when the caller left them zero). A claim without a Number
// gets the next one of its ReportedOn year (NextClaimNumber).
//
// On PostgreSQL that is one statement, the number included: a claim
// transaction of BEGIN, this and COMMIT makes three round trips instead of
// six (each costs system calls on both sides, and on two cores the CPU is
// what 32 concurrent creators wait for). SQLite runs the statements one by
// one, in process.
func (tx *Tx) CreateClaim(ctx context.Context, c *aftersale.Claim, events ...aftersale.Event) error {
	if err := prepareClaim(c, events, tx.db.now()); err != nil {
		return err
	}
	if tx.db.engine == Postgres {
		st, err := newClaimStatement(c, events, tx.db.now())
		if err != nil {
			return err
		}
		if err := tx.tx.QueryRowContext(ctx, st.query("id, number"), st.args...).Scan(&c.ID, &c.Number); err != nil {
			return createError(c, err)
		}
		return nil
	}
	if c.Number == "" {
		number, err := tx.NextClaimNumber(ctx, c.ReportedOn.Year())
		if err != nil {
			return err
		}
		c.Number = number
	}
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	err = tx.tx.QueryRowContext(ctx, `INSERT INTO claims (`+claimColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, `+categoriesSQLite+`, $24)
		RETURNING id`, args...).Scan(&c.ID)
	if err != nil {
		return claimError(c, err)
	}
	if err := tx.insertLines(ctx, c); err != nil {
		return err
	}
	return tx.AddEvents(ctx, claimEvents(c.ID, events))
}

// prepareClaim checks a new claim and its events and sets what the store
// decides for it: its version, and its timestamps when the caller left
// them zero.
func prepareClaim(c *aftersale.Claim, events []aftersale.Event, now time.Time) error {
	if c.Number == "" && c.ReportedOn.IsZero() {
		return userError(aftersale.Invalid, "number", nil, "a claim needs a number, or the date it was reported on to number it")
	}
	for i, e := range events {
		if e.Kind == "" {
			return userError(aftersale.Invalid, "events", nil, "event %d needs a kind", i)
		}
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	c.Version = 1
	return nil
}

// claimStatement is a PostgreSQL statement of data-modifying WITH queries:
// the query c inserts a claim, and the others the rows that go with it. The
// number, when the claim has none, comes from next_claim_number inside it,
// and the search text starts with it. Its text depends only on its shape
// (which queries, how many rows each), so each shape's text is built once
// per process (claimStatements): building it took a tenth of a claim's
// client CPU.
type claimStatement struct {
	numbered bool // the claim came with its number
	withs    []withQuery
	args     []any
}

// withQuery is one WITH query after c: rows rows inserted into u's table.
type withQuery struct {
	name    string
	u       *upsert
	rows    int
	claimID bool // each row's first column is the id of the claim c inserts
}

// claimStatements holds each shape's text, by claimStatement.key; the
// shapes are few (a claim has at most a hundred lines).
var claimStatements sync.Map

func newClaimStatement(c *aftersale.Claim, events []aftersale.Event, now time.Time) (*claimStatement, error) {
	args, err := claimArgs(c)
	if err != nil {
		return nil, err
	}
	st := &claimStatement{numbered: c.Number != "", args: args}
	if !st.numbered {
		// The claim's search text (argument 19) lacks the number: the
		// statement prepends it.
		args[0] = c.ReportedOn.Year()
	}
	if len(c.Lines) > 0 {
		lines, err := lineArgs(c)
		if err != nil {
			return nil, err
		}
		st.with("l", &linesInsert, withoutClaimID(lines, len(linesInsert.cols)), true)
	}
	if len(events) > 0 {
		st.with("e", &eventsInsert, withoutClaimID(eventArgs(events, now), len(eventsInsert.cols)), true)
	}
	return st, nil
}

// with adds the WITH query name: an INSERT into u's table of the rows whose
// values are args, row after row. With claimID, each row's first column is
// the id of the claim the query c inserts, and args hold the other columns.
func (st *claimStatement) with(name string, u *upsert, args []any, claimID bool) {
	width := len(u.cols)
	if claimID {
		width--
	}
	st.withs = append(st.withs, withQuery{name: name, u: u, rows: len(args) / width, claimID: claimID})
	st.args = append(st.args, args...)
}

// query returns the statement, which answers the given columns of c.
func (st *claimStatement) query(columns string) string {
	key := st.key(columns)
	if q, ok := claimStatements.Load(key); ok {
		return q.(string)
	}
	q := st.text(columns)
	claimStatements.Store(key, q)
	return q
}

// key names the statement's shape.
func (st *claimStatement) key(columns string) string {
	b := make([]byte, 0, 64)
	b = strconv.AppendBool(b, st.numbered)
	for _, w := range st.withs {
		b = append(b, ' ')
		b = append(b, w.name...)
		b = strconv.AppendInt(b, int64(w.rows), 10)
	}
	b = append(b, ' ')
	b = append(b, columns...)
	return string(b)
}

func (st *claimStatement) text(columns string) string {
	var b strings.Builder
	b.WriteString("WITH ")
	number := "$1"
	if !st.numbered {
		b.WriteString("n AS (SELECT next_claim_number($1) AS number),\n")
		number = "(SELECT number FROM n)"
	}
	values := make([]string, claimColumnCount)
	for i := range values {
		values[i] = "$" + strconv.Itoa(i+1)
	}
	values[0] = number
	values[22] = categoriesPostgres
	if !st.numbered {
		values[18] = "lower(" + number + ") || $19"
	}
	fmt.Fprintf(&b, "c AS (INSERT INTO claims (%s)\n\tVALUES (%s)\n\tRETURNING id, number)",
		claimColumns, strings.Join(values, ", "))
	n := claimColumnCount + 1
	for _, w := range st.withs {
		fmt.Fprintf(&b, ",\n%s AS (INSERT INTO %s (%s) VALUES ", w.name, w.u.table, strings.Join(w.u.cols, ", "))
		width := len(w.u.cols)
		if w.claimID {
			width--
		}
		for r := range w.rows {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			if w.claimID {
				b.WriteString("(SELECT id FROM c), ")
			}
			for i := range width {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("$" + strconv.Itoa(n))
				n++
			}
			b.WriteByte(')')
		}
		b.WriteByte(')')
	}
	b.WriteString("\nSELECT " + columns + " FROM c")
	return b.String()
}

// withoutClaimID drops the first value (the claim id) of each row of
// width values.
func withoutClaimID(args []any, width int) []any {
	out := make([]any, 0, len(args)/width*(width-1))
	for lo := 0; lo < len(args); lo += width {
		out = append(out, args[lo+1:lo+width]...)
	}
	return out
}

// nextClaimNumber takes the next number of year from PostgreSQL's sequence,
// sharing the round trip with the openers waiting at the same moment.
func (db *DB) nextClaimNumber(ctx context.Context, year int) (string, error) {
	if err := checkClaimYear(year); err != nil {
		return "", err
	}
	return db.numbers.Next(ctx, year)
}

func checkClaimYear(year int) error {
	if year < 1 || year > 9999 {
		return userError(aftersale.Invalid, "year", nil, "year %d is out of range", year)
	}
	return nil
}

// claimEvents returns events with their ClaimID set to id.
func claimEvents(id int64, events []aftersale.Event) []aftersale.Event {
	out := make([]aftersale.Event, len(events))
	for i, e := range events {
		e.ClaimID = id
		out[i] = e
	}
	return out
}

// createError names what a refused claim, line or event row got wrong:
// on PostgreSQL one statement writes all three, and the error's table
// tells them apart.
func createError(c *aftersale.Claim, err error) error {
	switch violatedTable(err) {
	case "claim_lines":
		return linesError(c, err)
	case "claim_events":
		return fmt.Errorf("claim %s events: %w", c.Number, err)
	case "claim_access", "claim_confirmations", "outbox", "idempotency_keys":
		return genericError(fmt.Sprintf("claim %s %s", c.Number, violatedTable(err)), err)
	}
	return claimError(c, err)
}

// claimError names what a refused claim row got wrong.
func claimError(c *aftersale.Claim, err error) error {
	switch classify(err) {
	case uniqueViolation:
		return userError(aftersale.Conflict, "number", err, "claim number %s is already taken", c.Number)
	case foreignKeyViolation:
		return userError(aftersale.Invalid, "distributor_code", err, "distributor %q is not on file", c.DistributorCode)
	case checkViolation, notNullViolation:
		return userError(aftersale.Invalid, "", err,
			"claim %s: a value is out of range or missing (status %q, applicant %q)", c.Number, c.Status, c.Applicant)
	}
	return fmt.Errorf("write claim %s: %w", c.Number, err)
}
