package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
	"github.com/alecthomas/kong"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// cli is the command line: its fields are the subcommands and global flags.
type cli struct {
	Policy  string `help:"Policy file (YAML); the built-in policy when empty." env:"AFTERSALE_POLICY" type:"path" placeholder:"FILE"`
	DataDir string `help:"Directory of the embedded database and the uploaded files." env:"AFTERSALE_DATA_DIR" default:"data" type:"path" placeholder:"DIR"`
	DB      string `name:"db" help:"Database: a postgres:// URL, or a SQLite file path; <data-dir>/aftersale.db when empty." env:"AFTERSALE_DB" placeholder:"DSN"`

	Serve       serveCmd       `cmd:"" help:"Run the HTTP server."`
	Migrate     migrateCmd     `cmd:"" help:"Apply the database migrations and print the schema version."`
	Eligibility eligibilityCmd `cmd:"" help:"Decide one request: facts (JSON) on standard input, the decision (JSON) on standard output."`
	Warranty    warrantyCmd    `cmd:"" help:"The warranty of a serial number, or of every article of an order (--order)."`
	PolicyCmd   policyCmd      `cmd:"" name:"policy" help:"Show or check policy files."`
	User        userCmd        `cmd:"" help:"Add, list and change staff and distributor users."`
	Token       tokenCmd       `cmd:"" help:"Create, list and revoke API tokens for machine clients."`
	Import      importCmd      `cmd:"" help:"Import products, kits, distributors, customers, orders or deliveries from a CSV or JSON Lines file."`
	DemoData    demoDataCmd    `cmd:"" name:"demo-data" help:"Generate a realistic, seeded demo registry, into the database or as CSV files (--out)."`
	Version     versionCmd     `cmd:"" help:"Print the version."`
	Help        helpCmd        `cmd:"" help:"Show help."`
}

// app is one run of the program and what its commands share.
type app struct {
	ctx    context.Context
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	cli    cli
	parser *kong.Kong
	exited bool // kong printed help (--help) and asked to exit
}

func newApp(ctx context.Context, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (*app, error) {
	a := &app{ctx: ctx, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr,
		log: slog.New(slog.NewTextHandler(stderr, nil))}
	parser, err := kong.New(&a.cli,
		kong.Name("aftersale"),
		kong.Description("Returns and warranty (RMA) decisions and cases, by the seller's policy."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(int) { a.exited = true }), // run returns; main decides the exit code
		kong.Resolvers(envResolver{getenv}),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Bind(a),
	)
	if err != nil {
		return nil, fmt.Errorf("build the command line: %w", err)
	}
	a.parser = parser
	return a, nil
}

func (a *app) run(args []string) error {
	if len(args) == 0 {
		args = []string{"help"}
	}
	kctx, err := a.parser.Parse(args)
	if a.exited {
		return nil
	}
	if err != nil {
		var pe *kong.ParseError
		if errors.As(err, &pe) {
			return badInput(err)
		}
		return err
	}
	return kctx.Run(a)
}

// loadPolicy returns the policy of --policy, or the built-in one.
func (a *app) loadPolicy() (*policy.Policy, error) {
	if a.cli.Policy == "" {
		return policy.Default(), nil
	}
	p, err := policy.Load(a.cli.Policy)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return p, nil
}

// openStore opens the database of --db (or the embedded one under
// --data-dir), applying migrations unless told not to.
func (a *app) openStore(opts ...store.Option) (*store.DB, error) {
	db, err := store.Open(a.ctx, a.dsn(), append([]store.Option{store.WithLogger(a.log)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("open the database: %w", err)
	}
	return db, nil
}

func (a *app) dsn() string {
	if a.cli.DB != "" {
		return a.cli.DB
	}
	return filepath.Join(a.cli.DataDir, "aftersale.db")
}

// service is the use cases over the policy and the store: the clock is the
// real one, and warranty lookups list the earlier claims.
func (a *app) service(p *policy.Policy, db *store.DB) (*workflow.Service, error) {
	svc, err := workflow.New(p, db, time.Now)
	if err != nil {
		return nil, err
	}
	svc.History = db
	return svc, nil
}

// envResolver reads flags' environment variables from the run's environment
// (not os.Environ), so that tests can set them.
type envResolver struct{ getenv func(string) string }

func (envResolver) Validate(*kong.Application) error { return nil }

func (r envResolver) Resolve(_ *kong.Context, _ *kong.Path, flag *kong.Flag) (any, error) {
	for _, name := range flag.Envs {
		if v := r.getenv(name); v != "" {
			return v, nil
		}
	}
	return nil, nil
}

type versionCmd struct{}

func (versionCmd) Run(a *app) error {
	_, err := fmt.Fprintln(a.stdout, "aftersale "+buildVersion())
	return err
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
		if v != "" && v != "(devel)" {
			return v + " " + bi.GoVersion
		}
		return "dev " + bi.GoVersion
	}
	return "dev"
}

type helpCmd struct {
	Command []string `arg:"" optional:"" help:"The command to explain."`
}

func (h helpCmd) Run(a *app, kctx *kong.Context) error {
	ctx, err := kong.Trace(a.parser, h.Command)
	if err != nil {
		return badInput(err)
	}
	if ctx.Error != nil {
		return badInput(ctx.Error)
	}
	return ctx.PrintUsage(false)
}
