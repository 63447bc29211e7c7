package policyjson

import (
	"unicode/utf8"

	"github.com/aftersale/aftersale/policy"
)

// AppendDecision appends the decision in the contract's shape, byte for byte
// what encoding/json makes of FromDecision(d) (FuzzEligibility checks it), without
// reflection or the intermediate slices: the eligibility endpoint's hot path.
func AppendDecision(b []byte, d *policy.Decision) []byte {
	b = append(b, `{"outcome":`...)
	b = appendString(b, d.Outcome.String())
	b = append(b, `,"remedies":[`...)
	first := true
	for r := policy.RemedyRefund; r <= policy.RemedyTechnicalSupport; r++ {
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
	if d.ShippingPaidBy == policy.PaidByNobody {
		b = append(b, "null"...)
	} else {
		b = appendString(b, d.ShippingPaidBy.String())
	}
	b = append(b, `,"missing":[`...)
	first = true
	for f := policy.FactProofOfPurchase; f <= policy.FactDeliveredOn; f++ {
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
		b = appendString(b, d.ReasonText(r))
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

// appendString appends s as a JSON string the way encoding/json.Marshal
// writes it.
func appendString(b []byte, s string) []byte { return AppendJSONString(b, s, true) }

// AppendJSONString appends s as a JSON string exactly as encoding/json
// writes it: with escapeHTML, as Marshal does (<, >, & escaped); without, as
// an Encoder after SetEscapeHTML(false). Either way U+2028 and U+2029 are
// escaped and invalid UTF-8 becomes U+FFFD.
func AppendJSONString(b []byte, s string, escapeHTML bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!escapeHTML || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
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

// AppendJSON appends the decision as encoding/json writes it (with
// escapeHTML, Marshal; without, an Encoder after SetEscapeHTML(false)),
// for callers that embed it in a larger document of their own.
func (d *DecisionJSON) AppendJSON(b []byte, escapeHTML bool) []byte {
	b = append(b, `{"outcome":`...)
	b = AppendJSONString(b, d.Outcome, escapeHTML)
	b = append(b, `,"remedies":`...)
	b = AppendJSONStrings(b, d.Remedies, escapeHTML)
	b = append(b, `,"warranty":`...)
	b = d.Warranty.AppendJSON(b, escapeHTML)
	b = append(b, `,"shipping_paid_by":`...)
	b = appendStringOrNull(b, d.ShippingPaidBy, escapeHTML)
	b = append(b, `,"missing":`...)
	b = AppendJSONStrings(b, d.Missing, escapeHTML)
	b = append(b, `,"respond_by":`...)
	b = AppendJSONString(b, d.RespondBy, escapeHTML)
	b = append(b, `,"clauses":`...)
	b = AppendJSONStrings(b, d.Clauses, escapeHTML)
	b = append(b, `,"reasons":`...)
	b = AppendJSONStrings(b, d.Reasons, escapeHTML)
	b = append(b, `,"policy_version":`...)
	b = AppendJSONString(b, d.PolicyVersion, escapeHTML)
	return append(b, '}')
}

// AppendJSON appends the cover as encoding/json writes it (see
// DecisionJSON.AppendJSON).
func (w *WarrantyJSON) AppendJSON(b []byte, escapeHTML bool) []byte {
	b = append(b, `{"covered":`...)
	b = appendBool(b, w.Covered)
	b = append(b, `,"starts_on":`...)
	b = AppendJSONString(b, w.StartsOn, escapeHTML)
	b = append(b, `,"ends_on":`...)
	b = appendStringOrNull(b, w.EndsOn, escapeHTML)
	return append(b, '}')
}

// AppendJSONStrings appends a list of strings as encoding/json writes it:
// null for a nil slice.
func AppendJSONStrings(b []byte, list []string, escapeHTML bool) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, s, escapeHTML)
	}
	return append(b, ']')
}

func appendStringOrNull(b []byte, s *string, escapeHTML bool) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return AppendJSONString(b, *s, escapeHTML)
}
