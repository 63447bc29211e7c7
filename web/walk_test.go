package web_test

import (
	"net/url"
	"testing"

	"github.com/aftersale/aftersale"
)

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

// The unit form refuses what the API refuses, each error beside its field
// with what was typed kept.
func TestStaffUnitForm(t *testing.T) {
	e := newEnv(t)
	n := e.replacementApproved()
	v := func(kv ...string) url.Values {
		f := url.Values{"line": {"1"}, "kind": {"replacement"}}
		for i := 0; i < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	none := func(c aftersale.Claim) bool { return true }
	runActs(t, e, "/units", []actCase{
		{"a replacement needs its serial", "agent", n, v("serial", " "), 422,
			[]string{`id="unit-serial-error"`, "Give the replacement&#39;s serial", `aria-invalid="true"`}, none},
		{"a repair does not settle a free replacement", "agent", n, v("kind", "repair"), 409,
			[]string{`id="unit-kind-error"`, "Not possible now for this claim&#39;s remedy"}, none},
		{"another product is not an equivalent", "agent", n, v("serial", "MB-9", "sku", "MOD-MAIN"), 422,
			[]string{`id="unit-sku-error"`, `value="MOD-MAIN"`}, none},
		{"not a date", "agent", n, v("serial", "SV-32", "shipped_on", "tomorrow"), 422,
			[]string{`id="unit-shipped-error"`, `value="SV-32"`}, none},
		{"a day to come", "agent", n, v("serial", "SV-32", "shipped_on", "2999-01-01"), 422,
			[]string{`id="unit-shipped-error"`}, none},
		{"no price difference on a free replacement", "agent", n, v("serial", "SV-32", "price_difference", "5.00"), 422,
			[]string{"only for an exchange for another product"}, none},
		{"not a line", "agent", n, v("serial", "SV-32", "line", "x"), 422, []string{`id="unit-line-error"`}, none},
		{"registered", "agent", n, v("serial", " SV-32 "), 303, []string{"The unit is registered.", "SV-32 (SERVO-MG)"}, none},
	})
	e.noMissingMessages()
}
