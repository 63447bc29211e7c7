package aftersale

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aftersale/aftersale/date"
)

// Status is where a claim (an RMA case) stands. The transition table below
// is the whole workflow; the README draws it.
type Status string

// The statuses of a claim.
const (
	StatusSubmitted        Status = "submitted"         // opened, waiting for a first look
	StatusAwaitingCustomer Status = "awaiting_customer" // staff asked for something; the answer clock is paused
	StatusInReview         Status = "in_review"         // staff are deciding
	StatusApproved         Status = "approved"          // a remedy is granted
	StatusRejected         Status = "rejected"          // nothing is granted
	StatusReferred         Status = "referred"          // sent to the distributor who sold it (5.3)
	StatusAwaitingReturn   Status = "awaiting_return"   // the customer ships the item back
	StatusReceived         Status = "received"          // the item is back, not yet inspected
	StatusInspected        Status = "inspected"         // findings recorded; the decision is re-judged
	StatusQuoteSent        Status = "quote_sent"        // a paid repair is offered
	StatusQuoteAccepted    Status = "quote_accepted"    // the customer accepted the quote
	StatusResolved         Status = "resolved"          // the remedy was carried out (see Resolution)
	StatusClosed           Status = "closed"            // nothing more to do
)

// Statuses lists the statuses in workflow order.
func Statuses() []Status {
	return []Status{StatusSubmitted, StatusAwaitingCustomer, StatusInReview, StatusApproved, StatusRejected,
		StatusReferred, StatusAwaitingReturn, StatusReceived, StatusInspected, StatusQuoteSent, StatusQuoteAccepted,
		StatusResolved, StatusClosed}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Open reports whether the claim still needs work from someone.
func (s Status) Open() bool { return s != StatusClosed && s != StatusRejected && s != StatusReferred }

// Resolution is how a resolved claim was settled.
type Resolution string

// The resolutions.
const (
	ResolutionNone               Resolution = ""
	ResolutionRefunded           Resolution = "refunded"
	ResolutionExchanged          Resolution = "exchanged"
	ResolutionReplacementShipped Resolution = "replacement_shipped"
	ResolutionRepairedShipped    Resolution = "repaired_shipped"
	ResolutionPartsShipped       Resolution = "parts_shipped"
	ResolutionReturnedUnrepaired Resolution = "returned_unrepaired"
	ResolutionSupportGiven       Resolution = "support_given" // technical support was the remedy
)

// Action is a step of the workflow: what someone does to a claim.
type Action string

// The actions.
const (
	ActionStartReview  Action = "start_review"
	ActionRequestInfo  Action = "request_info"
	ActionProvideInfo  Action = "provide_info"
	ActionApprove      Action = "approve"
	ActionReject       Action = "reject"
	ActionRefer        Action = "refer"
	ActionAwaitReturn  Action = "await_return"
	ActionReceive      Action = "receive"
	ActionInspect      Action = "inspect"
	ActionSendQuote    Action = "send_quote"
	ActionAcceptQuote  Action = "accept_quote"
	ActionDeclineQuote Action = "decline_quote"
	ActionResolve      Action = "resolve"
	ActionClose        Action = "close"
	ActionReopen       Action = "reopen"
)

// Transition is one row of the workflow: an action, the statuses it may be
// taken from, where it leads, and who may take it. ByCustomer marks the
// actions the claim's own customer (or its distributor) takes.
type Transition struct {
	Action     Action
	From       []Status
	To         Status
	Permission Permission
	ByCustomer bool
}

// transitions is the workflow. A resolved claim's Resolution says how it
// was settled; ActionResolve from quote_sent is the customer declining and
// getting the item back unrepaired, so it goes through ActionDeclineQuote.
var transitions = []Transition{
	{ActionStartReview, []Status{StatusSubmitted}, StatusInReview, WorkClaims, false},
	{ActionRequestInfo, []Status{StatusSubmitted, StatusInReview, StatusInspected}, StatusAwaitingCustomer, WorkClaims, false},
	{ActionProvideInfo, []Status{StatusAwaitingCustomer}, StatusInReview, OpenClaims, true},
	{ActionApprove, []Status{StatusInReview, StatusInspected}, StatusApproved, WorkClaims, false},
	{ActionReject, []Status{StatusInReview, StatusInspected}, StatusRejected, WorkClaims, false},
	{ActionRefer, []Status{StatusSubmitted, StatusInReview}, StatusReferred, WorkClaims, false},
	{ActionAwaitReturn, []Status{StatusApproved, StatusInReview, StatusQuoteAccepted}, StatusAwaitingReturn, WorkClaims, false},
	{ActionReceive, []Status{StatusAwaitingReturn}, StatusReceived, Inspect, false},
	{ActionInspect, []Status{StatusReceived}, StatusInspected, Inspect, false},
	{ActionSendQuote, []Status{StatusInReview, StatusInspected}, StatusQuoteSent, ApproveExceptions, false},
	{ActionAcceptQuote, []Status{StatusQuoteSent}, StatusQuoteAccepted, OpenClaims, true},
	{ActionDeclineQuote, []Status{StatusQuoteSent}, StatusResolved, OpenClaims, true},
	{ActionResolve, []Status{StatusApproved, StatusInspected, StatusQuoteAccepted}, StatusResolved, WorkClaims, false},
	{ActionClose, []Status{StatusResolved, StatusRejected, StatusReferred}, StatusClosed, WorkClaims, false},
	{ActionReopen, []Status{StatusClosed, StatusRejected, StatusReferred, StatusResolved}, StatusInReview, ApproveExceptions, false},
}

// Transitions returns the workflow table.
func Transitions() []Transition { return slices.Clone(transitions) }

// Allowed returns the actions that may be taken from s, in table order.
func Allowed(s Status) []Action {
	var out []Action
	for _, t := range transitions {
		if slices.Contains(t.From, s) {
			out = append(out, t.Action)
		}
	}
	return out
}

// TransitionOf returns the row of action a from status s, or a Conflict
// error naming the actions that are allowed (an illegal transition).
func TransitionOf(s Status, a Action) (Transition, error) {
	for _, t := range transitions {
		if t.Action == a && slices.Contains(t.From, s) {
			return t, nil
		}
	}
	for _, t := range transitions {
		if t.Action == a {
			allowed := make([]string, 0, 4)
			for _, x := range Allowed(s) {
				allowed = append(allowed, string(x))
			}
			return Transition{}, &Error{Kind: Conflict, Field: "action", Message: fmt.Sprintf(
				"a claim that is %s cannot %s; allowed: %s", s, a, strings.Join(allowed, ", "))}
		}
	}
	return Transition{}, &Error{Kind: Invalid, Field: "action", Message: fmt.Sprintf("%q is not an action", a)}
}

// ApplicantKind is who opened a claim.
type ApplicantKind string

// The applicants, as the eligibility contract names them.
const (
	ApplicantCustomer    ApplicantKind = "customer"
	ApplicantDistributor ApplicantKind = "distributor"
	ApplicantStaff       ApplicantKind = "staff"
)

// Claim is an RMA case: one request about one or more sold articles.
type Claim struct {
	ID              int64
	Number          string // RMA-2026-000123
	Status          Status
	Resolution      Resolution
	Request         string // the eligibility contract's request: return, defect, missing_parts, damaged_on_arrival
	Description     string
	Applicant       ApplicantKind
	CustomerEmail   string
	DistributorCode string // the distributor that sold the goods, if any
	// DistributorUnreachable: the customer could not reach the distributor,
	// so headquarters takes the claim (6.1).
	DistributorUnreachable bool
	OpenedBy               string // the actor who opened it, for the history
	Lines                  []ClaimLine
	// ApprovedRemedy is the remedy staff granted (one of the contract's
	// remedies); ReturnWaived records a manager's choice to settle before
	// the item comes back (an advance replacement).
	ApprovedRemedy string
	ReturnWaived   bool
	Quote          *Quote
	// ReceivedOn is the day the returned item arrived (zero until then).
	ReceivedOn date.Date
	// ReportedOn is the day the customer applied; RespondBy is when the
	// first answer is due (A2), moved by every day spent awaiting the
	// customer (I-9).
	ReportedOn date.Date
	RespondBy  date.Date
	// AwaitingSince is the day the claim started waiting for the customer.
	AwaitingSince date.Date
	FirstAnswerOn date.Date // zero until staff first answered
	Version       int       // optimistic concurrency: each change increments it
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// ConfirmBy is set while the claim waits for its customer to confirm
	// the e-mail address (a claim opened without signing in for a purchase
	// made elsewhere): until then nobody works on it, no queue, figure or
	// warning counts it, and after ConfirmBy it has expired. Zero: confirmed,
	// or never asked.
	ConfirmBy time.Time
}

// AwaitingConfirmation reports whether the claim waits for its customer to
// confirm the e-mail address (or waited in vain: see ConfirmationExpired).
func (c Claim) AwaitingConfirmation() bool { return !c.ConfirmBy.IsZero() }

// ConfirmationExpired reports whether the claim was never confirmed and,
// at now, no longer can be.
func (c Claim) ConfirmationExpired(now time.Time) bool {
	return c.AwaitingConfirmation() && !now.Before(c.ConfirmBy)
}

// ClaimLine is one article of a claim and the policy's decision on it.
type ClaimLine struct {
	Line        int
	Serial      string
	SKU         string
	OrderNumber string
	OrderLine   int
	KitSKU      string
	// PurchasedOn and DeliveredOn come from the registry, or from the
	// customer for a purchase made elsewhere (with a proof document).
	PurchasedOn   date.Date
	DeliveredOn   date.Date
	ReshippedOn   date.Date
	ProofDocument string
	// Price is what a purchase made elsewhere cost, as its proof shows; nil
	// when the applicant did not give it, and for an article of an order on
	// file (its order line has the price). Refunds are capped by it.
	Price *Money
	// BoughtFrom is where a purchase made elsewhere was bought, as its
	// applicant says: the seller's own shop (Direct), an authorised
	// distributor on file (AuthorizedDistributor: the claim's
	// DistributorCode names it, and the registry's record decides whether
	// it is still authorised), or another shop (UnauthorizedReseller, 5.6).
	// "" for an article of an order on file, whose order has its channel,
	// and for a purchase made elsewhere opened before it was asked (the
	// seller's shop).
	BoughtFrom Channel
	// The inspection's findings (zero before inspection).
	Cause      string // the eligibility contract's cause
	Resellable *bool
	Findings   string
	// The decision, as the policy gave it, and the policy version that did.
	Decision Decision
	// Exception is a manager's recorded exception to the policy, which lets
	// a free remedy go ahead on a decision that does not give it.
	Exception *Exception
}

// Decision is a stored eligibility decision: the contract's fields.
type Decision struct {
	Outcome        string    `json:"outcome"`
	Remedies       []string  `json:"remedies"`
	ShippingPaidBy string    `json:"shipping_paid_by"`
	Missing        []string  `json:"missing"`
	Clauses        []string  `json:"clauses"`
	Reasons        []string  `json:"reasons"`
	Covered        bool      `json:"covered"`
	StartsOn       date.Date `json:"starts_on"`
	EndsOn         date.Date `json:"ends_on"`
	PolicyVersion  string    `json:"policy_version"`

	// ReasonsByLang are the reasons in the languages other than English, by
	// language code ("zh"), as the policy rendered them when it decided; not
	// part of the API's output. Use ReasonsIn.
	ReasonsByLang map[string][]string `json:"-"`
}

// Offers reports whether the decision gives remedy r.
func (d Decision) Offers(r string) bool { return slices.Contains(d.Remedies, r) }

// ReasonsIn returns the reasons in language lang ("en", "zh"): the English
// Reasons for "en", for an unknown language, and for a decision stored before
// its reasons were kept in other languages.
func (d Decision) ReasonsIn(lang string) []string {
	if r, ok := d.ReasonsByLang[lang]; ok {
		return r
	}
	return d.Reasons
}

// Quote is a paid repair's price, line by line (3.4, 6.2).
type Quote struct {
	Lines []QuoteLine
	Total Money
}

// QuoteLine is one cost of a paid repair.
type QuoteLine struct {
	Kind        string // parts, labour, freight, customs_tax
	Description string
	Amount      Money
}

// QuoteLineKinds are the kinds of cost a quote lists.
func QuoteLineKinds() []string { return []string{"parts", "labour", "freight", "customs_tax"} }

// Exception is a manager's decision to grant what the policy does not
// (remedy.go): the remedy (or "paid_repair" for a quote of a repair the
// policy gives free, "reject" for refusing an eligible line) and the
// decision it was granted against.
type Exception struct {
	By      string
	Reason  string
	At      time.Time
	Remedy  string
	Outcome string
	Clauses []string
}

// Event is one change to a claim, written in the same transaction as the
// change: the claim's history is the list of its events, never edited.
type Event struct {
	ID      int64
	ClaimID int64
	At      time.Time
	Actor   string // who: a user's email, "customer <email>", a token's name
	Kind    string // what: an Action, or created, decided, message, evidence, ...
	From    Status
	To      Status
	Detail  string // before -> after, in words or JSON
	// Data holds the facts of a Detail the system wrote (a parcel's
	// carrier, an outcome's code) by name, so that pages can say it in the
	// reader's language; Detail stays the record, in English. Empty for
	// people's own words (a note, a reason).
	Data map[string]string
}

// PicturesNeeded reports whether a claim of request is complete only once
// photos or a video of the parcel and the goods are on file (5.1, A2):
// transit damage. Until then it waits for the customer, and its answer
// clock does not run.
func PicturesNeeded(request string) bool { return request == "damaged_on_arrival" }

// Overdue reports whether the first answer is late on day today (A2): the
// claim is open, unanswered, not waiting for the customer, and past its
// respond-by date. The store's queue filter says the same in SQL.
func (c Claim) Overdue(today date.Date) bool {
	return c.Status.Open() && c.Status != StatusResolved && c.FirstAnswerOn.IsZero() && c.AwaitingSince.IsZero() &&
		today.After(c.RespondBy)
}

// ClaimRef is a claim as a warranty lookup lists it: an earlier claim on
// the same article.
type ClaimRef struct {
	Number     string
	Status     Status
	Request    string
	ReportedOn date.Date
	Serial     string
}
