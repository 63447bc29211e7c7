package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftersale/aftersale/internal/testday"
	"github.com/chromedp/chromedp"
)

// chrome returns a fresh tab of a headless Chromium for a browser test,
// in a browser context of its own (no cookies of another test), at
// 1280x900. The tests share one Chromium per language, started by the
// first test that asks (and ended by TestMain). Without Chromium the test
// is skipped, unless AFTERSALE_REQUIRE_BROWSER is set (CI sets it): then
// it fails.
func chrome(t *testing.T, lang string) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	b, err := browserFor(lang)
	if err != nil {
		t.Fatal(err)
	}
	if b == nil {
		if os.Getenv("AFTERSALE_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chromium installed (apt-get install chromium), and AFTERSALE_REQUIRE_BROWSER is set")
		}
		t.Skip("SKIPPED: no Chromium installed (apt-get install chromium); the browser tests did not run")
	}
	ctx, cancel := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// browsers are the running Chromiums by language (the language is a
// command-line flag of the browser: it sets Accept-Language).
var browsers = struct {
	sync.Mutex
	tab     map[string]context.Context // each browser's first tab
	cancels []context.CancelFunc
}{tab: map[string]context.Context{}}

// browserFor returns the first tab of the Chromium for lang, starting it if
// needed; nil when no Chromium is installed.
func browserFor(lang string) (context.Context, error) {
	browsers.Lock()
	defer browsers.Unlock()
	if ctx, ok := browsers.tab[lang]; ok {
		return ctx, nil
	}
	path := ""
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if found, err := exec.LookPath(p); err == nil {
			path = found
			break
		}
	}
	if path == "" {
		return nil, nil
	}
	dir, err := os.MkdirTemp("", "aftersale-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
		// This machine has no network: nothing but the test server is reached.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", lang),
		chromedp.Flag("accept-lang", lang),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start Chromium: %w", err)
	}
	browsers.tab[lang] = ctx
	browsers.cancels = append(browsers.cancels, cancel, cancelAlloc, func() { os.RemoveAll(dir) })
	return ctx, nil
}

// TestMain ends the shared Chromiums after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	browsers.Lock()
	for _, c := range browsers.cancels {
		c()
	}
	browsers.Unlock()
	os.Exit(code)
}

// do runs browser steps and fails the test at the first that fails.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the element sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// wantText fails the test unless the element sel shows each of want.
func wantText(t *testing.T, ctx context.Context, sel string, want ...string) {
	t.Helper()
	got := text(t, ctx, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s shows %q; want it to contain %q", sel, got, w)
		}
	}
}

// screenshot saves the page as docs/screenshots/<name>.png when
// AFTERSALE_SCREENSHOTS names that folder (the README links the files).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("AFTERSALE_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A reader picks up the browser's language, checks a warranty, and
// switches language on the result page.
func TestBrowserWarrantyAndLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			// SV-30 was delivered two days ago; its servo's 3 months run from then.
			covered := testday.Day(-2).AddMonths(3)
			ctx := chrome(t, lang)
			do(t, ctx, "open the start page", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
			screenshot(t, ctx, "home-"+lang[:2])
			do(t, ctx, "check serial SV-30",
				chromedp.SendKeys(chromedp.ID("q"), "SV-30"),
				chromedp.Submit(chromedp.ID("q")),
				chromedp.WaitVisible(chromedp.CSS("article.item")))
			if lang == "en-GB" {
				wantText(t, ctx, "article.item", "Covered until "+enDate(covered), "Eligible", "We pay the shipping both ways.")
			} else {
				wantText(t, ctx, "article.item", "保修至 "+zhDate(covered), "符合条件", "往返运费由我们承担。")
			}
			screenshot(t, ctx, "warranty-"+lang[:2])
			do(t, ctx, "switch language", chromedp.Click(chromedp.CSS("a.lang")), chromedp.WaitVisible(chromedp.CSS("article.item")))
			if lang == "en-GB" {
				wantText(t, ctx, "article.item", "保修至", "往返运费由我们承担。")
			} else {
				wantText(t, ctx, "article.item", "Covered until", "We pay the shipping both ways.")
			}
		})
	}
	e.noMissingMessages()
}
