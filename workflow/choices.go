package workflow

import (
	"slices"

	"github.com/aftersale/aftersale"
)

// The choices a form offers for a step, from the same tables the steps
// check, so that a page never offers what the workflow would refuse.

// Remedies are the remedies a claim may be approved with (a paid repair
// goes through a quote instead).
func Remedies() []string {
	return slices.DeleteFunc(slices.Clone(remedies), func(r string) bool { return r == "paid_repair" })
}

// Causes are the causes an inspection may find.
func Causes() []string { return slices.Clone(causes) }

// ReturnNeeded reports whether resolving claim c with r needs the item back
// first, or a manager's waiver of its return.
func ReturnNeeded(c aftersale.Claim, r aftersale.Resolution) bool {
	return slices.Contains(needsReturn, r) && c.ReceivedOn.IsZero()
}

// MayShip says whether the actor may record a parcel of claim c going in
// direction d now: nil, or the refusal AddShipment would give.
func MayShip(actor aftersale.Actor, c aftersale.Claim, d aftersale.Direction) error {
	if !actor.SeesClaim(c) {
		return notFound(c.Number)
	}
	return mayShip(actor, c, d)
}

// MayRefund says whether the actor may record a refund on claim c now: nil,
// or the refusal RecordRefund would give.
func MayRefund(actor aftersale.Actor, c aftersale.Claim) error {
	if !actor.Can(aftersale.ApproveExceptions) {
		return forbidden(actor, "record refunds")
	}
	return refundable(c)
}

// UnitChoices are the claim lines and the kinds of unit (replacement,
// repair) the actor may register on claim c now, as RegisterReplacement
// checks them before the unit's own fields; none when it may not.
func UnitChoices(actor aftersale.Actor, c aftersale.Claim) (lines []int, kinds []aftersale.ReplacementKind) {
	if !actor.SeesClaim(c) || !actor.Can(aftersale.WorkClaims) {
		return nil, nil
	}
	for _, k := range []aftersale.ReplacementKind{aftersale.KindReplacement, aftersale.KindRepair} {
		for _, l := range c.Lines {
			if replaceable(c, ReplacementInput{Line: l.Line, Kind: k}) != nil {
				continue
			}
			if !slices.Contains(lines, l.Line) {
				lines = append(lines, l.Line)
			}
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	slices.Sort(lines)
	return lines, kinds
}

// MayAct says whether the actor may take action a on claim c now, as Act
// checks it: the status allows it, and the actor's role (or, for the
// customer's own steps, its answering on the claim) permits it.
func MayAct(actor aftersale.Actor, c aftersale.Claim, a aftersale.Action) bool {
	t, err := aftersale.TransitionOf(c.Status, a)
	if err != nil || !actor.SeesClaim(c) {
		return false
	}
	return actor.Can(t.Permission) || (t.ByCustomer && actor.Can(aftersale.RespondClaims))
}

// ExceptionNeeded returns the lines of c whose current decisions do not
// permit action a (approving remedy, for approve) without a manager's
// exception, as Act checks them; nil when none do or a is not governed by
// the decisions.
func ExceptionNeeded(c aftersale.Claim, a aftersale.Action, remedy string) []int {
	switch a {
	case aftersale.ActionApprove:
		return c.Judge(aftersale.ActGrant, remedy)
	case aftersale.ActionResolve:
		return c.Judge(aftersale.ActGrant, c.ApprovedRemedy)
	case aftersale.ActionSendQuote:
		return c.Judge(aftersale.ActQuote, "paid_repair")
	case aftersale.ActionReject:
		return c.Judge(aftersale.ActReject, "reject")
	}
	return nil
}

// Resolutions returns the resolutions the actor may settle claim c with
// now, as resolve checks them: those of the approved remedy while the
// decisions give it (or for a manager, who may make an exception), a repair
// only once the unit is back, and returning the item unrepaired once it is.
func Resolutions(actor aftersale.Actor, c aftersale.Claim) []aftersale.Resolution {
	received, manager := !c.ReceivedOn.IsZero(), actor.Can(aftersale.ApproveExceptions)
	var out []aftersale.Resolution
	if len(ExceptionNeeded(c, aftersale.ActionResolve, "")) == 0 || manager {
		for _, r := range resolutionOf[c.ApprovedRemedy] {
			switch {
			case r == aftersale.ResolutionRepairedShipped && !received:
			case slices.Contains(needsReturn, r) && !received && !manager:
			default:
				out = append(out, r)
			}
		}
	}
	if received {
		out = append(out, aftersale.ResolutionReturnedUnrepaired)
	}
	return out
}

// Referable reports whether claim c may be referred to its distributor:
// only a distributor's sale is (5.3).
func Referable(c aftersale.Claim) bool { return referable(&c) == nil }

// QuoteAnswerNeedsNote reports whether the actor records a customer's
// answer to a quote on its behalf, which needs a note saying how it was
// given.
func QuoteAnswerNeedsNote(actor aftersale.Actor) bool { return customersAnswer(actor, "") != nil }
