// Package web is the browser's side of aftersale: the customer portal, the
// distributor portal and the staff console, as server-rendered pages in
// English and Simplified Chinese. Handlers call the use cases of workflow,
// render a typed page struct into a buffer, and only then write it, so a
// failed render is an error page and never half a page.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

//go:embed all:templates static locales
var files embed.FS

// Deps is what the pages need; nil use cases leave their pages out.
type Deps struct {
	Policy   *policy.Policy
	Service  *workflow.Service
	Claims   *workflow.Claims
	Evidence *workflow.Evidence
	Parcels  *workflow.Parcels
	Imports  *workflow.Imports
	Sessions auth.Sessions
	Limiter  *auth.Limiter
	// Anonymous limits the claims and files of those not signed in; its
	// zero value limits nothing.
	Anonymous AnonymousLimits
	Now       func() time.Time
	Log       *slog.Logger
	// ReturnAddress is where customers send goods back, printed on the RMA
	// slip.
	ReturnAddress string
	Users         *workflow.Users      // nil: no user administration pages
	Catalog       *workflow.Catalog    // nil: the registry page lists no products
	Stats         *workflow.Statistics // nil: no dashboard
	// Setup offers a new installation, one without users, its first
	// administrator (and sample data); nil: `aftersale user add` only.
	Setup *workflow.Setup
}

// Server serves the pages.
type Server struct {
	Deps
	i18n  *Catalog
	pages map[string]*template.Template
}

// handlerFunc is a page handler: it writes a page, or returns an error that
// becomes the error page (errorPage).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// New registers the pages on mux. The caller wraps mux in
// auth.Middleware (who is calling) and http.CrossOriginProtection (forms
// posted from another site are refused).
func New(mux *http.ServeMux, d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	cat, err := LoadCatalog()
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, i18n: cat}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	mux.Handle("GET /static/", staticHandler())
	s.routes(mux)
	return s, nil
}

// handle registers h for pattern with the pages' security headers.
func (s *Server) handle(mux *http.ServeMux, pattern string, h handlerFunc) {
	mux.Handle(pattern, secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.errorPage(w, r, err)
		}
	})))
}

// parsePages parses each page template with the layout and the shared
// partials; a page is executed by its file name, e.g. "home.html".
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	var shared []string
	for _, n := range names {
		if base := strings.TrimPrefix(n, "templates/"); strings.HasPrefix(base, "_") {
			shared = append(shared, n)
		}
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(files, append(append([]string{}, shared...), n)...)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", base, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// render executes page into a buffer and writes it with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	out := buf.Bytes()
	if page != "error.html" && bytes.Contains(out, []byte(`class="error"`)) {
		// A form sent back with its errors: the title, the first thing a
		// screen reader reads, says so (the error page's title is the error).
		prefix := template.HTMLEscapeString(s.i18n.For(r).T("error.title_prefix"))
		out = bytes.Replace(out, []byte("<title>"), []byte("<title>"+prefix), 1)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The stylesheet is fetched as soon as the headers arrive.
	h.Set("Link", "<"+stylesheet+">; rel=preload; as=style")
	if err := writeBody(w, r, status, out); err != nil {
		s.Log.DebugContext(r.Context(), "write page", "page", page, "err", err)
	}
	return nil
}

// Page is what every page shows around its content: who is reading, in
// which language, and where the language switch leads back to.
type Page struct {
	L     *Locale
	Actor aftersale.Actor
	Title string // already translated
	Path  string // the request's path and query, for the language switch
	// Section marks the navigation entry of the page: home, warranty,
	// claims, queue, registry, imports, users, policy, dashboard.
	Section string
	Notice  string // a one-time message, already translated
}

// page returns the frame of a page titled by the message titleID.
func (s *Server) page(r *http.Request, section, titleID string) Page {
	l := s.i18n.For(r)
	return Page{L: l, Actor: auth.ActorFrom(r.Context()), Title: l.T(titleID), Path: r.URL.RequestURI(), Section: section}
}

// Staff reports whether the reader works for the seller.
func (p Page) Staff() bool {
	return !p.Actor.Anonymous() && p.Actor.Role != aftersale.RoleCustomer && p.Actor.Role != aftersale.RoleDistributor
}

// Distributor reports whether the reader is a distributor's user.
func (p Page) Distributor() bool {
	return p.Actor.Role == aftersale.RoleDistributor && p.Actor.UserID != 0
}

// SignedIn reports whether the reader has an account session or token.
func (p Page) SignedIn() bool { return p.Actor.UserID != 0 }

// Can reports whether the reader may do perm (a permission name).
func (p Page) Can(perm string) bool { return p.Actor.Can(aftersale.Permission(perm)) }

type errorData struct {
	Page
	Status  int
	Message string
}

// errorPage shows err in the reader's language: the domain's kinds map to
// their status and say what was wrong; anything else is logged and shown as
// our fault, without details.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errSignIn) {
		// To the sign-in page, and back: to the page itself, or for a form
		// to the page it was posted from.
		back := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			back = pageOfForm(r.URL.Path)
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(back), http.StatusSeeOther)
		return
	}
	kind := aftersale.KindOf(err)
	status, msgID := kind.HTTPStatus(), "error."+string(kind)
	var detail string
	switch kind {
	case aftersale.Invalid, aftersale.Conflict:
		detail = aftersale.MessageOf(err)
	case aftersale.NotFound, aftersale.Unauthorized, aftersale.Forbidden:
	default:
		if errors.Is(err, context.Canceled) {
			return
		}
		msgID = "error.internal"
		s.Log.ErrorContext(r.Context(), "page", "path", r.URL.Path, "err", err)
	}
	p := s.page(r, "", msgID)
	d := errorData{Page: p, Status: status, Message: detail}
	if rerr := s.render(w, r, status, "error.html", d); rerr != nil {
		s.Log.ErrorContext(r.Context(), "error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

// errSignIn asks the reader to sign in: a handler returns it for an
// anonymous reader, and errorPage answers with the sign-in page, which
// comes back.
var errSignIn = errors.New("web: sign in first")

// redirect answers a form post with 303 See Other, so that reloading the
// next page does not post the form again.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// localPath returns p when it is a path on this site, else "/": a "back"
// parameter must not send the reader elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}

// Missing lists the messages pages asked for that a language lacks.
func (s *Server) Missing() []string { return s.i18n.Missing() }
