package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Facts documents the facts of an eligibility request in the OpenAPI
// document. The handler parses the raw body itself (policyjson.ParseFacts),
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

// maxFactsBytes bounds an eligibility request's body.
const maxFactsBytes = 64 << 10

// registerEligibility serves the decision with a plain handler, documented
// by hand: it is the hottest endpoint, and huma's generic pipeline (body
// buffering, content negotiation, reflection) cost a third of its time.
func (s *Server) registerEligibility() {
	op := &huma.Operation{
		OperationID: "decide-eligibility",
		Method:      http.MethodPost,
		Path:        "/api/v1/eligibility",
		Summary:     "What does the policy give this customer?",
		Description: "Judges one request by the policy version in force on its purchase date " +
			"(docs/eligibility.md). The body is JSON, labelled application/json or not at all, or with the form type curl -d sends; " +
			"another label is a 415. 400: the body is not JSON; 422: a fact is missing or wrong.",
		Tags:     []string{"eligibility"},
		Security: public,
		Metadata: map[string]any{readsAnyContentType: true},
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			"application/json": {Schema: s.docSchema(reflect.TypeFor[Facts](), "Facts")}}},
		Responses: map[string]*huma.Response{
			"200": {Description: "The decision", Content: map[string]*huma.MediaType{
				"application/json": {Schema: s.docSchema(reflect.TypeFor[policyjson.DecisionJSON](), "DecisionJSON")}}},
		},
	}
	s.addProblems(op, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
	s.api.OpenAPI().AddOperation(op)
	s.api.Adapter().Handle(op, func(ctx huma.Context) { s.decide(humago.Unwrap(ctx)) })
}

func (s *Server) decide(r *http.Request, w http.ResponseWriter) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !readAsJSON(ct) {
		s.writeProblem(w, &Problem{Type: "about:blank", Title: http.StatusText(http.StatusUnsupportedMediaType),
			Status: http.StatusUnsupportedMediaType, Detail: fmt.Sprintf("the facts are JSON: a body labelled %q is not read", ct),
			Errors: []ProblemField{{Field: "Content-Type", Message: "send application/json", Location: "header.Content-Type"}}})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFactsBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.writeProblem(w, &Problem{Type: "about:blank", Title: http.StatusText(http.StatusRequestEntityTooLarge),
			Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("the facts may be at most %d KiB", maxFactsBytes>>10),
			Errors: []ProblemField{{Field: "body", Message: "too large", Location: "body"}}})
		return
	}
	if err != nil {
		return // the client went away
	}
	var lookup func(*policy.Facts) error
	if s.svc != nil {
		lookup = func(f *policy.Facts) error { return s.svc.CompleteFacts(r.Context(), f) }
	}
	facts, err := policyjson.ParseFactsFor(s.policy, body, lookup)
	if err != nil {
		s.writeProblem(w, s.inputProblem(err))
		return
	}
	d, err := s.policy.Decide(&facts)
	if err != nil {
		s.writeProblem(w, s.inputProblem(err))
		return
	}
	buf := bufPool.Get().(*[]byte)
	*buf = append(policyjson.AppendDecision((*buf)[:0], &d), '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(*buf)
	bufPool.Put(buf)
}

// readAsJSON reports whether a body labelled contentType is read as JSON:
// application/json (or a +json type), or the form type curl -d sends.
func readAsJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || mt == "application/x-www-form-urlencoded" ||
		strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// bufPool recycles the buffers decisions are encoded into.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// inputProblem maps the policy's input errors to 400 and 422, and anything
// else to a logged 500.
func (s *Server) inputProblem(err error) error {
	var se *policyjson.SyntaxError
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
