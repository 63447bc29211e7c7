// Package policy is the seller's Return & Warranty policy as data, and the
// eligibility decision it gives (docs/eligibility.md).
//
// A Policy is loaded from a human-editable YAML file (Load, Parse, Default).
// It holds one or more versions, each in force from its effective date; a
// request is judged by the version in force on its purchase date. Decide turns
// Facts into a Decision without I/O and without reading the clock.
package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aftersale/aftersale/date"
)

// Policy is a loaded policy file.
type Policy struct {
	Seller   string
	TimeZone string // IANA name; the policy's dates are calendar dates there
	Source   string // the file it came from, or "built-in"
	Versions []*Version
}

// Version is one version of the policy, in force for purchases from
// EffectiveFrom until the next version's EffectiveFrom.
type Version struct {
	ID            string
	EffectiveFrom date.Date

	Clauses    []Clause
	clauseByID map[string]clauseRef

	Categories []*Category
	categories map[string]*Category

	WarrantyStart StartRule
	PeriodClause  clauseRef // 2: the warranty periods
	StartClause   clauseRef // 5.4: the period starts on receipt
	OutsideClause clauseRef // 4: nothing outside the periods

	Return           Window // 1: change of mind, from the purchase date
	Replacement      Window // 3.1: defect, from the warranty start
	MissingParts     Window // 3.2: from delivery
	DamagedOnArrival Window // 5.1: from delivery
	FreeRepair       clauseRef
	PaidRepair       clauseRef
	RepairedUnit     Period // 5.5

	exclusions [CauseNotQualityRelated + 1]clauseRef // by Cause; zero for causes that exclude nothing

	ChangeOfMindShipping  Shipping // A3
	QualityRemedyShipping Shipping // 6.2
	ExcludedShipping      Shipping // A3
	AfterWarrantyShipping Shipping // 6.2

	UnauthorizedReseller clauseRef   // 5.6
	ReferClauses         []clauseRef // 5.3, 6.1
	HeadquartersClause   clauseRef   // 6.1

	ProofRequired bool
	ProofClause   clauseRef // 6.1
	Answer        Window    // A2: days from the report to the first answer

	ProductClause  clauseRef // 2.N1
	products       map[string]*Product
	ContractClause clauseRef // A4
	contracts      map[string]*Contract

	texts map[string]*Texts // the translations block, by language; nil when none
}

// Clause is one clause of the seller's policy text, by its stable id.
type Clause struct {
	ID   string
	Text string
}

// clauseRef points into Version.Clauses, counting from 1; 0 cites nothing.
type clauseRef uint8

// maxClauses is how many clauses a ClauseSet can hold.
const maxClauses = 255

// Category is a product category and what the policy gives it.
type Category struct {
	Key            string // the contract's value, e.g. "servo_motor"
	Name           string // for tables, e.g. "Servos & motors"
	Noun           string // for reasons, e.g. "motor": true of every product of the category
	WarrantyMonths int    // 0: no limited warranty (clause 2, "Others")
	PaidRepair     bool
	// Returnable says whether a change-of-mind return or exchange (clause 1)
	// takes the category back on its own; false for packaging and free gifts
	// (docs/policy-reading.md I-11).
	Returnable bool
	Clauses    []clauseRef // always cited for this category, e.g. A1 for power modules
	Note       string      // said with those clauses
}

// Product is a product with its own warranty term (2.N1).
type Product struct {
	SKU            string
	Name           string
	Category       *Category
	HasTerm        bool // WarrantyMonths replaces the category's period
	WarrantyMonths int
	PaidRepair     bool
}

// Contract is a distribution contract (A4): the windows that apply to that
// distributor's customers instead of the policy's.
type Contract struct {
	Code             string
	Name             string
	Return           Window
	Replacement      Window
	MissingParts     Window
	DamagedOnArrival Window
}

// Window is a number of calendar days counted from a start date (day 0), and
// the clause that sets it.
type Window struct {
	Days   int
	Clause clauseRef
}

// Period is a number of calendar months, and the clause that sets it.
type Period struct {
	Months int
	Clause clauseRef
}

// Shipping says who pays shipping in one situation, and why.
type Shipping struct {
	PaidBy Payer
	Clause clauseRef
}

// StartRule is which date starts the warranty and the replacement window.
type StartRule uint8

// The start rules. StartDeliveryOrPurchase is docs/policy-reading.md I-2.
const (
	StartDeliveryOrPurchase StartRule = iota
	StartPurchase
)

var startRuleNames = []string{"delivery_or_purchase", "purchase"}

func (s StartRule) String() string { return nameOf(startRuleNames, int(s)) }

// VersionOn returns the version in force on day d.
func (p *Policy) VersionOn(d date.Date) (*Version, error) {
	var in *Version
	for _, v := range p.Versions {
		if v.EffectiveFrom.After(d) {
			break
		}
		in = v
	}
	if in == nil && len(p.Versions) == 0 {
		return nil, fmt.Errorf("the policy has no versions")
	}
	if in == nil {
		return nil, fmt.Errorf("no policy version was in force on %s: the first took effect on %s",
			d, p.Versions[0].EffectiveFrom)
	}
	return in, nil
}

// Category returns the category with key k.
func (v *Version) Category(k string) (*Category, bool) {
	c, ok := v.categories[k]
	return c, ok
}

// Product returns the product-specific term of sku (2.N1).
func (v *Version) Product(sku string) (*Product, bool) {
	p, ok := v.products[sku]
	return p, ok
}

// Products returns the products with their own terms, sorted by SKU.
func (v *Version) Products() []*Product {
	out := make([]*Product, 0, len(v.products))
	for _, p := range v.products {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *Product) int { return strings.Compare(a.SKU, b.SKU) })
	return out
}

// Contract returns the distribution contract of the distributor with code.
func (v *Version) Contract(code string) (*Contract, bool) {
	c, ok := v.contracts[code]
	return c, ok
}

// Contracts returns the distribution contracts, sorted by code.
func (v *Version) Contracts() []*Contract {
	out := make([]*Contract, 0, len(v.contracts))
	for _, c := range v.contracts {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Contract) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Exclusion returns the clause of cause c, and false when c excludes nothing.
func (v *Version) Exclusion(c Cause) (Clause, bool) {
	if int(c) >= len(v.exclusions) || v.exclusions[c] == 0 {
		return Clause{}, false
	}
	return v.ClauseOf(v.exclusions[c]), true
}

// ClauseOf returns the clause r points to.
func (v *Version) ClauseOf(r clauseRef) Clause {
	if r == 0 || int(r) > len(v.Clauses) {
		return Clause{}
	}
	return v.Clauses[r-1]
}

// CategoryKeys lists the product categories of the version in force for
// new purchases, the last one: what an import accepts.
func (p *Policy) CategoryKeys() []string {
	if len(p.Versions) == 0 {
		return nil
	}
	return p.Versions[len(p.Versions)-1].categoryKeys()
}

func (v *Version) categoryKeys() []string {
	keys := make([]string, len(v.Categories))
	for i, c := range v.Categories {
		keys[i] = c.Key
	}
	return keys
}
