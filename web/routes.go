package web

import "net/http"

// routes is the whole site. Customers need no account: the home page
// checks a warranty and starts a claim, and a claim's secret link opens its
// page. Staff and distributors sign in. Each part of the site registers its
// own pages (customer.go, staff.go, distributor.go, dashboard.go).
func (s *Server) routes(mux *http.ServeMux) {
	s.handle(mux, "GET /{$}", s.home)
	s.handle(mux, "GET /warranty", s.warranty)
	s.handle(mux, "GET /lang", s.switchLanguage)
	if s.Sessions != nil {
		s.handle(mux, "GET /login", s.loginForm)
		s.handle(mux, "POST /login", s.login)
		s.handle(mux, "POST /logout", s.logout)
	}
	if s.Setup != nil {
		s.handle(mux, "GET /setup", s.setupForm)
		s.handle(mux, "POST /setup", s.setup)
	}
	s.customerRoutes(mux)
	s.staffRoutes(mux)
	s.distributorRoutes(mux)
	s.dashboardRoutes(mux)
}
