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

// Take counts one use of key's allowance, for a Limiter that limits what
// succeeds rather than what fails (claims opened without signing in, per
// client address or per e-mail address): Blocked before, Take after.
func (l *Limiter) Take(key string) { l.Fail(key) }

// DailyBytes caps the bytes of files that callers who are not signed in
// may send in a day (UTC): per key (a client address) and all of them
// together. Per process, like Limiter; the count starts again each day.
type DailyBytes struct {
	perKey, total int64
	now           func() time.Time

	mu   sync.Mutex
	day  string
	used map[string]int64
	all  int64
}

// NewDailyBytes returns a daily cap of perKey bytes per key and total
// bytes overall; 0 leaves either unlimited.
func NewDailyBytes(perKey, total int64, now func() time.Time) *DailyBytes {
	return &DailyBytes{perKey: perKey, total: total, now: now, used: map[string]int64{}}
}

// otherKeys shares one allowance among the keys beyond maxTrackedIPs.
const otherKeys = "\x00other"

// Left returns how many more bytes key may send today, and how long until
// the count starts again.
func (d *DailyBytes) Left(key string) (left int64, retry time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.today()
	left = 1 << 62
	if d.perKey > 0 {
		left = d.perKey - d.used[d.keyOf(key)]
	}
	if d.total > 0 {
		left = min(left, d.total-d.all)
	}
	y, m, dd := now.Date()
	return max(left, 0), time.Date(y, m, dd+1, 0, 0, 0, 0, time.UTC).Sub(now)
}

// Add counts n bytes key sent.
func (d *DailyBytes) Add(key string, n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.today()
	d.used[d.keyOf(key)] += n
	d.all += n
}

// today starts the count again on a new day and returns now, in UTC.
func (d *DailyBytes) today() time.Time {
	now := d.now().UTC()
	if day := now.Format(time.DateOnly); day != d.day {
		d.day, d.used, d.all = day, map[string]int64{}, 0
	}
	return now
}

func (d *DailyBytes) keyOf(key string) string {
	if _, ok := d.used[key]; !ok && len(d.used) >= maxTrackedIPs {
		return otherKeys
	}
	return key
}
