package web

import "net/http"

// staffRoutes registers the staff console: the queue, a claim's page with its actions, the registry, imports, users, the policy.
func (s *Server) staffRoutes(mux *http.ServeMux) {}
