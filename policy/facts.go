package policy

import (
	"github.com/aftersale/aftersale/date"
)

// Facts are what is known about one request: the input of a decision
// (docs/eligibility.md, "Facts"). The zero value of every optional field
// is the contract's default.
type Facts struct {
	Request  Request
	Category string // a category of the policy version in force; may be empty when SKU is in the catalog
	SKU      string
	// Serial names a unit sold by the seller; a caller with a registry looks
	// it up and fills Catalog and the facts of the sale (an addition to the
	// contract's facts).
	Serial string
	// Distributor names a distribution contract of the policy (A4). It is an
	// addition to the contract's facts and only counts on the
	// authorized_distributor channel.
	Distributor            string
	Channel                Channel
	Applicant              Applicant
	DistributorUnreachable bool
	PurchasedOn            date.Date
	DeliveredOn            date.Date // zero when unknown
	ReportedOn             date.Date
	ReshippedOn            date.Date // zero unless this unit was repaired or replaced (5.5)
	ProofOfPurchase        bool
	Resellable             Verdict
	Cause                  Cause

	// Catalog is the product's entry in the seller's registry, when the
	// caller looked it up: its category and product-specific term (2.N1) win
	// over Category and over the policy file's product terms.
	Catalog *CatalogEntry
	// Contract is the distribution contract on file for the distributor that
	// sold the unit (A4), when the caller looked it up in the registry.
	Contract *ContractTerms
}

// CatalogEntry is what the registry says of a product.
type CatalogEntry struct {
	SKU            string
	Category       string
	HasTerm        bool // WarrantyMonths is a product-specific term (2.N1)
	WarrantyMonths int
}

// ContractTerms are a distribution contract's windows from the registry;
// zero days keep the policy's window.
type ContractTerms struct {
	Distributor     string
	ReturnDays      int
	ReplacementDays int
}

// Request is what the customer asks for.
type Request uint8

// The requests of the contract; RequestUnset is a missing request.
const (
	RequestUnset Request = iota
	RequestReturn
	RequestDefect
	RequestMissingParts
	RequestDamagedOnArrival
)

var requestNames = []string{"", "return", "defect", "missing_parts", "damaged_on_arrival"}

func (r Request) String() string { return nameOf(requestNames, int(r)) }

// Channel is where the product was bought.
type Channel uint8

// The channels of the contract; the zero value is the default, direct.
const (
	ChannelDirect Channel = iota
	ChannelAuthorizedDistributor
	ChannelUnauthorizedReseller
)

var channelNames = []string{"direct", "authorized_distributor", "unauthorized_reseller"}

func (c Channel) String() string { return nameOf(channelNames, int(c)) }

// Applicant is who applies.
type Applicant uint8

// The applicants of the contract; the zero value is the default, customer.
const (
	ApplicantCustomer Applicant = iota
	ApplicantDistributor
	ApplicantStaff
)

var applicantNames = []string{"customer", "distributor", "staff"}

func (a Applicant) String() string { return nameOf(applicantNames, int(a)) }

// Cause is the inspection's finding. The last seven are the exclusions of
// clause 4 (4.1 to 4.7), in that order.
type Cause uint8

// The causes of the contract; the zero value is the default, unknown.
const (
	CauseUnknown Cause = iota
	CauseQualityDefect
	CauseEnvironment
	CauseExternalEvent
	CauseMisuse
	CauseNotFollowingInstructions
	CauseUnauthorizedModification
	CauseReturnShippingDamage
	CauseNotQualityRelated
)

var causeNames = []string{"unknown", "quality_defect", "environment", "external_event", "misuse",
	"not_following_instructions", "unauthorized_modification", "return_shipping_damage", "not_quality_related"}

func (c Cause) String() string { return nameOf(causeNames, int(c)) }

// Excluded reports whether c is one of clause 4's exclusions.
func (c Cause) Excluded() bool { return c >= CauseEnvironment && c <= CauseNotQualityRelated }

// exclusionCauses are the causes a policy maps to clause ids, in clause order.
var exclusionCauses = causeNames[CauseEnvironment:]

// Verdict is the return inspection's result (I-5): unknown before inspection.
type Verdict uint8

// The verdicts: the zero value is "not inspected yet" (JSON null).
const (
	VerdictUnknown Verdict = iota
	VerdictResellable
	VerdictNotResellable
)

func nameOf(names []string, i int) string {
	if i < 0 || i >= len(names) {
		return "invalid"
	}
	return names[i]
}

func indexOf(names []string, s string) (int, bool) {
	for i, n := range names {
		if n == s && n != "" {
			return i, true
		}
	}
	return 0, false
}

// ParseRequest returns the request the contract names s.
func ParseRequest(s string) (Request, bool) { i, ok := indexOf(requestNames, s); return Request(i), ok }

// ParseChannel returns the channel the contract names s.
func ParseChannel(s string) (Channel, bool) { i, ok := indexOf(channelNames, s); return Channel(i), ok }

// ParseApplicant returns the applicant the contract names s.
func ParseApplicant(s string) (Applicant, bool) {
	i, ok := indexOf(applicantNames, s)
	return Applicant(i), ok
}

// ParseCause returns the cause the contract names s.
func ParseCause(s string) (Cause, bool) { i, ok := indexOf(causeNames, s); return Cause(i), ok }

// RequestNames, ChannelNames, ApplicantNames and CauseNames list the
// contract's names of each fact's values, for messages.
func RequestNames() []string   { return nonEmpty(requestNames) }
func ChannelNames() []string   { return nonEmpty(channelNames) }
func ApplicantNames() []string { return nonEmpty(applicantNames) }
func CauseNames() []string     { return nonEmpty(causeNames) }

// nonEmpty is a copy of names without the empty "unset" name.
func nonEmpty(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
