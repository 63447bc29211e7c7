package web_test

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (testdata/axe-core: its version, origin and
// licence), put into the pages under test through the DevTools protocol:
// the server never serves it, and the pages' CSP does not apply to it.
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

const axeVersion = "4.14.1"

// wcagTags are the axe-core rules of WCAG 2.0, 2.1 and 2.2, levels A and AA.
const wcagTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]`

// The widths a page is checked at: a desktop, a phone, and the narrowest
// that WCAG 1.4.10 (reflow) asks for.
const (
	desktopWidth = 1280
	phoneWidth   = 390
	reflowWidth  = 320
)

// accessible checks the page open in ctx as readers meet it on a desktop
// and on a phone: axe-core finds no violation of WCAG 2.2 A/AA at 1280 and
// at 390 px wide, and the page does not scroll sideways at 390 or at 320
// px. It leaves the tab at 1280 px, as it found it; name says which page
// in the failures.
func accessible(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, width := range []int64{desktopWidth, phoneWidth, reflowWidth} {
		do(t, ctx, fmt.Sprintf("%s at %d px", name, width), chromedp.EmulateViewport(width, 900))
		if width != desktopWidth {
			noSidewaysScroll(t, ctx, name, width)
		}
		if width != reflowWidth {
			for _, v := range axeViolations(t, ctx) {
				t.Errorf("%s at %d px: %s", name, width, v)
			}
		}
	}
	do(t, ctx, name+" back at 1280 px", chromedp.EmulateViewport(desktopWidth, 900))
}

// noSidewaysScroll fails the test if the page is wider than the viewport.
func noSidewaysScroll(t *testing.T, ctx context.Context, name string, width int64) {
	t.Helper()
	// The widest element sticking out names the culprit.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const root = document.documentElement;
		if (root.scrollWidth <= root.clientWidth) return [];
		const out = [root.scrollWidth + " px wide in " + root.clientWidth];
		const scrolls = el => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
		for (const el of document.querySelectorAll("body *")) {
			let inner = false; // inside a box that scrolls, it is that box's affair
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				if (scrolls(p)) { inner = true; break; }
			}
			if (inner) continue;
			const r = el.getBoundingClientRect();
			if (r.right > root.clientWidth + 1 && out.length < 4) {
				out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
					(el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") +
					" reaches " + Math.round(r.right) + " px");
			}
		}
		return out;
	})()`))
	if err != nil {
		t.Fatalf("%s: measure the width: %v", name, err)
	}
	if len(got) > 0 {
		t.Errorf("%s scrolls sideways at %d px: %s", name, width, strings.Join(got, "; "))
	}
}

// axeViolations runs axe-core's WCAG 2.2 A/AA rules on the page and
// returns each violation as a line: the rule, what it asks, and the
// elements that break it.
func axeViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object" && axe.version === "`+axeVersion+`"`))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+"\n;true")); err != nil {
			t.Fatalf("load axe-core: %v", err)
		}
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {
		runOnly: {type: "tag", values: `+wcagTags+`},
		resultTypes: ["violations"],
	}).then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + ": " +
		v.nodes.slice(0, 4).map(n => n.target.join(" ") + " [" + (n.failureSummary || "").replace(/\s+/g, " ") + "]").join("; ") +
		(v.nodes.length > 4 ? "; and " + (v.nodes.length - 4) + " more" : "")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	return out
}

// A form sent back with errors says so first: "Error:" leads the title, a
// summary at the top of the page takes the focus, and it links to each
// field in error, which is marked aria-invalid. Then the page passes the
// same checks as any other. The forms: the sign-in with a wrong password,
// the claim's first step left empty, and the claim on a purchase made
// elsewhere sent empty, once without a file (no word about choosing files
// again) and once with one (sent by upload.js, which shows the answer in
// place: the summary takes the focus there too, and the files are to be
// chosen again).
func TestBrowserRefusedForms(t *testing.T) {
	e := newEnv(t)
	photo := samplePhotoFile(t)
	for _, lang := range []string{"en-GB", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			prefix := map[string]string{"en-GB": "Error: ", "zh-CN": "错误："}[lang]
			ctx := chrome(t, lang)
			refused := func(name string, linked []string, invalid ...string) {
				t.Helper()
				do(t, ctx, name+": the summary", chromedp.WaitVisible(chromedp.CSS(".error-summary")))
				title, err := chromedp.Run(ctx, chromedp.Title())
				if err != nil || !strings.HasPrefix(title, prefix) {
					t.Errorf("%s: title %q (%v), want it to start with %q", name, title, err, prefix)
				}
				state, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`({
					focused: document.activeElement.className,
					links: Array.from(document.querySelectorAll(".error-summary a")).map(a => a.getAttribute("href")),
					invalid: Array.from(document.querySelectorAll('[aria-invalid="true"]')).map(f => "#" + f.id),
					again: !!document.querySelector(".warning"),
				})`))
				if err != nil {
					t.Fatal(err)
				}
				if state["focused"] != "error-summary" {
					t.Errorf("%s: the focus is on %q, want the error summary", name, state["focused"])
				}
				links := fmt.Sprint(state["links"])
				if want := fmt.Sprint(linked); links != want {
					t.Errorf("%s: the summary links %s, want %s", name, links, want)
				}
				if want := fmt.Sprint(append(linked, invalid...)); fmt.Sprint(state["invalid"]) != want {
					t.Errorf("%s: the fields in error are %s, want %s", name, state["invalid"], want)
				}
				accessible(t, ctx, name)
			}

			do(t, ctx, "the sign-in", chromedp.Navigate(e.srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")))
			accessible(t, ctx, "the sign-in")
			do(t, ctx, "sign in with a wrong password",
				chromedp.SendKeys(chromedp.ID("email"), users["agent"].Email),
				chromedp.SendKeys(chromedp.ID("password"), "not the password"),
				chromedp.Submit(chromedp.ID("password")))
			refused("the sign-in refused", []string{"#email"}, "#password") // one message for both

			do(t, ctx, "send the claim's first step empty",
				chromedp.Navigate(e.srv.URL+"/claim/new"), chromedp.WaitVisible(chromedp.ID("order")),
				chromedp.Submit(chromedp.ID("order")))
			refused("the claim's first step refused", []string{"#order"})

			do(t, ctx, "send the claim on a purchase made elsewhere empty",
				chromedp.Navigate(e.srv.URL+"/claim/new?elsewhere=1"), chromedp.WaitVisible(chromedp.ID("sku")),
				chromedp.Click(chromedp.CSS(`form[data-upload] button[type="submit"]`)))
			refused("the claim on a purchase made elsewhere refused", []string{"#sku", "#purchased_on"})
			if again, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector(".warning")`)); again {
				t.Error("no file was chosen, yet the page asks to choose the files again")
			}
			do(t, ctx, "send it again with a photo",
				chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}),
				chromedp.Click(chromedp.CSS(`form[data-upload] button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(".warning")))
			refused("the claim with a photo refused", []string{"#sku", "#purchased_on"})
		})
	}
	e.noMissingMessages()
}
