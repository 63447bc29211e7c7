package policyjson

import "strconv"

// SyntaxError is a body that is not JSON at all.
type SyntaxError struct {
	Offset int64
	Err    error
}

func (e *SyntaxError) Error() string {
	return "the facts are not valid JSON (at byte " + strconv.FormatInt(e.Offset, 10) + "): " + e.Err.Error()
}

func (e *SyntaxError) Unwrap() error { return e.Err }
