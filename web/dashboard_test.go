package web_test

import (
	"encoding/xml"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

// dashAct takes workflow steps on claim number with cl, each on the version the
// last returned.
func (e *env) dashAct(cl *workflow.Claims, who, number string, steps ...workflow.ActInput) {
	e.t.Helper()
	c, err := cl.Get(e.t.Context(), e.actors[who], number)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, in := range steps {
		in.Version = c.Version
		if c, err = cl.Act(e.t.Context(), e.actors[who], number, in); err != nil {
			e.t.Fatalf("%s on %s by %s: %v", in.Action, number, who, err)
		}
	}
}

// dashClaims makes, through the workflow: a return answered on the
// day and refunded €30.00, and a defect answered six days later (late:
// the answer was due in 3 days), inspected as a quality defect.
func dashClaims(e *env) {
	e.t.Helper()
	ctx := e.t.Context()
	yes := true
	ret := e.distOpen("agent", "return", "SV-30")
	e.dashAct(e.site.Claims, "manager", ret, workflow.ActInput{Action: aftersale.ActionStartReview},
		workflow.ActInput{Action: aftersale.ActionAwaitReturn}, workflow.ActInput{Action: aftersale.ActionReceive},
		workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Resellable: &yes}}},
		workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund"})
	if _, err := e.site.Parcels.RecordRefund(ctx, e.actors["manager"], ret, aftersale.Money{Minor: 3000, Currency: "EUR"}, "re_1"); err != nil {
		e.t.Fatal(err)
	}
	defect := e.distOpen("agent", "defect", "SV-9")
	later, err := workflow.New(e.site.Policy, e.db, func() time.Time { return e.now().AddDate(0, 0, 6) })
	if err != nil {
		e.t.Fatal(err)
	}
	e.dashAct(&workflow.Claims{Service: later, InTx: e.db.InClaimTx, Opener: e.db.OpenClaim, Read: e.db}, "manager", defect,
		workflow.ActInput{Action: aftersale.ActionStartReview}, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_repair"},
		workflow.ActInput{Action: aftersale.ActionAwaitReturn}, workflow.ActInput{Action: aftersale.ActionReceive},
		workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Cause: "quality_defect"}}})
}

func TestDashboardAccess(t *testing.T) {
	e := newEnv(t)
	link := e.distCustomerLink()
	tests := []struct {
		name, user, path string
		status           int
	}{
		{"anonymous page", "", "/staff/dashboard", http.StatusSeeOther},
		{"anonymous chart", "", "/staff/dashboard/status.svg", http.StatusSeeOther},
		{"a distributor", "eu", "/staff/dashboard", http.StatusForbidden},
		{"a distributor's chart", "asia", "/staff/dashboard/status.svg", http.StatusForbidden},
		{"a customer", "", "/staff/dashboard?" + link[strings.Index(link, "access="):], http.StatusForbidden},
		{"a customer's chart", "", "/staff/dashboard/status.svg?" + link[strings.Index(link, "access="):], http.StatusForbidden},
		{"an agent", "agent", "/staff/dashboard", http.StatusOK},
		{"an inspector", "inspector", "/staff/dashboard", http.StatusOK},
		{"an admin's chart", "admin", "/staff/dashboard/answers.svg", http.StatusOK},
		{"no such chart", "manager", "/staff/dashboard/nothing.svg", http.StatusNotFound},
		{"not an svg", "manager", "/staff/dashboard/status.png", http.StatusNotFound},
		{"a currency without costs", "manager", "/staff/dashboard/cost-USD.svg", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser("en")
			if tt.user != "" {
				b.login(tt.user)
			}
			p := b.get(tt.path)
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.Status, tt.status, p.Body)
			}
			if tt.status == http.StatusSeeOther && p.Location != "/login?next="+url.QueryEscape(tt.path) {
				t.Errorf("redirect to %q", p.Location)
			}
		})
	}
}

// Each chart is valid SVG with its title and labels in the reader's
// language, and the page's tables say the same numbers.
func TestDashboardCharts(t *testing.T) {
	e := newEnv(t)
	dashClaims(e)
	// Both claims were reported on the test day, so they count in its
	// month, the series' last; the series starts 11 months before it.
	month, first := testday.Today(), testday.Today().AddMonths(-11)
	tests := []struct {
		lang, chart string
		want        []string
	}{
		{"en", "status", []string{"Claims by status", "Approved", "Received"}},
		{"zh", "status", []string{"各状态的售后申请", "已批准"}},
		{"en", "category", []string{"Claims by product category", "Servos &amp; motors"}},
		{"zh", "category", []string{"各产品类别的售后申请", "舵机与电机"}},
		{"en", "cause", []string{"Causes found by inspection", "Quality defect"}},
		{"zh", "cause", []string{"检测发现的原因", "质量缺陷"}},
		{"en", "request", []string{"Claims by request", "Return (change of mind)", "Defect"}},
		{"zh", "request", []string{"各申请类型的售后申请", "退货（不想要了）"}},
		{"en", "defects", []string{"Defect rate per product (top 10)", "SERVO-MG"}},
		{"zh", "defects", []string{"各产品的故障率（前 10 名）", "SERVO-MG"}},
		{"en", "answers", []string{"First answer within the promised days", enMonth(month), "On time", "Late", "Not answered yet"}},
		{"zh", "answers", []string{"每月按时首次答复的情况", zhMonth(month), "按时", "逾期"}},
		{"en", "cost-EUR", []string{"Cost of warranty per month (EUR)", "Refunds", "Replacements", "30"}},
		{"zh", "cost-EUR", []string{"每月保修成本（EUR）", "退款", "更换"}},
		{"en", "shipping", []string{"Parcels paid by the seller, per month", enMonth(first)}},
		{"zh", "shipping", []string{"每月由卖家承担运费的包裹"}},
	}
	browsers := map[string]*browser{"en": e.browser("en"), "zh": e.browser("zh-CN")}
	for _, b := range browsers {
		b.login("manager")
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.chart, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/staff/dashboard/"+tt.chart+".svg", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept-Language", browsers[tt.lang].lang)
			res, err := browsers[tt.lang].c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.HasPrefix(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Fatalf("%d %v", res.StatusCode, res.Header)
			}
			if !res.Uncompressed { // the client asked for gzip, and took it off
				t.Error("the chart came uncompressed")
			}
			dashWantSVG(t, body)
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("the chart lacks %q\n%s", w, body)
				}
			}
		})
	}
	en := browsers["en"].get("/staff/dashboard")
	for _, w := range []string{`src="/staff/dashboard/status.svg" alt="Bar chart of the number of claims in each status"`,
		`src="/staff/dashboard/cost-EUR.svg"`, "<th scope=\"row\">" + enMonth(month) + "</th><td>1</td><td>1</td><td>0</td>",
		"€30.00 (1 refund)", "€0.00 (0 units)", "Shipments record no freight cost", "<th scope=\"row\">Quality defect</th><td>1</td>",
		"<th scope=\"row\">SERVO-MG Metal-gear servo</th><td>1</td><td>7</td><td>14.29%</td>",
		"Exceptions to the policy", "managers gave 0 free remedies the policy did not give", "No exception to the policy in these months."} {
		if !strings.Contains(en.Body, w) {
			t.Errorf("the dashboard lacks %q\n%s", w, en.Body)
		}
	}
	// Each chart keeps its place before it arrives: its size is in the page.
	imgs := regexp.MustCompile(`<img [^>]*>`).FindAllString(en.Body, -1)
	for _, img := range imgs {
		if !regexp.MustCompile(` width="\d+" height="\d+"`).MatchString(img) {
			t.Errorf("chart image without its width and height: %s", img)
		}
	}
	if len(imgs) < 7 {
		t.Errorf("%d chart images, want at least 7", len(imgs))
	}
	zh := browsers["zh"].get("/staff/dashboard")
	for _, w := range []string{"数据看板", "€30.00（1 笔退款）", "<th scope=\"row\">" + zhMonth(month) + "</th><td>1</td><td>1</td><td>0</td>"} {
		if !strings.Contains(zh.Body, w) {
			t.Errorf("the Chinese dashboard lacks %q", w)
		}
	}
	e.noMissingMessages()
}

// The dashboard counts the free remedies the managers gave by exception,
// per manager and remedy, and lists the newest exceptions with their
// reasons, linked to their claims, in English and Chinese.
func TestDashboardExceptions(t *testing.T) {
	staff := maps.Clone(users)
	staff["boss"] = aftersale.User{Email: "boss@shop.test", Name: "Bo Boss", Role: aftersale.RoleManager}
	e := newEnvWith(t, staff)
	expired, goodwill := e.openClaim("agent", "", "defect", "SV-40"), e.openClaim("agent", "", "defect", "SV-40")
	e.act("agent", expired, workflow.ActInput{Action: aftersale.ActionStartReview})
	e.act("manager", expired, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_replacement", ExceptionReason: "school project, goodwill"})
	e.act("agent", goodwill, workflow.ActInput{Action: aftersale.ActionStartReview})
	e.act("boss", goodwill, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund", ExceptionReason: "our oldest customer"})
	rejected := e.openClaim("agent", "", "defect", "SV-30")
	e.act("agent", rejected, workflow.ActInput{Action: aftersale.ActionStartReview})
	e.act("manager", rejected, workflow.ActInput{Action: aftersale.ActionReject, Note: "the customer admitted dropping it"})
	from, to := testday.Today().AddMonths(-11), testday.Today()
	link := func(n string) string { return `<th scope="row"><a href="/staff/claims/` + n + `">` + n + `</a></th>` }
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{`<h2 id="exceptions-h">Exceptions to the policy</h2>`,
			"From " + enMonth(from) + " to " + enMonth(to) + ", managers gave 2 free remedies the policy did not give, by exception.",
			"1 other exception charged for a repair the policy gives free or rejected an eligible article.",
			`<th scope="col">Manager</th><th scope="col">Refund</th><th scope="col">Free replacement</th><th scope="col">Rejection</th><th scope="col">Free remedies</th>`,
			`<th scope="row">manager@shop.test</th><td>0</td><td>1</td><td>1</td><td>1</td>`,
			`<th scope="row">boss@shop.test</th><td>1</td><td>0</td><td>0</td><td>1</td>`,
			link(rejected) + "<td>1</td><td>Rejection</td><td>manager@shop.test</td><td>the customer admitted dropping it</td>",
			link(goodwill) + "<td>1</td><td>Refund</td><td>boss@shop.test</td><td>our oldest customer</td>",
			link(expired) + "<td>1</td><td>Free replacement</td><td>manager@shop.test</td><td>school project, goodwill</td>"}},
		{"zh", []string{`<h2 id="exceptions-h">政策外特批</h2>`, zhMonth(from) + "至" + zhMonth(to) + "，经理共特批 2 项政策未给出的免费处理。",
			"另有 1 项特批", `<th scope="col">经理</th><th scope="col">退款</th><th scope="col">免费更换</th><th scope="col">拒绝</th><th scope="col">免费处理</th>`,
			`<th scope="row">manager@shop.test</th><td>0</td><td>1</td><td>1</td><td>1</td>`,
			link(expired) + "<td>1</td><td>免费更换</td><td>manager@shop.test</td><td>school project, goodwill</td>"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			b := e.browser(map[string]string{"en": "en", "zh": "zh-CN"}[tt.lang])
			b.login("manager")
			p := b.get("/staff/dashboard")
			if p.Status != http.StatusOK {
				t.Fatalf("status %d\n%s", p.Status, p.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("the dashboard lacks %q\n%s", w, p.Body)
				}
			}
			// The newest first: the same minute, so in the order recorded.
			if i, j, k := strings.Index(p.Body, link(rejected)), strings.Index(p.Body, link(goodwill)), strings.Index(p.Body, link(expired)); !(0 < i && i < j && j < k) {
				t.Errorf("the latest exceptions are not newest first: %d, %d, %d", i, j, k)
			}
		})
	}
	e.noMissingMessages()
}

// dashWantSVG fails the test unless body is a well-formed SVG document.
func dashWantSVG(t *testing.T, body []byte) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(body)))
	var root string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, body)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Space + " " + se.Name.Local
		}
	}
	if root != "http://www.w3.org/2000/svg svg" {
		t.Errorf("root element %q, want svg", root)
	}
}
