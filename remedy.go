package aftersale

import (
	"fmt"
	"slices"
	"strings"
)

// The rules that hold the claim workflow to the policy's decisions. The
// policy decides each line of a claim when it is opened and again when an
// inspection finds something; every act that gives the customer a remedy
// asks the line's current decision here. What the decision does not give
// goes ahead only as a manager's exception, recorded on the line with its
// reason. The workflow, and through it the API, the pages and the CLI, call
// these functions; none of them decides on its own.

// Remedy acts: what someone does on a claim that the decisions govern.
type RemedyAct string

// The remedy acts.
const (
	// ActGrant approves a remedy, or delivers one: resolving the claim, a
	// replacement or repaired unit, a refund, a parcel at the seller's cost.
	ActGrant RemedyAct = "grant"
	// ActQuote charges the customer for a repair (3.4, 6.2).
	ActQuote RemedyAct = "quote"
	// ActReject refuses the claim.
	ActReject RemedyAct = "reject"
)

// Verdict is what a line's decision says of a remedy act.
type Verdict int

// The verdicts.
const (
	// Permitted: the decision (or a manager's exception standing on the
	// line) allows it.
	Permitted Verdict = iota
	// NeedsException: only a manager may, recording an exception with a
	// reason on the line.
	NeedsException
)

// repairRemedies are the free remedies that settle a fault: charging for a
// repair instead takes them away from the customer.
var repairRemedies = []string{"free_replacement", "replace_defective_parts", "free_repair"}

// Gives reports whether the line's current decision gives remedy, or a
// manager's exception standing on the line grants it.
func (l ClaimLine) Gives(remedy string) bool {
	return l.Decision.Offers(remedy) || l.Exception.Grants(remedy, l.Decision)
}

// Grants reports whether the exception grants remedy on decision d. An
// exception stands for the remedy it granted and the decision it was
// granted against: a decision judged again (an inspection found misuse)
// needs an exception of its own. An exception recorded without them stands
// for any remedy and decision.
func (e *Exception) Grants(remedy string, d Decision) bool {
	if e == nil {
		return false
	}
	if e.Remedy != "" && e.Remedy != remedy {
		return false
	}
	return e.Outcome == "" || e.Outcome == d.Outcome && slices.Equal(e.Clauses, d.Clauses)
}

// ruleOf is the act whose rule governs act with remedy: delivering a paid
// repair is the customer's to pay, so it is held to the quote's rule (not
// a repair the policy gives free), not to the free remedies'.
func ruleOf(act RemedyAct, remedy string) RemedyAct {
	if act == ActGrant && remedy == "paid_repair" {
		return ActQuote
	}
	return act
}

// Judge says whether act (with remedy, for ActGrant) on this line is
// permitted by its current decision or needs a manager's exception.
func (l ClaimLine) Judge(act RemedyAct, remedy string) Verdict {
	switch ruleOf(act, remedy) {
	case ActGrant:
		if l.Gives(remedy) {
			return Permitted
		}
	case ActQuote:
		// A repair the policy gives free is not the customer's to pay.
		if !slices.ContainsFunc(repairRemedies, l.Decision.Offers) || l.Exception.Grants("paid_repair", l.Decision) {
			return Permitted
		}
	case ActReject:
		// An eligible line has a free remedy coming (contract: "eligible").
		if l.Decision.Outcome != "eligible" || l.Exception.Grants("reject", l.Decision) {
			return Permitted
		}
	}
	return NeedsException
}

// Judge is Judge over every line: the lines that need a manager's
// exception for act, in order.
func (c Claim) Judge(act RemedyAct, remedy string) []int {
	var out []int
	for _, l := range c.Lines {
		if l.Judge(act, remedy) == NeedsException {
			out = append(out, l.Line)
		}
	}
	return out
}

// Refusal is the error for act on the given lines of c against their
// decisions: a Conflict naming each line's decision and clauses and the
// ways on.
func (c Claim) Refusal(act RemedyAct, remedy string, lines []int) error {
	var parts []string
	for _, n := range lines {
		if n < 1 || n > len(c.Lines) {
			continue
		}
		d := c.Lines[n-1].Decision
		given := "no remedy"
		if len(d.Remedies) > 0 {
			given = strings.Join(d.Remedies, ", ")
		}
		parts = append(parts, fmt.Sprintf("line %d is %s (%s; clauses %s)", n, d.Outcome, given, strings.Join(d.Clauses, ", ")))
	}
	var what, ways string
	switch ruleOf(act, remedy) {
	case ActQuote:
		what = "a quote charges for a repair the policy gives free"
		ways = "grant the free remedy, or a manager sends the quote as an exception with a reason"
	case ActReject:
		what = "the policy gives this claim a free remedy"
		ways = "grant it, or a manager rejects it as an exception, the note saying why"
	default:
		what = "the policy does not give " + remedy
		ways = "send a quote (paid repair), return it unrepaired, reject it, or a manager records an exception with a reason"
	}
	return &Error{Kind: Conflict, Field: "remedy", Message: fmt.Sprintf("%s: %s. Ways on: %s",
		what, strings.Join(parts, "; "), ways)}
}
