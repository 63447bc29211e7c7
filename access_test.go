package aftersale_test

import (
	"testing"

	"github.com/aftersale/aftersale"
)

// TestCustomerSeesOneClaim: a link's customer reaches its claim and no
// other, whoever the other's customer or distributor is.
func TestCustomerSeesOneClaim(t *testing.T) {
	a := aftersale.Claim{Number: "RMA-2026-000001", CustomerEmail: "alice@example.com"}
	b := aftersale.Claim{Number: "RMA-2026-000002", CustomerEmail: "alice@example.com"}
	c := aftersale.Claim{Number: "RMA-2026-000003", CustomerEmail: "bob@example.com", DistributorCode: "DIST-DE"}
	alice := aftersale.CustomerOf(a)
	tests := []struct {
		actor aftersale.Actor
		claim aftersale.Claim
		want  bool
	}{
		{alice, a, true},
		{alice, b, false}, // the same customer's other claim: another link
		{alice, c, false},
		{aftersale.Actor{Role: aftersale.RoleCustomer}, a, false},                             // no claim: nothing
		{aftersale.Actor{Role: aftersale.RoleCustomer, Email: "alice@example.com"}, a, false}, // an e-mail alone is no scope
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleAgent}, c, true},
		{aftersale.Actor{UserID: 2, Role: aftersale.RoleDistributor, DistributorCode: "DIST-DE"}, c, true},
		{aftersale.Actor{UserID: 2, Role: aftersale.RoleDistributor, DistributorCode: "DIST-DE"}, a, false},
	}
	for _, tt := range tests {
		if got := tt.actor.SeesClaim(tt.claim); got != tt.want {
			t.Errorf("%s sees %s: %v, want %v", tt.actor, tt.claim.Number, got, tt.want)
		}
	}
	if alice.Anonymous() {
		t.Error("a link's customer is anonymous")
	}
	for _, code := range []string{"", "DIST-DE"} {
		if alice.SeesDistributor(code) {
			t.Errorf("a customer sees distributor %q's claims", code)
		}
	}
	for p, want := range map[aftersale.Permission]bool{aftersale.ViewClaims: true, aftersale.RespondClaims: true,
		aftersale.OpenClaims: false, aftersale.WorkClaims: false, aftersale.Inspect: false, aftersale.ApproveExceptions: false} {
		if alice.Can(p) != want {
			t.Errorf("customer may %s: %v, want %v", p, !want, want)
		}
	}
	if got := alice.String(); got != "customer alice@example.com" {
		t.Errorf("String() = %q", got)
	}
}
