// Package api is the JSON API under /api/v1, with its OpenAPI 3.1 document at
// /api/v1/openapi.json. Handlers decode, call the domain, and encode; errors
// become RFC 9457 problem details in one place (problem.go).
package api

import (
	"log/slog"
	"maps"
	"net/http"
	"time"

	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Server serves the JSON API.
type Server struct {
	policy *policy.Policy
	svc    *workflow.Service // nil without a database: only eligibility from facts
	log    *slog.Logger
	api    huma.API
	// sessions, limiter and now serve signing in (WithSessions); nil
	// sessions: no /api/v1/session.
	sessions auth.Sessions
	limiter  *auth.Limiter
	now      func() time.Time
	// claims runs the claim use cases (WithClaims); nil: no /api/v1/claims.
	claims *workflow.Claims
	// imports runs registry imports (WithImports); nil: no /api/v1/imports.
	imports *workflow.Imports
	// evidence serves claims' files and messages (WithEvidence); nil: none.
	evidence *workflow.Evidence
	// parcels serves claims' shipments, refunds, units (WithParcels); nil: none.
	parcels *workflow.Parcels
}

// New returns the API's routes on mux. svc may be nil when no database is
// open; then the routes that need the registry are not served. The caller
// wraps mux in auth.Middleware, which puts the caller in the context.
func New(mux *http.ServeMux, p *policy.Policy, svc *workflow.Service, version string, log *slog.Logger, opts ...Option) *Server {
	cfg := huma.DefaultConfig("aftersale", version)
	cfg.Info.Description = "Returns and warranty (RMA) decisions and cases, by the seller's policy."
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = ""    // huma's docs page loads scripts from a CDN: never
	cfg.SchemasPath = "" // the schemas are in the document
	cfg.CreateHooks = nil
	// curl -d, as the README's examples send requests, labels its body a
	// form: the API's bodies are JSON whatever that header says (the
	// eligibility check already read them so). Responses stay JSON: huma
	// answers in a listed format only when the Accept header names it.
	cfg.Formats = maps.Clone(huma.DefaultFormats)
	cfg.Formats["application/x-www-form-urlencoded"] = huma.DefaultJSONFormat
	s := &Server{policy: p, svc: svc, log: log, api: humago.New(mux, cfg)}
	for _, o := range opts {
		o(s)
	}
	s.routes()
	return s
}

// OpenAPI returns the API's OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

func (s *Server) routes() {
	s.registerEligibility()
	s.registerMe()
	if s.sessions != nil {
		s.registerSession()
	}
	if s.svc != nil {
		s.registerWarranty()
	}
	if s.imports != nil {
		s.registerImports()
	}
	if s.claims != nil {
		s.registerClaims()
		s.registerClaimQueue()
		if s.parcels != nil {
			s.registerParcels()
		}
		if s.evidence != nil {
			s.registerEvidence()
			s.registerMessages()
		}
	}
	s.documentUnsupportedMediaType()
}

// readsAnyContentType marks (in an operation's Metadata) the plain
// handlers that read their JSON body whatever its label.
const readsAnyContentType = "readsAnyContentType"

// documentUnsupportedMediaType adds 415 to every operation that reads a
// JSON body through huma: huma refuses a body labelled with a type it does
// not read (a CSV, say) before the handler runs.
func (s *Server) documentUnsupportedMediaType() {
	for _, item := range s.api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Post, item.Put, item.Patch} {
			if op == nil || op.RequestBody == nil || op.RequestBody.Content["application/json"] == nil ||
				op.Metadata[readsAnyContentType] == true {
				continue
			}
			if _, ok := op.Responses["415"]; !ok {
				s.addProblems(op, http.StatusUnsupportedMediaType)
			}
		}
	}
}

// WithClaims serves the claims under /api/v1/claims.
func WithClaims(c *workflow.Claims) Option { return func(s *Server) { s.claims = c } }
