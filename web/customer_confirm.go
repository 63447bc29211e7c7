package web

import (
	"errors"
	"net/http"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// A claim opened without signing in for a purchase made elsewhere waits
// for its customer to confirm the e-mail address: the e-mail carries a
// link to this page. Opening the link changes nothing (mail scanners open
// links too); its button posts the confirmation.

// confirmClaimView is the confirmation page of a claim.
type confirmClaimView struct {
	Page
	Claim aftersale.Claim
	Token string
	// State is "waiting" (the button), "confirmed" (just now, or before)
	// or "expired".
	State string
}

// ConfirmPath is where the page's form posts.
func (v confirmClaimView) ConfirmPath() string { return workflow.ConfirmPath(v.Claim.Number) }

// confirmClaimPage shows the claim the link confirms and the button.
func (s *Server) confirmClaimPage(w http.ResponseWriter, r *http.Request) error {
	v := confirmClaimView{Page: s.page(r, "claim", "customer.confirmation.title"), Token: r.URL.Query().Get("token")}
	c, err := s.Claims.ConfirmationOf(r.Context(), r.PathValue("number"), v.Token)
	if err != nil {
		return err
	}
	v.Claim, v.State = c, "waiting"
	switch {
	case !c.AwaitingConfirmation():
		v.State = "confirmed"
	case c.ConfirmationExpired(s.Now()):
		v.State = "expired"
	}
	return s.renderConfirm(w, r, http.StatusOK, v)
}

// confirmClaim confirms the claim.
func (s *Server) confirmClaim(w http.ResponseWriter, r *http.Request) error {
	v := confirmClaimView{Page: s.page(r, "claim", "customer.confirmation.title"), Token: r.PostFormValue("token")}
	number := r.PathValue("number")
	c, err := s.Claims.ConfirmClaim(r.Context(), number, v.Token)
	if errors.Is(err, workflow.ErrConfirmExpired) {
		c, err = s.Claims.ConfirmationOf(r.Context(), number, v.Token)
		if err != nil {
			return err
		}
		v.Claim, v.State = c, "expired"
		return s.renderConfirm(w, r, http.StatusConflict, v)
	}
	if err != nil {
		return err
	}
	v.Claim, v.State = c, "confirmed"
	return s.renderConfirm(w, r, http.StatusOK, v)
}

func (s *Server) renderConfirm(w http.ResponseWriter, r *http.Request, status int, v confirmClaimView) error {
	v.Title = v.L.T("customer.confirmation.title", "Number", v.Claim.Number)
	// The address holds the secret: no other site learns it.
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, r, status, "customer_confirm.html", v)
}
