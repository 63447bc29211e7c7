package policy

import (
	"fmt"
	"strings"
)

// Rule is one line of the policy as a readable table: the clause, what it
// says in the product's terms, and its numbers.
type Rule struct {
	Clause  string
	Rule    string
	Numbers string
}

// Rules lists the version's settings, clause by clause, for `aftersale policy
// show` and the staff console.
func (v *Version) Rules() []Rule {
	id := func(r clauseRef) string { return v.ClauseOf(r).ID }
	days := func(n int) string { return plural(n, "day", "days") }
	start := "the delivery date, else the purchase date"
	if v.WarrantyStart == StartPurchase {
		start = "the purchase date"
	}
	out := []Rule{
		{id(v.Return.Clause), "Change-of-mind return or exchange, from the purchase date", days(v.Return.Days)},
	}
	for _, c := range v.Categories {
		n := "no limited warranty: a defective part is replaced within the replacement window"
		if c.WarrantyMonths > 0 {
			n = plural(c.WarrantyMonths, "month", "months") + " warranty"
		}
		if c.PaidRepair {
			n += "; paid repair after"
		}
		if !c.Returnable {
			n += "; no change-of-mind return on its own"
		}
		var extra []string
		for _, r := range c.Clauses {
			extra = append(extra, id(r))
		}
		if !c.Returnable {
			extra = append(extra, id(v.Return.Clause))
		}
		clause := id(v.PeriodClause)
		if len(extra) > 0 {
			clause += ", " + strings.Join(extra, ", ")
		}
		out = append(out, Rule{clause, fmt.Sprintf("%s (%s)", c.Name, c.Key), n})
	}
	for _, p := range v.Products() {
		n := "category's term"
		if p.HasTerm {
			n = plural(p.WarrantyMonths, "month", "months") + " warranty"
		}
		out = append(out, Rule{id(v.ProductClause), fmt.Sprintf("Product %s %s (%s)", p.SKU, p.Name, p.Category.Key), n})
	}
	out = append(out,
		Rule{id(v.StartClause), "Warranty and replacement window start on", start},
		Rule{id(v.Replacement.Clause), "Free replacement of a defective product, from the warranty start", days(v.Replacement.Days)},
		Rule{id(v.MissingParts.Clause), "Missing parts shipped free, from the delivery", days(v.MissingParts.Days)},
		Rule{id(v.DamagedOnArrival.Clause), "Damage on arrival replaced free, from the delivery", days(v.DamagedOnArrival.Days)},
		Rule{id(v.FreeRepair), "Free repair within the warranty", ""},
		Rule{id(v.PaidRepair), "Paid repair after the warranty", ""},
		Rule{id(v.RepairedUnit.Clause), "Cover of a repaired or replaced unit, from the day it was shipped, or the rest of the original warranty",
			plural(v.RepairedUnit.Months, "month", "months")},
		Rule{id(v.OutsideClause), "Nothing outside the replacement and warranty periods", ""},
	)
	for c := CauseEnvironment; c <= CauseNotQualityRelated; c++ {
		if cl, ok := v.Exclusion(c); ok {
			out = append(out, Rule{cl.ID, "Not covered: " + causePhrases[c], "cause " + c.String()})
		}
	}
	ship := func(what string, s Shipping) Rule {
		return Rule{id(s.Clause), "Shipping for " + what, s.PaidBy.String() + " pays"}
	}
	out = append(out,
		ship("a change-of-mind return or exchange", v.ChangeOfMindShipping),
		ship("a free remedy of a quality problem", v.QualityRemedyShipping),
		ship("a cause the warranty does not cover", v.ExcludedShipping),
		ship("paid repair and support after the warranty", v.AfterWarrantyShipping),
		Rule{id(v.UnauthorizedReseller), "Bought from an unauthorised reseller: no warranty, no return; paid repair and support", ""},
	)
	var refer []string
	for _, r := range v.ReferClauses {
		refer = append(refer, id(r))
	}
	out = append(out,
		Rule{strings.Join(refer, ", "), "Bought from an authorised distributor: the customer applies to the distributor first", ""},
		Rule{id(v.HeadquartersClause), "Headquarters takes it when the distributor cannot be reached", ""},
	)
	for _, c := range v.Contracts() {
		out = append(out, Rule{id(v.ContractClause), fmt.Sprintf("Distribution contract %s %s", c.Code, c.Name),
			fmt.Sprintf("return %s, replacement %s, missing parts %s, damage on arrival %s",
				days(c.Return.Days), days(c.Replacement.Days), days(c.MissingParts.Days), days(c.DamagedOnArrival.Days))})
	}
	proof := "not required"
	if v.ProofRequired {
		proof = "required"
	}
	out = append(out,
		Rule{id(v.ProofClause), "Proof of purchase before a decision", proof},
		Rule{id(v.Answer.Clause), "First answer, from a complete claim", days(v.Answer.Days)},
	)
	return out
}
