package demo

import (
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

var carriers = []string{"DHL", "UPS", "FedEx", "SF Express", "Yamato", "La Poste"}

// order n draws the next order from the generator's random source; orders
// must be drawn in sequence.
func (g *generator) order(n int) aftersale.Order {
	r := g.rng
	o := aftersale.Order{Number: fmt.Sprintf("SO%d-%07d", g.o.Seed, n+1),
		PurchaseDate: g.o.Today.AddDays(-1 - r.IntN(730))}
	cust := g.customer(r.IntN(g.customers))
	k := g.countryOf(cust.Country)
	switch x := r.IntN(100); {
	case x < 35 && k.distributor != "":
		o.Channel, o.DistributorCode = aftersale.AuthorizedDistributor, k.distributor
		if r.IntN(3) > 0 { // distributors often leave the end customer out
			o.CustomerEmail = cust.Email
		}
	case x >= 92:
		o.Channel, o.DistributorCode = aftersale.UnauthorizedReseller, "SHOP-GREY"
		if r.IntN(2) == 0 {
			o.CustomerEmail = cust.Email
		}
	default:
		o.Channel, o.CustomerEmail = aftersale.Direct, cust.Email
	}
	if r.IntN(10) > 0 {
		o.ProofOfPurchase, o.ProofDocument = true, "INV-"+o.Number
	}
	o.Total.Currency = k.currency
	lines := 1
	switch x := r.IntN(100); {
	case x >= 95:
		lines = 4
	case x >= 80:
		lines = 3
	case x >= 50:
		lines = 2
	}
	for l := 1; l <= lines; l++ {
		it := g.items[g.pick[r.IntN(len(g.pick))]]
		qty := 1
		switch {
		case it.p.IsKit():
			if r.IntN(10) == 0 {
				qty = 2
			}
		case it.p.Category == "consumable" || it.p.Category == "mechanical_part":
			qty = 1 + r.IntN(5)
		default:
			qty = 1 + r.IntN(2)
		}
		price := it.price * k.permille / 1000
		o.Lines = append(o.Lines, aftersale.OrderLine{Line: l, SKU: it.p.SKU, Quantity: qty, UnitPrice: price,
			Serials: g.serials(it.p, qty, nil, "")})
		o.Total.Minor += int64(qty) * price
	}
	if o.Total.Minor > 5000 && r.IntN(20) == 0 { // a coupon: the total is not the sum of the lines
		o.Total.Minor -= 500
	}
	return o
}

// serials numbers the articles of a line: a kit gets its own serial, and
// so does every serialised component inside it (nested kits included),
// tagged with the component's SKU.
func (g *generator) serials(p aftersale.Product, qty int, dst []aftersale.Serial, kitSKU string) []aftersale.Serial {
	if p.IsKit() {
		if kitSKU == "" {
			for range qty {
				dst = append(dst, aftersale.Serial{Number: g.next("KT")})
			}
		}
		for _, c := range p.Components {
			dst = g.serials(g.bySKU[c.SKU].p, qty*c.Quantity, dst, p.SKU)
		}
		return dst
	}
	if !serialised(p.Category) {
		return dst
	}
	prefix := map[aftersale.Category]string{"servo_motor": "SV", "electronic_module": "EM", "power_module": "PM"}[p.Category]
	for range qty {
		s := aftersale.Serial{Number: g.next(prefix)}
		if kitSKU != "" {
			s.SKU = p.SKU
		}
		dst = append(dst, s)
	}
	return dst
}

// next returns a serial number unique within the data set of a seed.
func (g *generator) next(prefix string) string {
	g.serial++
	return fmt.Sprintf("%s%d-%08d", prefix, g.o.Seed, g.serial)
}

// deliveries ships most orders a few days after purchase, some line by
// line; parcels not yet signed for have no date, and a few orders none.
func (g *generator) deliveries(o aftersale.Order) []aftersale.Delivery {
	r := g.rng
	x := r.IntN(100)
	if x < 6 {
		return nil
	}
	carrier := carriers[r.IntN(len(carriers))]
	parcel := func(i, line int) aftersale.Delivery {
		signed := o.PurchaseDate.AddDays(1 + r.IntN(7))
		if signed.After(g.o.Today) {
			signed = date.Date{} // in transit: not signed for yet
		}
		return aftersale.Delivery{OrderNumber: o.Number, Line: line, Carrier: carrier,
			TrackingNumber: fmt.Sprintf("%s-%s-%d", trackingPrefix(carrier), o.Number, i), SignedFor: signed}
	}
	if len(o.Lines) > 1 && x < 14 {
		out := make([]aftersale.Delivery, len(o.Lines))
		for i, l := range o.Lines {
			out[i] = parcel(i+1, l.Line)
		}
		return out
	}
	return []aftersale.Delivery{parcel(1, 0)}
}

func trackingPrefix(carrier string) string {
	b := []byte{}
	for i := 0; i < len(carrier) && len(b) < 3; i++ {
		if c := carrier[i]; c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			b = append(b, c&^0x20)
		}
	}
	return string(b)
}
