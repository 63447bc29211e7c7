package api

import (
	"errors"
	"net/http"

	"github.com/aftersale/aftersale"
)

// problem maps a domain error to its status: the one table from error kind
// to HTTP status. Internal errors are logged and never shown.
func (s *Server) problem(err error) error {
	status := http.StatusInternalServerError
	switch aftersale.KindOf(err) {
	case aftersale.Invalid:
		status = http.StatusUnprocessableEntity
	case aftersale.NotFound:
		status = http.StatusNotFound
	case aftersale.Conflict:
		status = http.StatusConflict
	case aftersale.Unauthorized:
		status = http.StatusUnauthorized
	case aftersale.Forbidden:
		status = http.StatusForbidden
	}
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
