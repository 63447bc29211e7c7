// Package aftersale names the nouns of the returns and warranty system.
//
// This file holds the registry: what was sold, to whom, through which channel,
// and when it arrived. The warranty check starts from it. The package does no
// I/O; the store package reads and writes these types.
package aftersale

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aftersale/aftersale/date"
)

// ErrorKind classifies an Error so callers (the API, the CLI) can map it to a
// status or an exit code without parsing messages.
type ErrorKind string

// The kinds of Error. Anything that is not an *Error is Internal.
const (
	Internal     ErrorKind = "internal"
	Invalid      ErrorKind = "invalid"
	NotFound     ErrorKind = "not_found"
	Conflict     ErrorKind = "conflict"
	Unauthorized ErrorKind = "unauthorized"
	Forbidden    ErrorKind = "forbidden"
)

// HTTPStatus is the HTTP status an error of kind k answers with, for the
// JSON API and the pages alike: the one table from kind to status. They
// are numbers here because the domain does no I/O (RFC 9110's codes).
func (k ErrorKind) HTTPStatus() int {
	switch k {
	case Invalid:
		return 422 // Unprocessable Content
	case NotFound:
		return 404
	case Conflict:
		return 409
	case Unauthorized:
		return 401
	case Forbidden:
		return 403
	}
	return 500
}

// Error is an error a user may see: its Message names the offending value in
// words a user understands. Err keeps the underlying cause for logs only.
type Error struct {
	Kind    ErrorKind
	Field   string // the offending input field, such as "sku"; may be empty
	Message string
	Err     error // the cause, for logs; never shown to a user
}

// Error returns the user-facing message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of kind with a formatted message.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, Internal when
// there is none, and "" for a nil err.
func KindOf(err error) ErrorKind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// FieldOf returns the field of the first *Error in err's chain, "" when
// there is none.
func FieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// MessageOf returns the message of the first *Error in err's chain, or a
// generic message that leaks nothing for any other error.
func MessageOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Money is an amount in integer minor units (cents) of an ISO 4217 currency.
type Money struct {
	Minor    int64
	Currency string // ISO 4217 code, such as "EUR"
}

// minorDigits lists the currencies whose minor unit is not 1/100.
var minorDigits = map[string]int{
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "XAF": 0, "XOF": 0,
	"BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3, "LYD": 3, "IQD": 3,
}

// ValidCurrency reports whether code is an ISO 4217 code of a currency in
// use (upper case, as the standard writes them): not the codes for
// precious metals, funds, testing or "no currency" (XAU, XTS, XXX...).
func ValidCurrency(code string) bool {
	return len(code) == 3 && strings.Contains(iso4217, " "+code+" ")
}

// iso4217 lists the active ISO 4217 currency codes (the maintenance
// agency's list 1, 2025), each between spaces.
const iso4217 = " AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD" +
	" CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD" +
	" GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK" +
	" LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR" +
	" PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP" +
	" SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER" +
	" ZAR ZMW ZWG "

// String formats m as "12.34 EUR", with the currency's number of decimals.
func (m Money) String() string {
	digits, ok := minorDigits[m.Currency]
	if !ok {
		digits = 2
	}
	sign, n := "", m.Minor
	if n < 0 {
		sign, n = "-", -n
	}
	if digits == 0 {
		return fmt.Sprintf("%s%d %s", sign, n, m.Currency)
	}
	unit := int64(1)
	for i := 0; i < digits; i++ {
		unit *= 10
	}
	return fmt.Sprintf("%s%d.%0*d %s", sign, n/unit, digits, n%unit, m.Currency)
}

// Channel is how an order was sold; it decides who serves the customer
// (docs/policy-reading.md I-7).
type Channel string

// The sales channels.
const (
	Direct                Channel = "direct"
	AuthorizedDistributor Channel = "authorized_distributor"
	UnauthorizedReseller  Channel = "unauthorized_reseller"
)

// Valid reports whether c is one of the known channels.
func (c Channel) Valid() bool {
	return c == Direct || c == AuthorizedDistributor || c == UnauthorizedReseller
}

// Category is a product category such as "electronic_module"; the policy
// defines which categories exist and what they are owed, so the registry keeps
// it as a string and the policy validates it.
type Category string

// Product is an article of the catalog, identified by its SKU.
type Product struct {
	SKU      string
	Name     string
	Category Category
	// WarrantyMonths is a product-specific warranty (clause 2.N1 of
	// docs/policy-reading.md); nil means the category's period applies.
	WarrantyMonths *int
	// Successors are the SKUs that may replace this product (3.1: "the same
	// or an equivalent later product"), in order of preference.
	Successors   []string
	Discontinued bool
	// Components is the bill of materials when the product is a kit.
	Components []KitComponent
}

// IsKit reports whether p is sold as a kit of other products.
func (p Product) IsKit() bool { return len(p.Components) > 0 }

// KitComponent is one line of a kit's bill of materials.
type KitComponent struct {
	SKU      string
	Quantity int
}

// Validate checks what the product must have before it is stored.
func (p Product) Validate() error {
	if strings.TrimSpace(p.SKU) == "" {
		return &Error{Kind: Invalid, Field: "sku", Message: "product has no SKU"}
	}
	if strings.TrimSpace(p.Name) == "" {
		return &Error{Kind: Invalid, Field: "name", Message: fmt.Sprintf("product %q has no name", p.SKU)}
	}
	if p.Category == "" {
		return &Error{Kind: Invalid, Field: "category", Message: fmt.Sprintf("product %q has no category", p.SKU)}
	}
	if p.WarrantyMonths != nil && *p.WarrantyMonths < 0 {
		return &Error{Kind: Invalid, Field: "warranty_months", Message: fmt.Sprintf("product %q has a negative warranty", p.SKU)}
	}
	for _, c := range p.Components {
		if c.SKU == p.SKU {
			return &Error{Kind: Invalid, Field: "components", Message: fmt.Sprintf("kit %q cannot contain itself", p.SKU)}
		}
		if c.Quantity <= 0 {
			return &Error{Kind: Invalid, Field: "components", Message: fmt.Sprintf("kit %q: component %q needs a positive quantity", p.SKU, c.SKU)}
		}
	}
	return nil
}

// Distributor is a company that resells the products, identified by its code.
type Distributor struct {
	Code       string
	Name       string
	Authorised bool
	Email      string
	Phone      string
	// Contract terms that override the policy for this distributor
	// (clause A4 of docs/policy-reading.md); nil means the policy applies.
	ReturnWindowDays      *int
	ReplacementWindowDays *int
}

// Validate checks what the distributor must have before it is stored.
func (d Distributor) Validate() error {
	if strings.TrimSpace(d.Code) == "" {
		return &Error{Kind: Invalid, Field: "code", Message: "distributor has no code"}
	}
	for _, w := range []*int{d.ReturnWindowDays, d.ReplacementWindowDays} {
		if w != nil && *w < 0 {
			return &Error{Kind: Invalid, Field: "contract", Message: fmt.Sprintf("distributor %q has a negative contract window", d.Code)}
		}
	}
	return nil
}

// Customer is an end customer, identified by a lower-case e-mail address.
type Customer struct {
	Email    string
	Name     string
	Phone    string
	Country  string // ISO 3166-1 alpha-2, such as "DE"
	Language string // BCP 47 tag, such as "de"
}

// NormalizeEmail returns the form of an e-mail address used as a key.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks what the customer must have before it is stored.
func (c Customer) Validate() error {
	if !strings.Contains(c.Email, "@") {
		return &Error{Kind: Invalid, Field: "email", Message: fmt.Sprintf("customer e-mail %q is not an address", c.Email)}
	}
	return nil
}

// Order is a sale, identified by its number.
type Order struct {
	Number          string
	PurchaseDate    date.Date
	Channel         Channel
	DistributorCode string // "" when sold directly
	CustomerEmail   string // "" when the end customer is unknown
	// ProofOfPurchase says a receipt or invoice is on file (clause 6.1 of
	// docs/policy-reading.md); ProofDocument optionally names it.
	ProofOfPurchase bool
	ProofDocument   string
	Total           Money
	Lines           []OrderLine
}

// Validate checks what the order must have before it is stored.
func (o Order) Validate() error {
	if strings.TrimSpace(o.Number) == "" {
		return &Error{Kind: Invalid, Field: "number", Message: "order has no number"}
	}
	if o.PurchaseDate.IsZero() {
		return &Error{Kind: Invalid, Field: "purchase_date", Message: fmt.Sprintf("order %q has no purchase date", o.Number)}
	}
	if !o.Channel.Valid() {
		return &Error{Kind: Invalid, Field: "channel", Message: fmt.Sprintf("order %q: unknown channel %q", o.Number, o.Channel)}
	}
	if o.Channel == AuthorizedDistributor && o.DistributorCode == "" {
		return &Error{Kind: Invalid, Field: "distributor", Message: fmt.Sprintf("order %q is sold through a distributor but names none", o.Number)}
	}
	if !ValidCurrency(o.Total.Currency) {
		return &Error{Kind: Invalid, Field: "currency", Message: fmt.Sprintf("order %q: %q is not an ISO 4217 currency", o.Number, o.Total.Currency)}
	}
	for _, l := range o.Lines {
		if l.OrderNumber != "" && l.OrderNumber != o.Number {
			return &Error{Kind: Invalid, Field: "lines", Message: fmt.Sprintf("order %q holds a line of order %q", o.Number, l.OrderNumber)}
		}
	}
	return nil
}

// OrderLine is one line of an order.
type OrderLine struct {
	OrderNumber string
	Line        int // 1, 2, ... within the order
	SKU         string
	Quantity    int
	UnitPrice   int64 // minor units of the order's currency
	Serials     []Serial
}

// Validate checks what the line must have before it is stored.
func (l OrderLine) Validate() error {
	switch {
	case l.OrderNumber == "":
		return &Error{Kind: Invalid, Field: "order", Message: "order line names no order"}
	case l.Line <= 0:
		return &Error{Kind: Invalid, Field: "line", Message: fmt.Sprintf("order %q: line number %d is not positive", l.OrderNumber, l.Line)}
	case l.SKU == "":
		return &Error{Kind: Invalid, Field: "sku", Message: fmt.Sprintf("order %q line %d has no SKU", l.OrderNumber, l.Line)}
	case l.Quantity <= 0:
		return &Error{Kind: Invalid, Field: "quantity", Message: fmt.Sprintf("order %q line %d: quantity must be positive", l.OrderNumber, l.Line)}
	}
	for _, s := range l.Serials {
		if strings.TrimSpace(s.Number) == "" {
			return &Error{Kind: Invalid, Field: "serial", Message: fmt.Sprintf("order %q line %d has an empty serial number", l.OrderNumber, l.Line)}
		}
	}
	return nil
}

// Serial is one serial number sold on an order line. On a kit line, the
// serials of its components carry the component's SKU; SKU "" means the
// line's own SKU.
type Serial struct {
	Number string
	SKU    string
}

// Delivery is a parcel of an order, signed for by the customer on a date.
type Delivery struct {
	OrderNumber    string
	Line           int // 0 when the parcel holds the whole order
	Carrier        string
	TrackingNumber string
	SignedFor      date.Date // zero while not yet delivered
}

// Validate checks what the delivery must have before it is stored.
func (d Delivery) Validate() error {
	switch {
	case d.OrderNumber == "":
		return &Error{Kind: Invalid, Field: "order", Message: "delivery names no order"}
	case d.TrackingNumber == "":
		return &Error{Kind: Invalid, Field: "tracking_number", Message: fmt.Sprintf("delivery of order %q has no tracking number", d.OrderNumber)}
	case d.Line < 0:
		return &Error{Kind: Invalid, Field: "line", Message: fmt.Sprintf("delivery of order %q: negative line number", d.OrderNumber)}
	}
	return nil
}

// SoldItem is what the registry knows about one sold article, as a warranty
// check needs it: the product, the sale and the delivery.
type SoldItem struct {
	Serials  []string // empty when the article has no serial on file
	Product  Product  // without Successors and Components
	Quantity int      // articles of this SKU on the line (for a kit component: per line, kits multiplied)
	// KitSKU is the kit the article came in, "" when sold on its own.
	KitSKU string
	Line   int
	// Order is the sale, without its lines.
	Order Order
	// Distributor is set when the order names one.
	Distributor *Distributor
	// DeliveredOn is the day the customer signed for the parcel holding the
	// line (or the whole order); zero when unknown.
	DeliveredOn date.Date
	// ReshippedOn is the day the seller shipped this unit as a replacement
	// or after repairing it (the latest such day): it restarts cover per
	// 5.5. Zero for a unit as first sold.
	ReshippedOn date.Date
	// ReplacedBy is the serial of the unit the seller shipped to replace
	// this one, and ReplacedOn the day it shipped it (the earliest, should
	// there be more): the unit is the seller's property from then on
	// (3.1), its cover ends. Empty and zero for a unit not replaced.
	ReplacedBy string
	ReplacedOn date.Date
	// NeverClaimed is set by a serial lookup that found no claim naming the
	// serial, so that a warranty lookup need not ask again.
	NeverClaimed bool
}
