package api

import (
	"net/http"
	"reflect"

	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/workflow"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// warrantyOutputBody documents the answer of GET /api/v1/warranty; the
// handler writes it with appendWarranty.
type warrantyOutputBody struct {
	Items []warrantyStatus `json:"items" doc:"One entry per article: the serial's, or each line and kit component of the order"`
}

// registerWarranty serves the warranty lookup with a plain handler,
// documented by hand: with a million orders it is the busiest read, and
// huma's generic pipeline (reflection on the parameters and the body,
// encoding/json) cost a tenth of its time.
func (s *Server) registerWarranty() {
	param := func(name, doc string) *huma.Param {
		return &huma.Param{Name: name, In: "query", Description: doc, Explode: new(false),
			Schema: &huma.Schema{Type: "string", Description: doc}}
	}
	op := &huma.Operation{
		OperationID: "lookup-warranty",
		Method:      http.MethodGet,
		Path:        "/api/v1/warranty",
		Summary:     "The warranty of a serial number or of every article of an order",
		Description: "Judged by the policy as if a fault were reported today, in the seller's time zone. " +
			"Give exactly one of serial and order. 404: nothing was sold under that serial or number.",
		Tags:     []string{"warranty"},
		Security: public,
		Parameters: []*huma.Param{
			param("serial", "A serial number sold by the seller, including one of a kit component"),
			param("order", "An order number: every line and kit component of the order"),
		},
		Responses: map[string]*huma.Response{
			"200": {Description: "OK", Content: map[string]*huma.MediaType{
				"application/json": {Schema: s.docSchema(reflect.TypeFor[warrantyOutputBody](), "WarrantyOutputBody")}}},
		},
	}
	s.addProblems(op, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusInternalServerError)
	s.api.OpenAPI().AddOperation(op)
	s.api.Adapter().Handle(op, func(ctx huma.Context) { s.warranty(humago.Unwrap(ctx)) })
}

func (s *Server) warranty(r *http.Request, w http.ResponseWriter) {
	q := r.URL.Query()
	serial, order := q.Get("serial"), q.Get("order")
	var items []workflow.WarrantyStatus
	switch {
	case (serial == "") == (order == ""):
		s.writeProblem(w, &Problem{Type: "about:blank", Title: "Unprocessable Entity", Status: http.StatusUnprocessableEntity,
			Detail: "Give exactly one of serial and order.",
			Errors: []ProblemField{{Field: "serial", Message: "give a serial or an order number, not both or neither", Location: "query.serial"}}})
		return
	case serial != "":
		st, err := s.svc.WarrantyBySerial(r.Context(), auth.ActorFrom(r.Context()), serial)
		if err != nil {
			s.writeProblem(w, err)
			return
		}
		items = []workflow.WarrantyStatus{st}
	default:
		var err error
		if items, err = s.svc.WarrantyByOrder(r.Context(), auth.ActorFrom(r.Context()), order); err != nil {
			s.writeProblem(w, err)
			return
		}
	}
	// The bytes huma's encoder wrote before: encoding/json without HTML
	// escaping, and a newline.
	buf := bufPool.Get().(*[]byte)
	*buf = AppendWarranty((*buf)[:0], items)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(*buf)
	bufPool.Put(buf)
}
