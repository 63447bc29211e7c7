package api

import (
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
)

// ClaimJSON is a claim on the wire.
type ClaimJSON struct {
	Number                 string               `json:"number" example:"RMA-2026-000123"`
	Status                 aftersale.Status     `json:"status"`
	Resolution             aftersale.Resolution `json:"resolution,omitempty"`
	Request                string               `json:"request" enum:"return,defect,missing_parts,damaged_on_arrival"`
	Description            string               `json:"description"`
	Applicant              string               `json:"applicant" enum:"customer,distributor,staff"`
	CustomerEmail          string               `json:"customer_email,omitempty"`
	Distributor            string               `json:"distributor,omitempty" doc:"The distributor that sold the goods"`
	DistributorUnreachable bool                 `json:"distributor_unreachable"`
	ReportedOn             string               `json:"reported_on" format:"date"`
	RespondBy              string               `json:"respond_by" format:"date" doc:"The first answer is due by then (A2), moved by any wait for the customer"`
	Overdue                bool                 `json:"overdue" doc:"Unanswered and past respond_by"`
	AwaitingSince          *string              `json:"awaiting_since" format:"date"`
	FirstAnswerOn          *string              `json:"first_answer_on" format:"date"`
	ApprovedRemedy         string               `json:"approved_remedy,omitempty"`
	ReturnWaived           bool                 `json:"return_waived"`
	Quote                  *QuoteJSON           `json:"quote,omitempty"`
	Version                int                  `json:"version" doc:"Send it back (or the ETag in If-Match) with a change: a stale change is refused"`
	AllowedActions         []aftersale.Action   `json:"allowed_actions" doc:"What the workflow allows from this status"`
	Warnings               []warning            `json:"warnings,omitempty" doc:"For staff: the same serial in another open claim, a frequent claimant, a serial the seller did not sell"`
	Lines                  []ClaimLineJSON      `json:"lines"`
	CustomerLink           string               `json:"customer_link,omitempty" doc:"Only in the answer that opened the claim, once: the customer's secret link to this claim (also e-mailed to the customer). Anyone with it may see and act on the claim as its customer; it is not stored and cannot be shown again"`
	CreatedAt              time.Time            `json:"created_at"`
	UpdatedAt              time.Time            `json:"updated_at"`
}

// ClaimLineJSON is one article of a claim and the policy's decision on it.
type ClaimLineJSON struct {
	Line            int                  `json:"line"`
	Serial          string               `json:"serial,omitempty"`
	SKU             string               `json:"sku"`
	OrderNumber     string               `json:"order_number,omitempty"`
	OrderLine       int                  `json:"order_line,omitempty"`
	KitSKU          string               `json:"kit_sku,omitempty"`
	PurchasedOn     string               `json:"purchased_on" format:"date"`
	DeliveredOn     *string              `json:"delivered_on" format:"date"`
	ProofDocument   string               `json:"proof_document,omitempty"`
	Price           *int64               `json:"price,omitempty" doc:"A purchase made elsewhere: the price paid, in minor units of currency, as given with its proof; absent when not given (no refund is then recorded) and for an order on file (its order line has it)"`
	Currency        string               `json:"currency,omitempty" example:"EUR" doc:"The currency of price"`
	BoughtFrom      string               `json:"bought_from,omitempty" enum:"seller,distributor,other_shop" doc:"A purchase made elsewhere: where it was bought (seller, the seller's own shop; distributor, an authorised distributor, distributor_code; other_shop, an unauthorised reseller); absent for an order on file, whose channel is its order's"`
	DistributorCode string               `json:"distributor_code,omitempty" doc:"With bought_from distributor: the distributor it was bought from (the claim's distributor)"`
	Cause           string               `json:"cause,omitempty"`
	Resellable      *bool                `json:"resellable"`
	Findings        string               `json:"findings,omitempty"`
	Decision        LineDecisionJSON     `json:"decision"`
	Exception       *aftersale.Exception `json:"exception,omitempty"`
}

// LineDecisionJSON is a stored decision: the eligibility contract's fields
// and the policy version that made it.
type LineDecisionJSON struct {
	Outcome        string   `json:"outcome"`
	Remedies       []string `json:"remedies"`
	ShippingPaidBy *string  `json:"shipping_paid_by"`
	Missing        []string `json:"missing"`
	Clauses        []string `json:"clauses"`
	Reasons        []string `json:"reasons"`
	Covered        bool     `json:"covered"`
	StartsOn       string   `json:"starts_on" format:"date"`
	EndsOn         *string  `json:"ends_on" format:"date"`
	PolicyVersion  string   `json:"policy_version"`
}

// QuoteJSON is a paid repair's price.
type QuoteJSON struct {
	Lines    []QuoteLineJSON `json:"lines"`
	Total    int64           `json:"total" doc:"In minor units of currency"`
	Currency string          `json:"currency" example:"EUR"`
}

// QuoteLineJSON is one cost of a paid repair.
type QuoteLineJSON struct {
	Kind        string `json:"kind" enum:"parts,labour,freight,customs_tax"`
	Description string `json:"description"`
	Amount      int64  `json:"amount" minimum:"0" doc:"In minor units of the quote's currency"`
}

// EventJSON is one entry of a claim's history.
type EventJSON struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Kind   string    `json:"kind"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

func optDate(d date.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func claimJSON(c aftersale.Claim, today date.Date) ClaimJSON {
	out := ClaimJSON{Number: c.Number, Status: c.Status, Resolution: c.Resolution, Request: c.Request,
		Description: c.Description, Applicant: string(c.Applicant), CustomerEmail: c.CustomerEmail,
		Distributor: c.DistributorCode, DistributorUnreachable: c.DistributorUnreachable,
		ReportedOn: c.ReportedOn.String(), RespondBy: c.RespondBy.String(), AwaitingSince: optDate(c.AwaitingSince),
		FirstAnswerOn: optDate(c.FirstAnswerOn), ApprovedRemedy: c.ApprovedRemedy, ReturnWaived: c.ReturnWaived,
		Version: c.Version, AllowedActions: aftersale.Allowed(c.Status), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Overdue: c.Overdue(today), Lines: make([]ClaimLineJSON, 0, len(c.Lines))}
	if out.AllowedActions == nil {
		out.AllowedActions = []aftersale.Action{}
	}
	if q := c.Quote; q != nil {
		out.Quote = &QuoteJSON{Total: q.Total.Minor, Currency: q.Total.Currency}
		for _, l := range q.Lines {
			out.Quote.Lines = append(out.Quote.Lines, QuoteLineJSON{Kind: l.Kind, Description: l.Description, Amount: l.Amount.Minor})
		}
	}
	for _, l := range c.Lines {
		d := l.Decision
		ld := LineDecisionJSON{Outcome: d.Outcome, Remedies: orEmpty(d.Remedies), Missing: orEmpty(d.Missing),
			Clauses: orEmpty(d.Clauses), Reasons: orEmpty(d.Reasons), Covered: d.Covered, StartsOn: d.StartsOn.String(),
			EndsOn: optDate(d.EndsOn), PolicyVersion: d.PolicyVersion}
		if d.ShippingPaidBy != "" {
			s := d.ShippingPaidBy
			ld.ShippingPaidBy = &s
		}
		lj := ClaimLineJSON{Line: l.Line, Serial: l.Serial, SKU: l.SKU, OrderNumber: l.OrderNumber,
			OrderLine: l.OrderLine, KitSKU: l.KitSKU, PurchasedOn: l.PurchasedOn.String(), DeliveredOn: optDate(l.DeliveredOn),
			ProofDocument: l.ProofDocument, Cause: l.Cause, Resellable: l.Resellable, Findings: l.Findings,
			Decision: ld, Exception: l.Exception}
		if p := l.Price; p != nil {
			lj.Price, lj.Currency = &p.Minor, p.Currency
		}
		if lj.BoughtFrom = workflow.BoughtFromWord(l); lj.BoughtFrom == workflow.BoughtFromDistributor {
			lj.DistributorCode = c.DistributorCode
		}
		out.Lines = append(out.Lines, lj)
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// warning is a workflow.Warning on the wire.
type warning struct {
	Code    string `json:"code" enum:"serial_in_other_claim,frequent_claimant,serial_not_sold"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	// The facts of the message, for readers in other languages.
	Serial string   `json:"serial,omitempty" doc:"The serial the warning is about"`
	Proof  string   `json:"proof,omitempty" doc:"serial_not_sold: the proof of purchase given"`
	Claims []string `json:"claims,omitempty" doc:"serial_in_other_claim: the other open claims"`
	Email  string   `json:"email,omitempty" doc:"frequent_claimant: the customer"`
	Count  int      `json:"count,omitempty" doc:"frequent_claimant: how many claims the customer has filed"`
}
