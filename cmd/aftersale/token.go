package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/store"
)

type tokenCmd struct {
	Create tokenCreateCmd `cmd:"" help:"Create an API token for a user and print it, once."`
	List   tokenListCmd   `cmd:"" help:"List a user's API tokens (never the secrets)."`
	Revoke tokenRevokeCmd `cmd:"" help:"Revoke an API token by its id."`
}

type tokenCreateCmd struct {
	User string `required:"" help:"The e-mail address of the user the token acts as." placeholder:"EMAIL"`
	Name string `required:"" help:"What the token is for, such as erp-sync."`
}

// Run prints the secret alone on standard output, so scripts can capture it;
// the advice goes to standard error.
func (c tokenCreateCmd) Run(a *app) error {
	return a.withTokenUser("token create", c.User, func(db *store.DB, u aftersale.User) (string, error) {
		nt, err := auth.GenerateToken()
		if err != nil {
			return "", err
		}
		t, err := db.CreateToken(a.ctx, u.ID, c.Name, nt.Prefix, nt.Hash)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(a.stderr, "token %d %q for %s (%s): store it now, it is not shown again\n", t.ID, t.Name, u.Email, u.Role)
		return nt.Secret, nil
	})
}

type tokenListCmd struct {
	User string `required:"" help:"The e-mail address of the user." placeholder:"EMAIL"`
}

func (c tokenListCmd) Run(a *app) error {
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(a.ctx, c.User)
	if err != nil {
		return accountError("token list", err)
	}
	tokens, err := db.ListTokens(a.ctx, u.ID)
	if err != nil {
		return fmt.Errorf("token list: %w", err)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tNAME\tCREATED\tLAST USED\tREVOKED")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Name, stamp(t.CreatedAt), stamp(t.LastUsedAt), stamp(t.RevokedAt))
	}
	return tw.Flush()
}

type tokenRevokeCmd struct {
	ID string `arg:"" help:"The token's id (aftersale token list)."`
}

func (c tokenRevokeCmd) Run(a *app) error {
	id, err := strconv.ParseInt(c.ID, 10, 64)
	if err != nil || id <= 0 {
		return badInput(fmt.Errorf("token revoke: %q is not a token id (a number from aftersale token list)", c.ID))
	}
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RevokeToken(a.ctx, id); err != nil {
		return accountError("token revoke", err)
	}
	_, err = fmt.Fprintf(a.stdout, "token %d revoked\n", id)
	return err
}

// stamp formats a UTC time to the minute, "-" for never.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

// withTokenUser opens the store, finds the user by e-mail and runs fn,
// printing its message on success.
func (a *app) withTokenUser(cmd, email string, fn func(*store.DB, aftersale.User) (string, error)) error {
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(a.ctx, email)
	if err != nil {
		return accountError(cmd, err)
	}
	msg, err := fn(db, u)
	if err != nil {
		return accountError(cmd, err)
	}
	_, err = fmt.Fprintln(a.stdout, msg)
	return err
}
