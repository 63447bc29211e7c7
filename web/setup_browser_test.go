package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A newcomer opens a new installation, follows the start page to the
// setup, creates the administrator with the sample data, and tries the
// sample's serial from the page that names it.
func TestBrowserNewcomer(t *testing.T) {
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnvWith(t, nil)
			ctx := chrome(t, lang)
			do(t, ctx, "open the start page", chromedp.Navigate(e.srv.URL+"/"),
				chromedp.WaitVisible(chromedp.CSS(`a[href="/setup"]`)))
			do(t, ctx, "follow it to the setup", chromedp.Click(chromedp.CSS(`a[href="/setup"]`)),
				chromedp.WaitVisible(chromedp.ID("name")))
			screenshot(t, ctx, "setup-"+lang[:2])
			accessible(t, ctx, "the setup")
			do(t, ctx, "create the administrator",
				chromedp.SendKeys(chromedp.ID("name"), "Olga Owner"),
				chromedp.SendKeys(chromedp.ID("email"), "owner@shop.test"),
				chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
				chromedp.SendKeys(chromedp.ID("password2"), "correct horse battery"),
				chromedp.Submit(chromedp.ID("password2")),
				chromedp.WaitVisible(chromedp.ID("try-order")))
			if lang == "en-GB" {
				wantText(t, ctx, "main", "You are signed in as owner@shop.test", "Try it")
			} else {
				wantText(t, ctx, "main", "您已作为管理员 owner@shop.test 登录", "试一试")
			}
			screenshot(t, ctx, "setup-done-"+lang[:2])
			accessible(t, ctx, "the setup's result")
			do(t, ctx, "try the sample's serial", chromedp.Click(chromedp.CSS(`ol.try a[href^="/warranty"]`)),
				chromedp.WaitVisible(chromedp.CSS("article.item")))
		})
	}
}
