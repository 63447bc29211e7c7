package web

import (
	"net/http"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// registryPage looks up a serial or an order, and lists the catalog.
type registryPage struct {
	Page
	Serial, Order string
	Items         []workflow.WarrantyStatus
	Error         string // translated: nothing found
	Products      []aftersale.Product
	After         string // this catalog page's cursor
	Next          string // the next catalog page's URL
}

// registry serves the serial and order lookups and the catalog.
func (s *Server) registry(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "registry", "staff.registry.title", aftersale.ViewClaims)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	rp := registryPage{Page: p, Serial: strings.TrimSpace(v.Get("serial")), Order: strings.TrimSpace(v.Get("order")),
		After: v.Get("after")}
	status := http.StatusOK
	switch {
	case rp.Serial != "" && s.Service != nil:
		st, err := s.Service.WarrantyBySerial(r.Context(), p.Actor, rp.Serial)
		switch aftersale.KindOf(err) {
		case "":
			rp.Items = []workflow.WarrantyStatus{st}
		case aftersale.NotFound:
			status, rp.Error = http.StatusNotFound, p.L.T("staff.registry.no_serial", "Serial", rp.Serial)
		default:
			return err
		}
	case rp.Order != "" && s.Service != nil:
		items, err := s.Service.WarrantyByOrder(r.Context(), p.Actor, rp.Order)
		switch aftersale.KindOf(err) {
		case "":
			rp.Items = items
		case aftersale.NotFound:
			status, rp.Error = http.StatusNotFound, p.L.T("staff.registry.no_order", "Order", rp.Order)
		default:
			return err
		}
	}
	if cat := s.Catalog; cat != nil {
		page, err := cat.Products(r.Context(), p.Actor, rp.After, 50)
		if err != nil {
			return err
		}
		rp.Products = page.Products
		if page.Next != "" {
			v.Set("after", page.Next)
			rp.Next = "/staff/registry?" + v.Encode() + "#catalog"
		}
	}
	return s.render(w, r, status, "staff_registry.html", rp)
}
