package web

import (
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/policy"
)

// policyPage shows the seller's policy as tables, version by version.
type policyPage struct {
	Page
	Seller, TimeZone, Source string
	Versions                 []policyVersion
}

type policyVersion struct {
	ID            string
	EffectiveFrom string // YYYY-MM-DD
	Categories    []policyCategory
	Windows       []policyRow
	Exclusions    []policyRow
	Shipping      []policyRow
	Channels      []policyRow
	Contracts     []*policy.Contract
	Clauses       []policy.Clause
	Rules         []policy.Rule // as `aftersale policy show` prints them
}

type policyCategory struct {
	Key, Name      string
	WarrantyMonths int
	PaidRepair     bool
	Clauses        string
}

// policyRow is one setting: what it is (a message id and its arguments are
// resolved by the template), its value and the clause that sets it.
type policyRow struct {
	What   string // a message id
	Value  string // already in the reader's words, or a number
	Days   int    // for windows: -1 when not a number of days
	Clause string
}

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "policy", "staff.policy.title", aftersale.ViewClaims)
	if err != nil {
		return err
	}
	if s.Policy == nil {
		return &aftersale.Error{Kind: aftersale.NotFound}
	}
	pp := policyPage{Page: p, Seller: s.Policy.Seller, TimeZone: s.Policy.TimeZone, Source: s.Policy.Source}
	for i := len(s.Policy.Versions) - 1; i >= 0; i-- { // the newest first
		pp.Versions = append(pp.Versions, versionTables(p.L, s.Policy.Versions[i]))
	}
	return s.render(w, r, http.StatusOK, "staff_policy.html", pp)
}

func versionTables(l *Locale, v *policy.Version) policyVersion {
	pv := policyVersion{ID: v.ID, EffectiveFrom: v.EffectiveFrom.String(), Clauses: v.Clauses, Rules: v.Rules(),
		Contracts: v.Contracts()}
	period := v.ClauseOf(v.PeriodClause).ID
	for _, c := range v.Categories {
		ids := []string{period}
		for _, ref := range c.Clauses {
			ids = append(ids, v.ClauseOf(ref).ID)
		}
		pv.Categories = append(pv.Categories, policyCategory{Key: c.Key, Name: l.TOr("category."+c.Key, c.Name),
			WarrantyMonths: c.WarrantyMonths, PaidRepair: c.PaidRepair, Clauses: strings.Join(ids, ", ")})
	}
	win := func(what string, w policy.Window) policyRow {
		return policyRow{What: what, Days: w.Days, Clause: v.ClauseOf(w.Clause).ID}
	}
	start := "staff.policy.start_delivery"
	if v.WarrantyStart == policy.StartPurchase {
		start = "staff.policy.start_purchase"
	}
	pv.Windows = []policyRow{
		win("staff.policy.return", v.Return),
		win("staff.policy.replacement", v.Replacement),
		win("staff.policy.missing_parts", v.MissingParts),
		win("staff.policy.damaged", v.DamagedOnArrival),
		win("staff.policy.answer", v.Answer),
		{What: "staff.policy.repaired_unit", Value: l.T("staff.registry.months", "Count", v.RepairedUnit.Months), Days: -1,
			Clause: v.ClauseOf(v.RepairedUnit.Clause).ID},
		{What: "staff.policy.starts_on", Value: l.T(start), Days: -1, Clause: v.ClauseOf(v.StartClause).ID},
	}
	proof := l.T("staff.no")
	if v.ProofRequired {
		proof = l.T("staff.yes")
	}
	pv.Windows = append(pv.Windows, policyRow{What: "staff.policy.proof", Value: proof, Days: -1, Clause: v.ClauseOf(v.ProofClause).ID})
	for c := policy.CauseEnvironment; c <= policy.CauseNotQualityRelated; c++ {
		if cl, ok := v.Exclusion(c); ok {
			pv.Exclusions = append(pv.Exclusions, policyRow{What: "staff.cause." + c.String(), Days: -1, Clause: cl.ID})
		}
	}
	ship := func(what string, sh policy.Shipping) policyRow {
		return policyRow{What: what, Value: l.T("staff.paid_by." + sh.PaidBy.String()), Days: -1, Clause: v.ClauseOf(sh.Clause).ID}
	}
	pv.Shipping = []policyRow{
		ship("staff.policy.ship_change_of_mind", v.ChangeOfMindShipping),
		ship("staff.policy.ship_quality", v.QualityRemedyShipping),
		ship("staff.policy.ship_excluded", v.ExcludedShipping),
		ship("staff.policy.ship_after", v.AfterWarrantyShipping),
	}
	var refer []string
	for _, ref := range v.ReferClauses {
		refer = append(refer, v.ClauseOf(ref).ID)
	}
	pv.Channels = []policyRow{
		{What: "staff.policy.channel_unauthorized", Days: -1, Clause: v.ClauseOf(v.UnauthorizedReseller).ID},
		{What: "staff.policy.channel_distributor", Days: -1, Clause: strings.Join(refer, ", ")},
		{What: "staff.policy.channel_headquarters", Days: -1, Clause: v.ClauseOf(v.HeadquartersClause).ID},
	}
	return pv
}
