package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
)

// The lines of a claim: finding each article in the registry and judging it
// by the policy, when the claim is opened and again after inspection.

// decideAll judges every line by the policy with what the registry and the
// claim know now; the inspection's findings re-judge through it too.
func (s *Claims) decideAll(ctx context.Context, tx Registry, c *aftersale.Claim) error {
	for i := range c.Lines {
		l := &c.Lines[i]
		f, err := s.saleFacts(ctx, tx, c, l)
		if err != nil {
			return fieldOf(err, fmt.Sprintf("lines[%d]", i))
		}
		if err := s.decide(c, i, f); err != nil {
			return err
		}
	}
	return nil
}

// decide judges line i of c by the policy, from the facts of its sale.
func (s *Claims) decide(c *aftersale.Claim, i int, f policy.Facts) error {
	l := &c.Lines[i]
	applyClaimFacts(&f, c, l)
	d, err := s.Policy.Decide(&f)
	var facts *policy.InputError
	if errors.As(err, &facts) && len(facts.Errors) > 0 {
		// Facts the policy cannot judge (a purchase before its first
		// version): the applicant's, named, not the server's fault.
		fe := facts.Errors[0]
		field := fmt.Sprintf("lines[%d].%s", i, fe.Field)
		return &aftersale.Error{Kind: aftersale.Invalid, Field: field, Message: field + ": " + fe.Message, Err: err}
	}
	if err != nil {
		return fieldOf(err, fmt.Sprintf("lines[%d]", i))
	}
	l.Decision = storedDecision(d)
	return nil
}

// saleFacts are the registry's facts of a line's article of claim c.
func (s *Claims) saleFacts(ctx context.Context, tx Registry, c *aftersale.Claim, l *aftersale.ClaimLine) (policy.Facts, error) {
	switch {
	case l.Serial != "" && l.OrderNumber != "":
		item, err := tx.LookupSerial(ctx, l.Serial)
		if err != nil {
			return policy.Facts{}, err
		}
		return FactsOfSale(item), nil
	case l.OrderNumber != "":
		items, err := tx.LookupOrder(ctx, l.OrderNumber)
		if err != nil {
			return policy.Facts{}, err
		}
		sku := l.SKU
		if l.KitSKU == "" {
			sku = ""
		}
		// The article as the line was opened on: a claim already open
		// keeps its unit, replaced since or not.
		item, ok := pickItem(items, l.OrderLine, sku, date.Date{})
		if !ok {
			return policy.Facts{}, &aftersale.Error{Kind: aftersale.NotFound,
				Message: fmt.Sprintf("order %s line %d no longer holds %s", l.OrderNumber, l.OrderLine, l.SKU)}
		}
		return FactsOfSale(item), nil
	}
	p, err := tx.Product(ctx, l.SKU)
	if err != nil {
		return policy.Facts{}, err
	}
	var dist *aftersale.Distributor
	if l.BoughtFrom == aftersale.AuthorizedDistributor {
		// The claim's distributor (every line comes from one seller), as
		// the registry knows it now: its contract, and whether it is still
		// authorised.
		d, err := tx.Distributor(ctx, c.DistributorCode)
		if err != nil {
			return policy.Facts{}, err
		}
		dist = &d
	}
	return productFacts(p, l, dist), nil
}

// productFacts are the facts of a line bought elsewhere: the catalog's,
// the dates and proof the applicant gave, and where it was bought: from
// distributor d (nil: none), whose contract on file counts as for a sale
// in the registry (FactsOfSale).
func productFacts(p aftersale.Product, l *aftersale.ClaimLine, d *aftersale.Distributor) policy.Facts {
	f := policy.Facts{SKU: p.SKU, PurchasedOn: l.PurchasedOn, DeliveredOn: l.DeliveredOn,
		ProofOfPurchase: l.ProofDocument != "", Catalog: &policy.CatalogEntry{SKU: p.SKU, Category: string(p.Category)}}
	if p.WarrantyMonths != nil {
		f.Catalog.HasTerm, f.Catalog.WarrantyMonths = true, *p.WarrantyMonths
	}
	channelFacts(&f, l.BoughtFrom, d)
	return f
}

// causes are the eligibility contract's causes, in policy.Cause order.
var causes = []string{"unknown", "quality_defect", "environment", "external_event", "misuse",
	"not_following_instructions", "unauthorized_modification", "return_shipping_damage", "not_quality_related"}

// applyClaimFacts adds what the claim knows to the sale's facts: the
// request, the report date, the applicant and the inspection's findings.
func applyClaimFacts(f *policy.Facts, c *aftersale.Claim, l *aftersale.ClaimLine) {
	f.Request = map[string]policy.Request{"return": policy.RequestReturn, "defect": policy.RequestDefect,
		"missing_parts": policy.RequestMissingParts, "damaged_on_arrival": policy.RequestDamagedOnArrival}[c.Request]
	f.ReportedOn = date.Max(c.ReportedOn, date.Max(f.PurchasedOn, f.DeliveredOn))
	f.ReshippedOn = l.ReshippedOn
	f.DistributorUnreachable = c.DistributorUnreachable
	switch c.Applicant {
	case aftersale.ApplicantDistributor:
		f.Applicant = policy.ApplicantDistributor
	case aftersale.ApplicantStaff:
		f.Applicant = policy.ApplicantStaff
	}
	for i, name := range causes {
		if l.Cause == name {
			f.Cause = policy.Cause(i)
		}
	}
	if l.Resellable != nil {
		f.Resellable = policy.VerdictNotResellable
		if *l.Resellable {
			f.Resellable = policy.VerdictResellable
		}
	}
}

func storedDecision(d policy.Decision) aftersale.Decision {
	out := aftersale.Decision{Outcome: d.Outcome.String(), Remedies: names(d.Remedies.List()), Missing: names(d.Missing.List()),
		Clauses: d.Clauses.IDs(d.Version), Reasons: d.ReasonTexts(), Covered: d.Warranty.Covered,
		StartsOn: d.Warranty.StartsOn, EndsOn: d.Warranty.EndsOn, ReasonsByLang: translatedReasons(&d)}
	if out.Clauses == nil {
		out.Clauses = []string{}
	}
	if d.Version != nil {
		out.PolicyVersion = d.Version.ID
	}
	if d.ShippingPaidBy != policy.PaidByNobody {
		out.ShippingPaidBy = d.ShippingPaidBy.String()
	}
	return out
}

// names are the contract's names of list's values; empty, never nil.
func names[T fmt.Stringer](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = v.String()
	}
	return out
}

// translatedReasons renders d's reasons in every language but English, for
// the pages: by language code, as aftersale.Decision.ReasonsByLang keeps them.
func translatedReasons(d *policy.Decision) map[string][]string {
	out := map[string][]string{}
	for _, lang := range policy.Languages() {
		if lang != policy.English {
			out[lang] = d.ReasonTextsIn(lang)
		}
	}
	return out
}

// The words the API and the portal's form use for where a purchase made
// elsewhere was bought.
const (
	BoughtFromSeller      = "seller"      // the seller's own shop: aftersale.Direct
	BoughtFromDistributor = "distributor" // an authorised distributor on file: aftersale.AuthorizedDistributor
	BoughtFromOtherShop   = "other_shop"  // any other shop: aftersale.UnauthorizedReseller (5.6)
)

// BoughtFromChannel is the channel of a word of where a purchase made
// elsewhere was bought; "" is "" (the seller's own shop, by default), and
// a word that is none of them is not ok.
func BoughtFromChannel(word string) (ch aftersale.Channel, ok bool) {
	switch word {
	case "":
		return "", true
	case BoughtFromSeller:
		return aftersale.Direct, true
	case BoughtFromDistributor:
		return aftersale.AuthorizedDistributor, true
	case BoughtFromOtherShop:
		return aftersale.UnauthorizedReseller, true
	}
	return "", false
}

// BoughtFromWord is the word of where line l was bought: "" for an article
// of an order on file, BoughtFromSeller for a purchase made elsewhere
// opened before it was asked.
func BoughtFromWord(l aftersale.ClaimLine) string {
	switch {
	case l.OrderNumber != "":
		return ""
	case l.BoughtFrom == aftersale.AuthorizedDistributor:
		return BoughtFromDistributor
	case l.BoughtFrom == aftersale.UnauthorizedReseller:
		return BoughtFromOtherShop
	}
	return BoughtFromSeller
}
