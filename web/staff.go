package web

import (
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// staffRoutes registers the staff console: the queue, a claim's page with its actions, the registry, imports, users, the policy.
func (s *Server) staffRoutes(mux *http.ServeMux) {
	if s.Claims == nil {
		return
	}
	s.handle(mux, "GET /staff", s.queue)
	// A typed or bookmarked /staff/ is the queue too.
	mux.Handle("GET /staff/{$}", http.RedirectHandler("/staff", http.StatusMovedPermanently))
	s.handle(mux, "GET /staff/claims/{number}", s.staffClaim)
	s.handle(mux, "POST /staff/claims/{number}/act", s.staffAct)
	s.handle(mux, "POST /staff/claims/{number}/messages", s.staffMessage)
	s.handle(mux, "POST /staff/claims/{number}/shipments", s.staffShipment)
	s.handle(mux, "POST /staff/claims/{number}/refunds", s.staffRefund)
	s.handle(mux, "POST /staff/claims/{number}/units", s.staffUnit)
	s.handle(mux, "GET /staff/registry", s.registry)
	s.handle(mux, "GET /staff/imports", s.importsForm)
	s.handle(mux, "POST /staff/imports", s.importFile)
	s.handle(mux, "GET /staff/users", s.usersPage)
	s.handle(mux, "POST /staff/users", s.addUser)
	s.handle(mux, "POST /staff/users/{id}/role", s.setUserRole)
	s.handle(mux, "POST /staff/users/{id}/active", s.setUserActive)
	s.handle(mux, "GET /staff/policy", s.policyPage)
}

// staffPage returns the frame of a console page, or why the reader may not
// see it: nobody signed in (errSignIn), or a distributor's user, a customer,
// or a staff member without perm ("" for any staff member): Forbidden.
func (s *Server) staffPage(r *http.Request, section, titleID string, perm aftersale.Permission) (Page, error) {
	p := s.page(r, section, titleID)
	switch {
	case p.Actor.Anonymous():
		return p, errSignIn
	case !p.Staff():
		return p, &aftersale.Error{Kind: aftersale.Forbidden, Message: ""}
	case perm != "" && !p.Actor.Can(perm):
		return p, &aftersale.Error{Kind: aftersale.Forbidden, Message: ""}
	}
	return p, nil
}

// pageOfForm is the page a form was posted from: the claim's page for a
// claim's forms, else the section's.
func pageOfForm(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	switch {
	case len(parts) >= 3 && parts[1] == "claims":
		return "/" + strings.Join(parts[:3], "/")
	case len(parts) >= 2:
		return "/" + strings.Join(parts[:2], "/")
	}
	return "/staff"
}

// queuePage is the staff queue: what is due first.
type queuePage struct {
	Page
	F          queueFilters
	Rows       []queueRow
	Next       string // the next page's URL, "" on the last
	Categories []option
	Channels   []option
	Statuses   []option
	Errors     fieldErrors
}

type queueFilters struct {
	Status, Category, Channel, Distributor, Q, After string
	All, Overdue                                     bool
}

type queueRow struct {
	Claim        aftersale.Claim
	FirstArticle string
	Overdue      bool
}

// option is one choice of a select: its value, its label (translated), and
// whether it is chosen.
type option struct {
	Value, Label string
	Selected     bool
}

// fieldErrors are a refused form's messages by field, translated.
type fieldErrors map[string]string

// queue lists the claims by respond-by, filtered by the GET form.
func (s *Server) queue(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "queue", "staff.queue.title", aftersale.ViewClaims)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	f := queueFilters{Status: v.Get("status"), Category: v.Get("category"), Channel: v.Get("channel"),
		Distributor: strings.TrimSpace(v.Get("distributor")), Q: strings.TrimSpace(v.Get("q")), After: v.Get("after"),
		All: v.Get("all") == "1", Overdue: v.Get("overdue") == "1"}
	qp := queuePage{Page: p, F: f, Errors: fieldErrors{}}
	qp.fillOptions(s)
	q := workflow.Query{OnlyOpen: !f.All, Overdue: f.Overdue, Category: f.Category, Channel: f.Channel,
		Distributor: f.Distributor, Text: f.Q, After: f.After, Limit: 50}
	if f.Status != "" {
		st := aftersale.Status(f.Status)
		if !st.Valid() {
			qp.Errors["status"] = p.L.T("staff.queue.bad_status")
			return s.render(w, r, http.StatusUnprocessableEntity, "staff_queue.html", qp)
		}
		q.Statuses, q.OnlyOpen = []aftersale.Status{st}, false
	}
	// The use case refuses a search or filter longer than its limits
	// (workflow.Query.Check) before any work; the form shows why.
	res, err := s.Claims.List(r.Context(), p.Actor, q)
	if aftersale.KindOf(err) == aftersale.Invalid {
		switch field := aftersale.FieldOf(err); field {
		case "q":
			qp.Errors["q"] = p.L.T("staff.queue.too_long", "Max", workflow.MaxQueryText)
		case "distributor":
			qp.Errors["distributor"] = p.L.T("staff.queue.too_long", "Max", workflow.MaxFilterLength)
		default:
			qp.Errors["q"] = p.L.T("staff.queue.bad_filter")
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "staff_queue.html", qp)
	}
	if err != nil {
		return err
	}
	today := s.Claims.Today()
	for _, c := range res.Claims {
		row := queueRow{Claim: c, Overdue: c.Overdue(today)}
		if len(c.Lines) > 0 {
			l := c.Lines[0]
			row.FirstArticle = strings.TrimSpace(l.SKU + " " + l.Serial)
		}
		qp.Rows = append(qp.Rows, row)
	}
	if res.Next != "" {
		v.Set("after", res.Next)
		qp.Next = "/staff?" + v.Encode()
	}
	return s.render(w, r, http.StatusOK, "staff_queue.html", qp)
}

func (qp *queuePage) fillOptions(s *Server) {
	l := qp.L
	for _, st := range aftersale.Statuses() {
		qp.Statuses = append(qp.Statuses, option{string(st), l.T("status." + string(st)), qp.F.Status == string(st)})
	}
	if s.Policy != nil && len(s.Policy.Versions) > 0 {
		for _, c := range s.Policy.Versions[len(s.Policy.Versions)-1].Categories {
			qp.Categories = append(qp.Categories, option{c.Key, l.TOr("category."+c.Key, c.Name), qp.F.Category == c.Key})
		}
	}
	for _, ch := range []aftersale.Channel{aftersale.Direct, aftersale.AuthorizedDistributor, aftersale.UnauthorizedReseller} {
		qp.Channels = append(qp.Channels, option{string(ch), l.T("staff.channel." + string(ch)), qp.F.Channel == string(ch)})
	}
}
