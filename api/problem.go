package api

import (
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
)

// Problem is an RFC 9457 problem details body: every error of the JSON API.
type Problem struct {
	Type     string         `json:"type,omitempty" doc:"A URI reference to the problem type; about:blank when it is only the status"`
	Title    string         `json:"title" doc:"A short summary of the problem type"`
	Status   int            `json:"status" doc:"The HTTP status code"`
	Detail   string         `json:"detail,omitempty" doc:"What went wrong this time, for a person"`
	Instance string         `json:"instance,omitempty" doc:"A URI reference to this occurrence"`
	Errors   []ProblemField `json:"errors,omitempty" doc:"Each offending field, by name"`
}

// ProblemField names one offending field.
type ProblemField struct {
	Field    string `json:"field" doc:"The field's JSON name, such as purchased_on; body for the body as a whole"`
	Message  string `json:"message" doc:"What is wrong with it"`
	Location string `json:"location,omitempty" doc:"Where the field is: body.purchased_on, query.serial"`
}

func (p *Problem) Error() string  { return p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send problems as application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" || ct == "" {
		return "application/problem+json"
	}
	return ct
}

// newProblem builds a Problem; it replaces huma.NewError (useProblems) so that errors
// raised inside huma (an oversized body, a missing parameter) have the same
// shape as ours.
func newProblem(status int, detail string, errs ...error) huma.StatusError {
	p := &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
	for _, err := range errs {
		if err == nil {
			continue
		}
		pf := ProblemField{Field: "body", Message: err.Error()}
		if d, ok := err.(huma.ErrorDetailer); ok {
			ed := d.ErrorDetail()
			pf.Message, pf.Location = ed.Message, ed.Location
			pf.Field = fieldOf(ed.Location)
		}
		p.Errors = append(p.Errors, pf)
	}
	if len(p.Errors) == 0 && status == http.StatusBadRequest && detail == "request body is required" {
		p.Errors = []ProblemField{{Field: "body", Message: "is empty: send the JSON object", Location: "body"}}
	}
	return p
}

// fieldOf turns huma's "body.items[3].sku" into "items[3].sku".
func fieldOf(location string) string {
	for _, prefix := range []string{"body.", "query.", "path.", "header."} {
		if rest, ok := strings.CutPrefix(location, prefix); ok {
			return rest
		}
	}
	if location == "" {
		return "body"
	}
	return location
}

// useProblems makes huma raise its own errors (an oversized body, a missing
// parameter) as Problems, and document them so. huma keeps its error model
// in a package variable (its documented way to replace it): New sets it
// before it registers anything, once, so that servers built concurrently
// (the tests') do not race on it.
func useProblems() { problemsOnce.Do(func() { huma.NewError = newProblem }) }

var problemsOnce sync.Once
