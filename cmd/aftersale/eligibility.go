package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
	"github.com/aftersale/aftersale/store"
)

type eligibilityCmd struct{}

// maxFactsBytes bounds what is read from standard input.
const maxFactsBytes = 1 << 20

func (eligibilityCmd) Run(a *app) error {
	p, err := a.loadPolicy()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(a.stdin, maxFactsBytes+1))
	if err != nil {
		return fmt.Errorf("eligibility: read standard input: %w", err)
	}
	if len(data) > maxFactsBytes {
		return badInput(fmt.Errorf("eligibility: the facts are over %d bytes", maxFactsBytes))
	}
	lookup, closeDB, err := a.registryLookup(p, data)
	if err != nil {
		return err
	}
	defer closeDB()
	facts, err := policyjson.ParseFactsFor(p, data, lookup)
	var ie *policy.InputError
	var se *policyjson.SyntaxError
	if errors.As(err, &ie) || errors.As(err, &se) {
		return badInput(fmt.Errorf("eligibility: %w", err))
	}
	if err != nil {
		return fmt.Errorf("eligibility: %w", err)
	}
	d, err := p.Decide(&facts)
	if err != nil {
		return badInput(fmt.Errorf("eligibility: %w", err))
	}
	out, err := json.Marshal(policyjson.FromDecision(&d))
	if err != nil {
		return fmt.Errorf("eligibility: encode the decision: %w", err)
	}
	_, err = a.stdout.Write(append(out, '\n'))
	return err
}

// registryLookup opens the registry when the facts name a serial or a SKU and
// a database exists, so that eligibility takes the product and the sale from
// it; a plain decision from facts never creates a database.
func (a *app) registryLookup(p *policy.Policy, facts []byte) (func(*policy.Facts) error, func(), error) {
	noop := func() {}
	if !bytes.Contains(facts, []byte(`"serial"`)) && !bytes.Contains(facts, []byte(`"sku"`)) {
		return nil, noop, nil
	}
	if !store.IsPostgresDSN(a.dsn()) {
		if _, err := os.Stat(a.dsn()); err != nil {
			return nil, noop, nil
		}
	}
	db, err := a.openStore()
	if err != nil {
		return nil, noop, err
	}
	svc, err := a.service(p, db)
	if err != nil {
		db.Close()
		return nil, noop, err
	}
	lookup := func(f *policy.Facts) error { return svc.CompleteFacts(context.WithoutCancel(a.ctx), f) }
	return lookup, func() { db.Close() }, nil
}
