package auth

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter counts failed sign-ins and token attempts per client IP: each IP
// may fail Burst times at once, then once per Every. Successful attempts cost
// nothing. It is per process: several instances each keep their own count.
type Limiter struct {
	every time.Duration
	burst int
	now   func() time.Time

	mu   sync.Mutex
	byIP map[string]*rate.Limiter
}

// The default limit on failures per IP: 10 at once, then 10 a minute.
const (
	DefaultFailureBurst = 10
	DefaultFailureEvery = 6 * time.Second
	maxTrackedIPs       = 10000 // beyond it, forgiven IPs are forgotten
)

// NewLimiter returns a limiter allowing burst failures per IP, refilled one
// per every. now is the clock (time.Now outside tests).
func NewLimiter(burst int, every time.Duration, now func() time.Time) *Limiter {
	return &Limiter{every: every, burst: burst, now: now, byIP: map[string]*rate.Limiter{}}
}

// Blocked reports whether ip has used up its failures; the caller refuses
// the attempt without checking the credential. retry is how long to wait.
func (l *Limiter) Blocked(ip string) (blocked bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.byIP[ip]
	if !ok {
		return false, 0
	}
	now := l.now()
	if lim.TokensAt(now) >= 1 {
		return false, 0
	}
	r := lim.ReserveN(now, 1)
	retry = r.DelayFrom(now)
	r.CancelAt(now)
	return true, retry
}

// Fail records a failed attempt from ip.
func (l *Limiter) Fail(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	lim, ok := l.byIP[ip]
	if !ok {
		if len(l.byIP) >= maxTrackedIPs {
			l.forget(now)
		}
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.byIP[ip] = lim
	}
	lim.AllowN(now, 1)
}

// forget drops the IPs whose allowance has refilled: they owe nothing.
func (l *Limiter) forget(now time.Time) {
	for ip, lim := range l.byIP {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.byIP, ip)
		}
	}
}

// ClientIP is the address the request came from. X-Forwarded-For is not
// trusted: anyone can send it. Behind a proxy, the proxy's address counts.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
