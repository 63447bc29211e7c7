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
	"github.com/aftersale/aftersale/workflow"
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
	password, err := a.readPassword(c.PasswordStdin)
	if err != nil {
		return err
	}
	return a.withUsers("user add", func(users *workflow.Users) (string, error) {
		u, err := users.Add(a.ctx, operator, workflow.NewUser{Email: u.Email, Name: u.Name, Role: u.Role,
			DistributorCode: u.DistributorCode, Password: password})
		return fmt.Sprintf("added %s (%s), user %d", u.Email, u.Role, u.ID), err
	})
}

type userListCmd struct{}

func (userListCmd) Run(a *app) error {
	return a.withUsers("user list", func(users *workflow.Users) (string, error) {
		list, err := users.List(a.ctx, operator)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tDISTRIBUTOR\tSTATUS\tCREATED")
		for _, u := range list {
			status := "active"
			if !u.Active {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, orDash(u.DistributorCode), status, u.CreatedAt.Format(time.DateOnly))
		}
		err = tw.Flush()
		return strings.TrimSuffix(b.String(), "\n"), err
	})
}

type userSetRoleCmd struct {
	Email       string `arg:"" help:"The user's e-mail address."`
	Role        string `arg:"" enum:"agent,inspector,manager,admin,distributor" help:"One of: ${enum}."`
	Distributor string `help:"Distributor code, for the distributor role." placeholder:"CODE"`
}

func (c userSetRoleCmd) Run(a *app) error {
	return a.withUser("user set-role", c.Email, func(users *workflow.Users, u aftersale.User) (string, error) {
		u, err := users.SetRole(a.ctx, operator, u.ID, aftersale.Role(c.Role), c.Distributor)
		return fmt.Sprintf("%s is now %s", u.Email, c.Role), err
	})
}

type userSetPasswordCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
	passwordFlag
}

func (c userSetPasswordCmd) Run(a *app) error {
	password, err := a.readPassword(c.PasswordStdin)
	if err != nil {
		return err
	}
	return a.withUser("user set-password", c.Email, func(users *workflow.Users, u aftersale.User) (string, error) {
		_, err := users.SetPassword(a.ctx, operator, u.ID, password)
		return "password of " + u.Email + " changed; its sessions ended and its API tokens were revoked (aftersale token create issues new ones)", err
	})
}

type userDisableCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c userDisableCmd) Run(a *app) error {
	return a.withUser("user disable", c.Email, func(users *workflow.Users, u aftersale.User) (string, error) {
		_, err := users.SetActive(a.ctx, operator, u.ID, false)
		return u.Email + " disabled; its sessions ended and its API tokens were revoked", err
	})
}

type userEnableCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c userEnableCmd) Run(a *app) error {
	return a.withUser("user enable", c.Email, func(users *workflow.Users, u aftersale.User) (string, error) {
		_, err := users.SetActive(a.ctx, operator, u.ID, true)
		return u.Email + " enabled", err
	})
}

// withUsers opens the store and runs fn with the user administration's use
// cases, the same the pages use, printing fn's message on success.
func (a *app) withUsers(cmd string, fn func(*workflow.Users) (string, error)) error {
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	msg, err := fn(&workflow.Users{Store: db, Hash: hashNewPassword})
	if err != nil {
		return accountError(cmd, err)
	}
	_, err = fmt.Fprintln(a.stdout, msg)
	return err
}

// withUser is withUsers for the user with e-mail address email.
func (a *app) withUser(cmd, email string, fn func(*workflow.Users, aftersale.User) (string, error)) error {
	return a.withUsers(cmd, func(users *workflow.Users) (string, error) {
		u, err := users.ByEmail(a.ctx, operator, email)
		if err != nil {
			return "", err
		}
		return fn(users, u)
	})
}

// accountError makes the caller's mistakes (a taken e-mail, an unknown
// user, a bad role) exit 2 with the store's message.
func accountError(cmd string, err error) error {
	switch aftersale.KindOf(err) {
	case aftersale.Invalid, aftersale.NotFound, aftersale.Conflict:
		msg := aftersale.MessageOf(err)
		if e := (*aftersale.Error)(nil); errors.As(err, &e) && e.Field == "password" {
			msg += "; choose a longer one (a passphrase of several words works well)"
		}
		return badInput(fmt.Errorf("%s: %s", cmd, msg))
	}
	return fmt.Errorf("%s: %w", cmd, err)
}

// readPassword reads a new password from the first line of standard input
// or, without fromStdin, from the terminal; the use case checks it against
// the password rules and hashes it.
func (a *app) readPassword(fromStdin bool) (string, error) {
	if fromStdin {
		return readLine(a.stdin)
	}
	return a.promptPassword()
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
