package api_test

import (
	"os"
	"testing"

	"github.com/aftersale/aftersale/internal/pgtest"
)

// pg is the PostgreSQL cluster the tests that run on both engines use.
var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}
