package auth_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/internal/authtest"
	"github.com/aftersale/aftersale/internal/pgtest"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
)

var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

func TestBackoff(t *testing.T) {
	for failures, want := range map[int]time.Duration{0: 0, 4: 0, 5: time.Second, 6: 2 * time.Second, 13: 256 * time.Second,
		14: auth.MaxAccountWait, 64: auth.MaxAccountWait, 1 << 40: auth.MaxAccountWait} {
		if got := auth.Backoff(failures); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", failures, got, want)
		}
	}
}

// TestSignInAccountLimit: 200 wrong passwords for one account from 20
// addresses (each within its own address's limit) are not all checked:
// after auth.FreeFailures the account makes the next guess wait, twice as
// long each time up to auth.MaxAccountWait, on every instance of the
// database. The owner signs in meanwhile from the address of the last
// successful sign-in, and from a new one after at most MaxAccountWait. A
// sign-in replaces a hash made with weaker parameters.
func TestSignInAccountLimit(t *testing.T) {
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{store.SQLite, func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") }},
		{store.Postgres, func(t *testing.T) string { return pg.Database(t) }},
	}
	const password = "correct horse battery staple"
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			now := testday.Now()
			clock := func() time.Time { return now }
			dsn := e.dsn(t)
			// Two instances on one database, each with its own per-IP limiter.
			var instances [2]*store.DB
			for i := range instances {
				db, err := store.Open(t.Context(), dsn, store.WithClock(clock))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				instances[i] = db
			}
			limiters := [2]*auth.Limiter{auth.NewLimiter(auth.DefaultFailureBurst, auth.DefaultFailureEvery, clock),
				auth.NewLimiter(auth.DefaultFailureBurst, auth.DefaultFailureEvery, clock)}
			weak, err := auth.HashPassword(password, authtest.Params)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := instances[0].CreateUser(t.Context(), aftersale.User{Email: "agent@example.com", Name: "Agent", Role: aftersale.RoleAgent}, weak); err != nil {
				t.Fatal(err)
			}
			signIn := func(i int, ip, email, pw string) error {
				_, err := auth.SignIn(t.Context(), instances[i%2], limiters[i%2], ip, email, pw, now)
				return err
			}
			const owner = "198.51.100.7"
			if err := signIn(0, owner, "Agent@Example.com", password); err != nil {
				t.Fatalf("the owner's first sign-in: %v", err)
			}
			if _, hash, _ := instances[0].Credentials(t.Context(), "agent@example.com"); !strings.HasPrefix(hash, fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,", auth.DefaultParams.Memory, auth.DefaultParams.Time)) {
				t.Errorf("the hash after signing in is %q: not rehashed with the default parameters", hash)
			}

			checked, refused := 0, 0
			for i := range 200 {
				err := signIn(i, fmt.Sprintf("192.0.2.%d", i%20), "agent@example.com", fmt.Sprintf("guess %d", i))
				var limited *auth.RateLimitedError
				switch {
				case aftersale.KindOf(err) == aftersale.Unauthorized:
					checked++
				case errors.As(err, &limited) && limited.Account:
					refused++
				default:
					t.Fatalf("guess %d: %v", i, err)
				}
			}
			if checked != auth.FreeFailures || refused != 200-auth.FreeFailures {
				t.Errorf("%d guesses checked, %d refused; want %d checked", checked, refused, auth.FreeFailures)
			}

			// Each wait, once over, allows one more guess and doubles.
			var waits []time.Duration
			for range 12 {
				err := signIn(0, "192.0.2.99", "agent@example.com", "another guess")
				var limited *auth.RateLimitedError
				if !errors.As(err, &limited) {
					t.Fatalf("during a wait: %v", err)
				}
				waits = append(waits, limited.Retry)
				now = now.Add(limited.Retry)
				if err := signIn(1, "192.0.2.98", "agent@example.com", "another guess"); aftersale.KindOf(err) != aftersale.Unauthorized {
					t.Fatalf("after the wait: %v", err)
				}
			}
			want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300}
			for i := range want {
				want[i] *= time.Second
			}
			if fmt.Sprint(waits) != fmt.Sprint(want) {
				t.Errorf("waits %v, want %v", waits, want)
			}

			// The owner: through at once from the last address that signed
			// in, after at most MaxAccountWait from another.
			if err := signIn(1, owner, "agent@example.com", password); err != nil {
				t.Errorf("the owner from the last address: %v", err)
			}
			if err := signIn(0, "192.0.2.1", "agent@example.com", "guess again"); aftersale.KindOf(err) != aftersale.Unauthorized {
				t.Errorf("a success starts the count afresh: %v", err)
			}
			for range auth.FreeFailures {
				_ = signIn(0, "192.0.2.2", "agent@example.com", "guess again")
			}
			var limited *auth.RateLimitedError
			if err := signIn(0, "203.0.113.9", "agent@example.com", password); !errors.As(err, &limited) || limited.Retry > auth.MaxAccountWait {
				t.Fatalf("the owner from a new address during a wait: %v", err)
			}
			now = now.Add(limited.Retry)
			if err := signIn(1, "203.0.113.9", "agent@example.com", password); err != nil {
				t.Errorf("the owner from a new address after the wait: %v", err)
			}

			// An address without an account is held the same way: the
			// answer does not tell which addresses have accounts.
			for range auth.FreeFailures {
				if err := signIn(0, "192.0.2.3", "nobody@example.com", "x"); aftersale.KindOf(err) != aftersale.Unauthorized {
					t.Fatalf("unknown address: %v", err)
				}
			}
			if err := signIn(1, "192.0.2.4", "nobody@example.com", "x"); !errors.As(err, &limited) || !limited.Account {
				t.Errorf("unknown address after %d failures: %v", auth.FreeFailures, err)
			}
		})
	}
}
