package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// contentSecurityPolicy lets a page load only this site's own styles,
// scripts, images and media: no inline script, nothing from another origin,
// no framing, forms posted only here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure adds the pages' security headers.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		if h.Get("Referrer-Policy") == "" {
			h.Set("Referrer-Policy", "same-origin")
		}
		next.ServeHTTP(w, r)
	})
}

// cookie returns a cookie the pages set: sent only over HTTPS (browsers
// treat http://localhost as secure too), never to scripts, never with
// cross-site requests.
func cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

// funcs are the templates' helpers: formatting that does not depend on the
// reader's language (that is Locale's).
var funcs = template.FuncMap{
	"iso":     func(d date.Date) string { return d.String() },
	"join":    strings.Join,
	"status":  func(s aftersale.Status) string { return string(s) },
	"add":     func(a, b int) int { return a + b },
	"hasText": func(s string) bool { return strings.TrimSpace(s) != "" },
	"static":  staticURL,
}
