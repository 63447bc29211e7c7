package aftersale

import "time"

// A claim's secret link lets its customer reach that one claim without an
// account: ClaimLinkPrefix starts the secret (so it is told apart from an API
// token, as_..., at a glance), and the link lasts ClaimLinkLifetime.
const (
	ClaimLinkPrefix   = "cl_"
	ClaimLinkLifetime = 180 * 24 * time.Hour
)

// The e-mail that asks a customer to confirm the address of a claim opened
// without signing in carries a second secret, ClaimConfirmPrefix..., which
// confirms the claim within ClaimConfirmLifetime (the default; the service
// may set another).
const (
	ClaimConfirmPrefix   = "cc_"
	ClaimConfirmLifetime = 7 * 24 * time.Hour
)

// CustomerOf returns the actor of a claim's secret link: the customer of
// that claim and of no other.
func CustomerOf(c Claim) Actor {
	return Actor{Role: RoleCustomer, ClaimNumber: c.Number, CustomerEmail: c.CustomerEmail, Email: c.CustomerEmail}
}
