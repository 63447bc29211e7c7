package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
	"github.com/danielgtaylor/huma/v2"
)

// WithParcels serves a claim's shipments, refunds and replacement units
// (with WithClaims).
func WithParcels(p *workflow.Parcels) Option { return func(s *Server) { s.parcels = p } }

// ShipmentJSON is a claim's parcel on the wire.
type ShipmentJSON struct {
	ID             int64     `json:"id"`
	Direction      string    `json:"direction" enum:"inbound,outbound" doc:"inbound: the customer's return; outbound: what the seller ships"`
	Carrier        string    `json:"carrier"`
	TrackingNumber string    `json:"tracking_number"`
	PaidBy         string    `json:"paid_by" enum:"seller,customer" doc:"Who pays the freight: the claim's decision (6.2, A3), unless a manager overrode it"`
	OverrideReason string    `json:"override_reason,omitempty" doc:"The manager's reason for a payer other than the decision's"`
	ShippedOn      *string   `json:"shipped_on" format:"date"`
	DeliveredOn    *string   `json:"delivered_on" format:"date" doc:"null until it arrived"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
}

// RefundJSON is money paid back on a claim.
type RefundJSON struct {
	ID         int64  `json:"id"`
	Amount     int64  `json:"amount" doc:"Minor units of currency (cents)"`
	Currency   string `json:"currency" example:"EUR"`
	Reference  string `json:"reference"`
	RefundedOn string `json:"refunded_on" format:"date"`
	By         string `json:"by"`
}

// ReplacementUnitJSON is a unit shipped to settle a claim line.
type ReplacementUnitJSON struct {
	Serial          string `json:"serial"`
	SKU             string `json:"sku"`
	ReplacesSerial  string `json:"replaces_serial" doc:"The faulty unit's serial; empty when it had none"`
	Kind            string `json:"kind" enum:"replacement,repair"`
	Line            int    `json:"line" doc:"The claim line it settles"`
	ShippedOn       string `json:"shipped_on" format:"date" doc:"Its cover runs 1 month from this day, or the rest of the original period if longer (5.5)"`
	PriceDifference *int64 `json:"price_difference,omitempty" doc:"A change-of-mind exchange for another product: what the customer pays on top (positive) or gets back (negative), in minor units of currency; absent for the same product or a successor shipped under warranty"`
	Currency        string `json:"currency,omitempty" example:"EUR" doc:"The currency of price_difference: the order's"`
}

func optionalDateJSON(d date.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func shipmentJSON(s aftersale.Shipment) ShipmentJSON {
	return ShipmentJSON{ID: s.ID, Direction: string(s.Direction), Carrier: s.Carrier, TrackingNumber: s.TrackingNumber,
		PaidBy: s.PaidBy, OverrideReason: s.OverrideReason, ShippedOn: optionalDateJSON(s.ShippedOn),
		DeliveredOn: optionalDateJSON(s.DeliveredOn), CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt}
}

func refundJSON(r aftersale.Refund) RefundJSON {
	return RefundJSON{ID: r.ID, Amount: r.Amount.Minor, Currency: r.Amount.Currency, Reference: r.Reference,
		RefundedOn: r.RefundedOn.String(), By: r.By}
}

type addShipmentInput struct {
	Number string `path:"number" example:"RMA-2026-000123"`
	Body   struct {
		Direction      string `json:"direction" enum:"inbound,outbound"`
		Carrier        string `json:"carrier" minLength:"1" maxLength:"200"`
		TrackingNumber string `json:"tracking_number" minLength:"1" maxLength:"200"`
		PaidBy         string `json:"paid_by,omitempty" enum:"seller,customer," doc:"Leave out to follow the claim's decision; another payer is a manager's override"`
		OverrideReason string `json:"override_reason,omitempty" maxLength:"1000" doc:"Required with an override"`
		ShippedOn      string `json:"shipped_on,omitempty" format:"date" doc:"Default: today for an outbound parcel"`
	}
}

type deliveredInput struct {
	Number string `path:"number"`
	ID     int64  `path:"id"`
	Body   struct {
		DeliveredOn string `json:"delivered_on,omitempty" format:"date" doc:"Default: today"`
	}
}

type shipmentOutput struct{ Body ShipmentJSON }

type shipmentsOutput struct {
	Body struct {
		Shipments []ShipmentJSON `json:"shipments"`
	}
}

type addRefundInput struct {
	Number string `path:"number"`
	Body   struct {
		Amount    int64  `json:"amount" minimum:"1" doc:"Minor units of currency (cents)"`
		Currency  string `json:"currency" minLength:"3" maxLength:"3" example:"EUR" doc:"ISO 4217: the order's currency, or the price's of a purchase made elsewhere"`
		Reference string `json:"reference" minLength:"1" maxLength:"200" doc:"The payment's reference"`
	}
}

type refundOutput struct{ Body RefundJSON }

type refundsOutput struct {
	Body struct {
		Refunds []RefundJSON `json:"refunds"`
	}
}

type addReplacementInput struct {
	Number string `path:"number"`
	Body   struct {
		Line            int    `json:"line" minimum:"1" doc:"The claim line it settles"`
		Serial          string `json:"serial,omitempty" maxLength:"200" doc:"The new unit's serial; a repaired unit keeps its own (may be left out)"`
		SKU             string `json:"sku,omitempty" doc:"Default: the line's product; else an equivalent later product (3.1), or for a change-of-mind exchange (approved remedy exchange) any product of the catalog"`
		Kind            string `json:"kind" enum:"replacement,repair"`
		ShippedOn       string `json:"shipped_on,omitempty" format:"date" doc:"Default: today"`
		PriceDifference *int64 `json:"price_difference,omitempty" doc:"Required for an exchange for another product, and only there: what the customer pays on top (positive) or gets back (negative), in minor units of the order's currency; 0 when they cost the same"`
		Currency        string `json:"currency,omitempty" maxLength:"3" example:"EUR" doc:"ISO 4217: the currency of price_difference, which must be the order's (the default)"`
	}
}

type replacementOutput struct{ Body ReplacementUnitJSON }

type replacementsOutput struct {
	Body struct {
		Units []ReplacementUnitJSON `json:"units"`
	}
}

func (s *Server) registerParcels() {
	errs := []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	reads := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	op := func(id, method, path, summary, description string, status int, errors []int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: "/api/v1/claims/{number}/" + path, Summary: summary,
			Description: description, DefaultStatus: status, Tags: []string{"claims"}, Security: bearer, Errors: errors}
	}
	huma.Register(s.api, op("add-shipment", http.MethodPost, "shipments", "Record a parcel: the customer's return, or what the seller ships",
		"The payer follows the claim's decision (6.2, A3) unless a manager overrides it with a reason.", http.StatusCreated, errs), s.addShipment)
	huma.Register(s.api, op("list-shipments", http.MethodGet, "shipments", "A claim's parcels, oldest first",
		"Each parcel with its direction, carrier, tracking number, payer and dates.", 0, reads), s.listShipments)
	huma.Register(s.api, op("shipment-delivered", http.MethodPost, "shipments/{id}/delivered", "Record that a parcel arrived",
		"delivered_on defaults to today; a day before the parcel was shipped, or in the future, is a 422.", 0, errs), s.shipmentDelivered)
	huma.Register(s.api, op("add-refund", http.MethodPost, "refunds", "Record a refund of an approved refund (a manager)",
		"The item must be back first, or its return waived. The currency is an ISO 4217 code, the order's (or, for a purchase made elsewhere, "+
			"the one its price was recorded in): another is a 422 on currency. With earlier refunds the amount is at most what the claimed lines cost.",
		http.StatusCreated, errs), s.addRefund)
	huma.Register(s.api, op("list-refunds", http.MethodGet, "refunds", "A claim's refunds, oldest first",
		"Each refund with its amount, currency, payment reference, day and who recorded it.", 0, reads), s.listRefunds)
	huma.Register(s.api, op("add-replacement", http.MethodPost, "replacements", "Register the replacement or repaired unit shipped for a line",
		"The unit is then warranted from its shipping day (5.5): 1 month, or the rest of the original period if longer.", http.StatusCreated, errs), s.addReplacement)
	huma.Register(s.api, op("list-replacements", http.MethodGet, "replacements", "The units shipped to settle a claim",
		"Oldest first, each with the line it settles and the serial it replaces.", 0, reads), s.listReplacements)
}

func (s *Server) addShipment(ctx context.Context, in *addShipmentInput) (*shipmentOutput, error) {
	b := in.Body
	shipped, err := optionalDate(b.ShippedOn, "shipped_on")
	if err != nil {
		return nil, s.problem(err)
	}
	sh, err := s.parcels.AddShipment(ctx, auth.ActorFrom(ctx), in.Number, workflow.ShipmentInput{
		Direction: aftersale.Direction(b.Direction), Carrier: b.Carrier, TrackingNumber: b.TrackingNumber,
		PaidBy: b.PaidBy, OverrideReason: b.OverrideReason, ShippedOn: shipped})
	if err != nil {
		return nil, s.problem(err)
	}
	return &shipmentOutput{Body: shipmentJSON(sh)}, nil
}

func (s *Server) listShipments(ctx context.Context, in *claimInput) (*shipmentsOutput, error) {
	list, err := s.parcels.Shipments(ctx, auth.ActorFrom(ctx), in.Number)
	if err != nil {
		return nil, s.problem(err)
	}
	out := &shipmentsOutput{}
	out.Body.Shipments = make([]ShipmentJSON, 0, len(list))
	for _, sh := range list {
		out.Body.Shipments = append(out.Body.Shipments, shipmentJSON(sh))
	}
	return out, nil
}

func (s *Server) shipmentDelivered(ctx context.Context, in *deliveredInput) (*shipmentOutput, error) {
	on, err := optionalDate(in.Body.DeliveredOn, "delivered_on")
	if err != nil {
		return nil, s.problem(err)
	}
	sh, err := s.parcels.MarkDelivered(ctx, auth.ActorFrom(ctx), in.Number, in.ID, on)
	if err != nil {
		return nil, s.problem(err)
	}
	return &shipmentOutput{Body: shipmentJSON(sh)}, nil
}

func (s *Server) addRefund(ctx context.Context, in *addRefundInput) (*refundOutput, error) {
	amount := aftersale.Money{Minor: in.Body.Amount, Currency: strings.ToUpper(in.Body.Currency)}
	r, err := s.parcels.RecordRefund(ctx, auth.ActorFrom(ctx), in.Number, amount, in.Body.Reference)
	if err != nil {
		return nil, s.problem(err)
	}
	return &refundOutput{Body: refundJSON(r)}, nil
}

func (s *Server) listRefunds(ctx context.Context, in *claimInput) (*refundsOutput, error) {
	list, err := s.parcels.Refunds(ctx, auth.ActorFrom(ctx), in.Number)
	if err != nil {
		return nil, s.problem(err)
	}
	out := &refundsOutput{}
	out.Body.Refunds = make([]RefundJSON, 0, len(list))
	for _, r := range list {
		out.Body.Refunds = append(out.Body.Refunds, refundJSON(r))
	}
	return out, nil
}

func replacementJSON(u aftersale.ReplacementUnit) ReplacementUnitJSON {
	out := ReplacementUnitJSON{Serial: u.Serial, SKU: u.SKU, ReplacesSerial: u.ReplacesSerial, Kind: string(u.Kind),
		Line: u.Line, ShippedOn: u.ShippedOn.String()}
	if d := u.PriceDifference; d != nil {
		out.PriceDifference, out.Currency = &d.Minor, d.Currency
	}
	return out
}

func (s *Server) addReplacement(ctx context.Context, in *addReplacementInput) (*replacementOutput, error) {
	b := in.Body
	shipped, err := optionalDate(b.ShippedOn, "shipped_on")
	if err != nil {
		return nil, s.problem(err)
	}
	ri := workflow.ReplacementInput{Line: b.Line, Serial: b.Serial, SKU: b.SKU, Kind: aftersale.ReplacementKind(b.Kind), ShippedOn: shipped}
	if b.PriceDifference != nil {
		ri.PriceDifference = &aftersale.Money{Minor: *b.PriceDifference, Currency: strings.ToUpper(strings.TrimSpace(b.Currency))}
	} else if b.Currency != "" {
		return nil, s.problem(&aftersale.Error{Kind: aftersale.Invalid, Field: "price_difference",
			Message: "price_difference: is required with currency (an exchange for another product)"})
	}
	u, err := s.parcels.RegisterReplacement(ctx, auth.ActorFrom(ctx), in.Number, ri)
	if err != nil {
		return nil, s.problem(err)
	}
	return &replacementOutput{Body: replacementJSON(u)}, nil
}

func (s *Server) listReplacements(ctx context.Context, in *claimInput) (*replacementsOutput, error) {
	list, err := s.parcels.ReplacementUnits(ctx, auth.ActorFrom(ctx), in.Number)
	if err != nil {
		return nil, s.problem(err)
	}
	out := &replacementsOutput{}
	out.Body.Units = make([]ReplacementUnitJSON, 0, len(list))
	for _, u := range list {
		out.Body.Units = append(out.Body.Units, replacementJSON(u))
	}
	return out, nil
}
