package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/policy"
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
		st, err := svc.WarrantyBySerial(a.ctx, operator, c.Serial)
		if err != nil {
			return lookupError(err)
		}
		items = []workflow.WarrantyStatus{st}
	} else if items, err = svc.WarrantyByOrder(a.ctx, operator, c.Order); err != nil {
		return lookupError(err)
	}
	if c.JSON {
		_, err := a.stdout.Write(api.AppendWarranty(nil, items))
		return err
	}
	return writeWarranty(a.stdout, items)
}

// operator is whoever runs the command on the database: holding every
// record already, it is shown every claim on the article, as staff are.
var operator = aftersale.Actor{UserID: -1, Name: "command line", Role: aftersale.RoleAdmin}

// remedies names the remedies of set, comma-separated.
func remedies(set policy.RemedySet) string {
	var names []string
	for _, r := range set.List() {
		names = append(names, r.String())
	}
	return strings.Join(names, ", ")
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
		if !st.Order.DeliveredOn.IsZero() {
			delivered = st.Order.DeliveredOn.String()
		}
		fmt.Fprintf(tw, "Order\t%s line %d, bought %s (%s), delivered %s\n", st.Order.Number, st.Order.Line,
			st.Order.PurchasedOn, st.Order.Channel, delivered)
		cover := "none"
		if w := st.Decision.Warranty; !w.EndsOn.IsZero() {
			cover = w.StartsOn.String() + " to " + w.EndsOn.String()
		}
		status := "not covered"
		if st.Decision.Warranty.Covered {
			status = fmt.Sprintf("covered, %d days left", *st.DaysLeft)
		}
		fmt.Fprintf(tw, "Warranty\t%s: %s on %s\n", cover, status, st.AsOf)
		fmt.Fprintf(tw, "A fault today\t%s %s (clauses %s)\n", st.Decision.Outcome, remedies(st.Decision.Remedies),
			strings.Join(st.ClauseIDs(), ", "))
		for _, r := range st.ReasonsIn(policy.English) {
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
