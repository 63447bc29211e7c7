package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// row is one data row of a file.
type row struct {
	line int
	f    []string // values by the kind's column index; "" when absent
	raw  []string // the row as read, for the rejects file
}

// source yields the rows of a file. A malformed row comes back with a
// *RowError and reading goes on; any other error ends the file.
type source interface {
	next() (*row, error)
	header() []string // the columns of the rejects file
}

func newSource(r io.Reader, o Options, columns, required []string) (source, error) {
	switch o.Format {
	case CSV:
		return newCSVSource(r, o, columns, required)
	case JSONL:
		return &jsonlSource{br: bufio.NewReaderSize(r, 64<<10), columns: columns}, nil
	}
	return nil, fmt.Errorf("import: unknown format %q (want csv or jsonl)", o.Format)
}

type csvSource struct {
	cr    *csv.Reader
	cols  []string
	index []int // file column -> kind column
	n     int   // kind columns
}

// newCSVSource reads the header: every column must be known, each once,
// and the required ones present.
func newCSVSource(r io.Reader, o Options, columns, required []string) (*csvSource, error) {
	cr := csv.NewReader(newCSVLimiter(r))
	cr.ReuseRecord = false
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &InvalidError{Name: o.Name, Rows: []RowError{{Name: o.Name, Line: 1, Reason: "the file is empty: a header row is required"}}}
	}
	if err != nil {
		return nil, &InvalidError{Name: o.Name, Rows: []RowError{csvError(o.Name, err)}}
	}
	more := 0
	s := &csvSource{cr: cr, cols: head, index: make([]int, len(head)), n: len(columns)}
	var bad []RowError
	add := func(column, reason string) {
		if len(bad) < o.MaxErrors {
			bad = append(bad, RowError{Name: o.Name, Line: 1, Column: column, Reason: reason})
		} else {
			more++
		}
	}
	seen := map[string]bool{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		head[i] = h
		s.index[i] = slices.Index(columns, h)
		switch {
		case s.index[i] < 0:
			add(h, fmt.Sprintf("unknown column (a %s file has: %s)", o.Kind, strings.Join(columns, ", ")))
		case seen[h]:
			add(h, "column appears twice")
		}
		seen[h] = true
	}
	for _, req := range required {
		if !seen[req] {
			add(req, "required column is missing from the header")
		}
	}
	if len(bad) > 0 {
		return nil, &InvalidError{Name: o.Name, Rows: bad, More: more, Truncated: more > 0}
	}
	cr.FieldsPerRecord = len(head)
	return s, nil
}

func (s *csvSource) header() []string { return s.cols }

func (s *csvSource) next() (*row, error) {
	rec, err := s.cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil && !errors.Is(err, csv.ErrFieldCount) {
		// A broken quote leaves no safe place to resume: the file ends here.
		// The reader has no field positions after a parse error (FieldPos
		// panics): the error carries the line and column.
		return nil, &malformed{csvError("", err)}
	}
	line, _ := s.cr.FieldPos(0)
	if err != nil {
		re := RowError{Line: line, Reason: fmt.Sprintf("%d fields, but the header has %d", len(rec), len(s.cols))}
		return &row{line: line, raw: rec}, &re
	}
	f := make([]string, s.n)
	for i, v := range rec {
		f[s.index[i]] = v
	}
	return &row{line: line, f: f, raw: rec}, nil
}

// malformed ends a file that cannot be read further.
type malformed struct{ RowError }

func csvError(name string, err error) RowError {
	var le *limitError
	if errors.As(err, &le) {
		return RowError{Name: name, Line: le.line, Reason: le.reason}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		// The row is the one the record starts on; the error's own line and
		// column say where the reader gave up (an unclosed quote: the end of
		// the file).
		return RowError{Name: name, Line: pe.StartLine,
			Reason: fmt.Sprintf("malformed CSV: %v (line %d, column %d)", pe.Err, pe.Line, pe.Column)}
	}
	return RowError{Name: name, Line: 1, Reason: "malformed CSV: " + err.Error()}
}

// jsonlSource reads one JSON object per line, keyed by column names.
type jsonlSource struct {
	br      *bufio.Reader
	columns []string
	line    int
	buf     []byte // the line being read, reused
}

func (s *jsonlSource) header() []string { return s.columns }

func (s *jsonlSource) next() (*row, error) {
	for {
		text, long, err := s.readLine()
		if len(text) == 0 && !long && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read: %w", err)
		}
		s.line++
		if long {
			// The line is skipped unread: the next one is a row of its own.
			r := &row{line: s.line, f: make([]string, len(s.columns))}
			r.raw = r.f
			return r, &RowError{Line: s.line, Reason: tooLong}
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue // blank lines separate nothing
		}
		r := &row{line: s.line, f: make([]string, len(s.columns))}
		r.raw = r.f
		if re := s.decode(text, r); re != nil {
			if len(r.raw) == 0 || allEmpty(r.raw) {
				r.raw = []string{string(text)}
			}
			return r, re
		}
		return r, nil
	}
}

// readLine reads up to the next line break, keeping at most MaxRecordBytes
// of it: a longer line is read through and dropped (long is true). The
// text is valid until the next call.
func (s *jsonlSource) readLine() (text []byte, long bool, err error) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		if !long {
			if len(s.buf)+len(chunk) > MaxRecordBytes+1 { // +1: the line break
				long, s.buf = true, s.buf[:0]
			} else {
				s.buf = append(s.buf, chunk...)
			}
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return s.buf, long, err
		}
	}
}

// decode fills r from one JSON object: strings as they are, numbers as
// written, booleans as true/false, arrays joined with ";".
func (s *jsonlSource) decode(text []byte, r *row) *RowError {
	if n := topLevelKeys(text); n > MaxColumns {
		return &RowError{Line: r.line, Reason: fmt.Sprintf("more than %d keys: a row may have at most %d columns", MaxColumns, MaxColumns)}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(text, &obj); err != nil {
		return &RowError{Line: r.line, Reason: "malformed JSON: " + err.Error()}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := slices.Index(s.columns, k)
		if i < 0 {
			return &RowError{Line: r.line, Column: k, Reason: fmt.Sprintf("unknown column (known: %s)", strings.Join(s.columns, ", "))}
		}
		v, err := jsonValue(obj[k])
		if err != nil {
			return &RowError{Line: r.line, Column: k, Reason: err.Error()}
		}
		r.f[i] = v
	}
	return nil
}

func jsonValue(raw json.RawMessage) (string, error) {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return "", fmt.Errorf("malformed JSON value: %w", err)
	}
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return fmt.Sprint(x), nil
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return "", fmt.Errorf("a list must hold strings, not %s", raw)
			}
			parts[i] = s
		}
		return strings.Join(parts, ";"), nil
	}
	return "", fmt.Errorf("%s is not a string, number, boolean or list", raw)
}

func allEmpty(f []string) bool {
	for _, v := range f {
		if v != "" {
			return false
		}
	}
	return true
}

// topLevelKeys counts the keys of the object text holds, if it is one
// (the colons outside strings at depth 1), before it is decoded into a map.
func topLevelKeys(text []byte) int {
	n, depth := 0, 0
	inString, escaped := false, false
	for _, c := range text {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		case c == ':' && depth == 1:
			n++
		}
	}
	return n
}
