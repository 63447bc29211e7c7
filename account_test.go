package aftersale_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
)

// TestPermissionTable spells out the whole table, one row per permission and
// one column per role, so a change to it shows up here.
func TestPermissionTable(t *testing.T) {
	// Columns: agent, inspector, manager, admin, distributor.
	want := map[aftersale.Permission]string{
		aftersale.ViewClaims:        "yyyyy",
		aftersale.OpenClaims:        "y.yyy",
		aftersale.WorkClaims:        "y.yy.",
		aftersale.Inspect:           ".yyy.",
		aftersale.ApproveExceptions: "..yy.",
		aftersale.ManageUsers:       "..yy.",
		aftersale.ManageAdmins:      "...y.",
		aftersale.ManagePolicy:      "..yy.",
		aftersale.ImportRegistry:    "..yy.",
		aftersale.RespondClaims:     "...y.", // and the customer's, who is not a user role
	}
	if len(want) != len(aftersale.Permissions()) {
		t.Fatalf("the table has %d permissions, Permissions() %d", len(want), len(aftersale.Permissions()))
	}
	for _, p := range aftersale.Permissions() {
		var got strings.Builder
		for _, r := range aftersale.Roles() {
			a := aftersale.Actor{UserID: 1, Role: r}
			if a.Can(p) != aftersale.RoleCan(r, p) {
				t.Errorf("%s %s: Actor.Can and RoleCan disagree", r, p)
			}
			if a.Can(p) {
				got.WriteByte('y')
			} else {
				got.WriteByte('.')
			}
		}
		if got.String() != want[p] {
			t.Errorf("%s: %s, want %s (agent inspector manager admin distributor)", p, got.String(), want[p])
		}
		if (aftersale.Actor{Role: aftersale.RoleAdmin}).Can(p) {
			t.Errorf("an anonymous actor with a role may %s", p)
		}
	}
	if (aftersale.Actor{UserID: 1, Role: "boss"}).Can(aftersale.ViewClaims) {
		t.Error("an unknown role may view claims")
	}
	if (aftersale.Actor{UserID: 1, Role: aftersale.RoleAdmin}).Can("launch_rockets") {
		t.Error("admin may do an unknown permission")
	}
}

func TestSeesDistributor(t *testing.T) {
	dist := aftersale.Actor{UserID: 2, Role: aftersale.RoleDistributor, DistributorCode: "DIST-DE"}
	agent := aftersale.Actor{UserID: 3, Role: aftersale.RoleAgent}
	tests := []struct {
		actor aftersale.Actor
		code  string
		want  bool
	}{
		{dist, "DIST-DE", true},
		{dist, "DIST-FR", false},
		{dist, "", false}, // direct sales are not its customers
		{agent, "DIST-FR", true},
		{agent, "", true},
		{aftersale.Actor{}, "", false},
		{aftersale.Actor{UserID: 4, Role: aftersale.RoleDistributor}, "", false},
	}
	for _, tt := range tests {
		if got := tt.actor.SeesDistributor(tt.code); got != tt.want {
			t.Errorf("%+v sees %q: %v, want %v", tt.actor, tt.code, got, tt.want)
		}
	}
}

func TestActorString(t *testing.T) {
	for a, want := range map[aftersale.Actor]string{
		{}:                                  "anonymous",
		{UserID: 1, Email: "a@example.com"}: "a@example.com",
		{UserID: 1, Email: "a@example.com", TokenID: 2, TokenName: "erp"}: `a@example.com (token "erp")`,
		{Role: aftersale.RoleCustomer, ClaimNumber: "RMA-1"}:              "customer of RMA-1",
		{Role: aftersale.RoleCustomer, Email: "ann@example.com"}:          "customer ann@example.com",
	} {
		if got := a.String(); got != want {
			t.Errorf("%+v: %q, want %q", a, got, want)
		}
	}
}

func TestUserValidate(t *testing.T) {
	ok := aftersale.User{Email: "A@Example.com", Name: "A", Role: aftersale.RoleAgent}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid user: %v", err)
	}
	tests := []struct {
		mutate func(*aftersale.User)
		field  string
	}{
		{func(u *aftersale.User) { u.Email = "@example.com" }, "email"},
		{func(u *aftersale.User) { u.Email = "a@" }, "email"},
		{func(u *aftersale.User) { u.Email = "a b@example.com" }, "email"},
		{func(u *aftersale.User) { u.Name = " " }, "name"},
		{func(u *aftersale.User) { u.Role = "" }, "role"},
		{func(u *aftersale.User) { u.Role = aftersale.RoleDistributor }, "distributor_code"},
		{func(u *aftersale.User) { u.DistributorCode = "D" }, "distributor_code"},
	}
	for _, tt := range tests {
		u := ok
		tt.mutate(&u)
		err := u.Validate()
		var e *aftersale.Error
		if aftersale.KindOf(err) != aftersale.Invalid || !asError(err, &e) || e.Field != tt.field {
			t.Errorf("%+v: %v, want Invalid on %s", u, err, tt.field)
		}
	}
}

func asError(err error, target **aftersale.Error) bool {
	e, ok := err.(*aftersale.Error)
	*target = e
	return ok
}

func TestKeepAnAdmin(t *testing.T) {
	tests := []struct {
		admin  bool
		others int
		refuse bool
	}{
		{true, 0, true},
		{true, 1, false},
		{false, 0, false},
		{false, 3, false},
	}
	for _, tt := range tests {
		err := aftersale.KeepAnAdmin(tt.admin, tt.others, "demote")
		if (err != nil) != tt.refuse || (err != nil && aftersale.KindOf(err) != aftersale.Conflict) {
			t.Errorf("admin %v, %d other admins: %v, want refused %v as a conflict", tt.admin, tt.others, err, tt.refuse)
		}
	}
}
