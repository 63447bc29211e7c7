package workflow_test

import (
	"os"
	"testing"

	"github.com/aftersale/aftersale/internal/pgtest"
)

// pg is the PostgreSQL cluster the claim tests also run on.
var pg = pgtest.New()

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}
