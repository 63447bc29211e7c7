package web_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
	"github.com/chromedp/chromedp"
)

// pick is the English or the Chinese of a text, by the browser's language.
func pick(lang, english, chinese string) string {
	if lang == "en-GB" {
		return english
	}
	return chinese
}

// The inspector finds the returned item cannot be sold again: the claim
// page then says so (not "Yes", which a pointer's truth once showed).
func TestBrowserInspectionResellable(t *testing.T) {
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			n := e.openClaim("agent", "", "defect", "SV-30")
			e.act("agent", n, workflow.ActInput{Action: aftersale.ActionStartReview},
				workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_replacement"},
				workflow.ActInput{Action: aftersale.ActionAwaitReturn})
			e.act("inspector", n, workflow.ActInput{Action: aftersale.ActionReceive})
			ctx := chrome(t, lang)
			dashSignIn(t, e, ctx, "inspector", "/staff/claims/"+n)
			do(t, ctx, "inspect: not resellable",
				chromedp.WaitVisible(chromedp.ID("act-inspect")),
				chromedp.SetValue(chromedp.ID("resellable-1"), "no"),
				chromedp.Click(chromedp.CSS("#act-inspect button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#claim-status.status-inspected")))
			facts := text(t, ctx, "#lines-h + article dl.facts")
			if want := pick(lang, "Resellable\nNo", "可再销售\n否"); !strings.Contains(facts, want) {
				t.Errorf("the line's facts read %q, want %q", facts, want)
			}
			if c := e.claim(n); c.Lines[0].Resellable == nil || *c.Lines[0].Resellable {
				t.Errorf("stored resellable %v, want false", c.Lines[0].Resellable)
			}
			e.noMissingMessages()
		})
	}
}

// sellKits records two kits sold directly with a serial of their own (a
// kit is of a category without a warranty period): K-NEW bought two days
// ago, inside the 7 days in which a defective part is replaced free, and
// K-OLD bought a month ago, after them.
func (e *env) sellKits() {
	e.t.Helper()
	ctx := e.t.Context()
	kit := func(number, serial string, day int) aftersale.Order {
		return aftersale.Order{Number: number, PurchaseDate: testday.Day(day), Channel: aftersale.Direct, CustomerEmail: "ann@example.com",
			ProofOfPurchase: true, Total: aftersale.Money{Minor: 12000, Currency: "EUR"}, Lines: []aftersale.OrderLine{
				{Line: 1, SKU: "KIT-ARM", Quantity: 1, UnitPrice: 12000, Serials: []aftersale.Serial{{Number: serial}}}}}
	}
	if err := e.db.InTx(ctx, func(tx *store.Tx) error {
		return tx.UpsertOrders(ctx, []aftersale.Order{kit("K-NEW", "KA-NEW", -2), kit("K-OLD", "KA-OLD", -30)})
	}); err != nil {
		e.t.Fatal(err)
	}
}

// A kit has no warranty period, yet within its first days a defective part
// is replaced: the warranty page's one status agrees with the decision
// below it, instead of a red "Not covered today" above a green "Eligible".
func TestBrowserKitCoverAgreesWithDecision(t *testing.T) {
	e := newEnv(t)
	e.sellKits()
	until := testday.Day(-2).AddDays(7)
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			ctx := chrome(t, lang)
			for _, tt := range []struct {
				serial, cover, lacks, outcome string
				ok                            bool
			}{
				{"KA-NEW", pick(lang, "No warranty period: a defective part is replaced free until "+enDate(until), "无保修期："+zhDate(until)+"前发现的缺陷零件可免费更换"),
					pick(lang, "Not covered", "不在保修期内"), pick(lang, "Eligible", "符合条件"), true},
				{"KA-OLD", pick(lang, "No warranty period", "无保修期"), pick(lang, "replaced free until", "可免费更换"), pick(lang, "Not eligible", "不符合条件"), false},
			} {
				do(t, ctx, "check "+tt.serial,
					chromedp.Navigate(e.srv.URL+"/warranty?q="+tt.serial),
					chromedp.WaitVisible(chromedp.CSS("article.item")))
				facts := text(t, ctx, "article.item dl.facts")
				if !strings.Contains(facts, tt.cover) || strings.Contains(facts, tt.lacks) {
					t.Errorf("%s: facts %q, want the cover %q", tt.serial, facts, tt.cover)
				}
				wantText(t, ctx, "article.item .badge", tt.outcome)
				green, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("article.item dl.facts strong.bad") === null`))
				if err != nil {
					t.Fatal(err)
				}
				if green != tt.ok {
					t.Errorf("%s: cover shown as good news: %v, want %v", tt.serial, green, tt.ok)
				}
			}
		})
	}
	e.noMissingMessages()
}

// A customer types a serial or an order number in lower case, with spaces
// around it: the warranty check and the claim form find the article as
// staff search does, and show it as it is on file.
func TestBrowserNumbersAnyCase(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			ctx := chrome(t, lang)
			for _, tt := range []struct{ typed, want string }{
				{"  sv-30 ", "SV-30"},
				{" Sv-9", "SV-9"},
				{"a-1  ", pick(lang, "Order A-1", "订单 A-1")},
			} {
				do(t, ctx, "check "+tt.typed,
					chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")),
					chromedp.SendKeys(chromedp.ID("q"), tt.typed), chromedp.Submit(chromedp.ID("q")),
					// The start page has a heading too: wait for the answer's.
					chromedp.WaitVisible(chromedp.CSS("article.item")))
				wantText(t, ctx, "main", tt.want, pick(lang, "Covered until", "保修至"))
			}
			for _, typed := range []string{" c-1 ", "sv-30"} {
				do(t, ctx, "the claim form with "+typed,
					chromedp.Navigate(e.srv.URL+"/claim/new"), chromedp.WaitVisible(chromedp.ID("email")),
					chromedp.SendKeys(chromedp.ID("order"), typed),
					chromedp.SendKeys(chromedp.ID("email"), "ann@example.com"), chromedp.Submit(chromedp.ID("email")),
					chromedp.WaitReady(chromedp.CSS(`input[value="1||SV-30"]`)))
				wantText(t, ctx, "main", "SV-30")
				if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[value="1||SV-30"]').length`)); err != nil || n != 1 {
					t.Errorf("%q: the servo of C-1 offered %d times (%v), want once", typed, n, err)
				}
			}
		})
	}
	e.noMissingMessages()
}

// replacementApproved opens a defect claim on SV-30 and takes it to an
// inspected item under an approved free replacement.
func (e *env) replacementApproved() string {
	e.t.Helper()
	n := e.openClaim("agent", "", "defect", "SV-30")
	yes := true
	e.act("agent", n, workflow.ActInput{Action: aftersale.ActionStartReview},
		workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "free_replacement"},
		workflow.ActInput{Action: aftersale.ActionAwaitReturn})
	e.act("inspector", n, workflow.ActInput{Action: aftersale.ActionReceive},
		workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Resellable: &yes}}})
	return n
}

// An agent registers the replacement shipped for a claim from its page: a
// serial already on file is refused beside the field, with what was typed
// kept; a new one is registered and listed, and found by the warranty
// check. A manager records a refund on a change-of-mind return there too.
func TestBrowserStaffRegistersUnitAndRefund(t *testing.T) {
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			n := e.replacementApproved()
			ctx := chrome(t, lang)
			dashSignIn(t, e, ctx, "agent", "/staff/claims/"+n)
			do(t, ctx, "a serial already on file",
				chromedp.WaitVisible(chromedp.ID("parcels")),
				chromedp.Evaluate[chromedp.Void](`document.querySelector("#unit-form").closest("details").open = true`),
				chromedp.WaitVisible(chromedp.ID("unit-serial")),
				chromedp.SetValue(chromedp.ID("unit-kind"), "replacement"),
				chromedp.SendKeys(chromedp.ID("unit-serial"), "SV-20"),
				chromedp.Click(chromedp.CSS("#unit-form button[type=submit]")),
				chromedp.WaitVisible(chromedp.ID("unit-serial-error")))
			wantText(t, ctx, "#unit-serial-error", pick(lang, "This serial is already on file.", "此序列号已存在。"))
			if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("unit-serial"))); err != nil || v != "SV-20" {
				t.Errorf("serial kept %q (%v), want SV-20", v, err)
			}
			do(t, ctx, "the replacement's new serial",
				chromedp.SetValue(chromedp.ID("unit-serial"), "SV-31"),
				chromedp.Click(chromedp.CSS("#unit-form button[type=submit]")),
				chromedp.WaitVisible(chromedp.ID("units")))
			wantText(t, ctx, "#units", "SV-31 (SERVO-MG)", pick(lang, "Replacement", "更换件"), pick(lang, "replaces SV-30", "替换 SV-30"))
			wantText(t, ctx, "main", pick(lang, "The unit is registered.", "已登记寄出的产品。"))
			if st, err := e.claimsAt("").Service.WarrantyBySerial(t.Context(), aftersale.Actor{}, "SV-31"); err != nil || st.Order.Number != "C-1" {
				t.Errorf("the replacement SV-31 looked up: order %q (%v), want C-1", st.Order.Number, err)
			}

			ret, err := claimOf(e.claimsAt("").Open(t.Context(), e.actors["agent"], workflow.OpenClaimInput{Request: "return",
				Lines: []workflow.OpenLine{{OrderNumber: "C-1", OrderLine: 1}}}, ""))
			if err != nil {
				t.Fatal(err)
			}
			yes := true
			e.act("agent", ret.Number, workflow.ActInput{Action: aftersale.ActionStartReview}, workflow.ActInput{Action: aftersale.ActionAwaitReturn})
			e.act("inspector", ret.Number, workflow.ActInput{Action: aftersale.ActionReceive},
				workflow.ActInput{Action: aftersale.ActionInspect, Findings: []workflow.Finding{{Line: 1, Resellable: &yes}}})
			e.act("agent", ret.Number, workflow.ActInput{Action: aftersale.ActionApprove, Remedy: "refund"})
			ctx = chrome(t, lang)
			dashSignIn(t, e, ctx, "manager", "/staff/claims/"+ret.Number)
			do(t, ctx, "a refund",
				chromedp.Evaluate[chromedp.Void](`document.querySelector("#refund-form").closest("details").open = true`),
				chromedp.WaitVisible(chromedp.ID("refund-amount")),
				chromedp.SendKeys(chromedp.ID("refund-amount"), "30.00"),
				chromedp.SendKeys(chromedp.ID("refund-reference"), "re_42"),
				chromedp.Click(chromedp.CSS("#refund-form button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#parcels ul")))
			wantText(t, ctx, "#parcels", "re_42", "30.00")
			e.noMissingMessages()
		})
	}
}
