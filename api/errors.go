package api

import (
	"errors"
	"net/http"

	"github.com/aftersale/aftersale"
)

// problem maps a domain error to its status (ErrorKind.HTTPStatus, the
// table the pages use too). Internal errors are logged and never shown.
func (s *Server) problem(err error) error {
	status := aftersale.KindOf(err).HTTPStatus()
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "err", err)
		return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
			Detail: "Something went wrong on our side; it has been logged."}
	}
	p := &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: aftersale.MessageOf(err)}
	var ae *aftersale.Error
	if errors.As(err, &ae) && ae.Field != "" {
		p.Errors = []ProblemField{{Field: ae.Field, Message: ae.Message}}
	}
	return p
}

// headerProblem is problem(err) for an error about a request header.
func (s *Server) headerProblem(err error, header string) error {
	p := s.problem(err)
	if pr, ok := p.(*Problem); ok {
		pr.Errors = []ProblemField{{Field: header, Message: aftersale.MessageOf(err), Location: "header." + header}}
	}
	return p
}
