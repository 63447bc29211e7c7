// Command aftersale is the returns and warranty system: one binary with
// subcommands (aftersale help).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // policy time zones resolve on machines without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aftersale: "+oneLine(err.Error()))
	}
	os.Exit(exitCode(err))
}

// Exit codes: 0 success, 1 failure, 2 bad input or usage.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// usageError is a mistake of the caller: bad flags or bad input (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func badInput(err error) error { return &usageError{err: err} }

// oneLine keeps an error message on one line, as scripts read it.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// run is the whole program, with its surroundings passed in so that tests
// drive the real thing.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	app, err := newApp(ctx, getenv, stdin, stdout, stderr)
	if err != nil {
		return err
	}
	return app.run(args)
}
