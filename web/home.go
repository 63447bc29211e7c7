package web

import (
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

type homePage struct {
	Page
	Query       string
	SetupNeeded bool // a new installation: no accounts yet
}

// home is the customer's start: check a warranty, open a claim.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "home.html", homePage{Page: s.page(r, "home", "home.title"), SetupNeeded: s.setupNeeded(r)})
}

type warrantyPage struct {
	Page
	Query string
	// Items are the articles found: one for a serial, every line and kit
	// component for an order.
	Items   []workflow.WarrantyStatus
	ByOrder bool
	Error   string // translated: why nothing was found
}

// warranty looks up ?q=, a serial number or else an order number, and
// explains each article's cover.
func (s *Server) warranty(w http.ResponseWriter, r *http.Request) error {
	p := warrantyPage{Page: s.page(r, "warranty", "warranty.title"), Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if p.Query == "" || s.Service == nil {
		p.Error = p.L.T("warranty.enter_number")
		return s.render(w, r, http.StatusUnprocessableEntity, "warranty.html", p)
	}
	st, err := s.Service.WarrantyBySerial(r.Context(), p.Actor, p.Query)
	switch aftersale.KindOf(err) {
	case "":
		p.Items = []workflow.WarrantyStatus{st}
	case aftersale.NotFound:
		items, oerr := s.Service.WarrantyByOrder(r.Context(), p.Actor, p.Query)
		if oerr != nil && aftersale.KindOf(oerr) != aftersale.NotFound {
			return oerr
		}
		p.Items, p.ByOrder = items, true
	default:
		return err
	}
	status := http.StatusOK
	if len(p.Items) == 0 {
		status, p.Error = http.StatusNotFound, p.L.T("warranty.not_found", "Query", p.Query)
	}
	return s.render(w, r, status, "warranty.html", p)
}

// switchLanguage keeps the reader's language in a cookie and goes back to
// the page the switch was on. A plain link, so it works without scripts.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	code := r.URL.Query().Get("to")
	if l := s.i18n.Locale(code); l.Code == code {
		http.SetCookie(w, cookie(LangCookie, code, 365*24*3600))
	}
	http.Redirect(w, r, localPath(r.URL.Query().Get("back")), http.StatusSeeOther)
	return nil
}
