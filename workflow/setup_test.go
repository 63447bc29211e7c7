package workflow_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale/workflow"
)

// The distributor's password the setup shows is copied by hand: it has
// none of the characters read as each other, and is long enough.
func TestNewPasswordReadable(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		pw, err := workflow.NewPassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) < 16 {
			t.Fatalf("password %q: %d characters, want at least 16", pw, len(pw))
		}
		if i := strings.IndexAny(pw, "lI1Oo0-_"); i >= 0 {
			t.Fatalf("password %q has %q, which reads like another character", pw, pw[i])
		}
		if seen[pw] {
			t.Fatalf("password %q twice", pw)
		}
		seen[pw] = true
	}
}
