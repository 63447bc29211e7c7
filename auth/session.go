package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/aftersale/aftersale"
)

// SessionCookie names the cookie holding a signed-in browser's session
// secret; SessionLifetime is how long a session lasts.
const (
	SessionCookie   = "aftersale_session"
	SessionLifetime = 12 * time.Hour
)

// SessionLookup finds the actor of an unexpired session by its hash
// (HashSecret of the cookie's value). The store implements it.
type SessionLookup interface {
	SessionActor(ctx context.Context, hash string) (aftersale.Actor, error)
}

// Lookup resolves both kinds of credential a request may carry.
type Lookup interface {
	TokenLookup
	SessionLookup
	ClaimAccessLookup
}

// Sessions is what signing in and out needs of the store.
type Sessions interface {
	Credentials(ctx context.Context, email string) (aftersale.User, string, error)
	CreateSession(ctx context.Context, userID int64, hash string, expires time.Time) error
	DeleteSession(ctx context.Context, hash string) error
}

// RateLimitedError refuses an attempt from an IP with too many failures.
type RateLimitedError struct{ Retry time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many failed attempts from your address; try again in %s", e.Retry.Round(time.Second))
}

// Session is a new sign-in: Secret goes in the cookie, only its hash in the
// store.
type Session struct {
	Secret  string
	Expires time.Time
	Actor   aftersale.Actor
}

// SignIn checks an e-mail address and password and starts a session. A wrong
// address, wrong password or disabled user are the same Unauthorized error
// (no hint which), cost the same argon2 work, and count against ip in lim;
// an IP over its limit gets a *RateLimitedError without any check.
func SignIn(ctx context.Context, s Sessions, lim *Limiter, ip, email, password string, now time.Time) (Session, error) {
	if blocked, retry := lim.Blocked(ip); blocked {
		return Session{}, &RateLimitedError{Retry: retry}
	}
	u, hash, err := s.Credentials(ctx, email)
	if err != nil && aftersale.KindOf(err) != aftersale.NotFound {
		return Session{}, fmt.Errorf("sign in: %w", err)
	}
	ok := false
	if err != nil || hash == "" {
		// Spend what a real check costs, so timing does not reveal which
		// addresses have accounts.
		_, _ = HashPassword(password, DefaultParams)
	} else if ok, err = VerifyPassword(password, hash); err != nil {
		return Session{}, fmt.Errorf("sign in %s: %w", u.Email, err)
	}
	if !ok || !u.Active {
		lim.Fail(ip)
		return Session{}, aftersale.Errorf(aftersale.Unauthorized, "wrong e-mail address or password")
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return Session{}, fmt.Errorf("sign in: session id: %w", err)
	}
	sess := Session{Secret: base64.RawURLEncoding.EncodeToString(b), Expires: now.Add(SessionLifetime),
		Actor: aftersale.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, DistributorCode: u.DistributorCode}}
	if err := s.CreateSession(ctx, u.ID, HashSecret(sess.Secret), sess.Expires); err != nil {
		return Session{}, fmt.Errorf("sign in: %w", err)
	}
	return sess, nil
}

// SignOut ends the session whose cookie value is secret.
func SignOut(ctx context.Context, s Sessions, secret string) error {
	if secret == "" {
		return nil
	}
	return s.DeleteSession(ctx, HashSecret(secret))
}
