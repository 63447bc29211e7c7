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
	// RehashPassword stores a stronger hash of the same password, unless
	// the user's hash is no longer old.
	RehashPassword(ctx context.Context, userID int64, old, hash string) error
	AccountLimits
}

// AccountLimits counts failed sign-ins per e-mail address in the store, so
// that every instance on one database shares the count.
type AccountLimits interface {
	// SignInWait is how long sign-ins to email must still wait; zero from
	// the address of the account's last successful sign-in.
	SignInWait(ctx context.Context, email, ip string) (time.Duration, error)
	// SignInFailed counts a failure and makes the next sign-ins wait
	// backoff(failures); it returns that wait.
	SignInFailed(ctx context.Context, email string, backoff func(failures int) time.Duration) (time.Duration, error)
	// SignInSucceeded forgets the failures and trusts ip.
	SignInSucceeded(ctx context.Context, email, ip string) error
}

// The per-account limit: FreeFailures failed sign-ins to one e-mail
// address, from any addresses, cost nothing; each further one makes the
// next wait twice as long as the last, from one second up to MaxAccountWait.
// Attempts refused during a wait are not checked and do not lengthen it, so
// a guesser gets about one password per MaxAccountWait per account, and the
// owner waits at most that long (not at all from the address of the last
// successful sign-in).
const (
	FreeFailures   = 5
	MaxAccountWait = 5 * time.Minute
)

// Backoff is the wait after the given number of failed sign-ins to one
// account.
func Backoff(failures int) time.Duration {
	if failures < FreeFailures {
		return 0
	}
	n := failures - FreeFailures
	if n >= 9 { // 2^9 s > MaxAccountWait; no overflow for large counts
		return MaxAccountWait
	}
	return min(time.Second<<n, MaxAccountWait)
}

// RateLimitedError refuses an attempt from an IP, or to an account, with
// too many failures.
type RateLimitedError struct {
	Retry   time.Duration
	Account bool // the account's limit, not the address's
}

func (e *RateLimitedError) Error() string {
	if e.Account {
		return fmt.Sprintf("too many failed sign-ins to this account; try again in %s", e.Retry.Round(time.Second))
	}
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
// (no hint which), cost the same argon2 work, and count against ip in lim
// and against the address in the store (Backoff); an IP or an account over
// its limit gets a *RateLimitedError without any check. A hash made with
// weaker parameters than DefaultParams is replaced on success.
func SignIn(ctx context.Context, s Sessions, lim *Limiter, ip, email, password string, now time.Time) (Session, error) {
	if blocked, retry := lim.Blocked(ip); blocked {
		return Session{}, &RateLimitedError{Retry: retry}
	}
	email = aftersale.NormalizeEmail(email)
	wait, err := s.SignInWait(ctx, email, ip)
	if err != nil {
		return Session{}, fmt.Errorf("sign in: %w", err)
	}
	if wait > 0 {
		return Session{}, &RateLimitedError{Retry: wait, Account: true}
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
		if _, err := s.SignInFailed(ctx, email, Backoff); err != nil {
			return Session{}, fmt.Errorf("sign in: %w", err)
		}
		return Session{}, aftersale.Errorf(aftersale.Unauthorized, "wrong e-mail address or password")
	}
	if err := s.SignInSucceeded(ctx, email, ip); err != nil {
		return Session{}, fmt.Errorf("sign in: %w", err)
	}
	if NeedsRehash(hash, DefaultParams) {
		better, err := HashPassword(password, DefaultParams)
		if err != nil {
			return Session{}, fmt.Errorf("sign in %s: %w", u.Email, err)
		}
		if err := s.RehashPassword(ctx, u.ID, hash, better); err != nil {
			return Session{}, fmt.Errorf("sign in %s: %w", u.Email, err)
		}
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
