package web

import "net/http"

// dashboardRoutes registers the staff dashboard and its charts.
func (s *Server) dashboardRoutes(mux *http.ServeMux) {}
