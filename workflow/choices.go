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

// ResolutionsOf returns the resolutions that settle an approved remedy.
func ResolutionsOf(remedy string) []aftersale.Resolution { return slices.Clone(resolutionOf[remedy]) }

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
