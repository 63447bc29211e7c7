package aftersale

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CheckText refuses, as Invalid on field, text that no store keeps as it
// was written: bytes that are not UTF-8, a NUL byte (PostgreSQL's text
// cannot hold one; SQLite would keep it and cut it off in every C string
// it meets), or more than maxLen characters (maxLen 0: no limit; text of
// more than 4*maxLen bytes is refused without counting). Every text a
// use case stores or searches for passes through it, so that both engines
// refuse the same input the same way, before the write.
func CheckText(field, s string, maxLen int) error {
	switch {
	// The length first: text far over it is refused without reading it.
	case maxLen > 0 && len(s) > maxLen && (len(s) > 4*maxLen || utf8.RuneCountInString(s) > maxLen):
		return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf("%s: at most %d characters", field, maxLen)}
	case !utf8.ValidString(s):
		return &Error{Kind: Invalid, Field: field, Message: field + ": is not UTF-8 text"}
	case strings.IndexByte(s, 0) >= 0:
		return &Error{Kind: Invalid, Field: field, Message: field + ": contains a NUL character"}
	}
	return nil
}

// ValidEmail reports whether s, normalised (NormalizeEmail), looks like an
// e-mail address: a local part, an @, a domain, at most 254 bytes, no
// spaces, control characters or the characters a mail header would read
// as a second address or a display name, UTF-8. It is the check
// every path applies before it stores a customer's address or sends mail
// to it.
func ValidEmail(s string) bool {
	if !utf8.ValidString(s) { // before ToLower, which would mend it
		return false
	}
	email := NormalizeEmail(s)
	at := strings.LastIndexByte(email, '@')
	if at < 1 || at == len(email)-1 || len(email) > 254 {
		return false
	}
	for _, r := range email {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == ',' || r == ';' || r == '"' {
			return false
		}
	}
	return !strings.Contains(email[at+1:], "..") && !strings.HasPrefix(email[at+1:], ".") && !strings.HasSuffix(email, ".")
}
