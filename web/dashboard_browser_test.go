package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/internal/testday"
	"github.com/chromedp/chromedp"
)

// dashSignIn signs the browser in through the sign-in form, which then leads
// to next.
func dashSignIn(t *testing.T, e *env, ctx context.Context, name, next string) {
	t.Helper()
	do(t, ctx, "sign in as "+name,
		chromedp.Navigate(e.srv.URL+"/login?next="+url.QueryEscape(next)),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), users[name].Email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS("main h1")))
}

// A manager opens the dashboard: every chart's image loads (drawn by the
// server, nothing from elsewhere), with the numbers as tables under them.
func TestBrowserDashboard(t *testing.T) {
	e := newEnv(t)
	dashClaims(e)
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			ctx := chrome(t, lang)
			dashSignIn(t, e, ctx, "manager", "/staff/dashboard")
			do(t, ctx, "the dashboard", chromedp.WaitVisible(chromedp.CSS(".charts img")))
			// Wait until every image has finished loading, then count the
			// ones drawn.
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete)`)); err != nil {
				t.Fatalf("wait for the charts: %v", err)
			}
			loaded, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll('.charts img')).filter(i => i.naturalWidth > 0).length`))
			if err != nil {
				t.Fatal(err)
			}
			total, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.charts img').length`))
			if err != nil {
				t.Fatal(err)
			}
			if total < 7 || loaded != total {
				t.Errorf("%d of %d chart images loaded, want all (at least 7)", loaded, total)
			}
			if lang == "en-GB" {
				wantText(t, ctx, "main", "Claims by status", "€30.00 (1 refund)", enMonth(testday.Today()))
			} else {
				wantText(t, ctx, "main", "各状态的售后申请", "€30.00（1 笔退款）", zhMonth(testday.Today()))
			}
			screenshot(t, ctx, "dashboard-"+lang[:2])
			accessible(t, ctx, "the dashboard")
		})
	}
	e.noMissingMessages()
}

// A distributor signs in and lands on its customers' claims; its contract
// is a link away.
func TestBrowserDistributor(t *testing.T) {
	e := newEnv(t)
	eu := e.distOpen("eu", "defect", "SV-20")
	asia := e.distOpen("asia", "defect", "SV-50")
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			ctx := chrome(t, lang)
			dashSignIn(t, e, ctx, "eu", "/")
			do(t, ctx, "the portal", chromedp.WaitVisible(chromedp.CSS("table.dist-claims")))
			wantText(t, ctx, "table.dist-claims", eu, "SERVO-MG")
			if got := text(t, ctx, "main"); strings.Contains(got, asia) {
				t.Errorf("DIST-EU sees DIST-ASIA's claim %s", asia)
			}
			screenshot(t, ctx, "distributor-"+lang[:2])
			accessible(t, ctx, "the distributor's claims")
			do(t, ctx, "open the contract", chromedp.Click(chromedp.CSS(`nav a[href="/distributor/contract"]`)),
				chromedp.WaitVisible(chromedp.ID("rules-h")))
			if lang == "en-GB" {
				wantText(t, ctx, "main", "Robotics Europe", "14 days", "clause A4")
			} else {
				wantText(t, ctx, "main", "Robotics Europe", "14 天", "第 A4 条")
			}
			screenshot(t, ctx, "contract-"+lang[:2])
			accessible(t, ctx, "the distributor's contract")
		})
	}
	e.noMissingMessages()
}
