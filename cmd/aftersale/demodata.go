package main

import (
	"fmt"
	"time"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/demo"
	"github.com/aftersale/aftersale/importer"
)

type demoDataCmd struct {
	Orders int    `default:"1000" help:"Orders to generate."`
	Seed   uint64 `default:"1" help:"Random seed: the same seed (and --today) gives the same data."`
	Today  string `placeholder:"YYYY-MM-DD" help:"The day the data ends (purchases fall in the two years before); default: today in the policy's time zone."`
	Out    string `type:"path" placeholder:"DIR" help:"Write the CSV files 'aftersale import' reads into DIR instead of the database."`
}

func (c demoDataCmd) Run(a *app) error {
	if c.Orders < 0 {
		return badInput(fmt.Errorf("demo-data: --orders %d is negative", c.Orders))
	}
	var today date.Date
	if c.Today != "" {
		d, err := date.Parse(c.Today)
		if err != nil {
			return badInput(fmt.Errorf("demo-data: --today: %w", err))
		}
		today = d
	} else {
		p, err := a.loadPolicy()
		if err != nil {
			return err
		}
		if today, err = todayIn(p); err != nil {
			return err
		}
	}
	bar := newProgress(a.stderr, int64(c.Orders), "demo-data", "orders")
	o := demo.Options{Orders: c.Orders, Seed: c.Seed, Today: today,
		Progress: func(n int) { bar.update(importer.Progress{Rows: n, Bytes: int64(n)}) }}
	start := time.Now()
	var st demo.Stats
	var err error
	where := c.Out
	if c.Out != "" {
		st, err = demo.WriteCSV(a.ctx, c.Out, o)
	} else {
		db, openErr := a.openStore()
		if openErr != nil {
			return openErr
		}
		defer db.Close()
		where = db.Engine() + " database"
		st, err = demo.Store(a.ctx, db, o)
	}
	bar.done()
	if err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	secs := max(time.Since(start).Seconds(), 1e-6)
	fmt.Fprintf(a.stdout, "%s: %d products (%d kits), %d distributors, %s customers, %s orders, %s lines, %s serials, %s deliveries (%s orders/s)\n",
		where, st.Products, st.Kits, st.Distributors, thousands(st.Customers), thousands(st.Orders), thousands(st.Lines),
		thousands(st.Serials), thousands(st.Deliveries), thousands(int(float64(st.Orders)/secs)))
	if c.Out != "" {
		fmt.Fprintf(a.stdout, "import them in this order:\n")
		for _, f := range demo.Files {
			fmt.Fprintf(a.stdout, "  aftersale import %s %s\n", f.Kind, c.Out+"/"+f.Name)
		}
	}
	return nil
}
