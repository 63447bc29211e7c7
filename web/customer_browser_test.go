package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// samplePhotoFile writes a small real PNG for a browser to upload.
func samplePhotoFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "servo.png")
	if err := os.WriteFile(path, samplePNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A customer checks the warranty of order A-1 on the start page, opens a
// claim on its servo from there with a photo, and sees the RMA number and
// the decision; then prints the slip.
func TestBrowserCustomerClaim(t *testing.T) {
	e := newEnv(t)
	photo := samplePhotoFile(t)
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			short := lang[:2]
			ctx := chrome(t, lang)
			do(t, ctx, "the start page", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
			accessible(t, ctx, "the start page")
			do(t, ctx, "check order A-1 on the start page",
				chromedp.SendKeys(chromedp.ID("q"), "A-1"), chromedp.Submit(chromedp.ID("q")),
				chromedp.WaitVisible(chromedp.CSS("article.item")))
			accessible(t, ctx, "the warranty of A-1")
			do(t, ctx, "open a claim from the warranty page",
				chromedp.Click(chromedp.CSS(`a[href="/claim/new?order=A-1"]`)),
				chromedp.WaitVisible(chromedp.ID("email")))
			if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("order"))); err != nil || v != "A-1" {
				t.Errorf("order field %q (%v), want A-1 prefilled", v, err)
			}
			accessible(t, ctx, "the claim form's first step")
			do(t, ctx, "prove the order is hers",
				chromedp.SendKeys(chromedp.ID("email"), "ann@example.com"), chromedp.Submit(chromedp.ID("email")),
				chromedp.WaitVisible(chromedp.CSS(`input[value="2||SV-9"]`)))
			accessible(t, ctx, "the claim form's second step")
			do(t, ctx, "describe the problem",
				chromedp.Click(chromedp.CSS(`input[value="2||SV-9"]`)),
				chromedp.Click(chromedp.ID("request-defect")),
				chromedp.SendKeys(chromedp.ID("description"), "The servo stutters under load."),
				chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}))
			screenshot(t, ctx, "claim-new-"+short)
			do(t, ctx, "submit with the photo",
				chromedp.Click(chromedp.CSS(`form[data-upload] button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(".rma-number")))
			if n := text(t, ctx, ".rma-number"); !strings.HasPrefix(n, rmaPrefix()) {
				t.Errorf("RMA number %q", n)
			}
			want := map[string][]string{"en": {"Eligible", "Free repair"}, "zh": {"符合条件", "免费维修"}}[short]
			wantText(t, ctx, "article.item", want...)
			wantText(t, ctx, "#evidence", "servo.png")
			if link, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("link"))); err != nil || !strings.Contains(link, "?access=cl_") {
				t.Errorf("the link to keep: %q (%v)", link, err)
			}
			screenshot(t, ctx, "claim-"+short)
			accessible(t, ctx, "the claim's page")
			if short == "en" {
				do(t, ctx, "a phone's screen",
					chromedp.EmulateViewport(390, 844),
					chromedp.Navigate(strings.Split(location(t, ctx), "?")[0]),
					chromedp.WaitVisible(chromedp.CSS(".rma-number")))
				screenshot(t, ctx, "claim-phone-en")
				do(t, ctx, "back to a desktop", chromedp.EmulateViewport(1280, 900))
			}
			do(t, ctx, "the slip",
				chromedp.Click(chromedp.CSS(`a[href$="/slip"]`)),
				chromedp.WaitVisible(chromedp.CSS(".slip")))
			wantText(t, ctx, ".slip", "Robot Kits Ltd", "SV-9")
			screenshot(t, ctx, "slip-"+short)
			accessible(t, ctx, "the RMA slip")
		})
	}
	e.noMissingMessages()
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A distributor's user (eu) applies for the customer of its order B-1.
func TestBrowserDistributorApplies(t *testing.T) {
	e := newEnv(t)
	photo := samplePhotoFile(t)
	ctx := chrome(t, "en-GB")
	do(t, ctx, "sign in as eu",
		chromedp.Navigate(e.srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), users["eu"].Email), chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")))
	for i := 0; ; i++ { // until the sign-in's answer has come
		if u, err := chromedp.Run(ctx, chromedp.Location()); err == nil && !strings.Contains(u, "/login") {
			break
		}
		if i == 50 {
			t.Fatal("sign in: still on the sign-in page")
		}
		time.Sleep(100 * time.Millisecond)
	}
	do(t, ctx, "find the customer's order",
		chromedp.Navigate(e.srv.URL+"/distributor/claims/new"), chromedp.WaitVisible(chromedp.ID("order")),
		chromedp.SendKeys(chromedp.ID("order"), "B-1"), chromedp.Submit(chromedp.ID("order")),
		chromedp.WaitVisible(chromedp.CSS(`input[value="1||SV-20"]`)))
	accessible(t, ctx, "the distributor's application")
	do(t, ctx, "apply",
		chromedp.Click(chromedp.CSS(`input[value="1||SV-20"]`)),
		chromedp.Click(chromedp.ID("request-damaged_on_arrival")),
		chromedp.SendKeys(chromedp.ID("description"), "The box was crushed."),
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}),
		chromedp.Click(chromedp.CSS(`form[data-upload] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".rma-number")))
	wantText(t, ctx, ".keep-link", "The customer's link to this claim")
	wantText(t, ctx, "#evidence", "servo.png")
	wantText(t, ctx, "main", "It arrived damaged")
	e.noMissingMessages()
}
