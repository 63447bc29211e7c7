package workflow

import (
	"strings"

	"github.com/aftersale/aftersale"
)

// team is how a customer sees the seller's people: a claim's customer
// learns what was done, not which employee did it or why a manager made an
// exception.
const team = "after-sales team"

// shownTo returns name as actor may see it: to a customer, anyone but the
// customer himself is the after-sales team.
func shownTo(actor aftersale.Actor, name string) string {
	if actor.Role != aftersale.RoleCustomer || strings.HasPrefix(name, "customer") || name == "" {
		return name
	}
	return team
}

// redactClaim hides the seller's people from a customer.
func redactClaim(actor aftersale.Actor, c aftersale.Claim) aftersale.Claim {
	if actor.Role != aftersale.RoleCustomer {
		return c
	}
	c.OpenedBy = shownTo(actor, c.OpenedBy)
	lines := make([]aftersale.ClaimLine, len(c.Lines))
	for i, l := range c.Lines {
		if l.Exception != nil {
			l.Exception = &aftersale.Exception{By: team, Reason: "an exception to the policy, granted by the after-sales team", At: l.Exception.At}
		}
		lines[i] = l
	}
	c.Lines = lines
	return c
}
