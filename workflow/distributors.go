package workflow

import (
	"context"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/policy"
)

// DistributorReader reads a distributor's registry record.
type DistributorReader interface {
	Distributor(ctx context.Context, code string) (aftersale.Distributor, error)
}

// TermWindow is a window of the contract: its days, the clause that sets
// it, and where the number comes from: "registry" (the distributor's record
// in the registry), "contract" (the policy's distribution_contracts) or
// "policy" (the policy's own window, no contract changes it).
type TermWindow struct {
	Days   int
	Clause string
	Source string
}

// TermShipping is who pays shipping in one case, and the clause saying so.
type TermShipping struct {
	PaidBy string // seller or customer
	Clause string
}

// DistributorTerms are a distributor's contract terms: its registry record
// and the rules of the policy in force today that apply to its customers.
type DistributorTerms struct {
	Distributor   aftersale.Distributor
	PolicyVersion string
	// ContractClause (A4): refunds and replacements follow the contract.
	ContractClause string
	// Return (1), Replacement (3.1), MissingParts (3.2), DamagedOnArrival
	// (5.1) are the windows its customers get.
	Return, Replacement, MissingParts, DamagedOnArrival TermWindow
	// ReferClauses (5.3, 6.1): its customers apply to it first;
	// HeadquartersClause (6.1): the seller helps when it cannot be reached.
	ReferClauses       []string
	HeadquartersClause string
	// Who pays shipping: a change of mind (A3), a free remedy of a quality
	// problem (6.2), a cause the warranty excludes (A3), after the warranty
	// (6.2).
	ChangeOfMind, QualityRemedy, Excluded, AfterWarranty TermShipping
	AnswerDays                                           int
	AnswerClause                                         string
}

// DistributorTerms returns the contract terms of the distributor with code:
// a distributor's users read their own only (code "" means theirs; another
// code is not found), staff read any; nobody else.
func (s *Claims) DistributorTerms(ctx context.Context, actor aftersale.Actor, code string) (DistributorTerms, error) {
	if !actor.Can(aftersale.ViewClaims) || actor.Role == aftersale.RoleCustomer {
		return DistributorTerms{}, forbidden(actor, "read a distribution contract")
	}
	code = strings.TrimSpace(code)
	if actor.Role == aftersale.RoleDistributor && code == "" {
		code = actor.DistributorCode
	}
	if !actor.SeesDistributor(code) {
		return DistributorTerms{}, &aftersale.Error{Kind: aftersale.NotFound, Field: "code", Message: "distributor " + code + " is not on file"}
	}
	r, ok := s.Read.(DistributorReader)
	if !ok {
		return DistributorTerms{}, &aftersale.Error{Kind: aftersale.NotFound, Field: "code", Message: "distributors are not on file"}
	}
	d, err := r.Distributor(ctx, code)
	if err != nil {
		return DistributorTerms{}, err
	}
	v, err := s.Policy.VersionOn(s.Today())
	if err != nil {
		return DistributorTerms{}, err
	}
	return termsOf(d, v), nil
}

// termsOf applies what the policy's decision applies (policy.Decide): the
// policy's windows, replaced by the policy's contract for the distributor,
// replaced again by the registry's windows where it records some.
func termsOf(d aftersale.Distributor, v *policy.Version) DistributorTerms {
	id := func(w policy.Window) string { return v.ClauseOf(w.Clause).ID }
	window := func(w policy.Window, source string) TermWindow {
		return TermWindow{Days: w.Days, Clause: id(w), Source: source}
	}
	t := DistributorTerms{Distributor: d, PolicyVersion: v.ID, ContractClause: v.ClauseOf(v.ContractClause).ID,
		Return: window(v.Return, "policy"), Replacement: window(v.Replacement, "policy"),
		MissingParts: window(v.MissingParts, "policy"), DamagedOnArrival: window(v.DamagedOnArrival, "policy"),
		HeadquartersClause: v.ClauseOf(v.HeadquartersClause).ID,
		AnswerDays:         v.Answer.Days, AnswerClause: id(v.Answer)}
	if c, ok := v.Contract(d.Code); ok {
		t.Return, t.Replacement = window(c.Return, "contract"), window(c.Replacement, "contract")
		t.MissingParts, t.DamagedOnArrival = window(c.MissingParts, "contract"), window(c.DamagedOnArrival, "contract")
	}
	if n := d.ReturnWindowDays; n != nil && *n > 0 {
		t.Return = TermWindow{Days: *n, Clause: t.ContractClause, Source: "registry"}
	}
	if n := d.ReplacementWindowDays; n != nil && *n > 0 {
		t.Replacement = TermWindow{Days: *n, Clause: t.ContractClause, Source: "registry"}
	}
	for _, r := range v.ReferClauses {
		t.ReferClauses = append(t.ReferClauses, v.ClauseOf(r).ID)
	}
	ship := func(s policy.Shipping) TermShipping {
		return TermShipping{PaidBy: s.PaidBy.String(), Clause: v.ClauseOf(s.Clause).ID}
	}
	t.ChangeOfMind, t.QualityRemedy = ship(v.ChangeOfMindShipping), ship(v.QualityRemedyShipping)
	t.Excluded, t.AfterWarranty = ship(v.ExcludedShipping), ship(v.AfterWarrantyShipping)
	return t
}

// DistributorLister lists the distributors on file (store.DB has it).
type DistributorLister interface {
	Distributors(ctx context.Context) ([]aftersale.Distributor, error)
}

// AuthorisedDistributors are the distributors a purchase made elsewhere may
// name as its seller, for anybody's form: the authorised ones on file, by
// name, with their code and name only (none when the registry cannot list
// them).
func (s *Claims) AuthorisedDistributors(ctx context.Context) ([]aftersale.Distributor, error) {
	r, ok := s.Registry.(DistributorLister)
	if !ok {
		return nil, nil
	}
	all, err := r.Distributors(ctx)
	if err != nil {
		return nil, err
	}
	var out []aftersale.Distributor
	for _, d := range all {
		if d.Authorised {
			out = append(out, aftersale.Distributor{Code: d.Code, Name: d.Name, Authorised: true})
		}
	}
	return out, nil
}
