package auth

import (
	"context"
	"encoding/base64"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
)

// ClaimCookie holds a claim link's secret after the link's first visit. It
// is SameSite=Strict: no other site can make a browser send it, so a
// customer's link cannot be ridden from elsewhere. A cross-site visit (the
// click in the e-mail) carries ?access= itself, which is why the first
// visit is answered in place rather than redirected: a Strict cookie set
// during a cross-site redirect chain would not come back on its next hop.
const ClaimCookie = "aftersale_claim"

// AccessParam is the query parameter of a claim link.
const AccessParam = "access"

// ClaimAccessLookup finds the customer actor of a claim link by the hash of
// its secret (HashSecret). The store implements it: an unknown, revoked or
// expired link is NotFound.
type ClaimAccessLookup interface {
	ClaimAccessActor(ctx context.Context, hash string) (aftersale.Actor, error)
}

// WellFormedClaimLink reports whether s has the shape of a claim link's
// secret: cl_ and 32 bytes in base64url.
func WellFormedClaimLink(s string) bool {
	rest, ok := strings.CutPrefix(s, aftersale.ClaimLinkPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil && len(b) == tokenBytes
}

// shown is what a log may say of a refused bearer secret: an API token's
// prefix, and nothing of a claim link's, which is a customer's key.
func shown(secret string) string {
	if strings.HasPrefix(secret, aftersale.ClaimLinkPrefix) {
		return aftersale.ClaimLinkPrefix + "…"
	}
	return secret[:shownPrefix]
}

// withClaimLink returns r carrying the customer actor of its claim link:
// ?access= (which also sets ClaimCookie, so the link need not stay in the
// address bar) or else the cookie. A refused ?access= counts against the IP
// in limiter. It returns false when it has answered the request itself
// (429, or 500 when the lookup failed).
func withClaimLink(w http.ResponseWriter, r *http.Request, lookup ClaimAccessLookup, limiter *Limiter, log *slog.Logger) (*http.Request, bool) {
	secret, fromQuery := r.URL.Query().Get(AccessParam), true
	if secret == "" {
		c, err := r.Cookie(ClaimCookie)
		if err != nil || c.Value == "" {
			return r, true
		}
		secret, fromQuery = c.Value, false
	}
	ip := ClientIP(r)
	if fromQuery {
		// The link is in the URL: keep it out of the Referer of anything
		// the answer links to.
		w.Header().Set("Referrer-Policy", "no-referrer")
		if blocked, retry := limiter.Blocked(ip); blocked {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
			writeProblem(w, http.StatusTooManyRequests, "Too many failed attempts from your address; try again later.")
			return r, false
		}
	}
	actor, err := refuseMalformed(secret)
	if err == nil {
		actor, err = lookup.ClaimAccessActor(r.Context(), HashSecret(secret))
	}
	switch aftersale.KindOf(err) {
	case "":
		if fromQuery {
			http.SetCookie(w, &http.Cookie{Name: ClaimCookie, Value: secret, Path: "/",
				MaxAge: int(aftersale.ClaimLinkLifetime.Seconds()), Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
		}
		return r.WithContext(WithActor(r.Context(), actor)), true
	case aftersale.NotFound:
		if fromQuery {
			limiter.Fail(ip)
			log.InfoContext(r.Context(), "refused claim link", "ip", ip)
		}
		return r, true
	default:
		log.ErrorContext(r.Context(), "claim link lookup", "err", err)
		writeProblem(w, http.StatusInternalServerError, "Something went wrong on our side; it has been logged.")
		return r, false
	}
}

func refuseMalformed(secret string) (aftersale.Actor, error) {
	if !WellFormedClaimLink(secret) {
		return aftersale.Actor{}, aftersale.Errorf(aftersale.NotFound, "not a claim link")
	}
	return aftersale.Actor{}, nil
}
