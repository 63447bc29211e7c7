package web_test

import (
	"testing"

	"github.com/aftersale/aftersale"
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
			if got, want := text(t, ctx, "#line-1-resellable"), pick(lang, "No", "否"); got != want {
				t.Errorf("resellable shows %q, want %q", got, want)
			}
			if c := e.claim(n); c.Lines[0].Resellable == nil || *c.Lines[0].Resellable {
				t.Errorf("stored resellable %v, want false", c.Lines[0].Resellable)
			}
			e.noMissingMessages()
		})
	}
}
