package api

import (
	"context"
	"errors"
	"net/http"
	"reflect"

	"github.com/aftersale/aftersale/policy"
	"github.com/danielgtaylor/huma/v2"
)

// Facts documents the facts of an eligibility request in the OpenAPI
// document. The handler parses the raw body itself (policy.ParseFactsJSON),
// strictly and with one error per offending field.
type Facts struct {
	Request                string `json:"request" enum:"return,defect,missing_parts,damaged_on_arrival" doc:"Change of mind; a product fault; parts missing; damaged on receiving"`
	Category               string `json:"category,omitempty" enum:"electronic_module,servo_motor,mechanical_part,consumable,battery,power_module,packaging,gift,other" doc:"Required unless sku is in the catalog"`
	SKU                    string `json:"sku,omitempty" doc:"The product; with a catalog it supplies the category and any product-specific term (2.N1)"`
	Serial                 string `json:"serial,omitempty" doc:"A unit sold by the seller: the registry supplies its product, and, when purchased_on is left out, the sale's dates, channel and proof"`
	Channel                string `json:"channel,omitempty" enum:"direct,authorized_distributor,unauthorized_reseller" default:"direct"`
	Applicant              string `json:"applicant,omitempty" enum:"customer,distributor,staff" default:"customer"`
	Distributor            string `json:"distributor,omitempty" doc:"On the authorized_distributor channel: the distributor's code, whose distribution contract (A4) sets the windows"`
	DistributorUnreachable bool   `json:"distributor_unreachable,omitempty" doc:"The customer could not reach the distributor (6.1)"`
	PurchasedOn            string `json:"purchased_on" format:"date"`
	DeliveredOn            string `json:"delivered_on,omitempty" format:"date" doc:"The day the parcel was signed for"`
	ReportedOn             string `json:"reported_on" format:"date" doc:"The day the customer applied"`
	ProofOfPurchase        bool   `json:"proof_of_purchase,omitempty" doc:"A receipt, invoice or order record is on file"`
	Resellable             *bool  `json:"resellable,omitempty" doc:"Return inspection result; null before inspection"`
	Cause                  string `json:"cause,omitempty" enum:"unknown,quality_defect,environment,external_event,misuse,not_following_instructions,unauthorized_modification,return_shipping_damage,not_quality_related" default:"unknown"`
	ReshippedOn            string `json:"reshipped_on,omitempty" format:"date" doc:"This unit is a repaired or replaced one, shipped by the seller on that date (5.5)"`
}

type eligibilityInput struct {
	RawBody []byte
}

type eligibilityOutput struct {
	Body policy.DecisionJSON
}

func (s *Server) registerEligibility() {
	op := huma.Operation{
		OperationID: "decide-eligibility",
		Method:      http.MethodPost,
		Path:        "/api/v1/eligibility",
		Summary:     "What does the policy give this customer?",
		Description: "Judges one request by the policy version in force on its purchase date " +
			"(contracts/eligibility.md). 400: the body is not JSON; 422: a fact is missing or wrong.",
		Tags:          []string{"eligibility"},
		MaxBodyBytes:  64 << 10,
		DefaultStatus: http.StatusOK,
		Errors:        []int{http.StatusBadRequest, http.StatusUnprocessableEntity},
	}
	huma.Register(s.api, op, s.decide)
	// The handler reads the raw body; document it as the facts object.
	registry := s.api.OpenAPI().Components.Schemas
	doc := s.api.OpenAPI().Paths[op.Path].Post
	doc.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"application/json": {Schema: registry.Schema(reflect.TypeFor[Facts](), true, "Facts")},
	}}
}

func (s *Server) decide(ctx context.Context, in *eligibilityInput) (*eligibilityOutput, error) {
	var lookup func(*policy.Facts) error
	if s.svc != nil {
		lookup = func(f *policy.Facts) error { return s.svc.CompleteFacts(ctx, f) }
	}
	facts, err := s.policy.ParseFactsWith(in.RawBody, lookup)
	if err != nil {
		return nil, s.inputProblem(err)
	}
	d, err := s.policy.Decide(&facts)
	if err != nil {
		return nil, s.inputProblem(err)
	}
	return &eligibilityOutput{Body: d.JSON()}, nil
}

// inputProblem maps the policy's input errors to 400 and 422, and anything
// else to a logged 500.
func (s *Server) inputProblem(err error) error {
	var se *policy.SyntaxError
	if errors.As(err, &se) {
		return &Problem{Type: "about:blank", Title: "Bad Request", Status: http.StatusBadRequest, Detail: se.Error(),
			Errors: []ProblemField{{Field: "body", Message: se.Error(), Location: "body"}}}
	}
	var ie *policy.InputError
	if errors.As(err, &ie) {
		p := &Problem{Type: "about:blank", Title: "Unprocessable Entity", Status: http.StatusUnprocessableEntity,
			Detail: "The facts are incomplete or wrong: " + ie.Error()}
		for _, fe := range ie.Errors {
			field, loc := fe.Field, "body."+fe.Field
			if field == "" {
				field, loc = "body", "body"
			}
			p.Errors = append(p.Errors, ProblemField{Field: field, Message: fe.Message, Location: loc})
		}
		return p
	}
	return s.problem(err)
}
