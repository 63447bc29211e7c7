package importer

import (
	"fmt"
	"io"
)

// The limits on a file's shape, enforced as the bytes stream in: a record
// is refused as soon as it crosses one, without reading the rest of it, so
// that memory stays bounded whatever a file holds: a file's shape is the
// sender's to choose, and a record read whole before it is judged costs
// memory in proportion to it.
const (
	// MaxColumns bounds the fields of a CSV record and the keys of a JSON
	// Lines object; the widest kind (orders) has 13 columns.
	MaxColumns = 100
	// MaxRecordBytes bounds a CSV record (quoted line breaks included)
	// and a JSON Lines line.
	MaxRecordBytes = 1 << 20
	// DefaultMaxErrors is how many bad rows an InvalidError lists; the
	// rest are counted (InvalidError.More).
	DefaultMaxErrors = 100
)

// csvLimiter sits under the CSV reader and follows the records in the
// bytes it passes (a line break or a comma inside quotes belongs to the
// field): once a record has more than MaxColumns fields or MaxRecordBytes
// bytes, it hands no more bytes and fails with a *limitError, which the CSV
// reader returns as it is.
type csvLimiter struct {
	r        io.Reader
	err      error
	quoted   bool
	line     int   // physical lines begun, 1-based
	recLine  int   // the line the current record starts on
	fields   int   // fields of the current record so far
	recBytes int64 // bytes of the current record so far
}

func newCSVLimiter(r io.Reader) *csvLimiter {
	return &csvLimiter{r: r, line: 1, recLine: 1, fields: 1}
}

// tooLong is the reason a record longer than MaxRecordBytes is refused.
var tooLong = fmt.Sprintf("longer than %d MiB: a row may be at most %d bytes long", MaxRecordBytes>>20, MaxRecordBytes)

// limitError refuses a record that crossed a limit.
type limitError struct {
	line   int
	reason string
}

func (e *limitError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.reason) }

func (l *csvLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		l.recBytes++
		switch p[i] {
		case '"':
			l.quoted = !l.quoted // "" inside quotes toggles twice
		case ',':
			if !l.quoted {
				l.fields++
			}
		case '\n':
			l.line++
			if !l.quoted {
				l.recLine, l.fields, l.recBytes = l.line, 1, 0
				continue
			}
		}
		switch {
		case l.fields > MaxColumns:
			l.err = &limitError{l.recLine, fmt.Sprintf("more than %d columns: a row may have at most %d", MaxColumns, MaxColumns)}
		case l.recBytes > MaxRecordBytes:
			l.err = &limitError{l.recLine, tooLong}
		default:
			continue
		}
		// Hand over what came before the record that crossed the limit's
		// byte; the next read fails.
		return i, nil
	}
	return n, err
}
