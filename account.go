package aftersale

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Role is what a user does; it decides what the user may do (Can).
type Role string

// The roles. Staff work every claim; a distributor's users see and act on
// the claims of their own customers only (Actor.DistributorCode).
const (
	RoleAgent       Role = "agent"       // works claims: triage, decide within the policy, talk to customers
	RoleInspector   Role = "inspector"   // records findings on returned goods
	RoleManager     Role = "manager"     // approves refunds, quotes and exceptions; manages users and the policy
	RoleAdmin       Role = "admin"       // everything, including making other admins
	RoleDistributor Role = "distributor" // a distributor's staff, limited to its own customers
	// RoleCustomer is the buyer, reaching one claim by its secret link
	// (Actor.ClaimNumber). Not in Roles(): no user account has it yet.
	RoleCustomer Role = "customer"
)

// Roles lists the roles in the order of the permission table.
func Roles() []Role {
	return []Role{RoleAgent, RoleInspector, RoleManager, RoleAdmin, RoleDistributor}
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Permission is something an actor may be allowed to do.
type Permission string

// The permissions. Claims do not exist yet; the names are the ones their use
// cases will check.
const (
	ViewClaims        Permission = "view_claims"        // read claims (a distributor: its own customers' only)
	OpenClaims        Permission = "open_claims"        // file a claim on a customer's behalf and follow it up
	WorkClaims        Permission = "work_claims"        // triage, decide within the policy, message the customer
	Inspect           Permission = "inspect"            // record findings on received goods
	ApproveExceptions Permission = "approve_exceptions" // approve refunds, quotes and exceptions to the policy
	ManageUsers       Permission = "manage_users"       // add, disable and change non-admin users and their tokens
	ManageAdmins      Permission = "manage_admins"      // grant or take the admin role
	ManagePolicy      Permission = "manage_policy"      // change the seller's policy
	ImportRegistry    Permission = "import_registry"    // import products, orders, customers and deliveries
	// RespondClaims: answer on one's own claim: provide information, accept
	// or decline a quote, write, send evidence (the customer's part).
	RespondClaims Permission = "respond_claims"
)

// permissions is the whole table: role -> what it may do. Admin may do
// everything (Can short-cuts it), so it is absent here.
var permissions = map[Role][]Permission{
	RoleAgent:       {ViewClaims, OpenClaims, WorkClaims},
	RoleInspector:   {ViewClaims, Inspect},
	RoleManager:     {ViewClaims, OpenClaims, WorkClaims, Inspect, ApproveExceptions, ManageUsers, ManagePolicy, ImportRegistry},
	RoleDistributor: {ViewClaims, OpenClaims},
	RoleCustomer:    {ViewClaims, RespondClaims},
}

// Permissions lists every permission, in the order of the table.
func Permissions() []Permission {
	return []Permission{ViewClaims, OpenClaims, WorkClaims, Inspect, ApproveExceptions,
		ManageUsers, ManageAdmins, ManagePolicy, ImportRegistry, RespondClaims}
}

// RoleCan reports whether role r has permission p.
func RoleCan(r Role, p Permission) bool {
	if r == RoleAdmin {
		return slices.Contains(Permissions(), p)
	}
	return slices.Contains(permissions[r], p)
}

// User is a person who signs in: staff, or a distributor's employee.
type User struct {
	ID    int64
	Email string // lower-case; the sign-in name
	Name  string
	Role  Role
	// DistributorCode is the distributor a RoleDistributor user works for;
	// "" for every other role.
	DistributorCode string
	Active          bool // a disabled user cannot sign in and its tokens are refused
	CreatedAt       time.Time
}

// Validate checks what the user must have before it is stored.
func (u User) Validate() error {
	email := NormalizeEmail(u.Email)
	at := strings.LastIndexByte(email, '@')
	switch {
	case at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n"):
		return &Error{Kind: Invalid, Field: "email", Message: fmt.Sprintf("user e-mail %q is not an address", u.Email)}
	case strings.TrimSpace(u.Name) == "":
		return &Error{Kind: Invalid, Field: "name", Message: fmt.Sprintf("user %s has no name", email)}
	case !u.Role.Valid():
		return &Error{Kind: Invalid, Field: "role", Message: fmt.Sprintf("user %s: unknown role %q (one of %s)", email, u.Role, roleList())}
	case u.Role == RoleDistributor && u.DistributorCode == "":
		return &Error{Kind: Invalid, Field: "distributor_code", Message: fmt.Sprintf("user %s: a distributor user needs a distributor code", email)}
	case u.Role != RoleDistributor && u.DistributorCode != "":
		return &Error{Kind: Invalid, Field: "distributor_code", Message: fmt.Sprintf("user %s: only distributor users belong to a distributor", email)}
	}
	return nil
}

func roleList() string {
	names := make([]string, 0, len(Roles()))
	for _, r := range Roles() {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

// APIToken is a machine client's credential, as listed: the secret itself is
// shown once at creation and stored only as a hash.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string // what it is for, such as "erp-sync"
	Prefix     string // the first characters of the secret, to recognise it
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
	RevokedAt  time.Time // zero while valid
}

// Actor is who is calling: a signed-in user, or a user's API token. The zero
// Actor is anonymous.
type Actor struct {
	UserID          int64
	Email           string
	Name            string
	Role            Role
	DistributorCode string // set for RoleDistributor: the claims it may see
	TokenID         int64  // set when the call came with an API token
	TokenName       string
	// ClaimNumber is set for a customer who came with a claim's secret link:
	// the one claim the actor reaches. CustomerEmail is that claim's e-mail.
	ClaimNumber   string
	CustomerEmail string
}

// Anonymous reports whether nobody signed in and no claim link came.
func (a Actor) Anonymous() bool { return a.UserID == 0 && a.ClaimNumber == "" }

// Can reports whether a may do p; the anonymous actor may do nothing.
func (a Actor) Can(p Permission) bool { return !a.Anonymous() && RoleCan(a.Role, p) }

// SeesDistributor reports whether a may see the claims of customers sold
// through the distributor with code ("" for direct sales): staff see every
// claim, a distributor's users only their own customers'. A customer sees no
// distributor's claims as such: ask SeesClaim.
func (a Actor) SeesDistributor(code string) bool {
	if !a.Can(ViewClaims) || a.Role == RoleCustomer {
		return false
	}
	return a.Role != RoleDistributor || (code != "" && code == a.DistributorCode)
}

// SeesClaim reports whether a may see claim c: a customer only the claim of
// its link, everybody else as SeesDistributor says.
func (a Actor) SeesClaim(c Claim) bool {
	if a.Role == RoleCustomer {
		return a.Can(ViewClaims) && a.ClaimNumber != "" && c.Number == a.ClaimNumber
	}
	return a.SeesDistributor(c.DistributorCode)
}

// String names the actor for logs and history, without secrets.
func (a Actor) String() string {
	switch {
	case a.Role == RoleCustomer && a.Email != "":
		// With a claim's link, or a buyer opening a claim without one.
		return "customer " + a.Email
	case a.Anonymous():
		return "anonymous"
	case a.Role == RoleCustomer:
		return "customer of " + a.ClaimNumber
	case a.TokenName != "":
		return fmt.Sprintf("%s (token %q)", a.Email, a.TokenName)
	}
	return a.Email
}

// KeepAnAdmin refuses (Conflict) to take away an active admin's powers (to
// verb it: demote, disable) when no other active admin remains: somebody
// must always be able to manage the users and the policy.
func KeepAnAdmin(isActiveAdmin bool, otherActiveAdmins int, verb string) error {
	if isActiveAdmin && otherActiveAdmins == 0 {
		return &Error{Kind: Conflict, Field: "role",
			Message: "cannot " + verb + " the last active admin: make another user admin first"}
	}
	return nil
}
