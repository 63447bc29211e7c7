package aftersale_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportRules keeps the layers apart: the domain and the
// policy do no I/O and know nothing of ours but calendar dates; wire
// formats live at the edge; the HTTP layer never reaches into SQL.
func TestImportRules(t *testing.T) {
	const module = "github.com/aftersale/aftersale"
	tests := []struct {
		pkg       string
		allowOurs []string // our packages it may import
		forbidden []string // other packages it must not import, even indirectly
	}{
		{module, []string{module + "/date"}, []string{"database/sql", "net/http", "os/exec"}},
		{module + "/date", nil, []string{"database/sql", "net/http"}},
		// The policy speaks Go types; the contract's JSON is policyjson's.
		{module + "/policy", []string{module + "/date"}, []string{"database/sql", "net/http", "encoding/json"}},
		{module + "/policy/policyjson", []string{module + "/date", module + "/policy"}, []string{"database/sql", "net/http"}},
		{module + "/workflow", []string{module, module + "/date", module + "/policy", module + "/notify"}, []string{"database/sql", "net/http", module + "/store"}},
		{module + "/notify", []string{module, module + "/date"}, []string{"database/sql", "net/http", module + "/store"}},
		{module + "/auth", []string{module, module + "/date"}, []string{"database/sql", module + "/store"}},
		{module + "/api", []string{module, module + "/auth", module + "/date", module + "/notify", module + "/policy", module + "/policy/policyjson", module + "/workflow"}, []string{"database/sql", module + "/store"}},
		{module + "/web", []string{module, module + "/auth", module + "/date", module + "/notify", module + "/policy", module + "/workflow"}, []string{"database/sql", module + "/store"}},
	}
	for _, tt := range tests {
		out, err := exec.Command("go", "list", "-deps", tt.pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", tt.pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == tt.pkg {
				continue
			}
			if (dep == module || strings.HasPrefix(dep, module+"/")) && !slices.Contains(tt.allowOurs, dep) {
				t.Errorf("%s imports %s", tt.pkg, dep)
			}
			if slices.Contains(tt.forbidden, dep) {
				t.Errorf("%s depends on %s", tt.pkg, dep)
			}
		}
	}
}

// TestBinaryHasBothDrivers: the tests reach PostgreSQL through
// internal/pgtest, which registers the pgx driver itself, so a binary
// without it would pass every other test and fail on its first postgres://.
func TestBinaryHasBothDrivers(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/aftersale/aftersale/cmd/aftersale").Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := strings.Fields(string(out))
	// The tests' pinned day and their fixture never reach the program.
	for _, pkg := range []string{"internal/testday", "internal/fixture", "internal/pgtest", "internal/authtest"} {
		if slices.Contains(deps, "github.com/aftersale/aftersale/"+pkg) {
			t.Errorf("the aftersale binary links the test package %s", pkg)
		}
	}
	for _, driver := range []string{"modernc.org/sqlite", "github.com/jackc/pgx/v5/stdlib"} {
		if !slices.Contains(deps, driver) {
			t.Errorf("the aftersale binary does not link %s", driver)
		}
	}
	if slices.Contains(deps, "github.com/aftersale/aftersale/internal/pgtest") {
		t.Error("the binary links the test cluster helper")
	}
}
