package web_test

import "testing"

// A claim opened on a serial typed in another case than on file names the
// serial as on file, so that its history and the article's earlier claims
// agree with the registry.
func TestClaimLineSerialAsOnFile(t *testing.T) {
	e := newEnv(t)
	for _, typed := range []string{"sv-30", "Sv-9"} {
		n := e.openClaim("agent", "", "defect", typed)
		if got, want := e.claim(n).Lines[0].Serial, map[string]string{"sv-30": "SV-30", "Sv-9": "SV-9"}[typed]; got != want {
			t.Errorf("claim on %q: line's serial %q, want %q", typed, got, want)
		}
	}
}
