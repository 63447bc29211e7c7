package aftersale

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aftersale/aftersale/date"
)

// Direction is which way a claim's parcel travels.
type Direction string

// The directions of a shipment.
const (
	Inbound  Direction = "inbound"  // the customer's return to the seller
	Outbound Direction = "outbound" // a replacement, a repaired unit, missing parts, or the item going back
)

// The payers of a shipment's freight (6.2, A3, I-6).
const (
	PaidBySeller   = "seller"
	PaidByCustomer = "customer"
)

// Shipment is a parcel of a claim with its carrier and tracking number.
// PaidBy follows the lines' current decisions unless a manager overrode it;
// OverrideReason is that manager's reason ("" when it follows them).
type Shipment struct {
	ID             int64
	ClaimID        int64
	Direction      Direction
	Carrier        string
	TrackingNumber string
	PaidBy         string // seller or customer
	OverrideReason string
	ShippedOn      date.Date // zero when not known (a return the customer has yet to send)
	DeliveredOn    date.Date // zero until it arrived (for an inbound parcel: received)
	CreatedBy      string
	CreatedAt      time.Time
}

// maxRefText bounds carriers, tracking numbers, references and reasons.
const maxRefText = 200

// Validate checks what a shipment must have before it is stored.
func (s Shipment) Validate() error {
	switch {
	case s.Direction != Inbound && s.Direction != Outbound:
		return &Error{Kind: Invalid, Field: "direction", Message: fmt.Sprintf("direction %q is not inbound or outbound", s.Direction)}
	case strings.TrimSpace(s.Carrier) == "" || len(s.Carrier) > maxRefText:
		return &Error{Kind: Invalid, Field: "carrier", Message: "carrier: name the carrier (at most 200 characters)"}
	case strings.TrimSpace(s.TrackingNumber) == "" || len(s.TrackingNumber) > maxRefText:
		return &Error{Kind: Invalid, Field: "tracking_number", Message: "tracking_number: is required (at most 200 characters)"}
	case s.PaidBy != PaidBySeller && s.PaidBy != PaidByCustomer:
		return &Error{Kind: Invalid, Field: "paid_by", Message: fmt.Sprintf("paid_by %q is not seller or customer", s.PaidBy)}
	case !s.DeliveredOn.IsZero() && !s.ShippedOn.IsZero() && s.DeliveredOn.Before(s.ShippedOn):
		return &Error{Kind: Invalid, Field: "delivered_on", Message: fmt.Sprintf("delivered_on %s is before shipped_on %s", s.DeliveredOn, s.ShippedOn)}
	}
	return nil
}

// Refund is money paid back on a claim whose approved remedy is a refund.
type Refund struct {
	ID         int64
	ClaimID    int64
	Amount     Money
	Reference  string // the payment's reference, such as the PSP's refund id
	RefundedOn date.Date
	By         string // the actor, as in the history
}

// Validate checks what a refund must have before it is stored.
func (r Refund) Validate() error {
	switch {
	case r.Amount.Minor <= 0:
		return &Error{Kind: Invalid, Field: "amount", Message: "amount: must be more than zero"}
	case !ValidCurrency(r.Amount.Currency):
		return &Error{Kind: Invalid, Field: "currency", Message: fmt.Sprintf("currency %q is not an ISO 4217 code", r.Amount.Currency)}
	case strings.TrimSpace(r.Reference) == "" || len(r.Reference) > maxRefText:
		return &Error{Kind: Invalid, Field: "reference", Message: "reference: the payment's reference is required (at most 200 characters)"}
	case r.RefundedOn.IsZero():
		return &Error{Kind: Invalid, Field: "refunded_on", Message: "refunded_on: is required"}
	}
	return nil
}

// ReplacementKind says how a unit came back to the customer.
type ReplacementKind string

// The kinds of replacement unit.
const (
	KindReplacement ReplacementKind = "replacement" // a new unit with its own serial
	KindRepair      ReplacementKind = "repair"      // the customer's unit, repaired: same serial
)

// ReplacementUnit is a unit the seller shipped to settle a claim line: a
// replacement, or the repaired unit itself. It is warranted per 5.5 from
// ShippedOn, and keeps the original sale (order, line, delivery) for the
// rest of the original period.
type ReplacementUnit struct {
	Serial         string // the unit's serial; for a repair, the repaired unit's own
	SKU            string // the same product or an equivalent later one (3.1)
	ReplacesSerial string // the faulty unit's serial; "" when it had none
	ClaimID        int64
	ClaimNumber    string
	Line           int // the claim line it settles
	// The original sale of the unit it replaces.
	OrderNumber string
	OrderLine   int
	KitSKU      string
	ShippedOn   date.Date
	Kind        ReplacementKind
	// PriceDifference is what a change-of-mind exchange for another product
	// costs on top of the article returned, in the order's currency:
	// positive when the customer pays more, negative when the seller pays
	// back. nil for the same product, or a successor shipped under warranty.
	PriceDifference *Money
	CreatedBy       string
	CreatedAt       time.Time
}

// Validate checks what a replacement unit must have before it is stored.
func (u ReplacementUnit) Validate() error {
	switch {
	case strings.TrimSpace(u.Serial) == "" || len(u.Serial) > maxRefText:
		return &Error{Kind: Invalid, Field: "serial", Message: "serial: the unit's serial is required (at most 200 characters)"}
	case u.SKU == "":
		return &Error{Kind: Invalid, Field: "sku", Message: "sku: is required"}
	case !slices.Contains([]ReplacementKind{KindReplacement, KindRepair}, u.Kind):
		return &Error{Kind: Invalid, Field: "kind", Message: fmt.Sprintf("kind %q is not replacement or repair", u.Kind)}
	case u.Kind == KindRepair && u.Serial != u.ReplacesSerial:
		return &Error{Kind: Invalid, Field: "serial", Message: "serial: a repaired unit keeps its serial " + u.ReplacesSerial}
	case u.Kind == KindReplacement && u.Serial == u.ReplacesSerial:
		return &Error{Kind: Invalid, Field: "serial", Message: "serial: a replacement needs its own serial, not the faulty unit's"}
	case u.OrderNumber == "" || u.OrderLine <= 0:
		return &Error{Kind: Invalid, Field: "line", Message: "line: the unit it replaces must come from an order on file"}
	case u.ShippedOn.IsZero():
		return &Error{Kind: Invalid, Field: "shipped_on", Message: "shipped_on: is required"}
	case u.PriceDifference != nil && !ValidCurrency(u.PriceDifference.Currency):
		return &Error{Kind: Invalid, Field: "currency", Message: fmt.Sprintf("currency %q is not an ISO 4217 code", u.PriceDifference.Currency)}
	case u.PriceDifference != nil && u.Kind != KindReplacement:
		return &Error{Kind: Invalid, Field: "price_difference", Message: "price_difference: a repaired unit has no price difference"}
	}
	return nil
}
