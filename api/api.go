// Package api is the JSON API under /api/v1, with its OpenAPI 3.1 document at
// /api/v1/openapi.json. Handlers decode, call the domain, and encode; errors
// become RFC 9457 problem details in one place (problem.go).
package api

import (
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
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
	mux    *http.ServeMux
	// publicURL is where clients reach the API (WithPublicURL): the
	// document's server; "" gives "/", the server that served it.
	publicURL string
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
	useProblems()
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
	cfg.Info.License = &huma.License{Name: "Proprietary: the seller's own system; clients may be generated from this document", Identifier: "LicenseRef-Proprietary"}
	cfg.Info.Contact = &huma.Contact{Name: "The seller's after-sales service"}
	s := &Server{policy: p, svc: svc, log: log, mux: mux}
	for _, o := range opts {
		o(s)
	}
	server := s.publicURL
	if server == "" {
		server = "/"
	}
	cfg.Servers = []*huma.Server{{URL: server, Description: "This server"}}
	s.api = humago.New(mux, cfg)
	s.api.UseMiddleware(s.callerFirst)
	s.routes()
	return s
}

// WithPublicURL names where clients reach the API (https://rma.example.com,
// serve's --public-url) as the document's server; without it the document
// gives "/", the server that served it.
func WithPublicURL(u string) Option {
	return func(s *Server) { s.publicURL = strings.TrimSuffix(u, "/") }
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
	s.documentCallerAnswers()
	s.api.OpenAPI().Tags = []*huma.Tag{
		{Name: "eligibility", Description: "What the policy gives a customer, from the facts of a request"},
		{Name: "warranty", Description: "The warranty of a unit or an order the seller sold"},
		{Name: "accounts", Description: "Who is calling; signing in and out"},
		{Name: "claims", Description: "Claims (RMAs): opening, the workflow's steps, history, files, messages, parcels and money"},
		{Name: "registry", Description: "Importing what was sold: products, kits, distributors, customers, orders, deliveries"},
	}
	// Anything else under /api/v1 is a problem too, not the pages' 404.
	s.mux.HandleFunc("/api/v1/", s.noRoute)
}

// public is the security requirement of an operation anyone may call.
var public = []map[string][]string{}

// callerFirst answers 401 to an anonymous call of an operation that needs a
// caller before huma reads its parameters and body: an outsider learns
// nothing of the operation's schema from the validation errors.
func (s *Server) callerFirst(ctx huma.Context, next func(huma.Context)) {
	if op := ctx.Operation(); op != nil && len(op.Security) > 0 {
		if err := requirePermission(ctx.Context(), ""); err != nil {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="aftersale"`)
			_ = huma.WriteErr(s.api, ctx, http.StatusUnauthorized, aftersale.MessageOf(err))
			return
		}
	}
	next(ctx)
}

// documentCallerAnswers documents on every operation what the
// authentication in front of the API may answer whatever the operation: a
// malformed Authorization header is a 401, and a client address with too
// many failed attempts a 429.
func (s *Server) documentCallerAnswers() {
	for _, item := range s.api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			for _, st := range []int{http.StatusUnauthorized, http.StatusTooManyRequests} {
				if _, ok := op.Responses[strconv.Itoa(st)]; !ok {
					s.addProblems(op, st)
				}
			}
		}
	}
}

// noRoute answers a path under /api/v1 that no operation serves: 405 with
// Allow when the path has operations for other methods, else 404; both as
// problems.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		_, pattern := s.mux.Handler(probe)
		if _, path, ok := strings.Cut(pattern, " "); ok && strings.HasPrefix(path, "/api/v1/") {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.writeProblem(w, &Problem{Type: "about:blank", Title: http.StatusText(http.StatusMethodNotAllowed),
			Status: http.StatusMethodNotAllowed, Detail: fmt.Sprintf("%s %s: use %s", r.Method, r.URL.Path, strings.Join(allow, ", "))})
		return
	}
	s.writeProblem(w, &Problem{Type: "about:blank", Title: http.StatusText(http.StatusNotFound), Status: http.StatusNotFound,
		Detail: fmt.Sprintf("no operation of the API at %s (the document: /api/v1/openapi.json)", r.URL.Path)})
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
