package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/workflow"
)

// distOpen opens a claim through the workflow as the env's user name, on
// serial sn, and returns its number.
func (e *env) distOpen(name, request, sn string) string {
	e.t.Helper()
	return e.distOpenWithLink(name, request, sn).Claim.Number
}

// distOpenWithLink opens a claim and returns it with its customer's link.
func (e *env) distOpenWithLink(name, request, sn string) workflow.Opened {
	e.t.Helper()
	o, err := e.site.Claims.Open(e.t.Context(), e.actors[name], workflow.OpenClaimInput{Request: request,
		Description: "test claim " + sn, CustomerEmail: "buyer@example.com", Lines: []workflow.OpenLine{{Serial: sn}}}, "")
	if err != nil {
		e.t.Fatalf("open a claim on %s as %s: %v", sn, name, err)
	}
	return o
}

// distCustomerLink opens a claim on SV-30 and returns its customer's link, a
// path with ?access=.
func (e *env) distCustomerLink() string {
	e.t.Helper()
	link := e.distOpenWithLink("agent", "defect", "SV-30").CustomerLink
	if !strings.Contains(link, "access=") {
		e.t.Fatalf("customer link %q", link)
	}
	return link
}

// The portal is a distributor's: each sees its own customers' claims only.
func TestDistributorPortal(t *testing.T) {
	e := newEnv(t)
	euClaim := e.distOpen("eu", "defect", "SV-20")
	asiaClaim := e.distOpen("asia", "defect", "SV-50")
	tests := []struct {
		name, user, lang, path string
		status                 int
		want, not              []string
	}{
		{"eu sees its claim", "eu", "en", "/distributor", 200,
			[]string{euClaim, `href="/claims/` + euClaim + `"`, "SERVO-MG (SV-20)", `href="/distributor/claims/new"`, "Apply for a customer", "Defect"},
			[]string{asiaClaim}},
		{"asia sees its claim", "asia", "zh", "/distributor", 200, []string{asiaClaim, "代客户申请", "客户的售后申请"}, []string{euClaim}},
		{"eu searching for asia's claim finds nothing", "eu", "en", "/distributor?q=" + asiaClaim, 200,
			[]string{"No claim matches these filters."}, []string{`href="/claims/` + asiaClaim}},
		{"status filter", "eu", "en", "/distributor?status=closed", 200, []string{"No claim matches"}, []string{euClaim}},
		{"status filter keeps the match", "eu", "en", "/distributor?status=submitted&q=sv-20", 200,
			[]string{euClaim, `<option value="submitted" selected>`, `value="sv-20"`}, nil},
		{"unknown status", "eu", "en", "/distributor?status=lost", 422,
			[]string{`aria-describedby="status-error"`, "Please choose a status from the list."}, nil},
		{"contract en", "eu", "en", "/distributor/contract", 200,
			[]string{"DIST-EU", "Robotics Europe", "14 days", "Your contract, as recorded in the registry", "clause A4",
				"clauses 5.3, 6.1", "the customer pays (clause A3)", "the seller pays (clause 6.2)", "within 3 days"}, nil},
		{"contract zh", "asia", "zh", "/distributor/contract", 200,
			[]string{"DIST-ASIA", "Robotics Asia", "7 天", "卖家的政策", "第 A4 条", "由客户承担（第 A3 条）"}, []string{"Robotics Europe"}},
		{"staff get 403", "manager", "en", "/distributor", 403, nil, nil},
		{"staff get 403 on the contract", "agent", "en", "/distributor/contract", 403, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser(tt.lang)
			b.login(tt.user)
			p := b.get(tt.path)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(p.Body, w) {
					t.Errorf("page shows %q", w)
				}
			}
		})
	}
	e.noMissingMessages()
}

// Readers without a session are sent to sign in, and come back.
func TestDistributorPortalSignIn(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/distributor", "/distributor/contract", "/distributor?status=submitted&q=x"} {
		p := e.browser("en").get(path)
		if p.Status != http.StatusSeeOther || p.Location != "/login?next="+url.QueryEscape(path) {
			t.Errorf("%s: %d to %q, want 303 to the sign-in page", path, p.Status, p.Location)
		}
	}
	link := e.distCustomerLink()
	secret := link[strings.Index(link, "access="):]
	if p := e.browser("en").get("/distributor?" + secret); p.Status != http.StatusForbidden {
		t.Errorf("a customer with a claim link: %d, want 403", p.Status)
	}
	b := e.browser("en")
	p := b.post("/login", url.Values{"email": {"eu@dist.test"}, "password": {password}, "next": {"/distributor/contract"}})
	if p.Location != "/distributor/contract" {
		t.Errorf("after signing in: to %q", p.Location)
	}
}

// The list pages by keyset: the next page link carries the filters and
// continues where the page ended, without repeating a claim.
func TestDistributorPortalPages(t *testing.T) {
	e := newEnv(t)
	var numbers []string
	for range 27 {
		numbers = append(numbers, e.distOpen("eu", "defect", "SV-20"))
	}
	b := e.browser("en")
	b.login("eu")
	first := b.get("/distributor?q=sv-20")
	i := strings.Index(first.Body, `rel="next"`)
	start := strings.LastIndex(first.Body[:max(i, 0)], `href="`)
	if i < 0 || start < 0 {
		t.Fatalf("no next page link\n%s", first.Body)
	}
	next := strings.ReplaceAll(first.Body[start+6:strings.Index(first.Body[start+6:], `"`)+start+6], "&amp;", "&")
	if !strings.Contains(next, "q=sv-20") || !strings.Contains(next, "after=") {
		t.Errorf("next page %q lacks the filter or the cursor", next)
	}
	second := b.get(next)
	seen := 0
	for _, n := range numbers {
		in1, in2 := strings.Contains(first.Body, n+`"`), strings.Contains(second.Body, n+`"`)
		if in1 && in2 {
			t.Errorf("%s on both pages", n)
		}
		if in1 || in2 {
			seen++
		}
	}
	if seen != len(numbers) || strings.Contains(second.Body, `rel="next"`) {
		t.Errorf("the two pages show %d of %d claims (second page has a next link: %v)", seen, len(numbers),
			strings.Contains(second.Body, `rel="next"`))
	}
}
