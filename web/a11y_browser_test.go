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
