package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

type warrantyCmd struct {
	Serial string `arg:"" optional:"" help:"The serial number to look up."`
	Order  string `help:"Look up every line and kit component of this order instead." placeholder:"NUMBER"`
	JSON   bool   `name:"json" help:"Print JSON, as GET /api/v1/warranty does."`
}

func (c warrantyCmd) Run(a *app) error {
	if (c.Serial == "") == (c.Order == "") {
		return badInput(errors.New("warranty: give a serial number or --order NUMBER"))
	}
	p, err := a.loadPolicy()
	if err != nil {
		return err
	}
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := a.service(p, db)
	if err != nil {
		return err
	}
	var items []workflow.WarrantyStatus
	if c.Serial != "" {
		st, err := svc.WarrantyBySerial(a.ctx, c.Serial)
		if err != nil {
			return lookupError(err)
		}
		items = []workflow.WarrantyStatus{st}
	} else if items, err = svc.WarrantyByOrder(a.ctx, c.Order); err != nil {
		return lookupError(err)
	}
	if c.JSON {
		return json.NewEncoder(a.stdout).Encode(map[string]any{"items": items})
	}
	return writeWarranty(a.stdout, items)
}

// lookupError makes "not found" a caller's mistake (exit 2).
func lookupError(err error) error {
	switch aftersale.KindOf(err) {
	case aftersale.NotFound, aftersale.Invalid:
		return badInput(fmt.Errorf("warranty: %s", aftersale.MessageOf(err)))
	}
	return fmt.Errorf("warranty: %w", err)
}

func writeWarranty(w io.Writer, items []workflow.WarrantyStatus) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, st := range items {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		name := st.SKU + " " + st.Product
		if st.KitSKU != "" {
			name += " (in kit " + st.KitSKU + ")"
		}
		fmt.Fprintf(tw, "Product\t%s\n", name)
		if len(st.Serials) > 0 {
			fmt.Fprintf(tw, "Serial\t%s\n", strings.Join(st.Serials, ", "))
		}
		fmt.Fprintf(tw, "Category\t%s\n", st.Category)
		delivered := "not known"
		if st.Order.DeliveredOn != nil {
			delivered = *st.Order.DeliveredOn
		}
		fmt.Fprintf(tw, "Order\t%s line %d, bought %s (%s), delivered %s\n", st.Order.Number, st.Order.Line,
			st.Order.PurchasedOn, st.Order.Channel, delivered)
		cover := "none"
		if st.Warranty.EndsOn != nil {
			cover = st.Warranty.StartsOn + " to " + *st.Warranty.EndsOn
		}
		status := "not covered"
		if st.Warranty.Covered {
			status = fmt.Sprintf("covered, %d days left", *st.DaysLeft)
		}
		fmt.Fprintf(tw, "Warranty\t%s: %s on %s\n", cover, status, st.AsOf)
		fmt.Fprintf(tw, "A fault today\t%s %s (clauses %s)\n", st.Decision.Outcome, strings.Join(st.Decision.Remedies, ", "),
			strings.Join(st.Decision.Clauses, ", "))
		for _, r := range st.Decision.Reasons {
			fmt.Fprintf(tw, "\t%s\n", r)
		}
		for i, c := range st.Claims {
			label := ""
			if i == 0 {
				label = "Earlier claims"
			}
			fmt.Fprintf(tw, "%s\t%s %s, %s, reported %s\n", label, c.Number, c.Request, c.Status, c.ReportedOn)
		}
	}
	return tw.Flush()
}
