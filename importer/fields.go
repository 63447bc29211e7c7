package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// rowErrs collects the problems of the rows of one item.
type rowErrs struct{ errs []RowError }

func (e *rowErrs) add(r *row, column, format string, args ...any) {
	e.errs = append(e.errs, RowError{Line: r.line, Column: column, Reason: fmt.Sprintf(format, args...)})
}

// addErr records err; an *aftersale.Error names its field, which
// columns maps to the file's column.
func (e *rowErrs) addErr(r *row, columns []string, err error) {
	var ae *aftersale.Error
	col := ""
	if errors.As(err, &ae) {
		for _, c := range columns {
			if c == ae.Field {
				col = c
			}
		}
	}
	e.errs = append(e.errs, RowError{Line: r.line, Column: col, Reason: aftersale.MessageOf(err)})
}

// checker reads typed values out of rows, recording what is wrong.
type checker struct {
	today      date.Date
	categories map[string]bool // nil: any category
	columns    []string
	e          *rowErrs
}

// with returns a checker of the given columns that records into e.
func (c *checker) with(e *rowErrs, columns []string) *checker {
	cc := *c
	cc.e, cc.columns = e, columns
	return &cc
}

func (c *checker) str(r *row, col int) string { return strings.TrimSpace(r.f[col]) }

// req is a value that must be there.
func (c *checker) req(r *row, col int) string {
	v := c.str(r, col)
	if v == "" {
		c.e.add(r, c.columns[col], "a value is required")
	}
	return v
}

// date reads YYYY-MM-DD, not after today; "" is the zero Date unless
// required.
func (c *checker) date(r *row, col int, required bool) date.Date {
	v := c.str(r, col)
	if v == "" {
		if required {
			c.e.add(r, c.columns[col], "a date is required")
		}
		return date.Date{}
	}
	d, err := date.Parse(v)
	switch {
	case errors.Is(err, date.ErrImpossible):
		c.e.add(r, c.columns[col], "%q is not a day of the calendar", v)
	case errors.Is(err, date.ErrRange):
		c.e.add(r, c.columns[col], "%q is not a year from 1900 to 9999", v)
	case err != nil:
		c.e.add(r, c.columns[col], "%q is not a date of the form YYYY-MM-DD", v)
	case !c.today.IsZero() && d.After(c.today):
		c.e.add(r, c.columns[col], "%q is in the future (today is %s)", v, c.today)
	}
	return d
}

// integer reads a whole number of at least min; "" is def.
func (c *checker) integer(r *row, col int, def, min int64) int64 {
	v := c.str(r, col)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case err != nil:
		c.e.add(r, c.columns[col], "%q is not a whole number", v)
	case n < min:
		c.e.add(r, c.columns[col], "%d is less than %d", n, min)
	}
	return n
}

// optInt reads an optional whole number of at least 0: nil when empty.
func (c *checker) optInt(r *row, col int) *int {
	if c.str(r, col) == "" {
		return nil
	}
	n := int(c.integer(r, col, 0, 0))
	return &n
}

// boolean reads true/false, yes/no or 1/0; "" is false.
func (c *checker) boolean(r *row, col int) bool {
	switch strings.ToLower(c.str(r, col)) {
	case "", "false", "no", "0", "n", "f":
		return false
	case "true", "yes", "1", "y", "t":
		return true
	}
	c.e.add(r, c.columns[col], "%q is not true or false", c.str(r, col))
	return false
}

// list splits a ";"-separated value, dropping empty parts.
func (c *checker) list(r *row, col int) []string {
	v := c.str(r, col)
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ";")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// category checks a product category against the policy's.
func (c *checker) category(r *row, col int) aftersale.Category {
	v := c.req(r, col)
	if v != "" && c.categories != nil && !c.categories[v] {
		c.e.add(r, c.columns[col], "%q is not a category of the policy in force", v)
	}
	return aftersale.Category(v)
}
