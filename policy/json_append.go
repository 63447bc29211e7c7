package policy

import (
	"unicode/utf8"
)

// AppendJSON appends the decision in the contract's shape, byte for byte
// what encoding/json makes of d.JSON() (FuzzEligibility checks it), without
// reflection or the intermediate slices: the eligibility endpoint's hot path.
func (d *Decision) AppendJSON(b []byte) []byte {
	b = append(b, `{"outcome":`...)
	b = appendString(b, d.Outcome.String())
	b = append(b, `,"remedies":[`...)
	first := true
	for r := RemedyRefund; r <= RemedyTechnicalSupport; r++ {
		if d.Remedies.Has(r) {
			b = appendSep(b, &first)
			b = appendString(b, r.String())
		}
	}
	b = append(b, `],"warranty":{"covered":`...)
	b = appendBool(b, d.Warranty.Covered)
	b = append(b, `,"starts_on":`...)
	b = appendString(b, d.Warranty.StartsOn.String())
	b = append(b, `,"ends_on":`...)
	b = appendDateOrNull(b, d.Warranty.EndsOn)
	b = append(b, `},"shipping_paid_by":`...)
	if d.ShippingPaidBy == PaidByNobody {
		b = append(b, "null"...)
	} else {
		b = appendString(b, d.ShippingPaidBy.String())
	}
	b = append(b, `,"missing":[`...)
	first = true
	for f := FactProofOfPurchase; f <= FactDeliveredOn; f++ {
		if d.Missing.Has(f) {
			b = appendSep(b, &first)
			b = appendString(b, f.String())
		}
	}
	b = append(b, `],"respond_by":`...)
	b = appendString(b, d.RespondBy.String())
	b = append(b, `,"clauses":[`...)
	first = true
	for r := 1; d.Version != nil && r <= len(d.Version.Clauses); r++ {
		if d.Clauses[r/64]&(1<<(r%64)) != 0 {
			b = appendSep(b, &first)
			b = appendString(b, d.Version.Clauses[r-1].ID)
		}
	}
	b = append(b, `],"reasons":[`...)
	first = true
	for _, r := range d.Reasons() {
		b = appendSep(b, &first)
		b = appendString(b, d.english(r))
	}
	b = append(b, `],"policy_version":`...)
	id := ""
	if d.Version != nil {
		id = d.Version.ID
	}
	b = appendString(b, id)
	return append(b, '}')
}

func appendSep(b []byte, first *bool) []byte {
	if !*first {
		b = append(b, ',')
	}
	*first = false
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

func appendDateOrNull(b []byte, d interface {
	IsZero() bool
	AppendISO([]byte) []byte
}) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = d.AppendISO(b)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json writes it:
// HTML-safe (<, >, & escaped), U+2028 and U+2029 escaped, invalid UTF-8
// replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
