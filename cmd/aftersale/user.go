package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/store"
	"golang.org/x/term"
)

type userCmd struct {
	Add         userAddCmd         `cmd:"" help:"Add a user (the first admin, say); the password comes from --password-stdin or a prompt."`
	List        userListCmd        `cmd:"" help:"List the users."`
	SetRole     userSetRoleCmd     `cmd:"" name:"set-role" help:"Change a user's role."`
	SetPassword userSetPasswordCmd `cmd:"" name:"set-password" help:"Replace a user's password; the user's sessions end and its API tokens are revoked."`
	Disable     userDisableCmd     `cmd:"" help:"Disable a user: no sign-in, sessions ended, API tokens revoked for good."`
	Enable      userEnableCmd      `cmd:"" help:"Enable a disabled user again (its old API tokens stay revoked)."`
}

type passwordFlag struct {
	PasswordStdin bool `name:"password-stdin" help:"Read the password from the first line of standard input instead of prompting."`
}

type userAddCmd struct {
	Email       string `required:"" help:"E-mail address: the sign-in name."`
	Name        string `required:"" help:"Full name."`
	Role        string `required:"" enum:"agent,inspector,manager,admin,distributor" help:"One of: ${enum}."`
	Distributor string `help:"Distributor code, for the distributor role." placeholder:"CODE"`
	passwordFlag
}

func (c userAddCmd) Run(a *app) error {
	u := aftersale.User{Email: aftersale.NormalizeEmail(c.Email), Name: c.Name, Role: aftersale.Role(c.Role), DistributorCode: c.Distributor}
	if err := u.Validate(); err != nil {
		return accountError("user add", err)
	}
	hash, err := a.newPassword(c.PasswordStdin, u.Email)
	if err != nil {
		return err
	}
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	u, err = db.CreateUser(a.ctx, u, hash)
	if err != nil {
		return accountError("user add", err)
	}
	_, err = fmt.Fprintf(a.stdout, "added %s (%s), user %d\n", u.Email, u.Role, u.ID)
	return err
}

type userListCmd struct{}

func (userListCmd) Run(a *app) error {
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.ListUsers(a.ctx)
	if err != nil {
		return fmt.Errorf("user list: %w", err)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tDISTRIBUTOR\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		if !u.Active {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, orDash(u.DistributorCode), status, u.CreatedAt.Format(time.DateOnly))
	}
	return tw.Flush()
}

type userSetRoleCmd struct {
	Email       string `arg:"" help:"The user's e-mail address."`
	Role        string `arg:"" enum:"agent,inspector,manager,admin,distributor" help:"One of: ${enum}."`
	Distributor string `help:"Distributor code, for the distributor role." placeholder:"CODE"`
}

func (c userSetRoleCmd) Run(a *app) error {
	return a.withUser("user set-role", c.Email, func(db *store.DB, u aftersale.User) (string, error) {
		err := db.SetRole(a.ctx, u.ID, aftersale.Role(c.Role), c.Distributor)
		return fmt.Sprintf("%s is now %s", u.Email, c.Role), err
	})
}

type userSetPasswordCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
	passwordFlag
}

func (c userSetPasswordCmd) Run(a *app) error {
	hash, err := a.newPassword(c.PasswordStdin, c.Email)
	if err != nil {
		return err
	}
	return a.withUser("user set-password", c.Email, func(db *store.DB, u aftersale.User) (string, error) {
		return "password of " + u.Email + " changed; its sessions ended and its API tokens were revoked (aftersale token create issues new ones)",
			db.SetPassword(a.ctx, u.ID, hash)
	})
}

type userDisableCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c userDisableCmd) Run(a *app) error {
	return a.withUser("user disable", c.Email, func(db *store.DB, u aftersale.User) (string, error) {
		return u.Email + " disabled; its sessions ended and its API tokens were revoked", db.SetUserActive(a.ctx, u.ID, false)
	})
}

type userEnableCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c userEnableCmd) Run(a *app) error {
	return a.withUser("user enable", c.Email, func(db *store.DB, u aftersale.User) (string, error) {
		return u.Email + " enabled", db.SetUserActive(a.ctx, u.ID, true)
	})
}

// withUser opens the store, finds the user by e-mail and runs fn, printing
// its message on success.
func (a *app) withUser(cmd, email string, fn func(*store.DB, aftersale.User) (string, error)) error {
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

// accountError makes the caller's mistakes (a taken e-mail, an unknown
// user, a bad role) exit 2 with the store's message.
func accountError(cmd string, err error) error {
	switch aftersale.KindOf(err) {
	case aftersale.Invalid, aftersale.NotFound, aftersale.Conflict:
		return badInput(fmt.Errorf("%s: %s", cmd, aftersale.MessageOf(err)))
	}
	return fmt.Errorf("%s: %w", cmd, err)
}

// newPassword reads a password, checks it against the policy and returns its
// argon2id hash. The password itself never leaves this function.
func (a *app) newPassword(fromStdin bool, email string) (string, error) {
	var password string
	var err error
	if fromStdin {
		password, err = readLine(a.stdin)
	} else {
		password, err = a.promptPassword()
	}
	if err != nil {
		return "", err
	}
	if err := auth.CheckPassword(password, email); err != nil {
		return "", badInput(fmt.Errorf("%s; choose a longer one (a passphrase of several words works well)", aftersale.MessageOf(err)))
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return "", err
	}
	return hash, nil
}

// readLine reads the first line of r, without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", badInput(errors.New("--password-stdin: standard input is empty"))
		}
		return "", fmt.Errorf("read the password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// promptPassword asks twice on the terminal, without echo.
func (a *app) promptPassword() (string, error) {
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", badInput(errors.New("standard input is not a terminal: give the password with --password-stdin"))
	}
	var entered [2]string
	for i, prompt := range []string{"Password: ", "Repeat the password: "} {
		fmt.Fprint(a.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		entered[i] = string(b)
	}
	if entered[0] != entered[1] {
		return "", badInput(errors.New("the two passwords differ"))
	}
	return entered[0], nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
