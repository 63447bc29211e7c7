package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
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

// The easy wording of the first walk through the pages: who opened a claim
// is said once ("Customer ann@example.com"); /staff/ leads to the queue;
// the setup page says how many orders its sample loads.
func TestWalkWording(t *testing.T) {
	e := newEnv(t)
	c, err := claimOf(e.claimsAt("").OpenAsBuyer(t.Context(), workflow.OpenClaimInput{Request: "defect",
		Description: "It stopped turning.", CustomerEmail: "ann@example.com", Lines: []workflow.OpenLine{{Serial: "SV-30"}}}, ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []pageWant{
		{name: "opened by, en", lang: "en", want: []string{`Customer <span class="muted">ann@example.com</span>`}, lacks: []string{`<span class="muted">customer ann@example.com</span>`}},
		{name: "opened by, zh", lang: "zh", want: []string{`客户 <span class="muted">ann@example.com</span>`}, lacks: []string{`<span class="muted">customer ann@example.com</span>`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.user, tt.status, tt.path = "agent", 200, "/staff/claims/"+c.Number
			tt.check(t, e)
		})
	}
	b := e.browser("en")
	b.login("agent")
	if p := b.get("/staff/"); p.Status != http.StatusMovedPermanently || p.Location != "/staff" {
		t.Errorf("/staff/: %d to %q, want 301 to /staff", p.Status, p.Location)
	}
	if p := b.get("/staff"); p.Status != http.StatusOK {
		t.Errorf("/staff: %d, want 200", p.Status)
	}

	fresh := newEnvWith(t, nil)
	for lang, want := range map[string]string{"en": "200 orders with serial numbers", "zh": "200 个带序列号"} {
		p := fresh.browser(lang).get("/setup")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, want) || strings.Contains(p.Body, "a few hundred") || strings.Contains(p.Body, "数百") {
			t.Errorf("setup page in %s: %d, want it to say %q\n%s", lang, p.Status, want, p.Body)
		}
	}
	e.noMissingMessages()
	fresh.noMissingMessages()
}
