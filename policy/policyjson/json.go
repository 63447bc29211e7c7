package policyjson

import "github.com/aftersale/aftersale/policy"

// DecisionJSON is the decision on the wire (docs/eligibility.md,
// "Decision"); its struct tags also document it in the OpenAPI document.
type DecisionJSON struct {
	Outcome        string       `json:"outcome" enum:"eligible,not_eligible,needs_information,refer_to_distributor" doc:"eligible: a free remedy applies"`
	Remedies       []string     `json:"remedies" enum:"refund,exchange,free_replacement,replace_defective_parts,ship_missing_parts,free_repair,paid_repair,technical_support" doc:"What the seller offers, in order of preference; empty when nothing"`
	Warranty       WarrantyJSON `json:"warranty"`
	ShippingPaidBy *string      `json:"shipping_paid_by" enum:"seller,customer" doc:"Who pays shipping; null exactly when remedies is empty"`
	Missing        []string     `json:"missing" enum:"proof_of_purchase,delivered_on" doc:"Facts to supply before a decision"`
	RespondBy      string       `json:"respond_by" format:"date" doc:"reported_on plus the answer time (A2)"`
	Clauses        []string     `json:"clauses" doc:"Every clause the decision rests on"`
	Reasons        []string     `json:"reasons" doc:"The same, in words a customer understands"`
	PolicyVersion  string       `json:"policy_version" doc:"The policy version in force on the purchase date, which decided"`
}

// WarrantyJSON is the cover of the unit on the wire.
type WarrantyJSON struct {
	Covered  bool    `json:"covered" doc:"reported_on is within the cover"`
	StartsOn string  `json:"starts_on" format:"date" doc:"The delivery date, else the purchase date (I-2)"`
	EndsOn   *string `json:"ends_on" format:"date" doc:"The end of the cover; null where there is none"`
}

// FromDecision returns the decision in the contract's shape.
func FromDecision(d *policy.Decision) DecisionJSON {
	out := DecisionJSON{
		Outcome:   d.Outcome.String(),
		Remedies:  make([]string, 0, d.Remedies.Len()),
		Warranty:  WarrantyJSON{Covered: d.Warranty.Covered, StartsOn: d.Warranty.StartsOn.String()},
		Missing:   []string{},
		RespondBy: d.RespondBy.String(),
		Clauses:   d.Clauses.IDs(d.Version),
		Reasons:   d.ReasonTexts(),
	}
	if d.Version != nil {
		out.PolicyVersion = d.Version.ID
	}
	for _, r := range d.Remedies.List() {
		out.Remedies = append(out.Remedies, r.String())
	}
	for _, f := range d.Missing.List() {
		out.Missing = append(out.Missing, f.String())
	}
	if !d.Warranty.EndsOn.IsZero() {
		s := d.Warranty.EndsOn.String()
		out.Warranty.EndsOn = &s
	}
	if d.ShippingPaidBy != policy.PaidByNobody {
		s := d.ShippingPaidBy.String()
		out.ShippingPaidBy = &s
	}
	if out.Clauses == nil {
		out.Clauses = []string{}
	}
	return out
}
