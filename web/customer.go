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
	s.handle(mux, "GET /claim/new", s.custNew)
	s.handle(mux, "POST /claim/new", s.custNewPost)
	s.handle(mux, "GET /distributor/claims/new", s.custDistNew)
	s.handle(mux, "POST /distributor/claims/new", s.custDistNewPost)
	s.handle(mux, "GET /claims/{number}", s.custClaimPage)
	s.handle(mux, "GET /claims/{number}/slip", s.custSlip)
	s.handle(mux, "POST /claims/{number}/messages", s.custMessage)
	s.handle(mux, "POST /claims/{number}/evidence", s.custEvidence)
	s.handle(mux, "POST /claims/{number}/answer", s.custAnswer)
	s.handle(mux, "POST /claims/{number}/quote", s.custQuote)
	s.handle(mux, "GET /claims/{number}/confirm", s.custConfirmPage)
	s.handle(mux, "POST /claims/{number}/confirm", s.custConfirm)
}

// custNewPage is the form that opens a claim, in steps: 1 finds the order
// (its number or a serial, and for a buyer the order's e-mail address); 2
// lists its articles to pick, with the request, the description and the
// files. Elsewhere is the second step for a purchase made elsewhere.
type custNewPage struct {
	Page
	Action         string // where the form posts
	ForDistributor bool   // a distributor's user applying for its customer
	Step           int
	Elsewhere      bool
	Order, Email   string
	Articles       []custArticle
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
	Errors          custErrors
	FilesAgain      bool   // files were sent with a refused form: choose them again
	Already         string // an earlier submit of this form opened this claim
}

// custArticle is one article of the order, as a checkbox: Value is
// "line|sku|serial", the SKU set for a kit component, the serial for a
// single unit.
type custArticle struct {
	Value   string
	Item    workflow.WarrantyStatus
	Checked bool
}

// Requests are the request types, in the order the form offers them.
func (custNewPage) Requests() []string {
	return []string{"defect", "damaged_on_arrival", "missing_parts", "return"}
}

// custInput is one labelled input of the form, with its error.
type custInput struct {
	ID, Type, Value, Label, Error string
}

// Field describes the input id for the template "customer_field".
func (p custNewPage) Field(id, typ, value, labelID string) custInput {
	return custInput{ID: id, Type: typ, Value: value, Label: p.L.T(labelID), Error: p.Errors[id]}
}

// custErrors are a refused form's messages by field id, translated.
type custErrors map[string]string

func (s *Server) custForm(r *http.Request, dist bool) custNewPage {
	p := custNewPage{Page: s.page(r, "claim", "customer.new_title"), Action: "/claim/new", Step: 1, Errors: custErrors{}}
	if dist {
		p.Page = s.page(r, "apply", "customer.dist_title")
		p.Action, p.ForDistributor = "/distributor/claims/new", true
	}
	return p
}

// custNew is the first step, or with ?elsewhere=1 the form for a
// purchase made elsewhere; ?order= comes prefilled from a warranty check.
func (s *Server) custNew(w http.ResponseWriter, r *http.Request) error {
	p := s.custForm(r, false)
	p.Order = strings.TrimSpace(r.URL.Query().Get("order"))
	if r.URL.Query().Get("elsewhere") != "" {
		p.Step, p.Elsewhere, p.Key = 2, true, custNewKey()
		if err := s.custDistributors(r, &p); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "customer_new.html", p)
}

func (s *Server) custDistNew(w http.ResponseWriter, r *http.Request) error {
	if err := custMayApply(r); err != nil {
		return s.custSignInFirst(r, err)
	}
	p := s.custForm(r, true)
	p.Order = strings.TrimSpace(r.URL.Query().Get("order"))
	return s.render(w, r, http.StatusOK, "customer_new.html", p)
}

// custDistributors lists the authorised distributors a purchase made
// elsewhere may have been bought from.
func (s *Server) custDistributors(r *http.Request, p *custNewPage) error {
	list, err := s.Claims.AuthorisedDistributors(r.Context())
	p.Distributors = list
	return err
}

// BoughtFromChoices are where a purchase made elsewhere may have been
// bought, in the order the form offers them: an authorised distributor
// only when one is on file.
func (p custNewPage) BoughtFromChoices() []string {
	if len(p.Distributors) == 0 {
		return []string{workflow.BoughtFromSeller, workflow.BoughtFromOtherShop}
	}
	return []string{workflow.BoughtFromSeller, workflow.BoughtFromDistributor, workflow.BoughtFromOtherShop}
}

// BoughtFromChecked is the choice ticked: the seller's shop until the
// reader chooses.
func (p custNewPage) BoughtFromChecked() string {
	return custFirst(p.BoughtFrom, workflow.BoughtFromSeller)
}

// custNewPost is the first step's answer (a plain form) or the claim
// itself (a multipart form with its files).
func (s *Server) custNewPost(w http.ResponseWriter, r *http.Request) error {
	return s.custPostForm(w, r, s.custForm(r, false))
}

func (s *Server) custDistNewPost(w http.ResponseWriter, r *http.Request) error {
	if err := custMayApply(r); err != nil {
		return s.custSignInFirst(r, err)
	}
	return s.custPostForm(w, r, s.custForm(r, true))
}

func (s *Server) custPostForm(w http.ResponseWriter, r *http.Request, p custNewPage) error {
	if blocked, status := s.custBlocked(r, &p); blocked {
		custDrain(r)
		return s.render(w, r, status, "customer_new.html", p)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return s.custSubmit(w, r, p)
	}
	if err := r.ParseForm(); err != nil {
		return aftersale.Errorf(aftersale.Invalid, "the form could not be read")
	}
	p.Order, p.Email = strings.TrimSpace(r.PostForm.Get("order")), strings.TrimSpace(r.PostForm.Get("email"))
	if p.Order == "" {
		p.Errors["order"] = p.L.T("customer.err.order_required")
		return s.render(w, r, http.StatusUnprocessableEntity, "customer_new.html", p)
	}
	if err := s.custFindArticles(r, &p); err != nil {
		return err
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		p.Step, p.Key = 2, custNewKey()
	}
	return s.render(w, r, status, "customer_new.html", p)
}

// custFindArticles fills the order's articles in p, or the field's error; a
// refused ownership check counts against the client's address.
func (s *Server) custFindArticles(r *http.Request, p *custNewPage) error {
	items, err := s.Claims.Articles(r.Context(), p.Actor, p.Order, p.Email)
	switch {
	case err == nil:
	case errors.Is(err, workflow.ErrNotBuyers):
		s.custFailed(r)
		p.Errors["order"] = p.L.T("customer.err.not_found", "Number", p.Order)
		return nil
	case aftersale.KindOf(err) == aftersale.Invalid:
		p.Errors[custField(err, p.Elsewhere)] = s.custFieldMessage(p.L, err)
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
		p.Articles = append(p.Articles, custArticle{Value: custItoa(it.Order.Line) + "|" + sku + "|" + serial, Item: it})
		if it.Order.Distributor != "" {
			p.HasDistributor = true
		}
	}
	return nil
}

// custBlocked stops a client that failed too many ownership checks.
func (s *Server) custBlocked(r *http.Request, p *custNewPage) (bool, int) {
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

// custFailed counts a refused ownership check against the client's address,
// as a failed sign-in is: order numbers cannot be tried one after another.
func (s *Server) custFailed(r *http.Request) {
	if s.Limiter != nil && auth.ActorFrom(r.Context()).UserID == 0 {
		s.Limiter.Fail(auth.ClientIP(r))
	}
}

// custMayApply lets in the users who open claims for their customers.
func custMayApply(r *http.Request) error {
	a := auth.ActorFrom(r.Context())
	switch {
	case a.UserID == 0:
		return aftersale.Errorf(aftersale.Unauthorized, "sign in to apply for a customer")
	case !a.Can(aftersale.OpenClaims) || a.Role == aftersale.RoleCustomer:
		return aftersale.Errorf(aftersale.Forbidden, "%s may not open claims", a.Role)
	}
	return nil
}

// custSignInFirst sends an anonymous reader of a page to the sign-in page
// (errSignIn), and back.
func (s *Server) custSignInFirst(r *http.Request, err error) error {
	if aftersale.KindOf(err) == aftersale.Unauthorized && r.Method == http.MethodGet {
		return errSignIn
	}
	return err
}
