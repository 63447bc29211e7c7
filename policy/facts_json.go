package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/aftersale/aftersale/date"
)

// factFields are the JSON names of the facts, in the contract's order.
var factFields = []string{"request", "category", "sku", "channel", "applicant", "distributor_unreachable",
	"purchased_on", "delivered_on", "reported_on", "proof_of_purchase", "resellable", "cause", "reshipped_on",
	"distributor", "serial"}

// ParseFactsJSON reads a facts object (docs/eligibility.md, "Facts").
// It is strict: unknown fields, unknown values, values of the wrong JSON type
// and impossible dates are refused, each named in an *InputError. A body that
// is not JSON gives a *SyntaxError. Rules that need the policy (categories,
// SKUs) and the order of the dates are checked by Decide.
func ParseFactsJSON(data []byte) (Facts, error) {
	if f, ok := parseFactsFast(data); ok {
		return f, nil
	}
	return parseFactsGeneral(data)
}

// parseFactsGeneral is ParseFactsJSON for any input, with every error.
func parseFactsGeneral(data []byte) (Facts, error) {
	var f Facts
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return f, &SyntaxError{Offset: se.Offset, Err: err}
		}
		if !json.Valid(data) {
			return f, &SyntaxError{Err: err}
		}
		return f, fieldError("", "the facts must be a JSON object, not "+jsonKind(bytes.TrimSpace(data)))
	}
	p := factParser{fields: fields}
	f.Request = Request(p.enum("request", requestNames, 0, true))
	f.Category = p.str("category")
	f.SKU = p.str("sku")
	f.Serial = p.str("serial")
	f.Distributor = p.str("distributor")
	f.Channel = Channel(p.enum("channel", channelNames, int(ChannelDirect), false))
	f.Applicant = Applicant(p.enum("applicant", applicantNames, int(ApplicantCustomer), false))
	f.DistributorUnreachable = p.boolean("distributor_unreachable")
	f.PurchasedOn = p.date("purchased_on")
	f.DeliveredOn = p.date("delivered_on")
	f.ReportedOn = p.date("reported_on")
	f.ReshippedOn = p.date("reshipped_on")
	f.ProofOfPurchase = p.boolean("proof_of_purchase")
	f.Cause = Cause(p.enum("cause", causeNames, int(CauseUnknown), false))
	if raw, ok := fields["resellable"]; ok && !isNull(raw) {
		if p.boolean("resellable") {
			f.Resellable = VerdictResellable
		} else {
			f.Resellable = VerdictNotResellable
		}
	}
	var unknown []string
	for name := range fields {
		if !slices.Contains(factFields, name) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		p.err.add(name, "is not a fact of the contract; the facts are "+strings.Join(factFields, ", "))
	}
	if len(p.err.Errors) > 0 {
		return f, &p.err
	}
	return f, nil
}

type factParser struct {
	fields map[string]json.RawMessage
	err    InputError
}

// value returns the raw JSON of a field, with ok false when it is absent or null.
func (p *factParser) value(name string) (json.RawMessage, bool) {
	raw, ok := p.fields[name]
	if !ok || isNull(raw) {
		return nil, false
	}
	return raw, true
}

func (p *factParser) str(name string) string {
	raw, ok := p.value(name)
	if !ok {
		return ""
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		p.err.add(name, "must be a string, not "+jsonKind(raw))
	}
	return s
}

func (p *factParser) enum(name string, names []string, absent int, required bool) int {
	if _, ok := p.value(name); !ok {
		if required {
			p.err.add(name, "is required: one of "+strings.Join(nonEmpty(names), ", "))
		}
		return absent
	}
	before := len(p.err.Errors)
	s := p.str(name)
	if len(p.err.Errors) > before {
		return absent
	}
	i, ok := indexOf(names, s)
	if !ok {
		p.err.add(name, quote(s)+" is not one of "+strings.Join(nonEmpty(names), ", "))
		return absent
	}
	return i
}

func (p *factParser) boolean(name string) bool {
	raw, ok := p.value(name)
	if !ok {
		return false
	}
	switch string(raw) {
	case "true":
		return true
	case "false":
		return false
	}
	p.err.add(name, "must be true or false, not "+jsonKind(raw))
	return false
}

func (p *factParser) date(name string) date.Date {
	before := len(p.err.Errors)
	s := p.str(name)
	if s == "" || len(p.err.Errors) > before {
		if _, present := p.value(name); present && s == "" && len(p.err.Errors) == before {
			p.err.add(name, "must be a date YYYY-MM-DD, not an empty string")
		}
		return date.Date{}
	}
	d, err := date.Parse(s)
	switch {
	case errors.Is(err, date.ErrImpossible):
		p.err.add(name, quote(s)+" is not a day of the calendar")
	case errors.Is(err, date.ErrRange):
		p.err.add(name, quote(s)+" is not a year from 1900 to 9999")
	case err != nil:
		p.err.add(name, quote(s)+" is not a date of the form YYYY-MM-DD")
	}
	return d
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// jsonKind describes a JSON value for an error message.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		if len(raw) <= 40 {
			return "the string " + string(raw)
		}
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "the boolean " + string(raw)
	case 'n':
		return "null"
	}
	if len(raw) <= 20 {
		return "the number " + string(raw)
	}
	return "a number"
}

func nonEmpty(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// ParseFacts reads a facts object and checks it against the policy: on top of
// ParseFactsJSON's errors, it names unknown categories, SKUs and
// distributors and dates out of order, all in one *InputError.
func (p *Policy) ParseFacts(data []byte) (Facts, error) {
	return p.ParseFactsWith(data, nil)
}

// ParseFactsWith is ParseFacts with a lookup that completes the facts from a
// registry (a serial's product and sale) before they are checked. The
// lookup's *InputError joins the others; any other error is returned as is.
func (p *Policy) ParseFactsWith(data []byte, lookup func(*Facts) error) (Facts, error) {
	f, err := ParseFactsJSON(data)
	var ie *InputError
	if err != nil && !errors.As(err, &ie) {
		return f, err
	}
	if ie == nil {
		ie = &InputError{}
	} else if ie.Errors[0].Field == "" { // not an object: nothing more to say
		return f, ie
	}
	if lookup == nil && f.Serial != "" {
		ie.add("serial", "cannot be looked up: no registry is open (start aftersale with a database)")
	}
	if lookup != nil && len(ie.Errors) == 0 {
		if err := lookup(&f); err != nil {
			var more *InputError
			if !errors.As(err, &more) {
				return f, err
			}
			ie.Errors = append(ie.Errors, more.Errors...)
		}
	}
	bad := make(map[string]bool, len(ie.Errors))
	for _, fe := range ie.Errors {
		bad[fe.Field] = true
	}
	more := func(err error) {
		var more *InputError
		if errors.As(err, &more) {
			for _, fe := range more.Errors {
				if !bad[fe.Field] {
					ie.Errors = append(ie.Errors, fe)
					bad[fe.Field] = true
				}
			}
		}
	}
	more(checkFacts(&f))
	if !bad["purchased_on"] {
		if v, err := p.VersionOn(f.PurchasedOn); err != nil {
			more(fieldError("purchased_on", err.Error()))
		} else {
			j := judgement{f: &f, v: v, d: &Decision{}}
			more(j.resolve())
		}
	}
	if len(ie.Errors) > 0 {
		return f, ie
	}
	return f, nil
}
