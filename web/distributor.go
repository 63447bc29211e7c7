package web

import "net/http"

// distributorRoutes registers the distributor portal: its customers' claims and its contract.
func (s *Server) distributorRoutes(mux *http.ServeMux) {}
