// Package workflow holds the use cases: each turns a request into calls on
// the policy and the store. It declares the store methods it needs and knows
// nothing of HTTP or SQL.
package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
)

// Registry is what the use cases read of what was sold.
type Registry interface {
	LookupSerial(ctx context.Context, serial string) (aftersale.SoldItem, error)
	LookupOrder(ctx context.Context, number string) ([]aftersale.SoldItem, error)
	Product(ctx context.Context, sku string) (aftersale.Product, error)
	// Distributor returns the distributor with code, or a NotFound error.
	Distributor(ctx context.Context, code string) (aftersale.Distributor, error)
}

// ClaimHistory finds the claims already made on an article.
type ClaimHistory interface {
	EarlierClaims(ctx context.Context, serials []string, order string, line int, sku string) ([]aftersale.ClaimRef, error)
}

// Service runs the use cases.
type Service struct {
	Policy   *policy.Policy
	Registry Registry
	// History lists an article's earlier claims in a warranty lookup; nil
	// leaves them out.
	History ClaimHistory
	// Now is the clock; the policy's dates are taken in its time zone.
	Now func() time.Time
	loc *time.Location
}

// New returns a Service; the policy's time zone must load.
func New(p *policy.Policy, r Registry, now func() time.Time) (*Service, error) {
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("policy time zone: %w", err)
	}
	return &Service{Policy: p, Registry: r, Now: now, loc: loc}, nil
}

// Today is the seller's calendar date now.
func (s *Service) Today() date.Date { return date.FromTime(s.Now().In(s.loc)) }

// WarrantyStatus is the cover of one sold article, judged by the policy as
// if a fault were reported today.
type WarrantyStatus struct {
	Serials  []string // empty when none is on file
	SKU      string
	Product  string
	Category string
	KitSKU   string // the kit the article was sold in
	Quantity int
	Order    Sale
	AsOf     date.Date // today in the seller's time zone
	// Decision is what the policy gives for a fault reported today; for a
	// unit the seller replaced it refuses every remedy (3.1).
	Decision policy.Decision
	DaysLeft *int // days of cover left after AsOf; nil when there is no cover
	// Claims are the claims on the article that the asker may see, newest
	// first: all of them for staff and the sale's distributor, the one of
	// the link for a customer who came with a claim's link, none for anybody
	// else. ClaimOpen tells anybody whether some claim on it is open.
	Claims    []aftersale.ClaimRef
	ClaimOpen bool

	// replaced is the replacement that ended the article's cover; its
	// reason stands for the policy's.
	replaced *replacement
}

// Sale is the sale an article belongs to.
type Sale struct {
	Number      string
	Line        int
	PurchasedOn date.Date
	DeliveredOn date.Date // zero when unknown
	Channel     aftersale.Channel
	Distributor string
}

// ClauseIDs are the clauses the decision rests on.
func (st WarrantyStatus) ClauseIDs() []string {
	ids := st.Decision.Clauses.IDs(st.Decision.Version)
	if ids == nil {
		ids = []string{}
	}
	return ids
}

// PartsUntil is, for a product without a warranty period whose defective
// part the policy still replaces free today, the last day it does (the
// replacement window, docs/policy-reading.md I-3); zero otherwise. Such an
// article is not "covered", yet a fault reported today is put right: the
// pages state this rather than a bare "not covered".
func (st WarrantyStatus) PartsUntil() date.Date {
	d := st.Decision
	if d.Warranty.Covered || d.Outcome != policy.OutcomeEligible || !d.Remedies.Has(policy.RemedyReplaceDefectiveParts) {
		return date.Date{}
	}
	for _, r := range d.Reasons() {
		if r.Code == policy.ReasonNoWarranty && r.Flag {
			return r.Dates[1]
		}
	}
	return date.Date{}
}

// ReasonsIn returns the decision's reasons in language lang ("en", "zh"),
// English for any language without them.
func (st *WarrantyStatus) ReasonsIn(lang string) []string {
	if !slices.Contains(policy.Languages(), lang) {
		lang = policy.English
	}
	if st.replaced != nil {
		return []string{st.replaced.reason(lang)}
	}
	if lang == policy.English {
		return st.Decision.ReasonTexts()
	}
	return st.Decision.ReasonTextsIn(lang)
}

// replacement is the unit the seller shipped to replace a sold one.
type replacement struct {
	serial string
	on     date.Date
}

// reason says that the unit was replaced, in language lang ("en", "zh";
// English for any other).
func (r *replacement) reason(lang string) string {
	if lang == policy.Chinese {
		return "本件已于" + r.on.Format("2006年1月2日") + "更换为" + r.serial + "，自那日起归我们所有，保修随之终止；如有故障，请就更换件提出申请。"
	}
	return "This unit was replaced by " + r.serial + " on " + r.on.Format("2 Jan 2006") +
		" and is ours since then: its cover ended that day, and a fault is claimed on the replacement."
}

// replacedOn reports whether the seller replaced item on or before day:
// the replaced unit is the seller's property from the day the
// replacement shipped (3.1), and nothing is owed on it from then.
func replacedOn(item aftersale.SoldItem, day date.Date) bool {
	return item.ReplacedBy != "" && !item.ReplacedOn.After(day)
}

// WarrantyBySerial looks a serial up and judges its cover, for who.
func (s *Service) WarrantyBySerial(ctx context.Context, who aftersale.Actor, serial string) (WarrantyStatus, error) {
	serial = strings.TrimSpace(serial)
	if serial == "" {
		return WarrantyStatus{}, &aftersale.Error{Kind: aftersale.Invalid, Field: "serial", Message: "serial: is required"}
	}
	if err := aftersale.CheckText("serial", serial, maxKeyText); err != nil {
		return WarrantyStatus{}, err
	}
	item, err := s.Registry.LookupSerial(ctx, serial)
	if err != nil {
		return WarrantyStatus{}, fmt.Errorf("warranty of serial %q: %w", serial, err)
	}
	return s.status(ctx, who, item)
}

// WarrantyByOrder judges every line and kit component of an order, for who.
func (s *Service) WarrantyByOrder(ctx context.Context, who aftersale.Actor, number string) ([]WarrantyStatus, error) {
	number = strings.TrimSpace(number)
	if number == "" {
		return nil, &aftersale.Error{Kind: aftersale.Invalid, Field: "order", Message: "order: is required"}
	}
	if err := aftersale.CheckText("order", number, maxKeyText); err != nil {
		return nil, err
	}
	items, err := s.Registry.LookupOrder(ctx, number)
	if err != nil {
		return nil, fmt.Errorf("warranty of order %q: %w", number, err)
	}
	out := make([]WarrantyStatus, 0, len(items))
	for _, item := range items {
		st, err := s.status(ctx, who, item)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *Service) status(ctx context.Context, who aftersale.Actor, item aftersale.SoldItem) (WarrantyStatus, error) {
	today := s.Today()
	f := FactsOfSale(item)
	f.Request = policy.RequestDefect
	// A sale recorded with a later date than today (clock skew, a pre-order)
	// is judged on its own first day rather than refused.
	f.ReportedOn = date.Max(today, date.Max(f.PurchasedOn, f.DeliveredOn))
	d, err := s.Policy.Decide(&f)
	if err != nil {
		return WarrantyStatus{}, fmt.Errorf("judge %s on order %s: %w", item.Product.SKU, item.Order.Number, err)
	}
	if item.ReplacedBy != "" {
		// The cover ends the day before the replacement shipped.
		if last := item.ReplacedOn.AddDays(-1); !d.Warranty.EndsOn.IsZero() && d.Warranty.EndsOn.After(last) {
			d.Warranty.EndsOn = last
		}
		d.Warranty.Covered = d.Warranty.Covered && !replacedOn(item, f.ReportedOn)
	}
	st := WarrantyStatus{
		Serials: item.Serials, SKU: item.Product.SKU, Product: item.Product.Name, Category: string(item.Product.Category),
		KitSKU: item.KitSKU, Quantity: item.Quantity, AsOf: today, Decision: d,
		Order: Sale{Number: item.Order.Number, Line: item.Line, PurchasedOn: item.Order.PurchaseDate,
			DeliveredOn: item.DeliveredOn, Channel: item.Order.Channel, Distributor: item.Order.DistributorCode},
	}
	if st.Serials == nil {
		st.Serials = []string{}
	}
	if replacedOn(item, f.ReportedOn) {
		// The unit is the seller's: no remedy, whatever the policy would
		// give its owner.
		st.replaced = &replacement{serial: item.ReplacedBy, on: item.ReplacedOn}
		st.Decision.Refuse("3.1")
	}
	st.Claims = []aftersale.ClaimRef{}
	if s.History != nil && !item.NeverClaimed {
		refs, err := s.History.EarlierClaims(ctx, item.Serials, item.Order.Number, item.Line, item.Product.SKU)
		if err != nil {
			return WarrantyStatus{}, err
		}
		all := who.SeesDistributor(item.Order.DistributorCode)
		for _, r := range refs {
			st.ClaimOpen = st.ClaimOpen || r.Status.Open()
			if all || (who.ClaimNumber != "" && r.Number == who.ClaimNumber) {
				st.Claims = append(st.Claims, r)
			}
		}
	}
	if end := d.Warranty.EndsOn; !end.IsZero() {
		left := max(0, today.DaysUntil(end))
		if !d.Warranty.Covered {
			left = 0
		}
		st.DaysLeft = &left
	}
	return st, nil
}

// FactsOfSale are the facts the registry knows of a sold article: the
// product's catalog entry, the sale and its delivery, the distributor's
// contract. The request and the report date are the caller's.
func FactsOfSale(item aftersale.SoldItem) policy.Facts {
	f := policy.Facts{
		SKU:             item.Product.SKU,
		PurchasedOn:     item.Order.PurchaseDate,
		DeliveredOn:     item.DeliveredOn,
		ReshippedOn:     item.ReshippedOn, // a repaired or replaced unit (5.5)
		ProofOfPurchase: true,             // the order record is on file (6.1)
		Catalog:         &policy.CatalogEntry{SKU: item.Product.SKU, Category: string(item.Product.Category)},
	}
	if m := item.Product.WarrantyMonths; m != nil {
		f.Catalog.HasTerm, f.Catalog.WarrantyMonths = true, *m
	}
	channelFacts(&f, item.Order.Channel, item.Distributor)
	return f
}

// channelFacts sets the channel of a sale through ch, by distributor d (nil:
// none on file), and the distributor's contract terms on file.
func channelFacts(f *policy.Facts, ch aftersale.Channel, d *aftersale.Distributor) {
	switch ch {
	case aftersale.AuthorizedDistributor:
		f.Channel = policy.ChannelAuthorizedDistributor
		if d != nil && !d.Authorised {
			// The registry's word on the reseller beats the order's
			// label: its sales have no warranty (5.6).
			f.Channel = policy.ChannelUnauthorizedReseller
		}
	case aftersale.UnauthorizedReseller:
		f.Channel = policy.ChannelUnauthorizedReseller
	}
	if d != nil && f.Channel == policy.ChannelAuthorizedDistributor {
		t := &policy.ContractTerms{Distributor: d.Code}
		if d.ReturnWindowDays != nil {
			t.ReturnDays = *d.ReturnWindowDays
		}
		if d.ReplacementWindowDays != nil {
			t.ReplacementDays = *d.ReplacementWindowDays
		}
		f.Contract = t
	}
}

// CompleteFacts fills facts from the registry for an eligibility request
// that names a serial or a known SKU: the catalog's category and term always,
// and the sale's dates, channel and proof when the request leaves the
// purchase date out. Unknown serials are an *policy.InputError on "serial".
func (s *Service) CompleteFacts(ctx context.Context, f *policy.Facts) error {
	for _, t := range []struct{ field, text string }{{"serial", f.Serial}, {"sku", f.SKU}} {
		if err := aftersale.CheckText(t.field, t.text, maxKeyText); err != nil {
			return &policy.InputError{Errors: []policy.FieldError{{Field: t.field, Message: aftersale.MessageOf(err)}}}
		}
	}
	if f.Serial != "" {
		item, err := s.Registry.LookupSerial(ctx, f.Serial)
		if aftersale.KindOf(err) == aftersale.NotFound {
			return &policy.InputError{Errors: []policy.FieldError{{Field: "serial", Message: "no unit with serial " + fmt.Sprintf("%q", f.Serial) + " was sold by the seller"}}}
		}
		if err != nil {
			return fmt.Errorf("look up serial %q: %w", f.Serial, err)
		}
		if replacedOn(item, f.ReportedOn) {
			return &policy.InputError{Errors: []policy.FieldError{{Field: "serial", Message: fmt.Sprintf(
				"serial %s was replaced by %s on %s: it is the seller's now; ask about the replacement", f.Serial, item.ReplacedBy, item.ReplacedOn)}}}
		}
		// The sale's facts are the warranty lookup's and a claim's
		// (FactsOfSale): the unit's 5.5 cover included.
		sale := FactsOfSale(item)
		f.SKU, f.Catalog = sale.SKU, sale.Catalog
		if f.PurchasedOn.IsZero() {
			f.PurchasedOn, f.DeliveredOn, f.Channel, f.ProofOfPurchase, f.Contract =
				sale.PurchasedOn, sale.DeliveredOn, sale.Channel, true, sale.Contract
			if f.ReshippedOn.IsZero() && !sale.ReshippedOn.After(f.ReportedOn) {
				f.ReshippedOn = sale.ReshippedOn
			}
		}
		return nil
	}
	if f.SKU == "" {
		return nil
	}
	p, err := s.Registry.Product(ctx, f.SKU)
	if aftersale.KindOf(err) == aftersale.NotFound {
		return nil // the category given, if any, decides
	}
	if err != nil {
		return fmt.Errorf("look up sku %q: %w", f.SKU, err)
	}
	f.Catalog = &policy.CatalogEntry{SKU: p.SKU, Category: string(p.Category)}
	if p.WarrantyMonths != nil {
		f.Catalog.HasTerm, f.Catalog.WarrantyMonths = true, *p.WarrantyMonths
	}
	return nil
}
