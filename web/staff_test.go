package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

// claimsAt returns the claim use cases on the env's store with a clock at
// day (a claim opened then has its respond-by three days later).
func (e *env) claimsAt(day string) *workflow.Claims {
	e.t.Helper()
	now := e.now
	if day != "" {
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			e.t.Fatal(err)
		}
		now = func() time.Time { return t.Add(9 * time.Hour) }
	}
	svc, err := workflow.New(policy.Default(), e.db, now)
	if err != nil {
		e.t.Fatal(err)
	}
	return &workflow.Claims{Service: svc, InTx: e.db.InClaimTx, Opener: e.db.OpenClaim, Read: e.db, Warn: e.db}
}

// openClaim files a claim about serial as user name would, on day ("" for
// the env's today), and returns its number.
func (e *env) openClaim(name, day, request, serial string) string {
	e.t.Helper()
	c, err := claimOf(e.claimsAt(day).Open(e.t.Context(), e.actors[name], workflow.OpenClaimInput{Request: request,
		Description: "It stopped turning.", Lines: []workflow.OpenLine{{Serial: serial}}}, ""))
	if err != nil {
		e.t.Fatalf("open claim on %s: %v", serial, err)
	}
	return c.Number
}

// act takes steps on a claim through the use case, as user name.
func (e *env) act(name, number string, steps ...workflow.ActInput) aftersale.Claim {
	e.t.Helper()
	cl := e.claimsAt("")
	var c aftersale.Claim
	for _, in := range steps {
		got, err := cl.Get(e.t.Context(), e.actors[name], number)
		if err != nil {
			e.t.Fatal(err)
		}
		in.Version = got.Version
		if c, err = cl.Act(e.t.Context(), e.actors[name], number, in); err != nil {
			e.t.Fatalf("%s %s: %v", in.Action, number, err)
		}
	}
	return c
}

func (e *env) claim(number string) aftersale.Claim {
	e.t.Helper()
	c, err := e.db.Claim(e.t.Context(), number)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

type pageWant struct {
	name, user, lang, path string
	status                 int
	location               string
	want, lacks            []string
}

func (tt pageWant) check(t *testing.T, e *env) {
	t.Helper()
	b := e.browser(tt.lang)
	if tt.user != "" {
		b.login(tt.user)
	}
	p := b.get(tt.path)
	if p.Status != tt.status || p.Location != tt.location {
		t.Fatalf("GET %s as %q: %d to %q, want %d to %q\n%s", tt.path, tt.user, p.Status, p.Location, tt.status, tt.location, p.Body)
	}
	for _, w := range tt.want {
		if !strings.Contains(p.Body, w) {
			t.Errorf("page lacks %q\n%s", w, p.Body)
		}
	}
	for _, w := range tt.lacks {
		if strings.Contains(p.Body, w) {
			t.Errorf("page shows %q\n%s", w, p.Body)
		}
	}
	if strings.Contains(p.Body, "<script>") || strings.Contains(p.Body, " style=") {
		t.Error("page carries an inline script or style")
	}
}

// Every console page wants a signed-in staff member: the anonymous go to
// sign in (and come back), distributors and customers are refused, and the
// imports and users pages want their permissions.
func TestStaffAccess(t *testing.T) {
	e := newEnv(t)
	n := e.openClaim("agent", "", "defect", "SV-30")
	for _, tt := range []pageWant{
		{name: "anonymous queue", path: "/staff?q=SV", status: 303, location: "/login?next=" + url.QueryEscape("/staff?q=SV")},
		{name: "anonymous claim", path: "/staff/claims/" + n, status: 303, location: "/login?next=" + url.QueryEscape("/staff/claims/"+n)},
		{name: "anonymous policy", path: "/staff/policy", status: 303, location: "/login?next=%2Fstaff%2Fpolicy"},
		{name: "distributor queue", user: "eu", path: "/staff", status: 403, want: []string{"You may not do this"}},
		{name: "distributor claim", user: "eu", path: "/staff/claims/" + n, status: 403},
		{name: "distributor registry", user: "asia", path: "/staff/registry", status: 403},
		{name: "agent imports", user: "agent", path: "/staff/imports", status: 403},
		{name: "agent users", user: "agent", path: "/staff/users", status: 403},
		{name: "inspector users", user: "inspector", path: "/staff/users", status: 403},
		{name: "manager imports", user: "manager", path: "/staff/imports", status: 200},
		{name: "agent's menu has no users", user: "agent", path: "/staff", status: 200, lacks: []string{`href="/staff/users"`}},
		{name: "unknown claim", user: "agent", path: "/staff/claims/" + rmaPrefix() + "999999", status: 404},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.lang = "en"; tt.check(t, e) })
	}
	b := e.browser("en")
	if p := b.post("/staff/claims/"+n+"/act", url.Values{"action": {"start_review"}, "version": {"1"}}); p.Status != 303 ||
		p.Location != "/login?next="+url.QueryEscape("/staff/claims/"+n) {
		t.Errorf("anonymous post: %d to %q", p.Status, p.Location)
	}
	b.login("eu")
	if p := b.post("/staff/claims/"+n+"/act", url.Values{"action": {"start_review"}, "version": {"1"}}); p.Status != 403 {
		t.Errorf("distributor post: %d", p.Status)
	}
	if c := e.claim(n); c.Status != aftersale.StatusSubmitted {
		t.Errorf("the refused posts changed the claim: %s", c.Status)
	}
	e.noMissingMessages()
}

func TestStaffQueue(t *testing.T) {
	e := newEnv(t)
	// Opened 14 days ago, its answer was due 3 days later (respond by
	// Day(-11)): overdue today.
	lateBy := testday.Day(-11)
	late := e.openClaim("agent", testday.Day(-14).String(), "defect", "SV-1")
	fresh := e.openClaim("agent", "", "defect", "SV-30")
	eu := e.openClaim("eu", "", "defect", "SV-20")
	// Out of warranty: an agent may reject it.
	done := e.openClaim("agent", "", "defect", "SV-40")
	e.act("agent", done, workflow.ActInput{Action: aftersale.ActionStartReview},
		workflow.ActInput{Action: aftersale.ActionReject, Note: "Not a fault."})
	for _, tt := range []pageWant{
		{name: "open claims by respond-by, the late one marked", path: "/staff", status: 200, want: []string{
			`<a href="/staff/claims/` + late + `">`, `class="row-overdue"`, `<strong class="overdue">Overdue</strong>`,
			fresh, eu, enDate(lateBy), "SERVO-MG SV-30", "ann@example.com", "(DIST-EU)"}, lacks: []string{done}},
		{name: "zh", lang: "zh", path: "/staff", status: 200, want: []string{"已逾期", zhDate(lateBy), "售后申请队列"}},
		{name: "overdue only", path: "/staff?overdue=1", status: 200, want: []string{late}, lacks: []string{fresh}},
		{name: "text search", path: "/staff?q=SV-30", status: 200, want: []string{fresh}, lacks: []string{late, eu}},
		{name: "by distributor", path: "/staff?distributor=DIST-EU", status: 200, want: []string{eu}, lacks: []string{fresh}},
		{name: "by channel", path: "/staff?channel=authorized_distributor", status: 200, want: []string{eu}, lacks: []string{fresh}},
		{name: "by status includes done ones", path: "/staff?status=rejected", status: 200, want: []string{done, `<option value="rejected" selected>`}, lacks: []string{fresh}},
		{name: "everything", path: "/staff?all=1", status: 200, want: []string{done, fresh}},
		{name: "by category", path: "/staff?category=electronic_module", status: 200, want: []string{"No claims match"}},
		{name: "a bad status is named", path: "/staff?status=nope", status: 422, want: []string{`id="f-status-error"`, "That is not a status"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.user = "agent"
			if tt.lang == "" {
				tt.lang = "en"
			}
			tt.check(t, e)
		})
	}
	e.noMissingMessages()
}

// The queue pages by a cursor: the next page's link carries it, and the
// pages together list every claim once.
func TestStaffQueuePages(t *testing.T) {
	e := newEnv(t)
	want := map[string]bool{}
	for range 52 {
		want[e.openClaim("agent", "", "defect", "SV-30")] = true
	}
	b := e.browser("en")
	b.login("agent")
	seen, path, pages := map[string]bool{}, "/staff?q=SV-30", 0
	for path != "" {
		p := b.get(path)
		if p.Status != 200 {
			t.Fatalf("%s: %d", path, p.Status)
		}
		for n := range want {
			if strings.Contains(p.Body, `href="/staff/claims/`+n+`"`) {
				if seen[n] {
					t.Errorf("%s listed twice", n)
				}
				seen[n] = true
			}
		}
		path = ""
		if before, _, ok := strings.Cut(p.Body, `" rel="next"`); ok {
			path = strings.ReplaceAll(before[strings.LastIndex(before, `href="`)+6:], "&amp;", "&")
			if !strings.Contains(path, "after=") || !strings.Contains(path, "q=SV-30") {
				t.Fatalf("next link %q lacks the cursor or the filter", path)
			}
		}
		if pages++; pages > 3 {
			t.Fatal("the pages never end")
		}
	}
	if len(seen) != len(want) || pages != 2 {
		t.Errorf("%d pages listed %d of %d claims", pages, len(seen), len(want))
	}
}

func TestStaffRegistryAndPolicy(t *testing.T) {
	e := newEnv(t)
	// SV-30 was delivered two days ago; its servo's 3 months run from then.
	covered := testday.Day(-2).AddMonths(3)
	for _, tt := range []pageWant{
		{name: "serial", path: "/staff/registry?serial=SV-30", status: 200, want: []string{"Metal-gear servo", "C-1 #1",
			"Covered until " + enDate(covered), "Direct sale", "Eligible"}},
		{name: "order with a kit", path: "/staff/registry?order=A-1", status: 200, want: []string{"Order A-1", "MB-1", "SV-9", "KIT-ARM"}},
		{name: "catalog", path: "/staff/registry", status: 200, want: []string{"Products and kits", "2 × SERVO-MG", "18 months", "Screw set"}},
		{name: "catalog zh", lang: "zh", path: "/staff/registry", status: 200, want: []string{"产品与套件", "18 个月"}},
		{name: "unknown serial", path: "/staff/registry?serial=NOPE", status: 404, want: []string{"No article has the serial number &#34;NOPE&#34;."}},
		{name: "unknown order", path: "/staff/registry?order=NOPE", status: 404, want: []string{"No order is numbered"}},
		{name: "policy", path: "/staff/policy", status: 200, want: []string{"Servos &amp; motors", "3 months", "Free replacement of a defect",
			"7 days", "A defect notified within 7 calendar days", "The customer pays shipping", `<table lang="en">`}},
		{name: "policy zh", lang: "zh", path: "/staff/policy", status: 200, want: []string{"退换货与保修政策", "7 天", "由客户承担运费"}},
		{name: "inspector sees the policy", user: "inspector", path: "/staff/policy", status: 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.user == "" {
				tt.user = "agent"
			}
			if tt.lang == "" {
				tt.lang = "en"
			}
			tt.check(t, e)
		})
	}
	e.noMissingMessages()
}
