package policyjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
)

// factFields are the JSON names of the facts, in the contract's order.
var factFields = []string{"request", "category", "sku", "channel", "applicant", "distributor_unreachable",
	"purchased_on", "delivered_on", "reported_on", "proof_of_purchase", "resellable", "cause", "reshipped_on",
	"distributor", "serial"}

// ParseFacts reads a facts object (docs/eligibility.md, "Facts").
// It is strict: unknown fields, unknown values, values of the wrong JSON type
// and impossible dates are refused, each named in an *InputError. A body that
// is not JSON gives a *SyntaxError. Rules that need the policy (categories,
// SKUs) and the order of the dates are checked by Decide.
func ParseFacts(data []byte) (policy.Facts, error) {
	if f, ok := parseFactsFast(data); ok {
		return f, nil
	}
	return parseFactsGeneral(data)
}

// parseFactsGeneral is ParseFacts for any input, with every error.
func parseFactsGeneral(data []byte) (policy.Facts, error) {
	var f policy.Facts
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return f, &SyntaxError{Offset: se.Offset, Err: err}
		}
		if !json.Valid(data) {
			return f, &SyntaxError{Err: err}
		}
		return f, &policy.InputError{Errors: []policy.FieldError{{Message: "the facts must be a JSON object, not " + jsonKind(bytes.TrimSpace(data))}}}
	}
	p := factParser{fields: fields}
	f.Request = enum(&p, "request", policy.ParseRequest, policy.RequestNames, policy.RequestUnset, true)
	f.Category = p.str("category")
	f.SKU = p.str("sku")
	f.Serial = p.str("serial")
	f.Distributor = p.str("distributor")
	f.Channel = enum(&p, "channel", policy.ParseChannel, policy.ChannelNames, policy.ChannelDirect, false)
	f.Applicant = enum(&p, "applicant", policy.ParseApplicant, policy.ApplicantNames, policy.ApplicantCustomer, false)
	f.DistributorUnreachable = p.boolean("distributor_unreachable")
	f.PurchasedOn = p.date("purchased_on")
	f.DeliveredOn = p.date("delivered_on")
	f.ReportedOn = p.date("reported_on")
	f.ReshippedOn = p.date("reshipped_on")
	f.ProofOfPurchase = p.boolean("proof_of_purchase")
	f.Cause = enum(&p, "cause", policy.ParseCause, policy.CauseNames, policy.CauseUnknown, false)
	if raw, ok := fields["resellable"]; ok && !isNull(raw) {
		if p.boolean("resellable") {
			f.Resellable = policy.VerdictResellable
		} else {
			f.Resellable = policy.VerdictNotResellable
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
		p.add(name, "is not a fact of the contract; the facts are "+strings.Join(factFields, ", "))
	}
	if len(p.err.Errors) > 0 {
		return f, &p.err
	}
	return f, nil
}

type factParser struct {
	fields map[string]json.RawMessage
	err    policy.InputError
}

func (p *factParser) add(field, msg string) {
	p.err.Errors = append(p.err.Errors, policy.FieldError{Field: field, Message: msg})
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
		p.add(name, "must be a string, not "+jsonKind(raw))
	}
	return s
}

func enum[T any](p *factParser, name string, parse func(string) (T, bool), names func() []string, absent T, required bool) T {
	if _, ok := p.value(name); !ok {
		if required {
			p.add(name, "is required: one of "+strings.Join(names(), ", "))
		}
		return absent
	}
	before := len(p.err.Errors)
	s := p.str(name)
	if len(p.err.Errors) > before {
		return absent
	}
	v, ok := parse(s)
	if !ok {
		p.add(name, strconv.Quote(s)+" is not one of "+strings.Join(names(), ", "))
		return absent
	}
	return v
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
	p.add(name, "must be true or false, not "+jsonKind(raw))
	return false
}

func (p *factParser) date(name string) date.Date {
	before := len(p.err.Errors)
	s := p.str(name)
	if s == "" || len(p.err.Errors) > before {
		if _, present := p.value(name); present && s == "" && len(p.err.Errors) == before {
			p.add(name, "must be a date YYYY-MM-DD, not an empty string")
		}
		return date.Date{}
	}
	d, err := date.Parse(s)
	switch {
	case errors.Is(err, date.ErrImpossible):
		p.add(name, strconv.Quote(s)+" is not a day of the calendar")
	case errors.Is(err, date.ErrRange):
		p.add(name, strconv.Quote(s)+" is not a year from 1900 to 9999")
	case err != nil:
		p.add(name, strconv.Quote(s)+" is not a date of the form YYYY-MM-DD")
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

// ParseFactsFor reads a facts object and checks it against policy p
// (Policy.CheckFacts): on top of ParseFacts's errors, it names unknown
// categories, SKUs and distributors and dates out of order, all in one
// *policy.InputError. lookup, when not nil, completes the facts from a
// registry before they are checked.
func ParseFactsFor(p *policy.Policy, data []byte, lookup func(*policy.Facts) error) (policy.Facts, error) {
	f, err := ParseFacts(data)
	var ie *policy.InputError
	if err != nil && !errors.As(err, &ie) {
		return f, err
	}
	if err := p.CheckFacts(&f, ie, lookup); err != nil {
		return f, err
	}
	return f, nil
}
