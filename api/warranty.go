package api

import (
	"context"
	"net/http"

	"github.com/aftersale/aftersale/workflow"
	"github.com/danielgtaylor/huma/v2"
)

type warrantyInput struct {
	Serial string `query:"serial" doc:"A serial number sold by the seller, including one of a kit component"`
	Order  string `query:"order" doc:"An order number: every line and kit component of the order"`
}

type warrantyOutput struct {
	Body struct {
		Items []workflow.WarrantyStatus `json:"items" doc:"One entry per article: the serial's, or each line and kit component of the order"`
	}
}

func (s *Server) registerWarranty() {
	huma.Register(s.api, huma.Operation{
		OperationID: "lookup-warranty",
		Method:      http.MethodGet,
		Path:        "/api/v1/warranty",
		Summary:     "The warranty of a serial number or of every article of an order",
		Description: "Judged by the policy as if a fault were reported today, in the seller's time zone. " +
			"Give exactly one of serial and order. 404: nothing was sold under that serial or number.",
		Tags:   []string{"warranty"},
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.warranty)
}

func (s *Server) warranty(ctx context.Context, in *warrantyInput) (*warrantyOutput, error) {
	out := &warrantyOutput{}
	switch {
	case (in.Serial == "") == (in.Order == ""):
		return nil, &Problem{Type: "about:blank", Title: "Unprocessable Entity", Status: http.StatusUnprocessableEntity,
			Detail: "Give exactly one of serial and order.",
			Errors: []ProblemField{{Field: "serial", Message: "give a serial or an order number, not both or neither", Location: "query.serial"}}}
	case in.Serial != "":
		st, err := s.svc.WarrantyBySerial(ctx, in.Serial)
		if err != nil {
			return nil, s.problem(err)
		}
		out.Body.Items = []workflow.WarrantyStatus{st}
	default:
		items, err := s.svc.WarrantyByOrder(ctx, in.Order)
		if err != nil {
			return nil, s.problem(err)
		}
		out.Body.Items = items
	}
	return out, nil
}
