package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
)

// importRun is one import inside its transaction.
type importRun[T any] struct {
	ctx context.Context
	tx  *store.Tx
	o   Options
	sp  *spec[T]
	src source
	in  *countingReader
	// careful writes each batch in a savepoint; otherwise the first bad
	// row ends the attempt with errCareful.
	careful bool

	res     Result
	errs    []RowError // the first MaxErrors bad rows
	more    int        // the bad rows after them, counted
	rejects *csv.Writer
	pending []rejected // rejects of the batch, written after it

	group []*row // rows of the item being read

	// The batch: items and their rows, and the keys it holds.
	items []T
	rows  [][]*row
	nrows int
	keys  map[string]struct{}
	seen  map[string]int
}

// loop reads every row, groups rows into items, and writes full batches.
func (im *importRun[T]) loop() error {
	im.keys = map[string]struct{}{}
	im.seen = map[string]int{}
	for {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		r, err := im.src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			im.res.Read++
			if err := im.refuse([]*row{r}, *re); err != nil {
				return err
			}
			continue
		}
		var m *malformed
		if errors.As(err, &m) {
			m.Name = im.o.Name
			// Listed even past MaxErrors: it is why reading stopped.
			return &InvalidError{Name: im.o.Name, Rows: append(im.errs, m.RowError), More: im.more, Truncated: im.more > 0}
		}
		if err != nil {
			return err
		}
		im.res.Read++
		if len(im.group) > 0 && (!im.sp.grouped || im.sp.key(r.f) != im.sp.key(im.group[0].f)) {
			if err := im.endGroup(); err != nil {
				return err
			}
		}
		im.group = append(im.group, r)
	}
	if err := im.endGroup(); err != nil {
		return err
	}
	if err := im.flush(); err != nil {
		return err
	}
	im.progress()
	return nil
}

// endGroup parses the rows read for one item and adds it to the batch.
func (im *importRun[T]) endGroup() error {
	rows := im.group
	im.group = nil
	if len(rows) == 0 {
		return nil
	}
	var e rowErrs
	item := im.sp.parse(&e, rows)
	if len(e.errs) > 0 {
		return im.refuse(rows, e.errs...)
	}
	// A key seen earlier in the batch: write what came before, so the
	// later rows win, as they would in a later import.
	key := im.sp.key(rows[0].f)
	if _, dup := im.keys[key]; dup {
		if err := im.flush(); err != nil {
			return err
		}
	}
	if im.sp.check != nil {
		if re := im.sp.check(item, rows, im.seen); re != nil {
			return im.refuse(rows, *re)
		}
	}
	im.keys[key] = struct{}{}
	im.items = append(im.items, item)
	im.rows = append(im.rows, rows)
	im.nrows += len(rows)
	if im.nrows >= im.o.BatchRows {
		return im.flush()
	}
	return nil
}

// flush writes the batch. When the store refuses it, each item is retried
// on its own, so the good ones are written and each bad one is named.
func (im *importRun[T]) flush() error {
	defer func() {
		im.items, im.rows, im.nrows = im.items[:0], im.rows[:0], 0
		clear(im.keys)
		clear(im.seen)
	}()
	if len(im.items) == 0 {
		return im.flushRejects()
	}
	defer im.progress()
	write := func() error { return im.sp.write(im.ctx, im.tx, im.items) }
	var err error
	if im.careful {
		err = im.tx.Savepoint(im.ctx, write)
	} else {
		err = write()
	}
	if err == nil {
		im.res.Applied += im.nrows
		return im.flushRejects()
	}
	if aftersale.KindOf(err) == aftersale.Internal {
		return fmt.Errorf("write %s: %w", im.o.Kind, err)
	}
	if !im.careful {
		return errCareful
	}
	for i := range im.items {
		one := im.items[i : i+1]
		err := im.tx.Savepoint(im.ctx, func() error { return im.sp.write(im.ctx, im.tx, one) })
		if err == nil {
			im.res.Applied += len(im.rows[i])
			continue
		}
		if aftersale.KindOf(err) == aftersale.Internal {
			return fmt.Errorf("write %s: %w", im.o.Kind, err)
		}
		if err := im.refuse(im.rows[i], im.explain(im.items[i], im.rows[i], err)); err != nil {
			return err
		}
	}
	return im.flushRejects()
}

// explain turns the store's refusal of one item into a row error.
func (im *importRun[T]) explain(item T, rows []*row, err error) RowError {
	if im.sp.locate != nil {
		re := im.sp.locate(im.ctx, im.tx, item, rows, err)
		re.Name = im.o.Name
		return re
	}
	return RowError{Name: im.o.Name, Line: rows[0].line, Column: im.sp.column(err), Reason: aftersale.MessageOf(err)}
}

// refuse records the bad rows of one item: all of its rows are refused,
// since an item (an order, a kit) is applied whole or not at all.
func (im *importRun[T]) refuse(rows []*row, errs ...RowError) error {
	if !im.careful {
		return errCareful
	}
	im.res.Rejected += len(rows)
	for _, re := range errs {
		re.Name = im.o.Name
		if len(im.errs) < im.o.MaxErrors {
			im.errs = append(im.errs, re)
		} else {
			im.more++
		}
	}
	if im.o.SkipInvalid {
		return im.writeRejects(rows, errs)
	}
	return nil
}

// writeRejects queues refused rows with their line and reason; a batch's
// rejects are written, in file order, once the batch is written.
func (im *importRun[T]) writeRejects(rows []*row, errs []RowError) error {
	if im.o.Rejects == nil {
		return nil
	}
	for _, r := range rows {
		reason := ""
		for _, re := range errs {
			if re.Line == r.line {
				reason = joinReason(reason, re)
			}
		}
		if reason == "" {
			reason = fmt.Sprintf("refused with line %d of the same %s", errs[0].Line, itemNoun(im.o.Kind))
		}
		rec := append(append([]string(nil), r.raw...), strconv.Itoa(r.line), reason)
		im.pending = append(im.pending, rejected{r.line, rec})
	}
	return nil
}

// rejected is a row of the rejects file.
type rejected struct {
	line int
	rec  []string
}

func (im *importRun[T]) flushRejects() error {
	if len(im.pending) == 0 {
		return nil
	}
	if im.rejects == nil {
		im.rejects = csv.NewWriter(im.o.Rejects)
		header := append(append([]string(nil), im.src.header()...), "line", "reason")
		if err := im.rejects.Write(header); err != nil {
			return fmt.Errorf("write rejects: %w", err)
		}
	}
	slices.SortStableFunc(im.pending, func(a, b rejected) int { return a.line - b.line })
	for _, p := range im.pending {
		if err := im.rejects.Write(p.rec); err != nil {
			return fmt.Errorf("write rejects: %w", err)
		}
	}
	im.pending = im.pending[:0]
	return nil
}

func joinReason(prev string, re RowError) string {
	s := re.Reason
	if re.Column != "" {
		s = "column " + re.Column + ": " + s
	}
	if prev == "" {
		return s
	}
	return prev + "; " + s
}

func itemNoun(k Kind) string {
	switch k {
	case Orders:
		return "order"
	case Kits:
		return "kit"
	}
	return "item"
}

func (im *importRun[T]) progress() {
	if im.o.Progress != nil {
		im.o.Progress(Progress{Rows: im.res.Read, Bytes: im.in.n})
	}
}
