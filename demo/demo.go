// Package demo generates a realistic registry for demonstrations and load
// tests: a robotics shop's catalog with robot kits and their bills of
// materials, distributors (one of them unauthorised), customers in several
// countries, and orders on every channel with serial numbers and deliveries.
//
// The data is a pure function of the options: the same seed, order count and
// today give the same records. Records stream to a Sink in batches, so memory
// stays flat for any number of orders.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// Options says how much to generate.
type Options struct {
	Orders int       // orders to generate
	Seed   uint64    // the same seed gives the same data
	Today  date.Date // purchases fall in the two years before it
	// Batch is the number of orders handed to the sink at once (default
	// 1000).
	Batch int
	// Progress, when set, is called with the orders generated so far.
	Progress func(orders int)
}

// Sink receives the records in import order: catalog, distributors,
// customers, then orders and their deliveries batch by batch.
type Sink interface {
	Products(ctx context.Context, ps []aftersale.Product) error // kits carry their Components
	Distributors(ctx context.Context, ds []aftersale.Distributor) error
	Customers(ctx context.Context, cs []aftersale.Customer) error
	Orders(ctx context.Context, os []aftersale.Order) error
	Deliveries(ctx context.Context, ds []aftersale.Delivery) error
}

// Stats counts what was generated.
type Stats struct {
	Products, Kits, Distributors, Customers, Orders, Lines, Serials, Deliveries int
	// Example is a sale to try the product with, for the newcomer's first
	// steps: the most recent direct order, signed for and with a serial,
	// and the most recent authorised distributor's order.
	Example Example
}

// Example names sales of the data set a newcomer can try.
type Example struct {
	Order, Email, Serial string    // a direct sale: its order, its customer's e-mail, a serial
	PurchasedOn          date.Date // of Order
	DistributorOrder     string    // a sale through an authorised distributor
	DistributorEmail     string    // that order's customer e-mail
	Distributor          string    // that distributor's code
	distributorOn        date.Date
}

// note keeps o as the example where it is more recent than the one kept.
func (e *Example) note(o aftersale.Order, ds []aftersale.Delivery) {
	if o.CustomerEmail == "" || len(ds) == 0 || ds[0].SignedFor.IsZero() {
		return
	}
	switch o.Channel {
	case aftersale.Direct:
		if !o.PurchaseDate.After(e.PurchasedOn) {
			return
		}
		for _, l := range o.Lines {
			if len(l.Serials) > 0 {
				e.Order, e.Email, e.Serial, e.PurchasedOn = o.Number, o.CustomerEmail, l.Serials[0].Number, o.PurchaseDate
				return
			}
		}
	case aftersale.AuthorizedDistributor:
		if o.PurchaseDate.After(e.distributorOn) {
			e.DistributorOrder, e.DistributorEmail, e.Distributor, e.distributorOn = o.Number, o.CustomerEmail, o.DistributorCode, o.PurchaseDate
		}
	}
}

// Generate writes the data set to sink.
func Generate(ctx context.Context, o Options, sink Sink) (Stats, error) {
	if o.Orders < 0 {
		return Stats{}, fmt.Errorf("demo: %d orders", o.Orders)
	}
	if o.Today.IsZero() {
		return Stats{}, fmt.Errorf("demo: no today given")
	}
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	g := newGenerator(o)
	var st Stats
	ps := make([]aftersale.Product, len(g.items))
	for i, it := range g.items {
		ps[i] = it.p
		if it.p.IsKit() {
			st.Kits++
		}
	}
	st.Products = len(ps)
	if err := sink.Products(ctx, ps); err != nil {
		return st, fmt.Errorf("demo products: %w", err)
	}
	ds := distributors()
	st.Distributors = len(ds)
	if err := sink.Distributors(ctx, ds); err != nil {
		return st, fmt.Errorf("demo distributors: %w", err)
	}
	for lo := 0; lo < g.customers; lo += o.Batch {
		cs := make([]aftersale.Customer, 0, o.Batch)
		for i := lo; i < min(lo+o.Batch, g.customers); i++ {
			cs = append(cs, g.customer(i))
		}
		st.Customers += len(cs)
		if err := sink.Customers(ctx, cs); err != nil {
			return st, fmt.Errorf("demo customers: %w", err)
		}
	}
	return st, g.orders(ctx, sink, &st)
}

// generator holds the catalog and the random source of the orders.
type generator struct {
	o         Options
	items     []item
	bySKU     map[string]item
	pick      []int // catalog indexes, repeated by popularity
	customers int
	rng       *rand.Rand
	serial    int
}

func newGenerator(o Options) *generator {
	g := &generator{o: o, items: catalog(), bySKU: map[string]item{},
		customers: max(10, o.Orders*2/3), rng: rand.New(rand.NewPCG(o.Seed, 0x6f72646572))}
	for i, it := range g.items {
		g.bySKU[it.p.SKU] = it
		weight := 3
		switch {
		case it.p.IsKit():
			weight = 4
		case it.p.Category == "gift" || it.p.Category == "packaging":
			weight = 1
		case it.p.Category == "servo_motor":
			weight = 5
		}
		for range weight {
			g.pick = append(g.pick, i)
		}
	}
	return g
}

// customer i is a function of the seed and i alone, so orders can refer to
// customers without keeping them.
func (g *generator) customer(i int) aftersale.Customer {
	r := rand.New(rand.NewPCG(g.o.Seed, uint64(i)))
	k := countries[r.IntN(len(countries))]
	name := k.names[r.IntN(len(k.names))]
	return aftersale.Customer{Email: fmt.Sprintf("customer%d@%s.example", i, lower(k.code)), Name: name,
		Phone:   fmt.Sprintf("+%02d %03d %04d", 10+r.IntN(89), r.IntN(1000), r.IntN(10000)),
		Country: k.code, Language: k.language}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func (g *generator) countryOf(code string) country {
	for _, k := range countries {
		if k.code == code {
			return k
		}
	}
	return countries[0]
}

// orders generates the orders and their deliveries, a batch at a time.
func (g *generator) orders(ctx context.Context, sink Sink, st *Stats) error {
	for lo := 0; lo < g.o.Orders; lo += g.o.Batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		var os []aftersale.Order
		var ds []aftersale.Delivery
		for n := lo; n < min(lo+g.o.Batch, g.o.Orders); n++ {
			o := g.order(n)
			os = append(os, o)
			od := g.deliveries(o)
			st.Example.note(o, od)
			ds = append(ds, od...)
			st.Lines += len(o.Lines)
			for _, l := range o.Lines {
				st.Serials += len(l.Serials)
			}
		}
		if err := sink.Orders(ctx, os); err != nil {
			return fmt.Errorf("demo orders: %w", err)
		}
		if err := sink.Deliveries(ctx, ds); err != nil {
			return fmt.Errorf("demo deliveries: %w", err)
		}
		st.Orders += len(os)
		st.Deliveries += len(ds)
		if g.o.Progress != nil {
			g.o.Progress(st.Orders)
		}
	}
	return nil
}
