package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aftersale/aftersale/internal/testday"
	"github.com/chromedp/chromedp"
)

// A manager signs in, finds a customer's fresh claim in the queue (a
// defect on SV-30 of order C-1, reported within 7 days of delivery: a free
// replacement), starts the review and approves the replacement; the page
// then shows the approved status and the history's entry. Then the
// registry, an import with its progress, the users and the policy. Each
// page is shot in both languages.
func TestBrowserStaffConsole(t *testing.T) {
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			e.openClaim("agent", testday.Day(-14).String(), "defect", "SV-1") // respond by Day(-11): overdue by now
			e.openClaim("eu", "", "defect", "SV-20")
			n := e.openClaim("agent", "", "defect", "SV-30")
			en := lang == "en-GB"
			pick := func(english, chinese string) string {
				if en {
					return english
				}
				return chinese
			}
			ctx := chrome(t, lang)
			do(t, ctx, "sign in",
				chromedp.Navigate(e.srv.URL+"/login"),
				chromedp.WaitVisible(chromedp.CSS("#email")),
				chromedp.SendKeys(chromedp.CSS("#email"), users["manager"].Email),
				chromedp.SendKeys(chromedp.CSS("#password"), password),
				chromedp.Submit(chromedp.CSS("#password")),
				chromedp.WaitVisible(chromedp.CSS("table.queue")))
			wantText(t, ctx, "table.queue", n, "SV-30", pick("Overdue", "已逾期"))
			screenshot(t, ctx, "queue-"+lang[:2])
			accessible(t, ctx, "the queue")

			do(t, ctx, "open the claim",
				chromedp.Click(chromedp.CSS(`a[href="/staff/claims/`+n+`"]`)),
				chromedp.WaitVisible(chromedp.CSS("#act-start_review")))
			wantText(t, ctx, "#lines-h + article", pick("Eligible", "符合条件"), pick("Free replacement", "免费更换"))
			do(t, ctx, "start the review",
				chromedp.Click(chromedp.CSS("#act-start_review button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#act-approve")))
			accessible(t, ctx, "the claim in review")
			do(t, ctx, "approve the replacement",
				chromedp.SetValue(chromedp.CSS("#approve-note"), pick("A new servo is on its way.", "新的舵机已寄出。")),
				chromedp.Click(chromedp.CSS("#act-approve button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#claim-status.status-approved")))
			wantText(t, ctx, "#claim-status", pick("Approved", "已批准"))
			wantText(t, ctx, "ol.timeline", pick("Approved", "已批准"), pick("In review", "审核中"), users["manager"].Email)
			screenshot(t, ctx, "staff-claim-"+lang[:2])

			do(t, ctx, "look an order up",
				chromedp.Navigate(e.srv.URL+"/staff/registry?order=A-1"),
				chromedp.WaitVisible(chromedp.CSS("#catalog")))
			wantText(t, ctx, "#found-h", "A-1")
			screenshot(t, ctx, "registry-"+lang[:2])
			accessible(t, ctx, "the registry")

			csv := filepath.Join(t.TempDir(), "products.csv")
			if err := os.WriteFile(csv, []byte("sku,name,category\nNEW-1,New servo,servo_motor\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			do(t, ctx, "import products with the upload's progress",
				chromedp.Navigate(e.srv.URL+"/staff/imports"),
				chromedp.WaitVisible(chromedp.CSS("#import-products")),
				chromedp.SetUploadFiles(chromedp.CSS("#file-products"), []string{csv}),
				chromedp.Click(chromedp.CSS("#import-products button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#import-applied")))
			wantText(t, ctx, "#import-applied", "1")
			screenshot(t, ctx, "imports-"+lang[:2])
			accessible(t, ctx, "the imports")

			do(t, ctx, "users", chromedp.Navigate(e.srv.URL+"/staff/users"), chromedp.WaitVisible(chromedp.CSS("#add-user")))
			wantText(t, ctx, "table.users", users["agent"].Email, pick("Agent", "客服"))
			screenshot(t, ctx, "users-"+lang[:2])
			accessible(t, ctx, "the users")

			do(t, ctx, "policy", chromedp.Navigate(e.srv.URL+"/staff/policy"), chromedp.WaitVisible(chromedp.CSS("dl.clause-list")))
			wantText(t, ctx, "main", pick("Servos & motors", "舵机"))
			screenshot(t, ctx, "policy-"+lang[:2])
			accessible(t, ctx, "the policy")
			e.noMissingMessages()
		})
	}
}
