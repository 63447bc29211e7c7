package web

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/workflow"
)

// setupPage is a new installation's first page: the first administrator's
// account, and sample data to try the product with.
type setupPage struct {
	Page
	Name, Email string
	Sample      bool
	Offer       bool              // sample data can be loaded
	Orders      int               // the orders the sample holds
	Errors      map[string]string // by field, translated
	Error       string
	Done        *workflow.SetupResult
}

// setupNeeded reports whether the installation has no accounts yet and the
// reader may create the first: only from this machine, so that a server
// started on a public address is not claimed by the first stranger (there,
// `aftersale user add` makes the first administrator).
func (s *Server) setupNeeded(r *http.Request) bool {
	if s.Setup == nil || !fromLoopback(r) {
		return false
	}
	needed, err := s.Setup.Needed(r.Context())
	if err != nil {
		s.Log.ErrorContext(r.Context(), "setup needed", "err", err)
	}
	return needed
}

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) error {
	if !s.setupNeeded(r) {
		return redirect(w, r, "/login")
	}
	p := setupPage{Page: s.page(r, "setup", "setup.title"), Sample: true, Offer: s.Setup.LoadSample != nil, Orders: s.Setup.SampleOrders}
	return s.render(w, r, http.StatusOK, "setup.html", p)
}

// setup creates the first administrator, signs them in, and shows what the
// sample holds and the distributor's password, once.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) error {
	if !fromLoopback(r) {
		return &aftersale.Error{Kind: aftersale.Forbidden, Message: "the first administrator is set up from the server's own machine, or with `aftersale user add`"}
	}
	p := setupPage{Page: s.page(r, "setup", "setup.title"), Name: strings.TrimSpace(r.PostFormValue("name")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Sample: r.PostFormValue("sample") == "on",
		Offer: s.Setup.LoadSample != nil, Orders: s.Setup.SampleOrders, Errors: map[string]string{}}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		p.Errors["password2"] = p.L.T("setup.mismatch")
		return s.render(w, r, http.StatusUnprocessableEntity, "setup.html", p)
	}
	res, err := s.Setup.Run(r.Context(), workflow.FirstAdmin{Name: p.Name, Email: p.Email, Password: password, Sample: p.Sample})
	var ae *aftersale.Error
	switch {
	case aftersale.KindOf(err) == aftersale.Invalid && errors.As(err, &ae):
		field := ae.Field
		if field != "name" && field != "email" && field != "password" {
			field = "email"
		}
		p.Errors[field] = ae.Message
		return s.render(w, r, http.StatusUnprocessableEntity, "setup.html", p)
	case aftersale.KindOf(err) == aftersale.Conflict:
		p.Error = p.L.T("setup.already")
		return s.render(w, r, http.StatusConflict, "setup.html", p)
	case err != nil && res.Admin.ID == 0:
		return err
	case err != nil: // the admin exists; the sample failed
		s.Log.ErrorContext(r.Context(), "setup sample", "err", err)
		p.Error = p.L.T("setup.sample_failed")
	}
	sess, serr := auth.SignIn(r.Context(), s.Sessions, s.Limiter, auth.ClientIP(r), res.Admin.Email, password, s.Now())
	if serr != nil {
		return serr
	}
	http.SetCookie(w, cookie(auth.SessionCookie, sess.Secret, int(auth.SessionLifetime.Seconds())))
	p.Actor, p.Done = sess.Actor, &res
	return s.render(w, r, http.StatusOK, "setup_done.html", p)
}

// fromLoopback reports whether the connection comes from this machine. It
// reads the socket's address, never a forwarding header.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
