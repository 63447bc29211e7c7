package api

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/danielgtaylor/huma/v2"
)

// Option configures New.
type Option func(*Server)

// WithSessions serves POST and DELETE /api/v1/session: signing in with an
// e-mail address and password, checked against sessions, failures counted in
// limiter (share it with auth.Middleware, so tokens and passwords draw on one
// allowance per IP). now is the clock.
func WithSessions(sessions auth.Sessions, limiter *auth.Limiter, now func() time.Time) Option {
	return func(s *Server) { s.sessions, s.limiter, s.now = sessions, limiter, now }
}

// Me is the calling actor, as GET /api/v1/me shows it.
type Me struct {
	UserID          int64                  `json:"user_id" doc:"The user's id"`
	Email           string                 `json:"email" doc:"The user's e-mail address, lower-case"`
	Name            string                 `json:"name"`
	Role            aftersale.Role         `json:"role" enum:"agent,inspector,manager,admin,distributor,customer"`
	DistributorCode string                 `json:"distributor_code,omitempty" doc:"For the distributor role: whose customers' claims the user sees"`
	Claim           string                 `json:"claim,omitempty" doc:"For a customer who came with a claim link: the one claim it reaches"`
	Token           *MeToken               `json:"token,omitempty" doc:"The API token of the call; absent for a session"`
	Permissions     []aftersale.Permission `json:"permissions" doc:"What the role may do"`
}

// MeToken names the API token a call came with.
type MeToken struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func meOf(a aftersale.Actor) Me {
	m := Me{UserID: a.UserID, Email: a.Email, Name: a.Name, Role: a.Role, DistributorCode: a.DistributorCode,
		Claim: a.ClaimNumber, Permissions: []aftersale.Permission{}}
	if a.TokenID != 0 {
		m.Token = &MeToken{ID: a.TokenID, Name: a.TokenName}
	}
	for _, p := range aftersale.Permissions() {
		if a.Can(p) {
			m.Permissions = append(m.Permissions, p)
		}
	}
	return m
}

type meOutput struct {
	Body Me
}

// bearer is the security requirement of operations that need a caller.
var bearer = []map[string][]string{{"bearer": {}}, {"session": {}}}

func (s *Server) registerMe() {
	s.api.OpenAPI().Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer":  {Type: "http", Scheme: "bearer", Description: "An API token, as_..., from `aftersale token create`"},
		"session": {Type: "apiKey", In: "cookie", Name: auth.SessionCookie, Description: "The cookie POST /api/v1/session sets"},
	}
	huma.Register(s.api, huma.Operation{
		OperationID: "get-me",
		Method:      http.MethodGet,
		Path:        "/api/v1/me",
		Summary:     "Who is calling: the user, role and permissions of the token or session",
		Description: "A client checks its token with it, and shows or hides what the role may not do.",
		Tags:        []string{"accounts"},
		Security:    bearer,
		Errors:      []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*meOutput, error) {
		if err := requirePermission(ctx, ""); err != nil {
			return nil, s.problem(err)
		}
		return &meOutput{Body: meOf(auth.ActorFrom(ctx))}, nil
	})
}

// requirePermission returns an Unauthorized error when nobody signed in and
// a Forbidden one when the caller's role lacks p ("" asks only for a caller);
// handlers return s.problem(err), which makes it a 401 or 403.
func requirePermission(ctx context.Context, p aftersale.Permission) error {
	if p == "" {
		if auth.ActorFrom(ctx).Anonymous() {
			return auth.Require(ctx, aftersale.ViewClaims) // the same 401
		}
		return nil
	}
	return auth.Require(ctx, p)
}

type signInInput struct {
	Body struct {
		Email    string `json:"email" maxLength:"320" doc:"The user's e-mail address"`
		Password string `json:"password" maxLength:"1024"`
	}
	ip string
}

// Resolve keeps the client's address, which the rate limit counts by.
func (in *signInInput) Resolve(ctx huma.Context) []error {
	in.ip = ctx.RemoteAddr()
	if host, _, err := net.SplitHostPort(in.ip); err == nil {
		in.ip = host
	}
	return nil
}

type sessionOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      *Me
}

func (s *Server) registerSession() {
	huma.Register(s.api, huma.Operation{
		OperationID: "sign-in",
		Method:      http.MethodPost,
		Path:        "/api/v1/session",
		Summary:     "Sign in with e-mail and password: sets the session cookie",
		Description: "The cookie is Secure, HttpOnly and SameSite=Lax and lasts 12 hours. " +
			"Failed attempts are limited per client address and per account (429 with Retry-After): " +
			"after 5 failures to one account, from any addresses, the next waits 1 s, then twice as long each time, at most 5 minutes; " +
			"the address of the account's last successful sign-in does not wait.",
		Tags:     []string{"accounts"},
		Security: public,
		Errors:   []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusTooManyRequests},
	}, s.signIn)
	huma.Register(s.api, huma.Operation{
		OperationID:   "sign-out",
		Method:        http.MethodDelete,
		Path:          "/api/v1/session",
		Summary:       "Sign out: ends the session and clears the cookie",
		Description:   "Answers 204 without a body, whether or not the cookie named a live session.",
		Tags:          []string{"accounts"},
		Security:      public,
		DefaultStatus: http.StatusNoContent,
	}, s.signOut)
}

func (s *Server) signIn(ctx context.Context, in *signInInput) (*sessionOutput, error) {
	sess, err := auth.SignIn(ctx, s.sessions, s.limiter, in.ip, in.Body.Email, in.Body.Password, s.now())
	var limited *auth.RateLimitedError
	if errors.As(err, &limited) {
		p := &Problem{Type: "about:blank", Title: http.StatusText(http.StatusTooManyRequests), Status: http.StatusTooManyRequests, Detail: err.Error()}
		return nil, huma.ErrorWithHeaders(p, http.Header{"Retry-After": {strconv.Itoa(int(math.Ceil(limited.Retry.Seconds())))}})
	}
	if err != nil {
		return nil, s.problem(err)
	}
	me := meOf(sess.Actor)
	return &sessionOutput{SetCookie: sessionCookie(sess.Secret), Body: &me}, nil
}

type signOutInput struct {
	Session string `cookie:"aftersale_session"`
}

// signOutOutput has no body: a 204 carries none, nor a Content-Type.
type signOutOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}

func (s *Server) signOut(ctx context.Context, in *signOutInput) (*signOutOutput, error) {
	if err := auth.SignOut(ctx, s.sessions, in.Session); err != nil {
		return nil, s.problem(err)
	}
	return &signOutOutput{SetCookie: sessionCookie("")}, nil
}

// sessionCookie is the session cookie; an empty secret deletes it. Its
// lifetime is relative (Max-Age): the browser counts it on its own clock,
// which need not agree with the server's to the day.
func sessionCookie(secret string) http.Cookie {
	c := http.Cookie{Name: auth.SessionCookie, Value: secret, Path: "/", MaxAge: int(auth.SessionLifetime.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if secret == "" {
		c.MaxAge = -1
	}
	return c
}
