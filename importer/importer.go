package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
)

// Kind names what a file holds.
type Kind string

// The kinds of file, in the order a fresh database takes them: each may
// refer to the ones before it.
const (
	Products     Kind = "products"
	Kits         Kind = "kits"
	Distributors Kind = "distributors"
	Customers    Kind = "customers"
	Orders       Kind = "orders"
	Deliveries   Kind = "deliveries"
)

// Kinds returns every kind, in import order.
func Kinds() []Kind { return []Kind{Products, Kits, Distributors, Customers, Orders, Deliveries} }

// Format is the syntax of a file.
type Format string

// The formats.
const (
	CSV   Format = "csv"
	JSONL Format = "jsonl"
)

// FormatOf guesses a file's format from its name: .jsonl and .ndjson are
// JSON Lines, anything else CSV.
func FormatOf(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return JSONL
	}
	return CSV
}

// Options tells Import what to read and how to treat bad rows.
type Options struct {
	Kind   Kind
	Format Format // CSV when empty
	Name   string // the file's name in messages, such as "orders.csv"
	// Today is the seller's current date: a purchase or delivery after it
	// is refused. The package never reads the clock.
	Today date.Date
	// Categories lists the valid product categories (the policy's); nil
	// accepts any.
	Categories []string
	// SkipInvalid applies the good rows and writes the refused ones to
	// Rejects; otherwise one bad row refuses the whole file.
	SkipInvalid bool
	Rejects     io.Writer // CSV: the original columns plus line and reason
	MaxErrors   int       // bad rows listed; the rest are counted (default DefaultMaxErrors)
	BatchRows   int       // rows handed to the store at once (default 10,000: a few MB)
	// Progress, when set, is called after each batch and at the end.
	Progress func(Progress)
}

// Progress is how far an import is.
type Progress struct {
	Rows  int   // rows read
	Bytes int64 // bytes read
}

// Result counts the rows of an import.
type Result struct {
	Read     int // data rows read (header excluded)
	Applied  int // rows written (re-imported rows included: upserts are idempotent)
	Rejected int // rows refused
}

// RowError is one refused row.
type RowError struct {
	Name   string // file name
	Line   int    // 1-based line of the file
	Column string // "" when the row as a whole is at fault
	Reason string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: column %s: %s", e.Name, e.Line, e.Column, e.Reason)
}

// InvalidError refuses a file: nothing of it was stored.
type InvalidError struct {
	Name      string
	Rows      []RowError // the bad rows found, in file order, at most Options.MaxErrors
	More      int        // the bad rows found beyond Rows, not listed
	Truncated bool       // More > 0
}

func (e *InvalidError) Error() string {
	more := ""
	if e.More > 0 {
		more = fmt.Sprintf(" listed and %d more", e.More)
	}
	first := ""
	if len(e.Rows) > 0 {
		first = "; first: " + e.Rows[0].Error()
	}
	return fmt.Sprintf("%s: %d bad row(s)%s, nothing imported%s", e.Name, len(e.Rows), more, first)
}

// Import reads one file of opts.Kind from r and writes it to db inside one
// transaction: the whole file, or (without SkipInvalid) nothing when any row
// is bad, in which case the error is an *InvalidError listing the bad rows.
// Memory stays flat: rows are read one at a time and written in batches.
func Import(ctx context.Context, db *store.DB, r io.Reader, opts Options) (Result, error) {
	if opts.MaxErrors <= 0 {
		opts.MaxErrors = DefaultMaxErrors
	}
	if opts.BatchRows <= 0 {
		opts.BatchRows = 10000
	}
	if opts.Format == "" {
		opts.Format = CSV
	}
	if opts.Name == "" {
		opts.Name = string(opts.Kind)
	}
	c := &checker{today: opts.Today}
	if opts.Categories != nil {
		c.categories = make(map[string]bool, len(opts.Categories))
		for _, k := range opts.Categories {
			c.categories[k] = true
		}
	}
	switch opts.Kind {
	case Products:
		return run(ctx, db, r, opts, productsSpec(c))
	case Kits:
		return run(ctx, db, r, opts, kitsSpec(c))
	case Distributors:
		return run(ctx, db, r, opts, distributorsSpec(c))
	case Customers:
		return run(ctx, db, r, opts, customersSpec(c))
	case Orders:
		return run(ctx, db, r, opts, ordersSpec(c))
	case Deliveries:
		return run(ctx, db, r, opts, deliveriesSpec(c))
	}
	return Result{}, fmt.Errorf("import: unknown kind %q (want one of %v)", opts.Kind, Kinds())
}

// run imports the file optimistically first: batches are written without
// savepoints, which on SQLite cost as much as the writes themselves. At the
// first bad row it rolls back and, if the input can be re-read, starts over
// carefully: each batch in a savepoint, so that a refused batch can be
// retried row by row to name every bad row and keep the good ones.
func run[T any](ctx context.Context, db *store.DB, r io.Reader, o Options, sp *spec[T]) (Result, error) {
	seeker, _ := r.(io.Seeker)
	var start int64
	if seeker != nil {
		var err error
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			seeker = nil // a pipe: not seekable after all
		}
	}
	res, err := attempt(ctx, db, r, o, sp, seeker == nil)
	if !errors.Is(err, errCareful) {
		return res, err
	}
	if _, err := seeker.Seek(start, io.SeekStart); err != nil {
		return Result{}, fmt.Errorf("import: rewind %s: %w", o.Name, err)
	}
	return attempt(ctx, db, r, o, sp, true)
}

// errCareful ends an optimistic attempt at the first bad row.
var errCareful = errors.New("bad row: start over carefully")

func attempt[T any](ctx context.Context, db *store.DB, r io.Reader, o Options, sp *spec[T], careful bool) (Result, error) {
	cr := &countingReader{r: r}
	src, err := newSource(cr, o, sp.columns, sp.required)
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = db.InTx(ctx, func(tx *store.Tx) error {
		im := &importRun[T]{ctx: ctx, tx: tx, o: o, sp: sp, src: src, in: cr, careful: careful}
		err := im.loop()
		res = im.res
		if err != nil {
			return err
		}
		if im.rejects != nil {
			im.rejects.Flush()
			if err := im.rejects.Error(); err != nil {
				return fmt.Errorf("write rejects: %w", err)
			}
		}
		if len(im.errs) > 0 && !o.SkipInvalid {
			slices.SortStableFunc(im.errs, func(a, b RowError) int { return a.Line - b.Line })
			return &InvalidError{Name: o.Name, Rows: im.errs, More: im.more, Truncated: im.more > 0}
		}
		return nil
	})
	if err != nil {
		res.Applied = 0 // rolled back
		return res, err
	}
	return res, nil
}

// spec is what a kind of file needs: its columns, how rows make an item,
// how items are written, and how a refusal of the store names a row.
type spec[T any] struct {
	columns []string
	// required lists the columns a CSV header must have.
	required []string
	// key names the item a row belongs to. Consecutive rows with the same
	// key make one item when grouped (an order's lines, a kit's
	// components); otherwise each row is an item.
	key     func(f []string) string
	grouped bool
	parse   func(e *rowErrs, rows []*row) T
	write   func(ctx context.Context, tx *store.Tx, items []T) error
	// check, when set, refuses an item that collides with another of the
	// same batch (a serial sold twice); seen is reset for each batch.
	check func(item T, rows []*row, seen map[string]int) *RowError
	// locate, when set, finds the row and column of a single item the store
	// refused; it may write, but must undo what it writes.
	locate func(ctx context.Context, tx *store.Tx, item T, rows []*row, err error) RowError
	// fields maps the store's aftersale.Error fields to columns, where the
	// names differ.
	fields map[string]string
}

// column returns the column the store's error field names, if any.
func (sp *spec[T]) column(err error) string { return fieldColumn(err, sp.columns, sp.fields) }

// fieldColumn maps the field of the store's *aftersale.Error to a column:
// through fields where the names differ, else the column of that name.
func fieldColumn(err error, columns []string, fields map[string]string) string {
	var ae *aftersale.Error
	if !errors.As(err, &ae) || ae.Field == "" {
		return ""
	}
	if c, ok := fields[ae.Field]; ok {
		return c
	}
	if slices.Contains(columns, ae.Field) {
		return ae.Field
	}
	return ""
}

// countingReader counts bytes for progress reports.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
