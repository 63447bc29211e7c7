package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/aftersale/aftersale"
)

// Warning is something staff should notice on a claim before deciding.
type Warning struct {
	Code    string // serial_in_other_claim, frequent_claimant, serial_not_sold
	Line    int    // the claim line it is about; 0: the whole claim
	Message string
	// The facts of the message, for readers in other languages.
	Serial string   // the serial the warning is about
	Proof  string   // serial_not_sold: the proof of purchase given
	Claims []string // serial_in_other_claim: the other open claims
	Email  string   // frequent_claimant: the customer
	Count  int      // frequent_claimant: how many claims the customer has filed
}

// WarningReader is what the warnings read of the store.
type WarningReader interface {
	OpenClaimsWithSerial(ctx context.Context, serial string, exceptID int64) ([]string, error)
	ClaimsOfCustomer(ctx context.Context, email string) (int, error)
}

// frequentClaims is how many claims make a customer worth a second look.
const frequentClaims = 3

// Warnings lists what staff should notice on claim c: the same serial in
// another open claim, a customer with many claims, a serial the seller did
// not sell. Only staff who work claims see them.
func (s *Claims) Warnings(ctx context.Context, actor aftersale.Actor, c aftersale.Claim) ([]Warning, error) {
	if !actor.Can(aftersale.WorkClaims) || s.Warn == nil {
		return nil, nil
	}
	var out []Warning
	for _, l := range c.Lines {
		if l.Serial == "" {
			continue
		}
		if l.OrderNumber == "" {
			out = append(out, Warning{Code: "serial_not_sold", Line: l.Line, Serial: l.Serial, Proof: l.ProofDocument, Message: fmt.Sprintf(
				"serial %s is not in the registry: the seller did not sell this unit (bought elsewhere, proof %q)", l.Serial, l.ProofDocument)})
		}
		others, err := s.Warn.OpenClaimsWithSerial(ctx, l.Serial, c.ID)
		if err != nil {
			return nil, err
		}
		if len(others) > 0 {
			out = append(out, Warning{Code: "serial_in_other_claim", Line: l.Line, Serial: l.Serial, Claims: others, Message: fmt.Sprintf(
				"serial %s is also in open claim %s", l.Serial, strings.Join(others, ", "))})
		}
	}
	if c.CustomerEmail != "" {
		n, err := s.Warn.ClaimsOfCustomer(ctx, c.CustomerEmail)
		if err != nil {
			return nil, err
		}
		if n >= frequentClaims {
			out = append(out, Warning{Code: "frequent_claimant", Email: c.CustomerEmail, Count: n, Message: fmt.Sprintf("%s has filed %d claims", c.CustomerEmail, n)})
		}
	}
	return out, nil
}
