package policy

import (
	"strconv"
	"strings"
)

// FieldError is one thing wrong with one fact.
type FieldError struct {
	Field   string // the fact's JSON name, e.g. "purchased_on"; "" for the whole body
	Message string
}

// InputError lists what is wrong with a request's facts. Every entry names
// its field, so a client can show it next to the right input.
type InputError struct {
	Errors []FieldError
}

func (e *InputError) Error() string {
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		if fe.Field != "" {
			b.WriteString(fe.Field + ": ")
		}
		b.WriteString(fe.Message)
	}
	return b.String()
}

func (e *InputError) add(field, msg string) { e.Errors = append(e.Errors, FieldError{field, msg}) }

func fieldError(field, msg string) error {
	return &InputError{Errors: []FieldError{{field, msg}}}
}

func quote(s string) string { return strconv.Quote(s) }

// checkFacts enforces the contract's rules on facts that do not depend on
// the policy: required facts, known values, and the order of the dates.
func checkFacts(f *Facts) error {
	var e InputError // stays on the stack unless there is something to say
	if f.Request == RequestUnset || int(f.Request) >= len(requestNames) {
		e.add("request", "is required: one of "+strings.Join(requestNames[1:], ", "))
	}
	if int(f.Channel) >= len(channelNames) {
		e.add("channel", "is not one of "+strings.Join(channelNames, ", "))
	}
	if int(f.Applicant) >= len(applicantNames) {
		e.add("applicant", "is not one of "+strings.Join(applicantNames, ", "))
	}
	if int(f.Cause) >= len(causeNames) {
		e.add("cause", "is not one of "+strings.Join(causeNames, ", "))
	}
	if f.Resellable > VerdictNotResellable {
		e.add("resellable", "is not true, false or null")
	}
	p, dl, r, rs := f.PurchasedOn, f.DeliveredOn, f.ReportedOn, f.ReshippedOn
	if p.IsZero() {
		e.add("purchased_on", "is required: the purchase date, YYYY-MM-DD")
	}
	if r.IsZero() {
		e.add("reported_on", "is required: the day the customer applied, YYYY-MM-DD")
	}
	if !p.IsZero() && !dl.IsZero() && dl.Before(p) {
		e.add("delivered_on", dl.String()+" is before purchased_on "+p.String())
	}
	if !p.IsZero() && !r.IsZero() && r.Before(p) {
		e.add("reported_on", r.String()+" is before purchased_on "+p.String())
	} else if !dl.IsZero() && !r.IsZero() && r.Before(dl) {
		e.add("reported_on", r.String()+" is before delivered_on "+dl.String())
	}
	if !rs.IsZero() && !p.IsZero() && rs.Before(p) {
		e.add("reshipped_on", rs.String()+" is before purchased_on "+p.String())
	} else if !rs.IsZero() && !r.IsZero() && rs.After(r) {
		e.add("reshipped_on", rs.String()+" is after reported_on "+r.String())
	}
	if len(e.Errors) > 0 {
		return &InputError{Errors: e.Errors}
	}
	return nil
}
