package policy

import (
	"math/bits"

	"github.com/aftersale/aftersale/date"
)

// Decision is what the policy gives one request (docs/eligibility.md,
// "Decision"). It is a value with no pointers into the heap but Version, so
// deciding does not allocate; Reasons renders the words on demand.
type Decision struct {
	Outcome        Outcome
	Remedies       RemedySet
	Warranty       Warranty
	ShippingPaidBy Payer
	Missing        MissingSet
	RespondBy      date.Date
	Clauses        ClauseSet

	Version  *Version  // the version that decided
	Category *Category // the product's category
	Product  *Product  // the product-specific term, if any (2.N1)

	reasons  [maxReasons]Reason
	nReasons uint8
}

// Warranty is the cover of the unit.
type Warranty struct {
	Covered  bool
	StartsOn date.Date
	EndsOn   date.Date // zero: no cover
}

// Outcome is the decision's verdict.
type Outcome uint8

// The outcomes of the contract.
const (
	OutcomeEligible Outcome = iota
	OutcomeNotEligible
	OutcomeNeedsInformation
	OutcomeReferToDistributor
)

var outcomeNames = []string{"eligible", "not_eligible", "needs_information", "refer_to_distributor"}

func (o Outcome) String() string { return nameOf(outcomeNames, int(o)) }

// Remedy is what the seller offers.
type Remedy uint8

// The remedies, in the contract's order of preference.
const (
	RemedyRefund Remedy = iota
	RemedyExchange
	RemedyFreeReplacement
	RemedyReplaceDefectiveParts
	RemedyShipMissingParts
	RemedyFreeRepair
	RemedyPaidRepair
	RemedyTechnicalSupport
)

var remedyNames = []string{"refund", "exchange", "free_replacement", "replace_defective_parts",
	"ship_missing_parts", "free_repair", "paid_repair", "technical_support"}

func (r Remedy) String() string { return nameOf(remedyNames, int(r)) }

// Free reports whether the remedy costs the customer nothing but, for a
// change of mind, the shipping.
func (r Remedy) Free() bool { return r != RemedyPaidRepair && r != RemedyTechnicalSupport }

// RemedySet is a set of remedies; iterating it yields the order of preference.
type RemedySet uint16

func (s RemedySet) with(r Remedy) RemedySet { return s | 1<<r }

// Has reports whether r is in s.
func (s RemedySet) Has(r Remedy) bool { return s&(1<<r) != 0 }

// Len returns the number of remedies in s.
func (s RemedySet) Len() int { return bits.OnesCount16(uint16(s)) }

// List returns the remedies in order of preference.
func (s RemedySet) List() []Remedy {
	out := make([]Remedy, 0, s.Len())
	for r := RemedyRefund; r <= RemedyTechnicalSupport; r++ {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// Payer is who pays the shipping.
type Payer uint8

// The payers; PaidByNobody is the contract's null (no remedy, no parcel).
const (
	PaidByNobody Payer = iota
	PaidBySeller
	PaidByCustomer
)

var payerNames = []string{"", "seller", "customer"}

func (p Payer) String() string { return nameOf(payerNames, int(p)) }

// Fact names a fact that must be supplied before a decision.
type Fact uint8

// The facts a decision may ask for.
const (
	FactProofOfPurchase Fact = iota
	FactDeliveredOn
)

var factNames = []string{"proof_of_purchase", "delivered_on"}

func (f Fact) String() string { return nameOf(factNames, int(f)) }

// MissingSet is a set of facts.
type MissingSet uint8

func (s MissingSet) with(f Fact) MissingSet { return s | 1<<f }

// Has reports whether f is in s.
func (s MissingSet) Has(f Fact) bool { return s&(1<<f) != 0 }

// List returns the facts of s.
func (s MissingSet) List() []Fact {
	out := make([]Fact, 0, 2)
	for f := FactProofOfPurchase; f <= FactDeliveredOn; f++ {
		if s.Has(f) {
			out = append(out, f)
		}
	}
	return out
}

// ClauseSet is a set of a version's clauses.
type ClauseSet [4]uint64

func (s *ClauseSet) add(r clauseRef) {
	if r != 0 {
		s[r/64] |= 1 << (r % 64)
	}
}

// Has reports whether s cites the clause with id.
func (s ClauseSet) Has(v *Version, id string) bool {
	r, ok := v.clauseByID[id]
	return ok && s[r/64]&(1<<(r%64)) != 0
}

// IDs returns the ids of the clauses in s, in the version's clause order.
func (s ClauseSet) IDs(v *Version) []string {
	var out []string
	for r := 1; r <= len(v.Clauses); r++ {
		if s[r/64]&(1<<(r%64)) != 0 {
			out = append(out, v.Clauses[r-1].ID)
		}
	}
	return out
}

// Reasons returns the reasons of the decision, in the order they were made.
func (d *Decision) Reasons() []Reason { return d.reasons[:d.nReasons] }

func (d *Decision) say(r Reason) {
	if int(d.nReasons) < len(d.reasons) {
		d.reasons[d.nReasons] = r
		d.nReasons++
	}
}

func (d *Decision) cite(refs ...clauseRef) {
	for _, r := range refs {
		d.Clauses.add(r)
	}
}

// Refuse makes d refuse every remedy on the grounds of clause id of d's
// version alone, for a fact the policy's facts do not carry: a unit the
// seller replaced is the seller's (3.1). d keeps its cover and gives no
// reasons of its own; the caller states why.
func (d *Decision) Refuse(id string) {
	d.Outcome, d.Remedies, d.ShippingPaidBy, d.Missing = OutcomeNotEligible, 0, PaidByNobody, 0
	d.Clauses, d.nReasons = ClauseSet{}, 0
	if d.Version != nil {
		if r, ok := d.Version.clauseByID[id]; ok {
			d.Clauses.add(r)
		}
	}
}
