package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aftersale/aftersale/policy"
)

type policyCmd struct {
	Show  policyShowCmd  `cmd:"" help:"Print the active policy as a table: clause, rule, numbers."`
	Check policyCheckCmd `cmd:"" help:"Validate a policy file and say what is wrong with it."`
}

type policyShowCmd struct {
	Clauses bool `help:"Also print the text of every clause."`
}

func (c policyShowCmd) Run(a *app) error {
	p, err := a.loadPolicy()
	if err != nil {
		return err
	}
	return writePolicy(a.stdout, p, c.Clauses)
}

func writePolicy(w io.Writer, p *policy.Policy, clauses bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Policy of %s (%s), dates in %s\n", p.Seller, p.Source, p.TimeZone)
	for i, v := range p.Versions {
		until := ""
		if i+1 < len(p.Versions) {
			until = " until " + p.Versions[i+1].EffectiveFrom.AddDays(-1).String()
		}
		fmt.Fprintf(tw, "\nVersion %s: purchases from %s%s\n\n", v.ID, v.EffectiveFrom, until)
		fmt.Fprintln(tw, "CLAUSE\tRULE\tNUMBERS")
		for _, r := range v.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Clause, r.Rule, r.Numbers)
		}
		if clauses {
			fmt.Fprintln(tw, "\nCLAUSE\tTEXT\t")
			for _, c := range v.Clauses {
				fmt.Fprintf(tw, "%s\t%s\t\n", c.ID, c.Text)
			}
		}
	}
	return tw.Flush()
}

type policyCheckCmd struct {
	File string `arg:"" type:"path" help:"The policy file to check."`
}

func (c policyCheckCmd) Run(a *app) error {
	p, err := policy.Load(c.File)
	var le *policy.LoadError
	if errors.As(err, &le) {
		fmt.Fprintln(a.stderr, le.Error())
		return fmt.Errorf("policy check: %s has %d problem(s)", c.File, len(le.Problems))
	}
	if err != nil {
		return fmt.Errorf("policy check: %w", err)
	}
	ids := make([]string, 0, len(p.Versions))
	for _, v := range p.Versions {
		ids = append(ids, fmt.Sprintf("%s from %s (%d clauses, %d categories)", v.ID, v.EffectiveFrom, len(v.Clauses), len(v.Categories)))
	}
	_, err = fmt.Fprintf(a.stdout, "%s: ok: %s\n", c.File, strings.Join(ids, "; "))
	return err
}
