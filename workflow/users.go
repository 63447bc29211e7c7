package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/aftersale/aftersale"
)

// UserStore is what managing users needs of the store (store.DB has it).
type UserStore interface {
	// CreateUser stores an active user; a taken e-mail is a Conflict.
	CreateUser(ctx context.Context, u aftersale.User, passwordHash string) (aftersale.User, error)
	ListUsers(ctx context.Context) ([]aftersale.User, error)
	UserByID(ctx context.Context, id int64) (aftersale.User, error)
	UserByEmail(ctx context.Context, email string) (aftersale.User, error)
	// SetPassword ends the user's sessions and revokes its API tokens.
	SetPassword(ctx context.Context, id int64, passwordHash string) error
	// SetRole refuses (Conflict) to demote the last active admin.
	SetRole(ctx context.Context, id int64, role aftersale.Role, distributorCode string) error
	// SetUserActive ends a disabled user's sessions; it refuses (Conflict)
	// to disable the last active admin.
	SetUserActive(ctx context.Context, id int64, active bool) error
}

// PasswordHasher checks a new password against the password rules (an
// Invalid error naming "password") and returns its hash; the auth package
// provides it, so that workflow needs no cryptography.
type PasswordHasher func(password, email string) (string, error)

// Users runs the user administration: managers add, change and disable
// users; only admins grant or take the admin role, or touch an admin.
type Users struct {
	Store UserStore
	Hash  PasswordHasher
}

// NewUser is a user as a manager adds it, with its first password.
type NewUser struct {
	Email           string
	Name            string
	Role            aftersale.Role
	DistributorCode string
	Password        string
}

// List returns every user, by e-mail address.
func (s *Users) List(ctx context.Context, actor aftersale.Actor) ([]aftersale.User, error) {
	if !actor.Can(aftersale.ManageUsers) {
		return nil, forbidden(actor, "manage users")
	}
	return s.Store.ListUsers(ctx)
}

// Add creates an active user with its first password, hashed.
func (s *Users) Add(ctx context.Context, actor aftersale.Actor, in NewUser) (aftersale.User, error) {
	u := aftersale.User{Email: aftersale.NormalizeEmail(in.Email), Name: strings.TrimSpace(in.Name), Role: in.Role,
		DistributorCode: strings.TrimSpace(in.DistributorCode), Active: true}
	if u.Role != aftersale.RoleDistributor {
		u.DistributorCode = ""
	}
	if err := mayManage(actor, u.Role); err != nil {
		return aftersale.User{}, err
	}
	if err := u.Validate(); err != nil {
		return aftersale.User{}, err
	}
	hash, err := s.Hash(in.Password, u.Email)
	if err != nil {
		return aftersale.User{}, err
	}
	u, err = s.Store.CreateUser(ctx, u, hash)
	if err != nil {
		return aftersale.User{}, fmt.Errorf("add user %s: %w", in.Email, err)
	}
	return u, nil
}

// SetRole changes a user's role (and distributor, for the distributor
// role). Nobody changes their own role: a manager cannot lift themself,
// and the last admin keeps the system managed.
func (s *Users) SetRole(ctx context.Context, actor aftersale.Actor, id int64, role aftersale.Role, distributorCode string) (aftersale.User, error) {
	u, err := s.target(ctx, actor, id, "change the role of")
	if err != nil {
		return u, err
	}
	if err := mayManage(actor, role); err != nil {
		return u, err
	}
	if role != aftersale.RoleDistributor {
		distributorCode = ""
	}
	u.Role, u.DistributorCode = role, strings.TrimSpace(distributorCode)
	if err := u.Validate(); err != nil {
		return u, err
	}
	if err := s.Store.SetRole(ctx, id, u.Role, u.DistributorCode); err != nil {
		return u, fmt.Errorf("set role of %s: %w", u.Email, err)
	}
	return u, nil
}

// ByEmail returns the user with e-mail address email.
func (s *Users) ByEmail(ctx context.Context, actor aftersale.Actor, email string) (aftersale.User, error) {
	if !actor.Can(aftersale.ManageUsers) {
		return aftersale.User{}, forbidden(actor, "manage users")
	}
	return s.Store.UserByEmail(ctx, email)
}

// SetPassword replaces a user's password, checked against the password
// rules and hashed; the user's sessions end and its API tokens are revoked,
// since whoever held the old password may have made them.
func (s *Users) SetPassword(ctx context.Context, actor aftersale.Actor, id int64, password string) (aftersale.User, error) {
	u, err := s.target(ctx, actor, id, "set the password of")
	if err != nil {
		return u, err
	}
	hash, err := s.Hash(password, u.Email)
	if err != nil {
		return u, err
	}
	if err := s.Store.SetPassword(ctx, id, hash); err != nil {
		return u, fmt.Errorf("set the password of %s: %w", u.Email, err)
	}
	return u, nil
}

// SetActive enables or disables a user; a disabled user cannot sign in and
// its sessions end. Nobody disables themself.
func (s *Users) SetActive(ctx context.Context, actor aftersale.Actor, id int64, active bool) (aftersale.User, error) {
	u, err := s.target(ctx, actor, id, "disable or enable")
	if err != nil {
		return u, err
	}
	if err := s.Store.SetUserActive(ctx, id, active); err != nil {
		return u, fmt.Errorf("set %s active=%t: %w", u.Email, active, err)
	}
	u.Active = active
	return u, nil
}

// target reads the user an administrator changes, and checks the actor
// may change it: not themself, and an admin only if the actor is one.
func (s *Users) target(ctx context.Context, actor aftersale.Actor, id int64, what string) (aftersale.User, error) {
	if !actor.Can(aftersale.ManageUsers) {
		return aftersale.User{}, forbidden(actor, "manage users")
	}
	u, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return u, err
	}
	if u.ID == actor.UserID {
		return u, &aftersale.Error{Kind: aftersale.Conflict, Field: "id", Message: fmt.Sprintf(
			"you cannot %s yourself: ask another manager or admin", what)}
	}
	return u, mayManage(actor, u.Role)
}

// mayManage checks the actor may manage users of role r: every role but
// admin needs ManageUsers, admin needs ManageAdmins.
func mayManage(actor aftersale.Actor, r aftersale.Role) error {
	if !actor.Can(aftersale.ManageUsers) {
		return forbidden(actor, "manage users")
	}
	if r == aftersale.RoleAdmin && !actor.Can(aftersale.ManageAdmins) {
		return &aftersale.Error{Kind: aftersale.Forbidden, Field: "role", Message: "only an admin may grant or take the admin role"}
	}
	return nil
}
