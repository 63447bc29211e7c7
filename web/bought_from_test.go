package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
)

// The "bought elsewhere" form asks where it was bought: this shop (ticked
// until the reader chooses), an authorised distributor of the list, or
// another shop; the claim is decided by it, and the staff page shows it.
func TestElsewhereBoughtFrom(t *testing.T) {
	e := newEnv(t)
	png := samplePNG(t)
	for _, tt := range []struct{ lang, want string }{
		{"en", "Where did you buy it?"}, {"zh", "您在哪里购买的？"},
	} {
		p := e.browser(tt.lang).get("/claim/new?elsewhere=1")
		for _, w := range []string{tt.want, `name="bought_from" value="seller" checked`, `value="distributor"`, `value="other_shop"`,
			`<option value="DIST-ASIA">Robotics Asia (DIST-ASIA)</option>`, `<option value="DIST-EU">Robotics Europe (DIST-EU)</option>`} {
			if p.Status != http.StatusOK || !strings.Contains(p.Body, w) {
				t.Errorf("%s form: %d, lacks %q\n%s", tt.lang, p.Status, w, p.Body)
			}
		}
	}
	fields := func(key, request string, extra ...string) []string {
		return append([]string{"key", key, "mode", "elsewhere", "email", "bob@example.com", "sku", "SERVO-MG",
			"purchased_on", testday.Day(-2).String(), "request", request}, extra...)
	}
	for _, tt := range []struct {
		name, lang string
		extra      []string
		want       string
	}{
		{"not a choice", "en", []string{"bought_from", "market"}, "Please choose where you bought it."},
		{"a distributor not on file", "en", []string{"bought_from", "distributor", "distributor_code", "DIST-NOPE"}, "Please choose the distributor you bought it from"},
		{"no distributor, zh", "zh", []string{"bought_from", "distributor", "distributor_code", ""}, "请从我们的授权经销商中选择"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := e.browser(tt.lang).postMultipart("/claim/new", fields("key-"+tt.name, "defect", tt.extra...), uploadFile{"proof", "receipt.png", png})
			if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, tt.want) || !strings.Contains(p.Body, `value="DIST-EU"`) {
				t.Errorf("%d, want 422 saying %q, with the list\n%s", p.Status, tt.want, p.Body)
			}
		})
	}
	open := func(key, request string, extra ...string) aftersale.Claim {
		t.Helper()
		p := e.browser("en").postMultipart("/claim/new", fields(key, request, extra...), uploadFile{"proof", "receipt.png", png})
		m := claimPathPattern.FindStringSubmatch(p.Location)
		if p.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("open %s: %d to %q\n%s", key, p.Status, p.Location, p.Body)
		}
		return e.claim(m[1])
	}
	// The list sends its first choice whatever the radio says: only a
	// distributor's purchase counts it.
	own := open("own", "defect", "distributor_code", "DIST-ASIA")
	other := open("other", "defect", "bought_from", "other_shop", "distributor_code", "DIST-ASIA")
	dist := open("dist", "defect", "bought_from", "distributor", "distributor_code", "DIST-EU")
	for _, tt := range []struct {
		name        string
		c           aftersale.Claim
		from        aftersale.Channel
		distributor string
		outcome     string
		clause      string
	}{
		{"this shop", own, aftersale.Direct, "", "eligible", "3.1"},
		{"another shop", other, aftersale.UnauthorizedReseller, "", "not_eligible", "5.6"},
		{"a distributor", dist, aftersale.AuthorizedDistributor, "DIST-EU", "refer_to_distributor", "5.3"},
	} {
		l := tt.c.Lines[0]
		if l.BoughtFrom != tt.from || tt.c.DistributorCode != tt.distributor || l.Decision.Outcome != tt.outcome ||
			!slices.Contains(l.Decision.Clauses, tt.clause) {
			t.Errorf("%s: bought from %q, distributor %q, %s %v", tt.name, l.BoughtFrom, tt.c.DistributorCode, l.Decision.Outcome, l.Decision.Clauses)
		}
	}
	for _, tt := range []pageWant{
		{name: "this shop", path: "/staff/claims/" + own.Number, want: []string{"bought in the seller&#39;s own shop"}},
		{name: "another shop", path: "/staff/claims/" + other.Number, want: []string{"bought in another shop (unauthorised reseller, 5.6)"}},
		{name: "a distributor", path: "/staff/claims/" + dist.Number, want: []string{"bought from distributor DIST-EU"}},
		{name: "a distributor, zh", lang: "zh", path: "/staff/claims/" + dist.Number, want: []string{"在经销商 DIST-EU 处购买"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.user, tt.status = "manager", 200
			if tt.lang == "" {
				tt.lang = "en"
			}
			tt.check(t, e)
		})
	}
	e.noMissingMessages()
}
