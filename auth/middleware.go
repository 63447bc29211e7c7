package auth

import (
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
)

// Middleware resolves the request's credential into its Actor (ActorFrom):
// an `Authorization: Bearer as_...` API token or `Bearer cl_...` claim link,
// else a session cookie, else a claim link's ?access= or cookie (claimlink.go).
// With none, or with a token that is unknown, revoked or of a disabled user,
// or a session that ended, the request goes on anonymous and handlers decide.
// A refused token or link counts against the client's IP in limiter. An
// Authorization header that is not a bearer aftersale secret is a 401
// problem, and a refused one from an IP over its limit gets 429. A valid
// token goes through even from such an IP: a client that holds one must not
// be shut out because others behind the same address failed.
func Middleware(lookup Lookup, limiter *Limiter, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			header := r.Header.Get("Authorization")
			if header == "" {
				r := withSession(r, lookup, log)
				if a := ActorFrom(r.Context()); a.Anonymous() {
					var ok bool
					if r, ok = withClaimLink(w, r, lookup, limiter, log); !ok {
						return
					}
				}
				next.ServeHTTP(w, r)
				return
			}
			scheme, secret, ok := strings.Cut(header, " ")
			secret = strings.TrimSpace(secret)
			if !ok || !strings.EqualFold(scheme, "Bearer") || !WellFormedToken(secret) && !WellFormedClaimLink(secret) {
				writeProblem(w, http.StatusUnauthorized, "The Authorization header must be \"Bearer as_...\" with an aftersale API token, or \"Bearer cl_...\" with a claim link's secret.")
				return
			}
			ip := ClientIP(r)
			resolve := lookup.TokenActor
			if WellFormedClaimLink(secret) {
				resolve = lookup.ClaimAccessActor
			}
			actor, err := resolve(r.Context(), HashSecret(secret))
			switch aftersale.KindOf(err) {
			case "":
				next.ServeHTTP(w, r.WithContext(WithActor(r.Context(), actor)))
			case aftersale.NotFound, aftersale.Unauthorized:
				if blocked, retry := limiter.Blocked(ip); blocked {
					w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
					writeProblem(w, http.StatusTooManyRequests, "Too many failed attempts from your address; try again later.")
					return
				}
				limiter.Fail(ip)
				log.InfoContext(r.Context(), "refused API token", "ip", ip, "prefix", shown(secret))
				next.ServeHTTP(w, r)
			default:
				log.ErrorContext(r.Context(), "token lookup", "err", err)
				writeProblem(w, http.StatusInternalServerError, "Something went wrong on our side; it has been logged.")
			}
		})
	}
}

// withSession returns r carrying the actor of its session cookie, if the
// session is live. A stale cookie is common (it outlives a sign-out on
// another device) and is not counted as a failure.
func withSession(r *http.Request, lookup SessionLookup, log *slog.Logger) *http.Request {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return r
	}
	actor, err := lookup.SessionActor(r.Context(), HashSecret(c.Value))
	if err != nil {
		if aftersale.KindOf(err) != aftersale.NotFound {
			log.ErrorContext(r.Context(), "session lookup", "err", err)
		}
		return r
	}
	return r.WithContext(WithActor(r.Context(), actor))
}

// writeProblem writes an RFC 9457 problem in the API's shape.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="aftersale"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}{"about:blank", http.StatusText(status), status, detail})
}
