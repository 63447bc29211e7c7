package main

import (
	"encoding/json"
	"fmt"
	"io"
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
	facts, err := p.ParseFacts(data)
	if err != nil {
		return badInput(fmt.Errorf("eligibility: %w", err))
	}
	d, err := p.Decide(&facts)
	if err != nil {
		return badInput(fmt.Errorf("eligibility: %w", err))
	}
	out, err := json.Marshal(d.JSON())
	if err != nil {
		return fmt.Errorf("eligibility: encode the decision: %w", err)
	}
	_, err = a.stdout.Write(append(out, '\n'))
	return err
}
