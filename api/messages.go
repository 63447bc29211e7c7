package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/danielgtaylor/huma/v2"
)

// MessageJSON is one post in a claim's thread.
type MessageJSON struct {
	ID       int64     `json:"id"`
	Author   string    `json:"author"`
	Body     string    `json:"body"`
	Internal bool      `json:"internal" doc:"A staff note: the customer and the distributor never see it"`
	At       time.Time `json:"at"`
}

func messageJSON(m aftersale.Message) MessageJSON {
	return MessageJSON{ID: m.ID, Author: m.Author, Body: m.Body, Internal: m.Internal, At: m.At}
}

type postMessageInput struct {
	Number string `path:"number" example:"RMA-2026-000123"`
	Body   struct {
		Body     string `json:"body" minLength:"1" maxLength:"10000"`
		Internal bool   `json:"internal,omitempty" doc:"A staff note the customer and the distributor never see (staff who work or inspect claims only)"`
	}
}

type messageOutput struct {
	Body MessageJSON
}

type messagesOutput struct {
	Body struct {
		Messages []MessageJSON `json:"messages"`
	}
}

func (s *Server) registerMessages() {
	huma.Register(s.api, huma.Operation{OperationID: "post-message", Method: http.MethodPost,
		Path: "/api/v1/claims/{number}/messages", Summary: "Write to a claim's thread, or add an internal note",
		Description: "A message joins the thread everyone on the claim sees, with a message event in its history; an internal note " +
			"(staff who work or inspect claims) is seen by staff only, and its text stays out of the history the distributor sees.",
		DefaultStatus: http.StatusCreated, Tags: []string{"claims"}, Security: bearer,
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		s.postMessage)
	huma.Register(s.api, huma.Operation{OperationID: "list-messages", Method: http.MethodGet,
		Path: "/api/v1/claims/{number}/messages", Summary: "A claim's thread, oldest first",
		Description: "Staff see the internal notes; a distributor's users do not.", Tags: []string{"claims"}, Security: bearer,
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound}}, s.listMessages)
}

func (s *Server) postMessage(ctx context.Context, in *postMessageInput) (*messageOutput, error) {
	m, err := s.evidence.PostMessage(ctx, auth.ActorFrom(ctx), in.Number, in.Body.Body, in.Body.Internal)
	if err != nil {
		return nil, s.problem(err)
	}
	return &messageOutput{Body: messageJSON(m)}, nil
}

func (s *Server) listMessages(ctx context.Context, in *claimInput) (*messagesOutput, error) {
	ms, err := s.evidence.Messages(ctx, auth.ActorFrom(ctx), in.Number)
	if err != nil {
		return nil, s.problem(err)
	}
	out := &messagesOutput{}
	out.Body.Messages = make([]MessageJSON, 0, len(ms))
	for _, m := range ms {
		out.Body.Messages = append(out.Body.Messages, messageJSON(m))
	}
	return out, nil
}
