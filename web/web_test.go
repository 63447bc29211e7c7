package web_test

import (
	"github.com/aftersale/aftersale/auth"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/web"
)

// Both languages have every message: a page never falls back to English
// in the middle of Chinese, nor shows a message id.
func TestMessagesComplete(t *testing.T) {
	cat, err := web.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	en, zh := cat.IDs("en"), cat.IDs("zh")
	if len(en) < 50 {
		t.Fatalf("only %d English messages: the catalog did not load", len(en))
	}
	for _, id := range en {
		if !slices.Contains(zh, id) {
			t.Errorf("zh lacks %s", id)
		}
	}
	for _, id := range zh {
		if !slices.Contains(en, id) {
			t.Errorf("en lacks %s (a Chinese message nobody asks for in English)", id)
		}
	}
}

func TestPublicPages(t *testing.T) {
	e := newEnv(t)
	// SV-30 (order C-1) was delivered two days ago: its servo's 3 months
	// run from then. Order A-1 was bought 84 days ago.
	delivered := testday.Day(-2)
	covered := delivered.AddMonths(3)
	tests := []struct {
		name, lang, path string
		status           int
		want             []string
	}{
		{"home en", "en-GB,en;q=0.9", "/", 200, []string{`<html lang="en">`, "Check a warranty", `href="/claim/new"`, `lang="zh"`}},
		{"home zh", "zh-CN,zh;q=0.9", "/", 200, []string{`<html lang="zh-Hans">`, "查询保修", `lang="en"`}},
		{"home for an unknown language is English", "fr-FR", "/", 200, []string{`<html lang="en">`}},
		{"serial in warranty, en", "en", "/warranty?q=SV-30", 200, []string{"SERVO-MG", "Covered until " + enDate(covered), "Eligible", "C-1",
			"<li>We pay the shipping both ways.</li>"}},
		{"serial in warranty, zh", "zh", "/warranty?q=SV-30", 200, []string{"保修至 " + zhDate(covered), "符合条件",
			"<li>您的电机保修期为3个月，自" + zhDate(delivered) + "（您收货的日期）起至" + zhDate(covered) + "止；您于" + zhDate(testday.Today()) + "报告故障，在保修期内。</li>",
			"<li>往返运费由我们承担。</li>"}},
		{"expired serial", "en", "/warranty?q=SV-40", 200, []string{"Not covered today", "Not eligible"}},
		{"an order lists its articles and kit parts", "en", "/warranty?q=A-1", 200, []string{"Order A-1, bought on " + enDate(testday.Day(-84)), "SV-1", "MB-1", "SV-9"}},
		{"unknown number", "en", "/warranty?q=NOPE-1", 404, []string{`We found no product or order numbered &#34;NOPE-1&#34;`}},
		{"unknown number zh", "zh", "/warranty?q=NOPE-1", 404, []string{"未找到编号为"}},
		{"empty query", "en", "/warranty?q=", 422, []string{"Please enter a serial number or an order number."}},
		{"markup in the query is text", "en", "/warranty?q=%3Cscript%3Ex%3C/script%3E", 404, []string{"&lt;script&gt;"}},
		{"login form", "en", "/login", 200, []string{`type="password"`, `autocomplete="current-password"`}},
		{"no such page", "en", "/nowhere", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.browser(tt.lang).get(tt.path)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%s", w, p.Body)
				}
			}
			if strings.Contains(p.Body, "<script>") {
				t.Error("page carries an inline script")
			}
		})
	}
	e.noMissingMessages()
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	res, err := http.Get(e.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Cache-Control":           "no-store",
	} {
		if got := res.Header.Get(h); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want it to start with %q", h, got, want)
		}
	}
	res, err = http.Get(e.srv.URL + "/static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("app.css: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	b := e.browser("en")
	p := b.get("/lang?to=zh&back=/warranty%3Fq%3DSV-30")
	if p.Status != http.StatusSeeOther || p.Location != "/warranty?q=SV-30" {
		t.Fatalf("switch: %d to %q", p.Status, p.Location)
	}
	if p := b.get("/warranty?q=SV-30"); !strings.Contains(p.Body, "保修至") {
		t.Errorf("after switching to zh, an English browser still reads English:\n%s", p.Body)
	}
	for _, back := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		if p := b.get("/lang?to=en&back=" + url.QueryEscape(back)); p.Location != "/" {
			t.Errorf("back=%s leads to %q, want /", back, p.Location)
		}
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	b := e.browser("en")
	tests := []struct {
		name, email, password string
		status                int
		location, want        string
	}{
		{"wrong password", users["agent"].Email, "nope", 401, "", "Wrong e-mail address or password."},
		{"unknown user", "who@shop.test", password, 401, "", "Wrong e-mail address or password."},
		{"staff land on the queue", users["agent"].Email, password, 303, "/staff", ""},
		{"distributors land on their claims", users["eu"].Email, password, 303, "/distributor", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.post("/login", url.Values{"email": {tt.email}, "password": {tt.password}})
			if p.Status != tt.status || p.Location != tt.location || !strings.Contains(p.Body, tt.want) {
				t.Errorf("got %d to %q, want %d to %q with %q\n%s", p.Status, p.Location, tt.status, tt.location, tt.want, p.Body)
			}
		})
	}
	if p := b.post("/logout", url.Values{}); p.Status != http.StatusSeeOther {
		t.Errorf("logout: %d", p.Status)
	}
}

// TestLoginAccountLimit: after auth.FreeFailures wrong passwords one account
// waits, even with the right password, unless it comes from the address that
// last signed in to it successfully.
func TestLoginAccountLimit(t *testing.T) {
	e := newEnv(t)
	b := e.browser("en")
	fail := func(name string) {
		t.Helper()
		for range auth.FreeFailures {
			if p := b.post("/login", url.Values{"email": {users[name].Email}, "password": {"wrong password"}}); p.Status != http.StatusUnauthorized {
				t.Fatalf("wrong password: %d", p.Status)
			}
		}
	}
	fail("manager")
	p := b.post("/login", url.Values{"email": {users["manager"].Email}, "password": {password}})
	if p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, "Too many failed sign-ins to this account.") {
		t.Errorf("the right password during the wait: %d\n%s", p.Status, p.Body)
	}
	b.login("agent") // this address is now the agent's last
	fail("agent")
	b.login("agent")
	e.noMissingMessages()
}

// A form posted from another site is refused before it reaches a page.
func TestCrossOriginFormRefused(t *testing.T) {
	e := newEnv(t)
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader("email=a&password=b"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", res.StatusCode)
	}
}

// TestReasonsInTheReadersLanguage: Locale.Reasons gives a decision's reasons
// in the locale's language, English where the decision has none in it.
func TestReasonsInTheReadersLanguage(t *testing.T) {
	cat, err := web.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	d := aftersale.Decision{Reasons: []string{"We pay the shipping both ways."},
		ReasonsByLang: map[string][]string{"zh": {"往返运费由我们承担。"}}}
	if got := cat.Locale("zh").Reasons(d); !slices.Equal(got, []string{"往返运费由我们承担。"}) {
		t.Errorf("zh: %q", got)
	}
	if got := cat.Locale("en").Reasons(d); !slices.Equal(got, d.Reasons) {
		t.Errorf("en: %q", got)
	}
	old := aftersale.Decision{Reasons: []string{"We answer within 3 days, by 3 May 2026."}}
	if got := cat.Locale("zh").Reasons(old); !slices.Equal(got, old.Reasons) {
		t.Errorf("a decision stored before its Chinese reasons: %q", got)
	}
	if got := cat.Locale("zh").Reasons(nil); got != nil {
		t.Errorf("no decision: %q", got)
	}
}

// TestWarrantyPageShowsClaimsToWhoMaySee: the public warranty check says a
// claim is open on an article, never whose: its number and status are for
// staff (and the registry's page, theirs), the sale's distributor and the
// holder of the claim's link.
func TestWarrantyPageShowsClaimsToWhoMaySee(t *testing.T) {
	e := newEnv(t)
	opened := e.distOpenWithLink("agent", "defect", "SV-9")
	number := opened.Claim.Number
	staff := e.browser("en")
	staff.login("agent")
	eu := e.browser("en")
	eu.login("eu")
	holder := e.browser("en")
	if p := holder.get(opened.CustomerLink); p.Status != http.StatusOK {
		t.Fatalf("the claim's link: %d", p.Status)
	}
	tests := []struct {
		name  string
		b     *browser
		path  string
		shows bool // the claim's number
	}{
		{"anybody, by serial", e.browser("en"), "/warranty?q=SV-9", false},
		{"anybody, by order", e.browser("en"), "/warranty?q=A-1", false},
		{"another distributor", eu, "/warranty?q=SV-9", false},
		{"staff", staff, "/warranty?q=SV-9", true},
		{"staff, in the registry", staff, "/staff/registry?serial=SV-9", true},
		{"the link's holder", holder, "/warranty?q=SV-9", true},
	}
	for _, tt := range tests {
		p := tt.b.get(tt.path)
		if p.Status != http.StatusOK {
			t.Fatalf("%s: %d", tt.name, p.Status)
		}
		if got := strings.Contains(p.Body, number); got != tt.shows {
			t.Errorf("%s: the claim's number shows: %v, want %v", tt.name, got, tt.shows)
		}
		if !tt.shows && !strings.Contains(p.Body, "A claim is open on this article.") {
			t.Errorf("%s: no word that a claim is open", tt.name)
		}
	}
}
