package workflow

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// RecordRefund records money paid back on a claim whose approved remedy is
// a refund, with a "refund" event. Money leaving is a manager's act
// (ApproveExceptions), as approving refunds is in the permission table. The
// item must be back first, or its return waived (3.1); the amount is in the
// order's currency and, with earlier refunds, at most what the claimed
// lines cost: their order lines' prices, and for a purchase made elsewhere
// the price recorded with its proof. A claim with a line bought elsewhere
// whose price is not on file has no known total: its refund is refused
// (Conflict) rather than left without a cap.
func (s *Parcels) RecordRefund(ctx context.Context, actor aftersale.Actor, number string, amount aftersale.Money, reference string) (aftersale.Refund, error) {
	if err := checkTexts(maxKeyText, "reference", reference, "currency", amount.Currency); err != nil {
		return aftersale.Refund{}, err
	}
	r := aftersale.Refund{Amount: amount, Reference: strings.TrimSpace(reference), RefundedOn: s.Today(), By: actor.String()}
	err := s.InTx(ctx, func(tx ParcelTx) error {
		c, err := s.claimFor(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if !actor.Can(aftersale.ApproveExceptions) {
			return forbidden(actor, "record refunds")
		}
		if err := refundable(c); err != nil {
			return err
		}
		r.ClaimID = c.ID
		if err := r.Validate(); err != nil {
			return err
		}
		if err := s.withinTotal(ctx, tx, c, r.Amount); err != nil {
			return err
		}
		if err := tx.AddRefund(ctx, &r); err != nil {
			return err
		}
		return tx.AddEvents(ctx, []aftersale.Event{{ClaimID: c.ID, At: s.Now().UTC(), Actor: actor.String(), Kind: "refund",
			Detail: fmt.Sprintf("refund %d: %s, reference %s", r.ID, r.Amount, r.Reference),
			Data: map[string]string{"id": strconv.FormatInt(r.ID, 10), "amount_minor": strconv.FormatInt(r.Amount.Minor, 10),
				"currency": r.Amount.Currency, "reference": r.Reference}}})
	})
	if err != nil {
		return aftersale.Refund{}, fmt.Errorf("record refund on %s: %w", number, err)
	}
	return r, nil
}

// refundable checks the claim's stage for a refund.
func refundable(c aftersale.Claim) error {
	conflict := func(format string, args ...any) error {
		return &aftersale.Error{Kind: aftersale.Conflict, Field: "claim", Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case c.ApprovedRemedy != "refund":
		return conflict("claim %s has no approved refund (approved remedy: %q)", c.Number, c.ApprovedRemedy)
	case c.Status != aftersale.StatusApproved && c.Status != aftersale.StatusResolved:
		return conflict("claim %s is %s: a refund is recorded once it is approved or resolved", c.Number, c.Status)
	case c.Status == aftersale.StatusResolved && c.Resolution != aftersale.ResolutionRefunded:
		return conflict("claim %s was resolved as %s, not refunded", c.Number, c.Resolution)
	case c.ReceivedOn.IsZero() && !c.ReturnWaived:
		return conflict("the item of claim %s must be back first (receive it), or a manager waives its return when resolving", c.Number)
	}
	if lines := c.Judge(aftersale.ActGrant, "refund"); len(lines) > 0 {
		// An inspection found it not resellable, or worse, after approval.
		return c.Refusal(aftersale.ActGrant, "refund", lines)
	}
	return nil
}

// withinTotal checks amount against what the claimed lines cost in its
// currency, less the claim's earlier refunds in it: each claimed order
// line's price (once, however many of its articles are claimed), and each
// purchase made elsewhere at the price recorded with its proof. A line
// bought elsewhere without a price makes the total unknown: a Conflict on
// "amount", never a refund without a cap.
func (s *Parcels) withinTotal(ctx context.Context, tx ParcelTx, c aftersale.Claim, amount aftersale.Money) error {
	caps := map[string]int64{}
	seen := map[string]bool{}
	orders := map[string]aftersale.Order{}
	for _, l := range c.Lines {
		if l.OrderNumber == "" {
			if l.Price == nil {
				return &aftersale.Error{Kind: aftersale.Conflict, Field: "amount", Message: fmt.Sprintf(
					"line %d (%s) was bought elsewhere and its price is not on file: a refund cannot exceed what the claimed lines cost, so none is recorded on claim %s",
					l.Line, l.SKU, c.Number)}
			}
			caps[l.Price.Currency] += l.Price.Minor
			continue
		}
		key := fmt.Sprintf("%s#%d", l.OrderNumber, l.OrderLine)
		if seen[key] {
			continue
		}
		seen[key] = true
		o, ok := orders[l.OrderNumber]
		if !ok {
			var err error
			if o, err = tx.Order(ctx, l.OrderNumber); err != nil {
				return err
			}
			orders[l.OrderNumber] = o
		}
		total := caps[o.Total.Currency]
		for _, ol := range o.Lines {
			if ol.Line == l.OrderLine {
				total += ol.UnitPrice * int64(ol.Quantity)
			}
		}
		caps[o.Total.Currency] = total
	}
	limit, ok := caps[amount.Currency]
	if !ok {
		return invalid("currency", "the claimed lines were paid in %s, not %s", strings.Join(keys(caps), ", "), amount.Currency)
	}
	earlier, err := tx.Refunds(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, e := range earlier {
		if e.Amount.Currency == amount.Currency {
			limit -= e.Amount.Minor
		}
	}
	if amount.Minor > limit {
		return invalid("amount", "%s is more than the %s left of what the claimed lines cost",
			amount, aftersale.Money{Minor: max(limit, 0), Currency: amount.Currency})
	}
	return nil
}

func keys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ReplacementInput is a unit the seller ships to settle a claim line.
type ReplacementInput struct {
	Line   int
	Serial string // the new unit's serial; for a repair, the unit's own (may be left out)
	// SKU "" is the line's product. A replacement under warranty may be an
	// equivalent later product (3.1); a change-of-mind exchange, any
	// product of the catalog.
	SKU       string
	Kind      aftersale.ReplacementKind
	ShippedOn date.Date // zero: today
	// PriceDifference is required for an exchange for another product: what
	// the customer pays on top (positive) or gets back (negative), in the
	// order's currency (Currency "": the order's).
	PriceDifference *aftersale.Money
}

// remediesOf are the approved remedies each kind of unit settles.
var remediesOf = map[aftersale.ReplacementKind][]string{
	aftersale.KindReplacement: {"free_replacement", "replace_defective_parts", "free_repair", "exchange"},
	aftersale.KindRepair:      {"free_repair", "paid_repair"},
}

// resolutionsOf are the resolutions each kind of unit is consistent with.
var resolutionsOf = map[aftersale.ReplacementKind][]aftersale.Resolution{
	aftersale.KindReplacement: {aftersale.ResolutionReplacementShipped, aftersale.ResolutionExchanged},
	aftersale.KindRepair:      {aftersale.ResolutionRepairedShipped},
}

// RegisterReplacement records the unit shipped for a claim line, with a
// "replacement_unit" event. The unit is then found by its serial with the
// original sale and this shipping day, which gives it cover per 5.5 (I-10).
func (s *Parcels) RegisterReplacement(ctx context.Context, actor aftersale.Actor, number string, in ReplacementInput) (aftersale.ReplacementUnit, error) {
	if err := in.validate(); err != nil {
		return aftersale.ReplacementUnit{}, err
	}
	var u aftersale.ReplacementUnit
	err := s.InTx(ctx, func(tx ParcelTx) error {
		c, err := s.claimFor(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if !actor.Can(aftersale.WorkClaims) {
			return forbidden(actor, "register replacement units")
		}
		if err := replaceable(c, in); err != nil {
			return err
		}
		if u, err = s.unitFor(ctx, tx, c, in); err != nil {
			return err
		}
		u.CreatedBy, u.CreatedAt = actor.String(), s.Now().UTC()
		if err := tx.AddReplacementUnit(ctx, &u); err != nil {
			return err
		}
		detail := fmt.Sprintf("line %d: %s %s (%s) shipped on %s", u.Line, u.Kind, u.Serial, u.SKU, u.ShippedOn)
		if u.Kind == aftersale.KindReplacement {
			detail += fmt.Sprintf(", replaces %q", u.ReplacesSerial)
		}
		data := map[string]string{"line": strconv.Itoa(u.Line), "kind": string(u.Kind),
			"serial": u.Serial, "sku": u.SKU, "shipped_on": u.ShippedOn.String(), "replaces": u.ReplacesSerial}
		if d := u.PriceDifference; d != nil {
			returned := c.Lines[u.Line-1].SKU
			detail += fmt.Sprintf(", exchanged for the %s returned: price difference %s", returned, priceDifference(*d))
			data["returned_sku"], data["price_difference_minor"], data["currency"] = returned, strconv.FormatInt(d.Minor, 10), d.Currency
		}
		return tx.AddEvents(ctx, []aftersale.Event{{ClaimID: c.ID, At: u.CreatedAt, Actor: actor.String(),
			Kind: "replacement_unit", Detail: detail, Data: data}})
	})
	if err != nil {
		return aftersale.ReplacementUnit{}, fmt.Errorf("register replacement on %s: %w", number, err)
	}
	return u, nil
}

// replaceable checks the line, the kind and the claim's stage.
func replaceable(c aftersale.Claim, in ReplacementInput) error {
	conflict := func(field, format string, args ...any) error {
		return &aftersale.Error{Kind: aftersale.Conflict, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	remedies, ok := remediesOf[in.Kind]
	switch {
	case !ok:
		return invalid("kind", "%q is not replacement or repair", in.Kind)
	case in.Line < 1 || in.Line > len(c.Lines):
		return invalid("line", "claim %s has lines 1 to %d", c.Number, len(c.Lines))
	case !slices.Contains([]aftersale.Status{aftersale.StatusApproved, aftersale.StatusInspected,
		aftersale.StatusQuoteAccepted, aftersale.StatusResolved}, c.Status):
		return conflict("claim", "claim %s is %s: a unit is registered once a remedy is granted", c.Number, c.Status)
	case !slices.Contains(remedies, c.ApprovedRemedy):
		return conflict("kind", "the approved remedy %q is not settled by a %s", c.ApprovedRemedy, in.Kind)
	case c.Status == aftersale.StatusResolved && !slices.Contains(resolutionsOf[in.Kind], c.Resolution):
		return conflict("kind", "claim %s was resolved as %s, not by a %s", c.Number, c.Resolution, in.Kind)
	case in.Kind == aftersale.KindRepair && c.ReceivedOn.IsZero():
		return conflict("kind", "the unit of claim %s has not come back: it cannot have been repaired", c.Number)
	case in.Kind == aftersale.KindReplacement && c.ReceivedOn.IsZero() && !c.ReturnWaived:
		return conflict("kind", "the faulty unit of claim %s must be back first (3.1), or a manager waives its return when resolving", c.Number)
	case c.Lines[in.Line-1].OrderNumber == "":
		return invalid("line", "line %d was bought elsewhere: only a unit of an order on file can be registered", in.Line)
	}
	if c.Lines[in.Line-1].Judge(aftersale.ActGrant, c.ApprovedRemedy) == aftersale.NeedsException {
		return c.Refusal(aftersale.ActGrant, c.ApprovedRemedy, []int{in.Line})
	}
	return nil
}

// unitFor builds the unit: its serial (new for a replacement, the unit's
// own for a repair), its product, and the original sale.
func (s *Parcels) unitFor(ctx context.Context, tx ParcelTx, c aftersale.Claim, in ReplacementInput) (aftersale.ReplacementUnit, error) {
	l := c.Lines[in.Line-1]
	u := aftersale.ReplacementUnit{Serial: strings.TrimSpace(in.Serial), SKU: strings.TrimSpace(in.SKU),
		ReplacesSerial: l.Serial, ClaimID: c.ID, ClaimNumber: c.Number, Line: l.Line, OrderNumber: l.OrderNumber,
		OrderLine: l.OrderLine, KitSKU: l.KitSKU, ShippedOn: in.ShippedOn, Kind: in.Kind}
	if u.ShippedOn.IsZero() {
		u.ShippedOn = s.Today()
	}
	if u.ShippedOn.After(s.Today()) {
		return u, invalid("shipped_on", "%s is in the future", u.ShippedOn)
	}
	if u.Kind == aftersale.KindRepair {
		if u.Serial == "" {
			u.Serial = l.Serial
		}
		switch {
		case l.Serial == "":
			return u, invalid("serial", "line %d has no serial: a repaired unit is registered under its own", l.Line)
		case u.Serial != l.Serial:
			return u, invalid("serial", "a repaired unit keeps its serial %s", l.Serial)
		case u.SKU != "" && u.SKU != l.SKU:
			return u, invalid("sku", "a repaired unit stays a %s", l.SKU)
		case in.PriceDifference != nil:
			return u, invalid("price_difference", "a repaired unit has no price difference")
		}
		u.SKU = l.SKU
		return u, nil
	}
	if u.Serial == "" {
		return u, invalid("serial", "the replacement unit's serial is required")
	}
	if _, err := tx.LookupSerial(ctx, u.Serial); err == nil {
		return u, &aftersale.Error{Kind: aftersale.Conflict, Field: "serial", Message: fmt.Sprintf("serial %s is already on file", u.Serial)}
	} else if aftersale.KindOf(err) != aftersale.NotFound {
		return u, err
	}
	if u.SKU == "" || u.SKU == l.SKU {
		if in.PriceDifference != nil {
			return u, invalid("price_difference", "the same product %s has no price difference", l.SKU)
		}
		u.SKU = l.SKU
		return u, nil
	}
	if c.ApprovedRemedy == "exchange" {
		return u, s.exchange(ctx, tx, l, &u, in.PriceDifference)
	}
	if in.PriceDifference != nil {
		return u, invalid("price_difference", "only a change-of-mind exchange for another product has a price difference; a replacement under warranty (%s) is free", c.ApprovedRemedy)
	}
	p, err := tx.Product(ctx, l.SKU)
	if err != nil {
		return u, err
	}
	if !slices.Contains(p.Successors, u.SKU) {
		return u, invalid("sku", "%s is not %s or an equivalent later product (%s): only a change-of-mind exchange ships another product",
			u.SKU, l.SKU, strings.Join(p.Successors, ", "))
	}
	return u, nil
}

// exchange completes the unit of a change-of-mind exchange for another
// product than line l's: any product of the catalog, with the price
// difference recorded in the order's currency (a currency left out is the
// order's).
func (s *Parcels) exchange(ctx context.Context, tx ParcelTx, l aftersale.ClaimLine, u *aftersale.ReplacementUnit, diff *aftersale.Money) error {
	p, err := tx.Product(ctx, u.SKU)
	if err != nil {
		return fieldOf(err, "sku")
	}
	if diff == nil {
		return invalid("price_difference", "an exchange of %s for another product (%s) records the price difference: positive when the customer pays more, negative when the seller pays back, 0 when they cost the same",
			l.SKU, p.SKU)
	}
	o, err := tx.Order(ctx, l.OrderNumber)
	if err != nil {
		return err
	}
	d := *diff
	if d.Currency == "" {
		d.Currency = o.Total.Currency
	}
	if d.Currency != o.Total.Currency {
		return invalid("currency", "order %s is in %s, not %s", o.Number, o.Total.Currency, d.Currency)
	}
	u.SKU, u.PriceDifference = p.SKU, &d
	return nil
}

// priceDifference says who pays an exchange's price difference d.
func priceDifference(d aftersale.Money) string {
	switch {
	case d.Minor > 0:
		return fmt.Sprintf("+%s, paid by the customer", d)
	case d.Minor < 0:
		return fmt.Sprintf("%s, paid back to the customer", d)
	}
	return d.String() + ", none to pay"
}
