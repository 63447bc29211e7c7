package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
)

type loginPage struct {
	Page
	Email string
	Next  string
	Error string // translated
	Wrong bool   // the e-mail address or the password was wrong: both fields are in error
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if s.setupNeeded(r) {
		return redirect(w, r, "/setup")
	}
	p := loginPage{Page: s.page(r, "login", "login.title"), Next: localPath(r.URL.Query().Get("next"))}
	return s.render(w, r, http.StatusOK, "login.html", p)
}

// login signs a staff member or a distributor's user in: a session cookie,
// then their start page. Failures count against the client's address and
// the account (auth.SignIn), so guessing passwords is slow.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	p := loginPage{Page: s.page(r, "login", "login.title"), Email: strings.TrimSpace(r.PostFormValue("email")),
		Next: localPath(r.PostFormValue("next"))}
	sess, err := auth.SignIn(r.Context(), s.Sessions, s.Limiter, auth.ClientIP(r), p.Email, r.PostFormValue("password"), s.Now())
	var limited *auth.RateLimitedError
	switch {
	case errors.As(err, &limited):
		key := "login.rate_limited"
		if limited.Account {
			key = "login.account_limited"
		}
		p.Error = p.L.T(key, "Seconds", int(limited.Retry.Seconds())+1)
		return s.render(w, r, http.StatusTooManyRequests, "login.html", p)
	case aftersale.KindOf(err) == aftersale.Unauthorized:
		p.Error, p.Wrong = p.L.T("login.wrong"), true
		return s.render(w, r, http.StatusUnauthorized, "login.html", p)
	case err != nil:
		return err
	}
	http.SetCookie(w, cookie(auth.SessionCookie, sess.Secret, int(auth.SessionLifetime.Seconds())))
	next := p.Next
	if next == "/" {
		next = startPage(sess.Actor)
	}
	return redirect(w, r, next)
}

// startPage is where a user lands after signing in.
func startPage(a aftersale.Actor) string {
	if a.Role == aftersale.RoleDistributor {
		return "/distributor"
	}
	return "/staff"
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(auth.SessionCookie); err == nil {
		if err := auth.SignOut(r.Context(), s.Sessions, c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, cookie(auth.SessionCookie, "", -1))
	return redirect(w, r, "/")
}
