// Package pgtest runs a throwaway PostgreSQL cluster for tests.
//
// Starting a cluster takes a second or two, so a test binary shares one: the
// cluster starts on the first call to Database and stops in Stop, which
// TestMain calls after m.Run. Each test gets its own fresh database.
//
//	var pg = pgtest.New()
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		pg.Stop()
//		os.Exit(code)
//	}
//
// Where no PostgreSQL is installed the tests that need it skip, loudly, unless
// AFTERSALE_REQUIRE_POSTGRES=1 is set (CI sets it): then they fail.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// RequireEnv names the variable that turns a missing PostgreSQL from a skip
// into a failure.
const RequireEnv = "AFTERSALE_REQUIRE_POSTGRES"

// Cluster is a lazily started PostgreSQL cluster. Its zero value is not
// usable; call New.
type Cluster struct {
	once    sync.Once
	started *server
	err     error
	n       atomic.Int64
	mu      sync.Mutex // guards stopped
	stopped bool
}

// New returns a cluster that starts on first use. It does no I/O.
func New() *Cluster { return &Cluster{} }

// Database creates a fresh database for t and returns its postgres:// URL.
// It skips t (or fails it, with AFTERSALE_REQUIRE_POSTGRES=1) when no
// PostgreSQL is installed, and fails t when the cluster does not start.
func (c *Cluster) Database(t testing.TB) string {
	t.Helper()
	c.once.Do(func() { c.started, c.err = start(context.Background()) })
	if c.err != nil {
		if errors.Is(c.err, errNotInstalled) {
			missing(t)
		}
		t.Fatalf("pgtest: %v", c.err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), c.n.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.started.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	return c.started.url(name)
}

// Stop stops the cluster, if it started, and removes its files.
func (c *Cluster) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started == nil || c.stopped {
		return
	}
	c.stopped = true
	if err := c.started.stop(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
	}
}

func missing(t testing.TB) {
	t.Helper()
	msg := "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH"
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("pgtest: %s, and %s=1 requires them", msg, RequireEnv)
	}
	t.Skipf("pgtest: SKIPPING POSTGRESQL TESTS: %s (install postgresql, or set %s=1 to make this fail)", msg, RequireEnv)
}

var errNotInstalled = errors.New("postgresql is not installed")

// binDir finds the directory of initdb and pg_ctl: PATH first, then the
// newest Debian layout /usr/lib/postgresql/<version>/bin.
func binDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errNotInstalled
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// server is a running cluster.
type server struct {
	bin, dir string
	port     int
	runAs    *user.User // nil when not root
	admin    *sql.DB
}

func (s *server) url(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

func start(ctx context.Context) (*server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin}
	if err := s.makeDir(); err != nil {
		return nil, err
	}
	if err := s.run(ctx, "initdb", "-D", s.data(), "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(s.dir)
		return nil, err
	}
	// A port picked by the kernel can be taken again before the server binds
	// it; try a few.
	for attempt := 0; attempt < 5; attempt++ {
		if s.port, err = freePort(); err != nil {
			break
		}
		if err = s.startServer(ctx); err == nil {
			break
		}
	}
	if err != nil {
		os.RemoveAll(s.dir)
		return nil, err
	}
	if s.admin, err = sql.Open("pgx", s.url("postgres")); err != nil {
		return nil, fmt.Errorf("open admin connection: %w", joinErr(s.stop(), err))
	}
	return s, nil
}

func (s *server) data() string { return filepath.Join(s.dir, "data") }

// makeDir creates the cluster's directory. initdb refuses to run as root, so
// as root the cluster belongs to the postgres user, in a directory it owns.
func (s *server) makeDir() error {
	dir, err := os.MkdirTemp("", "aftersale-pg-")
	if err != nil {
		return fmt.Errorf("make cluster dir: %w", err)
	}
	s.dir = dir
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("running as root needs a postgres user to own the cluster: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("chown cluster dir: %w", err)
	}
	s.runAs = u
	return nil
}

func (s *server) startServer(ctx context.Context) error {
	opts := strings.Join([]string{
		"-p", strconv.Itoa(s.port),
		"-k", s.dir,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=on",
		"-c", "max_connections=200",
	}, " ")
	return s.run(ctx, "pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "server.log"),
		"-w", "-t", "60", "-o", opts, "start")
}

func (s *server) stop() error {
	if s.admin != nil {
		s.admin.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := s.run(ctx, "pg_ctl", "-D", s.data(), "-m", "fast", "-w", "stop")
	if rmErr := os.RemoveAll(s.dir); rmErr != nil && err == nil {
		err = fmt.Errorf("remove cluster dir: %w", rmErr)
	}
	return err
}

// run runs one of the PostgreSQL programs, as the postgres user when root.
func (s *server) run(ctx context.Context, prog string, args ...string) error {
	path := filepath.Join(s.bin, prog)
	var cmd *exec.Cmd
	switch {
	case s.runAs == nil:
		cmd = exec.CommandContext(ctx, path, args...)
	case hasRunuser():
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", s.runAs.Username, "--", path}, args...)...)
	default:
		cmd = exec.CommandContext(ctx, "su", s.runAs.Username, "-s", "/bin/sh", "-c", shellQuote(append([]string{path}, args...)))
	}
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		return fmt.Errorf("%s %s: %w\n%s\n%s", prog, strings.Join(args, " "), err, out, log)
	}
	return nil
}

func hasRunuser() bool {
	_, err := exec.LookPath("runuser")
	return err == nil
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// joinErr joins a cleanup error to the main one.
func joinErr(cleanup, err error) error {
	if cleanup == nil {
		return err
	}
	return fmt.Errorf("%w (and cleanup: %v)", err, cleanup)
}
