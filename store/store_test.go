package store_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aftersale/aftersale/internal/pgtest"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/storetest"
)

var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// engines opens a fresh store per test on each engine.
var engines = []struct {
	name string
	dsn  func(t testing.TB) string
}{
	{store.SQLite, func(t testing.TB) string { return filepath.Join(t.TempDir(), "sub", "aftersale.db") }},
	{store.Postgres, func(t testing.TB) string { return pg.Database(t) }},
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, store.WithClock(testday.Now))
	if err != nil {
		t.Fatalf("Open(%s): %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) *store.DB {
				db := open(t, e.dsn(t))
				if db.Engine() != e.name {
					t.Fatalf("Engine() = %s, want %s", db.Engine(), e.name)
				}
				return db
			})
		})
		// A probe limit of 1 sends every text and category that matches
		// a claim down the queue's walk instead of the probe's ids.
		t.Run(e.name+"/QueueWalked", func(t *testing.T) {
			db, err := store.Open(t.Context(), e.dsn(t), store.WithProbeLimit(1), store.WithClock(testday.Now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			storetest.Queue(t, db)
		})
	}
}

// TestConcurrentOpen starts several stores on one empty database at once,
// as several `aftersale` processes would: the migration runs once, and every
// store ends up usable at the latest version.
func TestConcurrentOpen(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			const n = 4
			dbs := make([]*store.DB, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { dbs[i], errs[i] = store.Open(t.Context(), dsn) })
			}
			wg.Wait()
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("Open %d: %v", i, errs[i])
				}
				defer dbs[i].Close()
				current, latest, err := dbs[i].SchemaVersion(t.Context())
				if err != nil || current != latest || latest == 0 {
					t.Errorf("store %d: version %d of %d, %v", i, current, latest, err)
				}
			}
		})
	}
}

func TestWithoutMigrate(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db, err := store.Open(t.Context(), e.dsn(t), store.WithoutMigrate())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if current, _, err := db.SchemaVersion(t.Context()); err != nil || current != 0 {
				t.Fatalf("fresh database without migrate: version %d, %v", current, err)
			}
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
		})
	}
}

// TestMigrationParity checks that both engines have the same migration
// versions, so a version number means the same schema on either.
func TestMigrationParity(t *testing.T) {
	versions := func(engine string) []string {
		files, err := fs.Glob(os.DirFS("migrations/"+engine), "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		var v []string
		for _, f := range files {
			v = append(v, strings.SplitN(f, "_", 2)[0])
		}
		return v
	}
	sqlite, postgres := versions("sqlite"), versions("postgres")
	if len(sqlite) == 0 || !slices.Equal(sqlite, postgres) {
		t.Errorf("migration versions differ: sqlite %v, postgres %v", sqlite, postgres)
	}
}

func TestIsPostgresDSN(t *testing.T) {
	tests := map[string]bool{
		"postgres://u@h/db":        true,
		"postgresql://u@h/db":      true,
		"data/aftersale.db":        false,
		"/var/lib/aftersale.db":    false,
		"postgres.db":              false,
		"./postgres://odd/file.db": false,
	}
	for dsn, want := range tests {
		if got := store.IsPostgresDSN(dsn); got != want {
			t.Errorf("IsPostgresDSN(%q) = %v, want %v", dsn, got, want)
		}
	}
}

func TestOpenRefusesMemory(t *testing.T) {
	for _, dsn := range []string{"", ":memory:", "x.db?mode=memory"} {
		if db, err := store.Open(t.Context(), dsn); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want an error", dsn)
		}
	}
}

// TestLookupAnyCaseUsesIndexes checks that a serial or an order number
// typed in another case than on file is found through the upper() indexes
// of migration 00017 on both engines, not by reading the whole registry.
func TestLookupAnyCaseUsesIndexes(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db := open(t, e.dsn(t))
			plans, err := store.SpellingPlans(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			for _, index := range []string{"serials_upper", "replacement_units_upper", "orders_upper"} {
				if !strings.Contains(plans, index) {
					t.Errorf("the plans do not use index %s:\n%s", index, plans)
				}
			}
		})
	}
}
