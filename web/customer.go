package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/workflow"
)

// customerRoutes registers the customer portal: opening a claim (also a
// distributor's form for its customer), a claim's page by its secret link,
// its actions, the RMA slip.
func (s *Server) customerRoutes(mux *http.ServeMux) {
	if s.Claims == nil || s.Evidence == nil {
		return
	}
	s.handle(mux, "GET /claim/new", s.newClaim)
	s.handle(mux, "POST /claim/new", s.postNewClaim)
	s.handle(mux, "GET /distributor/claims/new", s.newDistributorClaim)
	s.handle(mux, "POST /distributor/claims/new", s.postDistributorClaim)
	s.handle(mux, "GET /claims/{number}", s.customerClaimPage)
	s.handle(mux, "GET /claims/{number}/slip", s.rmaSlip)
	s.handle(mux, "POST /claims/{number}/messages", s.postCustomerMessage)
	s.handle(mux, "POST /claims/{number}/evidence", s.postCustomerEvidence)
	s.handle(mux, "POST /claims/{number}/answer", s.postCustomerAnswer)
	s.handle(mux, "POST /claims/{number}/quote", s.answerQuote)
	s.handle(mux, "GET /claims/{number}/confirm", s.confirmClaimPage)
	s.handle(mux, "POST /claims/{number}/confirm", s.confirmClaim)
}

// claimFormPage is the form that opens a claim, in steps: 1 finds the order
// (its number or a serial, and for a buyer the order's e-mail address); 2
// lists its articles to pick, with the request, the description and the
// files. Elsewhere is the second step for a purchase made elsewhere.
type claimFormPage struct {
	Page
	Action         string // where the form posts
	ForDistributor bool   // a distributor's user applying for its customer
	Step           int
	Elsewhere      bool
	Order, Email   string
	Articles       []articleChoice
	HasDistributor bool // the order was sold by a distributor: "cannot be reached" applies
	Request        string
	Description    string
	Unreachable    bool
	SKU, Serial    string
	PurchasedOn    string
	DeliveredOn    string
	Price          string // bought elsewhere: the price paid, in major units (9.90), optional
	Currency       string // and its currency
	// Bought elsewhere: where (workflow.BoughtFromSeller, ...Distributor,
	// ...OtherShop; "" is the seller's shop), the distributor's code, and
	// the authorised distributors on file to choose from.
	BoughtFrom      string
	DistributorCode string
	Distributors    []aftersale.Distributor
	Key             string // the idempotency key: a second submit returns the first claim
	Errors          fieldErrors
	FilesAgain      bool   // files were sent with a refused form: choose them again
	Already         string // an earlier submit of this form opened this claim
}

// articleChoice is one article of the order, as a checkbox: Value is
// "line|sku|serial", the SKU set for a kit component, the serial for a
// single unit.
type articleChoice struct {
	Value   string
	Item    workflow.WarrantyStatus
	Checked bool
}

// Requests are the request types, in the order the form offers them.
func (claimFormPage) Requests() []string {
	return []string{"defect", "damaged_on_arrival", "missing_parts", "return"}
}

// claimFormInput is one labelled input of the form, with its error.
type claimFormInput struct {
	ID, Type, Value, Label, Error string
}

// Field describes the input id for the template "customer_field".
func (p claimFormPage) Field(id, typ, value, labelID string) claimFormInput {
	return claimFormInput{ID: id, Type: typ, Value: value, Label: p.L.T(labelID), Error: p.Errors[id]}
}

func (s *Server) claimForm(r *http.Request, dist bool) claimFormPage {
	p := claimFormPage{Page: s.page(r, "claim", "customer.new_title"), Action: "/claim/new", Step: 1, Errors: fieldErrors{}}
	if dist {
		p.Page = s.page(r, "apply", "customer.dist_title")
		p.Action, p.ForDistributor = "/distributor/claims/new", true
	}
	return p
}

// newClaim is the first step, or with ?elsewhere=1 the form for a
// purchase made elsewhere; ?order= comes prefilled from a warranty check.
func (s *Server) newClaim(w http.ResponseWriter, r *http.Request) error {
	p := s.claimForm(r, false)
	p.Order = strings.TrimSpace(r.URL.Query().Get("order"))
	if r.URL.Query().Get("elsewhere") != "" {
		p.Step, p.Elsewhere, p.Key = 2, true, newIdempotencyKey()
		if err := s.listDistributors(r, &p); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "customer_new.html", p)
}

func (s *Server) newDistributorClaim(w http.ResponseWriter, r *http.Request) error {
	if err := mayApply(r); err != nil {
		return s.signInFirst(r, err)
	}
	p := s.claimForm(r, true)
	p.Order = strings.TrimSpace(r.URL.Query().Get("order"))
	return s.render(w, r, http.StatusOK, "customer_new.html", p)
}

// listDistributors lists the authorised distributors a purchase made
// elsewhere may have been bought from.
func (s *Server) listDistributors(r *http.Request, p *claimFormPage) error {
	list, err := s.Claims.AuthorisedDistributors(r.Context())
	p.Distributors = list
	return err
}

// BoughtFromChoices are where a purchase made elsewhere may have been
// bought, in the order the form offers them: an authorised distributor
// only when one is on file.
func (p claimFormPage) BoughtFromChoices() []string {
	if len(p.Distributors) == 0 {
		return []string{workflow.BoughtFromSeller, workflow.BoughtFromOtherShop}
	}
	return []string{workflow.BoughtFromSeller, workflow.BoughtFromDistributor, workflow.BoughtFromOtherShop}
}

// BoughtFromChecked is the choice ticked: the seller's shop until the
// reader chooses.
func (p claimFormPage) BoughtFromChecked() string {
	return firstNonEmpty(p.BoughtFrom, workflow.BoughtFromSeller)
}

// postNewClaim is the first step's answer (a plain form) or the claim
// itself (a multipart form with its files).
func (s *Server) postNewClaim(w http.ResponseWriter, r *http.Request) error {
	return s.submitClaimForm(w, r, s.claimForm(r, false))
}

func (s *Server) postDistributorClaim(w http.ResponseWriter, r *http.Request) error {
	if err := mayApply(r); err != nil {
		return s.signInFirst(r, err)
	}
	return s.submitClaimForm(w, r, s.claimForm(r, true))
}

func (s *Server) submitClaimForm(w http.ResponseWriter, r *http.Request, p claimFormPage) error {
	if blocked, status := s.proofBlocked(r, &p); blocked {
		drainBody(r)
		return s.render(w, r, status, "customer_new.html", p)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return s.submitClaim(w, r, p)
	}
	if err := r.ParseForm(); err != nil {
		return aftersale.Errorf(aftersale.Invalid, "the form could not be read")
	}
	p.Order, p.Email = strings.TrimSpace(r.PostForm.Get("order")), strings.TrimSpace(r.PostForm.Get("email"))
	if p.Order == "" {
		p.Errors["order"] = p.L.T("customer.err.order_required")
		return s.render(w, r, http.StatusUnprocessableEntity, "customer_new.html", p)
	}
	if err := s.findArticles(r, &p); err != nil {
		return err
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		p.Step, p.Key = 2, newIdempotencyKey()
	}
	return s.render(w, r, status, "customer_new.html", p)
}

// findArticles fills the order's articles in p, or the field's error; a
// refused ownership check counts against the client's address.
func (s *Server) findArticles(r *http.Request, p *claimFormPage) error {
	items, err := s.Claims.Articles(r.Context(), p.Actor, p.Order, p.Email)
	switch {
	case err == nil:
	case errors.Is(err, workflow.ErrNotBuyers):
		s.countFailedProof(r)
		p.Errors["order"] = p.L.T("customer.err.not_found", "Number", p.Order)
		return nil
	case aftersale.KindOf(err) == aftersale.Invalid:
		p.Errors[formFieldOf(err, p.Elsewhere)] = s.fieldMessage(p.L, err)
		return nil
	default:
		return err
	}
	if len(items) > 0 {
		p.Order = items[0].Order.Number // a serial names its order
	}
	if !p.ForDistributor {
		p.Email = aftersale.NormalizeEmail(p.Email)
	}
	p.Articles = p.Articles[:0]
	for _, it := range items {
		sku := ""
		if it.KitSKU != "" {
			sku = it.SKU
		}
		serial := "" // a unit of its own is claimed by its serial, which the slip then names
		if len(it.Serials) == 1 {
			serial = it.Serials[0]
		}
		p.Articles = append(p.Articles, articleChoice{Value: itoa(it.Order.Line) + "|" + sku + "|" + serial, Item: it})
		if it.Order.Distributor != "" {
			p.HasDistributor = true
		}
	}
	return nil
}

// proofBlocked stops a client that failed too many ownership checks.
func (s *Server) proofBlocked(r *http.Request, p *claimFormPage) (bool, int) {
	if s.Limiter == nil || p.ForDistributor {
		return false, 0
	}
	blocked, retry := s.Limiter.Blocked(auth.ClientIP(r))
	if !blocked {
		return false, 0
	}
	p.Errors["order"] = p.L.T("customer.err.blocked", "Seconds", int(retry.Seconds())+1)
	return true, http.StatusTooManyRequests
}

// countFailedProof counts a refused ownership check against the client's address,
// as a failed sign-in is: order numbers cannot be tried one after another.
func (s *Server) countFailedProof(r *http.Request) {
	if s.Limiter != nil && auth.ActorFrom(r.Context()).UserID == 0 {
		s.Limiter.Fail(auth.ClientIP(r))
	}
}

// mayApply lets in the users who open claims for their customers.
func mayApply(r *http.Request) error {
	a := auth.ActorFrom(r.Context())
	switch {
	case a.UserID == 0:
		return aftersale.Errorf(aftersale.Unauthorized, "sign in to apply for a customer")
	case !a.Can(aftersale.OpenClaims) || a.Role == aftersale.RoleCustomer:
		return aftersale.Errorf(aftersale.Forbidden, "%s may not open claims", a.Role)
	}
	return nil
}

// signInFirst sends an anonymous reader of a page to the sign-in page
// (errSignIn), and back.
func (s *Server) signInFirst(r *http.Request, err error) error {
	if aftersale.KindOf(err) == aftersale.Unauthorized && r.Method == http.MethodGet {
		return errSignIn
	}
	return err
}
