package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
)

// AnonymousLimits bound what people who are not signed in may do through
// the portal (serve's --anonymous-* flags); a nil field sets no limit.
type AnonymousLimits struct {
	// ClaimsPerAddress and ClaimsPerEmail count the claims opened without
	// signing in, per client address and per customer e-mail address.
	ClaimsPerAddress, ClaimsPerEmail *auth.Limiter
	// Uploads caps the bytes of files sent without signing in, per client
	// address and overall, per day.
	Uploads *auth.DailyBytes
}

// errDailyUploads refuses a file past the day's allowance of uploads.
var errDailyUploads = errors.New("the day's allowance of uploads is used up")

// anonymousClaimWait is how long the reader must wait before opening another
// claim without signing in (0: now), checked before anything is read or
// written: a refused attempt opens nothing and keeps the form's values.
func (s *Server) anonymousClaimWait(r *http.Request, p *claimFormPage) time.Duration {
	if p.ForDistributor || auth.ActorFrom(r.Context()).UserID != 0 {
		return 0
	}
	var retry time.Duration
	if l := s.Anonymous.ClaimsPerAddress; l != nil {
		if blocked, d := l.Blocked(auth.ClientIP(r)); blocked {
			retry = max(retry, d)
		}
	}
	if l := s.Anonymous.ClaimsPerEmail; l != nil {
		if blocked, d := l.Blocked(aftersale.NormalizeEmail(p.Email)); blocked {
			retry = max(retry, d)
		}
	}
	if retry > 0 {
		mins := int(retry.Minutes()) + 1
		p.Errors["form"] = p.L.T("customer.err.too_many_claims", "Minutes", mins)
	}
	return retry
}

// countAnonymousClaim counts a claim opened without signing in.
func (s *Server) countAnonymousClaim(r *http.Request, p *claimFormPage) {
	if p.ForDistributor || auth.ActorFrom(r.Context()).UserID != 0 {
		return
	}
	if l := s.Anonymous.ClaimsPerAddress; l != nil {
		l.Take(auth.ClientIP(r))
	}
	if l := s.Anonymous.ClaimsPerEmail; l != nil {
		l.Take(aftersale.NormalizeEmail(p.Email))
	}
}

// retryAfterSeconds is a Retry-After header's value: whole seconds, rounded up.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// anonymousUploadQuota returns the file's body cut off past the day's allowance
// of uploads of a reader who is not signed in, and a function that counts
// the bytes stored; it returns body as is for a signed-in user.
func (s *Server) anonymousUploadQuota(r *http.Request, actor aftersale.Actor, body io.Reader) (io.Reader, func(int64)) {
	if s.Anonymous.Uploads == nil || actor.UserID != 0 {
		return body, func(int64) {}
	}
	ip := auth.ClientIP(r)
	left, _ := s.Anonymous.Uploads.Left(ip)
	return &quotaReader{r: body, left: left}, func(n int64) { s.Anonymous.Uploads.Add(ip, n) }
}

// quotaReader fails with errDailyUploads past left bytes.
type quotaReader struct {
	r    io.Reader
	left int64
}

func (q *quotaReader) Read(p []byte) (int, error) {
	if q.left < 0 {
		return 0, errDailyUploads
	}
	if int64(len(p)) > q.left+1 {
		p = p[:q.left+1]
	}
	n, err := q.r.Read(p)
	q.left -= int64(n)
	if q.left < 0 {
		return n, errDailyUploads
	}
	return n, err
}
