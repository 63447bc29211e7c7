package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
	"github.com/danielgtaylor/huma/v2"
)

type openClaimInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"A key of your choosing, unique per request (a UUID). Kept 24 hours per caller: retrying with the same key and the same body answers with the claim the first request made, never a second one; the same key with another body is a 422 naming the key; while the first request with the key is still being handled, a 409"`
	Body           struct {
		Request                string          `json:"request" enum:"return,defect,missing_parts,damaged_on_arrival"`
		Description            string          `json:"description,omitempty" maxLength:"10000"`
		CustomerEmail          string          `json:"customer_email,omitempty" doc:"The customer the claim is for"`
		DistributorUnreachable bool            `json:"distributor_unreachable,omitempty" doc:"The customer could not reach the distributor (6.1)"`
		Lines                  []openLineInput `json:"lines" minItems:"1" maxItems:"100"`
	}
}

type openLineInput struct {
	Serial          string `json:"serial,omitempty" doc:"A serial number sold by the seller"`
	OrderNumber     string `json:"order_number,omitempty" doc:"With order_line: an article without a serial"`
	OrderLine       int    `json:"order_line,omitempty"`
	SKU             string `json:"sku,omitempty" doc:"A kit component on the order line, or the product of a purchase made elsewhere"`
	PurchasedOn     string `json:"purchased_on,omitempty" format:"date" doc:"A purchase made elsewhere: its date"`
	DeliveredOn     string `json:"delivered_on,omitempty" format:"date"`
	ProofDocument   string `json:"proof_document,omitempty" doc:"A purchase made elsewhere: the reference of its proof"`
	Price           int64  `json:"price,omitempty" minimum:"1" doc:"A purchase made elsewhere: the price paid, as its proof shows, in minor units of currency (990 is 9.90); optional, but refunds are capped by it and none is recorded on a line bought elsewhere without it"`
	Currency        string `json:"currency,omitempty" maxLength:"3" example:"EUR" doc:"ISO 4217: the currency of price"`
	BoughtFrom      string `json:"bought_from,omitempty" enum:"seller,distributor,other_shop" doc:"A purchase made elsewhere: where it was bought, which decides its warranty: seller (the seller's own shop, when absent), distributor (an authorised distributor, named by distributor_code: it is decided as that distributor's sale, by its contract, and a customer is referred to it, 5.3), other_shop (an unauthorised reseller: no warranty, 5.6)"`
	DistributorCode string `json:"distributor_code,omitempty" maxLength:"100" example:"DIST-EU" doc:"With bought_from distributor: the code of a distributor on file (any other is a 422); one whose authorisation was withdrawn counts as an unauthorised reseller (5.6)"`
}

type claimOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     ClaimJSON
}

type claimInput struct {
	Number string `path:"number" example:"RMA-2026-000123"`
}

type actInput struct {
	Number  string `path:"number"`
	IfMatch string `header:"If-Match" doc:"The claim's ETag; or send version in the body"`
	Body    struct {
		Action          aftersale.Action     `json:"action" enum:"start_review,request_info,provide_info,approve,reject,refer,await_return,receive,inspect,send_quote,accept_quote,decline_quote,resolve,close,reopen"`
		Version         int                  `json:"version,omitempty" doc:"The version you read; or send If-Match"`
		Note            string               `json:"note,omitempty" maxLength:"10000"`
		Remedy          string               `json:"remedy,omitempty" doc:"approve: the remedy granted"`
		ExceptionReason string               `json:"exception_reason,omitempty" doc:"approve, resolve, send_quote: a manager's reason for an exception to the lines' current decisions (granting or settling a remedy they do not give, charging for a repair they give free)"`
		Findings        []findingInput       `json:"findings,omitempty" doc:"inspect: the verdict on each line"`
		Quote           *quoteInput          `json:"quote,omitempty" doc:"send_quote: the costs"`
		Resolution      aftersale.Resolution `json:"resolution,omitempty" doc:"resolve: how the claim was settled"`
		WaiveReturn     bool                 `json:"waive_return,omitempty" doc:"resolve: settle before the item is back (a manager's choice)"`
	}
}

type quoteInput struct {
	Currency string          `json:"currency" minLength:"3" maxLength:"3" example:"EUR" doc:"ISO 4217"`
	Lines    []QuoteLineJSON `json:"lines" minItems:"1" maxItems:"50"`
}

type findingInput struct {
	Line       int    `json:"line" minimum:"1"`
	Cause      string `json:"cause,omitempty" enum:"unknown,quality_defect,environment,external_event,misuse,not_following_instructions,unauthorized_modification,return_shipping_damage,not_quality_related"`
	Resellable *bool  `json:"resellable,omitempty"`
	Notes      string `json:"notes,omitempty"`
}

type eventsOutput struct {
	Body struct {
		Events []EventJSON `json:"events"`
	}
}

func (s *Server) registerClaims() {
	huma.Register(s.api, huma.Operation{OperationID: "open-claim", Method: http.MethodPost, Path: "/api/v1/claims",
		Summary: "Open a claim", DefaultStatus: http.StatusCreated, Tags: []string{"claims"}, Security: bearer,
		Description: "Every article is found in the registry (or taken as a purchase made elsewhere) and judged by the policy. " +
			"With Idempotency-Key (as Stripe's and the IETF draft's): a retry with the same key and body within 24 hours answers 201 with the first request's claim; " +
			"the same key with another body is a 422 naming the key; while the first request with the key is still being handled, a 409.",
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity}}, s.openClaim)
	huma.Register(s.api, huma.Operation{OperationID: "get-claim", Method: http.MethodGet, Path: "/api/v1/claims/{number}",
		Summary: "A claim with its lines and decisions", Tags: []string{"claims"}, Security: bearer,
		Description: "The claim as the caller may see it, with each line's decision and the actions the workflow allows now; " +
			"its ETag is the version a change sends back. A claim the caller may not see is a 404, as one that does not exist.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound}}, s.getClaim)
	huma.Register(s.api, huma.Operation{OperationID: "act-on-claim", Method: http.MethodPost, Path: "/api/v1/claims/{number}/actions",
		Summary: "Take one step of the workflow", Tags: []string{"claims"}, Security: bearer,
		Description: "409: the workflow does not allow that action now (the problem lists the allowed ones) or the claim changed since you read it; 412: If-Match is stale; 428: neither If-Match nor version was sent.",
		Errors:      []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity}}, s.actOnClaim)
	huma.Register(s.api, huma.Operation{OperationID: "claim-events", Method: http.MethodGet, Path: "/api/v1/claims/{number}/events",
		Summary: "A claim's history: every change, who, when, before and after", Tags: []string{"claims"}, Security: bearer,
		Description: "Oldest first. The history is append-only: nothing in it is ever changed or removed.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound}}, s.claimEvents)
}

func (s *Server) openClaim(ctx context.Context, in *openClaimInput) (*claimOutput, error) {
	actor := auth.ActorFrom(ctx)
	w := workflow.OpenClaimInput{Request: in.Body.Request, Description: in.Body.Description,
		CustomerEmail: in.Body.CustomerEmail, DistributorUnreachable: in.Body.DistributorUnreachable}
	for i, l := range in.Body.Lines {
		ol := workflow.OpenLine{Serial: strings.TrimSpace(l.Serial), OrderNumber: strings.TrimSpace(l.OrderNumber),
			OrderLine: l.OrderLine, SKU: strings.TrimSpace(l.SKU), ProofDocument: l.ProofDocument}
		var err error
		if ol.PurchasedOn, err = optionalDate(l.PurchasedOn, fmt.Sprintf("lines[%d].purchased_on", i)); err != nil {
			return nil, s.problem(err)
		}
		if ol.DeliveredOn, err = optionalDate(l.DeliveredOn, fmt.Sprintf("lines[%d].delivered_on", i)); err != nil {
			return nil, s.problem(err)
		}
		from, ok := workflow.BoughtFromChannel(l.BoughtFrom)
		if !ok {
			return nil, s.problem(&aftersale.Error{Kind: aftersale.Invalid, Field: fmt.Sprintf("lines[%d].bought_from", i),
				Message: fmt.Sprintf("lines[%d].bought_from: %q is not one of seller, distributor, other_shop", i, l.BoughtFrom)})
		}
		ol.BoughtFrom, ol.DistributorCode = from, strings.TrimSpace(l.DistributorCode)
		if l.Price != 0 || l.Currency != "" {
			ol.Price = &aftersale.Money{Minor: l.Price, Currency: strings.ToUpper(strings.TrimSpace(l.Currency))}
		}
		w.Lines = append(w.Lines, ol)
	}
	o, err := s.claims.Open(ctx, actor, w, in.IdempotencyKey)
	if err != nil {
		if aftersale.FieldOf(err) == "idempotency_key" {
			return nil, s.headerProblem(err, "Idempotency-Key")
		}
		return nil, s.problem(err)
	}
	out, err := s.claimOut(ctx, o.Claim)
	if err == nil {
		out.Body.CustomerLink = o.CustomerLink
	}
	return out, err
}

func (s *Server) claimOut(ctx context.Context, c aftersale.Claim) (*claimOutput, error) {
	out := &claimOutput{ETag: etag(c.Version), Location: "/api/v1/claims/" + c.Number, Body: claimJSON(c, s.claims.Today())}
	warnings, err := s.claims.Warnings(ctx, auth.ActorFrom(ctx), c)
	if err != nil {
		return nil, s.problem(err)
	}
	for _, w := range warnings {
		out.Body.Warnings = append(out.Body.Warnings, warning(w))
	}
	return out, nil
}

func (s *Server) getClaim(ctx context.Context, in *claimInput) (*claimOutput, error) {
	c, err := s.claims.Get(ctx, auth.ActorFrom(ctx), in.Number)
	if err != nil {
		return nil, s.problem(err)
	}
	return s.claimOut(ctx, c)
}

func (s *Server) actOnClaim(ctx context.Context, in *actInput) (*claimOutput, error) {
	b := in.Body
	version, viaIfMatch := b.Version, false
	if in.IfMatch != "" {
		v, ok := parseETag(in.IfMatch)
		if !ok {
			return nil, &Problem{Type: "about:blank", Title: "Bad Request", Status: http.StatusBadRequest,
				Detail: "If-Match must be the claim's ETag, such as \"3\"", Errors: []ProblemField{{Field: "If-Match", Message: "not an ETag of this API", Location: "header.If-Match"}}}
		}
		version, viaIfMatch = v, true
	}
	if version == 0 {
		return nil, &Problem{Type: "about:blank", Title: "Precondition Required", Status: http.StatusPreconditionRequired,
			Detail: "Send the version you read, in If-Match or as version: a change is never applied blind.",
			Errors: []ProblemField{{Field: "version", Message: "is required (or If-Match)", Location: "body.version"}}}
	}
	w := workflow.ActInput{Action: b.Action, Version: version, Note: b.Note, Remedy: b.Remedy,
		ExceptionReason: b.ExceptionReason, Resolution: b.Resolution, WaiveReturn: b.WaiveReturn}
	for _, f := range b.Findings {
		w.Findings = append(w.Findings, workflow.Finding{Line: f.Line, Cause: f.Cause, Resellable: f.Resellable, Notes: f.Notes})
	}
	if q := b.Quote; q != nil {
		w.Quote = &aftersale.Quote{}
		for _, l := range q.Lines {
			w.Quote.Lines = append(w.Quote.Lines, aftersale.QuoteLine{Kind: l.Kind, Description: l.Description,
				Amount: aftersale.Money{Minor: l.Amount, Currency: strings.ToUpper(q.Currency)}})
		}
	}
	c, err := s.claims.Act(ctx, auth.ActorFrom(ctx), in.Number, w)
	var ae *aftersale.Error
	if viaIfMatch && errors.As(err, &ae) && ae.Kind == aftersale.Conflict && ae.Field == "version" {
		return nil, &Problem{Type: "about:blank", Title: "Precondition Failed", Status: http.StatusPreconditionFailed,
			Detail: ae.Message, Errors: []ProblemField{{Field: "If-Match", Message: ae.Message, Location: "header.If-Match"}}}
	}
	if err != nil {
		return nil, s.problem(err)
	}
	return s.claimOut(ctx, c)
}

func (s *Server) claimEvents(ctx context.Context, in *claimInput) (*eventsOutput, error) {
	events, err := s.claims.History(ctx, auth.ActorFrom(ctx), in.Number)
	if err != nil {
		return nil, s.problem(err)
	}
	out := &eventsOutput{}
	out.Body.Events = make([]EventJSON, 0, len(events))
	for _, e := range events {
		out.Body.Events = append(out.Body.Events, EventJSON{At: e.At, Actor: e.Actor, Kind: e.Kind,
			From: string(e.From), To: string(e.To), Detail: e.Detail})
	}
	return out, nil
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func parseETag(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "W/")
	v, err := strconv.Atoi(strings.Trim(s, `"`))
	return v, err == nil && v > 0
}

func optionalDate(s, field string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	d, err := date.Parse(s)
	if err != nil {
		return d, &aftersale.Error{Kind: aftersale.Invalid, Field: field, Message: field + ": " + err.Error()}
	}
	return d, nil
}

type listClaimsInput struct {
	Status      []aftersale.Status `query:"status,explode" enum:"submitted,awaiting_customer,in_review,approved,rejected,referred,awaiting_return,received,inspected,quote_sent,quote_accepted,resolved,closed" doc:"Only these statuses: repeat the parameter (status=submitted&status=in_review)"`
	Open        bool               `query:"open" doc:"Only claims that still need work"`
	Overdue     bool               `query:"overdue" doc:"Only unanswered claims past respond_by"`
	Category    string             `query:"category" maxLength:"200" doc:"A line's product category"`
	Channel     string             `query:"channel" enum:"direct,authorized_distributor,unauthorized_reseller,"`
	Distributor string             `query:"distributor" maxLength:"200"`
	Q           string             `query:"q" maxLength:"200" doc:"Text in the number, description, customer e-mail, a serial or SKU; at most 200 characters (workflow.MaxQueryText)"`
	Cursor      string             `query:"cursor" maxLength:"200" doc:"next from the previous page"`
	Limit       int                `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type listClaimsOutput struct {
	Body struct {
		Claims []ClaimJSON `json:"claims" doc:"Ordered by respond_by, then number: what is due first"`
		Next   string      `json:"next,omitempty" doc:"The cursor of the next page; absent on the last"`
	}
}

func (s *Server) registerClaimQueue() {
	huma.Register(s.api, huma.Operation{OperationID: "list-claims", Method: http.MethodGet, Path: "/api/v1/claims",
		Summary: "The claims queue: what is due first", Tags: []string{"claims"}, Security: bearer,
		Description: "The claims the caller may see (a distributor: its own customers'), ordered by respond_by, then number, " +
			"filtered and paged (next is the cursor of the next page).",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity}}, s.listClaims)
}

func (s *Server) listClaims(ctx context.Context, in *listClaimsInput) (*listClaimsOutput, error) {
	for i, st := range in.Status {
		if !st.Valid() {
			return nil, s.problem(&aftersale.Error{Kind: aftersale.Invalid, Field: "status",
				Message: fmt.Sprintf("status[%d]: %q is not a status", i, st)})
		}
	}
	page, err := s.claims.List(ctx, auth.ActorFrom(ctx), workflow.Query{Statuses: in.Status, OnlyOpen: in.Open,
		Overdue: in.Overdue, Category: in.Category, Channel: in.Channel, Distributor: in.Distributor, Text: in.Q,
		After: in.Cursor, Limit: in.Limit})
	if err != nil {
		return nil, s.problem(err)
	}
	out := &listClaimsOutput{}
	today := s.claims.Today()
	out.Body.Claims = make([]ClaimJSON, 0, len(page.Claims))
	for _, c := range page.Claims {
		out.Body.Claims = append(out.Body.Claims, claimJSON(c, today))
	}
	out.Body.Next = page.Next
	return out, nil
}
