package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/workflow"
)

// distributorRoutes registers the distributor portal: its customers' claims and its contract.
func (s *Server) distributorRoutes(mux *http.ServeMux) {
	if s.Claims == nil {
		return
	}
	s.handle(mux, "GET /distributor", s.distClaims)
	s.handle(mux, "GET /distributor/contract", s.distContract)
}

// distPageSize is how many claims a page of the portal lists.
const distPageSize = 25

// distPage returns the frame of a portal page, or why the reader may not
// see it. The portal is a distributor's: anonymous readers are sent to sign
// in (errSignIn); staff and customers get 403 (staff
// have the queue, which shows every distributor's claims).
func (s *Server) distPage(r *http.Request, section, titleID string) (Page, error) {
	a := auth.ActorFrom(r.Context())
	if a.Anonymous() {
		return Page{}, errSignIn
	}
	if a.Role != aftersale.RoleDistributor || a.DistributorCode == "" {
		return Page{}, &aftersale.Error{Kind: aftersale.Forbidden, Message: "the distributor portal is for distributors' users"}
	}
	return s.page(r, section, titleID), nil
}

type distClaimsPage struct {
	Page
	Status      string // the filter's value
	StatusError string // translated; next to the filter
	Q           string
	QError      string // translated; next to the search
	After       string
	Statuses    []aftersale.Status
	Rows        []distRow
	NextURL     string // "" on the last page
}

type distRow struct {
	aftersale.Claim
	Overdue  bool
	Articles string // SKUs and serials
}

// distClaims lists the distributor's customers' claims, the next answer
// due first, with a status filter, a text search and keyset pages. The
// workflow limits a distributor's user to its own customers.
func (s *Server) distClaims(w http.ResponseWriter, r *http.Request) error {
	p, err := s.distPage(r, "claims", "distributor.claims_title")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := distClaimsPage{Page: p, Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")), After: q.Get("after"),
		Statuses: aftersale.Statuses()}
	query := workflow.Query{Text: d.Q, After: d.After, Limit: distPageSize}
	if d.Status != "" {
		st := aftersale.Status(d.Status)
		if !st.Valid() {
			d.StatusError = p.L.T("distributor.bad_status")
			return s.render(w, r, http.StatusUnprocessableEntity, "distributor_claims.html", d)
		}
		query.Statuses = []aftersale.Status{st}
	}
	// The use case refuses a search longer than workflow.MaxQueryText
	// characters before any work; the form shows why.
	page, err := s.Claims.List(r.Context(), p.Actor, query)
	if aftersale.KindOf(err) == aftersale.Invalid {
		d.QError = p.L.T("distributor.search_too_long", "Max", workflow.MaxQueryText)
		if aftersale.FieldOf(err) != "q" {
			d.QError = p.L.T("distributor.bad_status")
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "distributor_claims.html", d)
	}
	if err != nil {
		return err
	}
	today := s.Claims.Today()
	for _, c := range page.Claims {
		d.Rows = append(d.Rows, distRow{Claim: c, Overdue: c.Overdue(today), Articles: distArticles(c)})
	}
	if page.Next != "" {
		next := url.Values{"after": {page.Next}}
		if d.Status != "" {
			next.Set("status", d.Status)
		}
		if d.Q != "" {
			next.Set("q", d.Q)
		}
		d.NextURL = "/distributor?" + next.Encode()
	}
	return s.render(w, r, http.StatusOK, "distributor_claims.html", d)
}

func distArticles(c aftersale.Claim) string {
	parts := make([]string, 0, len(c.Lines))
	for _, l := range c.Lines {
		s := l.SKU
		if l.Serial != "" {
			s += " (" + l.Serial + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

type distContractPage struct {
	Page
	Terms   workflow.DistributorTerms
	Windows []distWindow
}

// distWindow is a row of the contract's windows, translated.
type distWindow struct {
	What, Source, Clause string
	Days                 int
}

// distContract shows the distributor's contract: its registry record, the
// windows its customers get, and the policy's rules for distributors, with
// their clauses.
func (s *Server) distContract(w http.ResponseWriter, r *http.Request) error {
	p, err := s.distPage(r, "contract", "distributor.contract_title")
	if err != nil {
		return err
	}
	terms, err := s.Claims.DistributorTerms(r.Context(), p.Actor, "")
	if err != nil {
		return err
	}
	d := distContractPage{Page: p, Terms: terms}
	for _, x := range []struct {
		key string
		w   workflow.TermWindow
	}{{"return", terms.Return}, {"replacement", terms.Replacement}, {"missing_parts", terms.MissingParts},
		{"damaged_on_arrival", terms.DamagedOnArrival}} {
		d.Windows = append(d.Windows, distWindow{What: p.L.T("distributor.window." + x.key), Days: x.w.Days,
			Source: p.L.T("distributor.source." + x.w.Source), Clause: x.w.Clause})
	}
	return s.render(w, r, http.StatusOK, "distributor_contract.html", d)
}
