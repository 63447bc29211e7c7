package web

import "net/http"

// routes is the whole site in one table. Customers need no account: the
// home page checks a warranty and starts a claim, and a claim's secret link
// opens its page. Staff and distributors sign in.
func (s *Server) routes(mux *http.ServeMux) {
	s.handle(mux, "GET /{$}", s.home)
	s.handle(mux, "GET /warranty", s.warranty)
	s.handle(mux, "GET /lang", s.switchLanguage)
	if s.Sessions != nil {
		s.handle(mux, "GET /login", s.loginForm)
		s.handle(mux, "POST /login", s.login)
		s.handle(mux, "POST /logout", s.logout)
	}
}
