package policyjson

import (
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
)

// parseFactsFast reads a facts object of the common shape: string values
// without escapes, booleans and nulls, known fields once each, every value
// valid. Anything else answers ok false, and ParseFacts's general parser
// takes the input and says exactly what is wrong. Its result is the general
// parser's, only without the map and the copies (FuzzFastFactsParser checks
// that): this is the eligibility endpoint's hot path.
func parseFactsFast(data []byte) (f policy.Facts, ok bool) {
	p := fastScanner{data: data}
	if !p.byte('{') {
		return f, false
	}
	var seen uint32
	if p.peek() == '}' {
		p.i++
		return f, p.end() && false // an empty object lacks the required facts
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') {
			return f, false
		}
		idx := fastFieldIndex(key)
		if idx < 0 || seen&(1<<idx) != 0 {
			return f, false
		}
		seen |= 1 << idx
		if !p.value(&f, idx) {
			return f, false
		}
		switch p.next() {
		case ',':
			continue
		case '}':
			return f, p.end() && f.Request != policy.RequestUnset && !f.PurchasedOn.IsZero() && !f.ReportedOn.IsZero()
		default:
			return f, false
		}
	}
}

type fastScanner struct {
	data []byte
	i    int
}

func (p *fastScanner) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastScanner) peek() byte {
	p.ws()
	if p.i < len(p.data) {
		return p.data[p.i]
	}
	return 0
}

func (p *fastScanner) next() byte {
	c := p.peek()
	if c != 0 {
		p.i++
	}
	return c
}

func (p *fastScanner) byte(c byte) bool { return p.next() == c }

func (p *fastScanner) end() bool { p.ws(); return p.i == len(p.data) }

// str reads a string of printable ASCII without escapes.
func (p *fastScanner) str() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			s := string(p.data[start:p.i])
			p.i++
			return s, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return "", false
		}
		p.i++
	}
	return "", false
}

// literal reads true, false or null.
func (p *fastScanner) literal() (v, null, ok bool) {
	p.ws()
	rest := p.data[p.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		p.i += 4
		return true, false, true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		p.i += 5
		return false, false, true
	case len(rest) >= 4 && string(rest[:4]) == "null":
		p.i += 4
		return false, true, true
	}
	return false, false, false
}

func fastFieldIndex(key string) int {
	for i, k := range factFields {
		if k == key {
			return i
		}
	}
	return -1
}

// value reads the value of factFields[idx] into f.
func (p *fastScanner) value(f *policy.Facts, idx int) bool {
	name := factFields[idx]
	switch name {
	case "distributor_unreachable", "proof_of_purchase", "resellable":
		v, null, ok := p.literal()
		if !ok {
			return false
		}
		switch {
		case name == "distributor_unreachable":
			f.DistributorUnreachable = v
		case name == "proof_of_purchase":
			f.ProofOfPurchase = v
		case null:
			f.Resellable = policy.VerdictUnknown
		case v:
			f.Resellable = policy.VerdictResellable
		default:
			f.Resellable = policy.VerdictNotResellable
		}
		return true
	}
	if p.peek() == 'n' {
		_, null, ok := p.literal()
		return ok && null // absent, as the general parser reads null
	}
	s, ok := p.str()
	if !ok {
		return false
	}
	switch name {
	case "category":
		f.Category = s
	case "sku":
		f.SKU = s
	case "serial":
		f.Serial = s
	case "distributor":
		f.Distributor = s
	case "request":
		f.Request, ok = policy.ParseRequest(s)
		return ok
	case "channel":
		f.Channel, ok = policy.ParseChannel(s)
		return ok
	case "applicant":
		f.Applicant, ok = policy.ParseApplicant(s)
		return ok
	case "cause":
		f.Cause, ok = policy.ParseCause(s)
		return ok
	default: // the dates
		d, err := date.Parse(s)
		if err != nil {
			return false
		}
		switch name {
		case "purchased_on":
			f.PurchasedOn = d
		case "delivered_on":
			f.DeliveredOn = d
		case "reported_on":
			f.ReportedOn = d
		case "reshipped_on":
			f.ReshippedOn = d
		default:
			return false
		}
	}
	return true
}
