package pgtest_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/aftersale/aftersale/internal/pgtest"
)

var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// TestDatabase checks that each call gives a fresh, reachable database.
func TestDatabase(t *testing.T) {
	ctx := context.Background()
	seen := map[string]bool{}
	for i := 0; i < 2; i++ {
		url := pg.Database(t)
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var name string
		var fsync string
		if err := db.QueryRowContext(ctx, "SELECT current_database(), current_setting('fsync')").Scan(&name, &fsync); err != nil {
			t.Fatalf("query %s: %v", url, err)
		}
		if seen[name] {
			t.Errorf("database %s handed out twice", name)
		}
		seen[name] = true
		if fsync != "on" {
			t.Errorf("fsync = %s, want on", fsync)
		}
		if _, err := db.ExecContext(ctx, "CREATE TABLE t (x int)"); err != nil {
			t.Errorf("database %s is not fresh: %v", name, err)
		}
	}
}
