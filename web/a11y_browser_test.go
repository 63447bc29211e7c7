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
// chosen again). And the error page of a claim that is not there.
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

			do(t, ctx, "a claim that is not there", chromedp.Navigate(e.srv.URL+"/claims/RMA-NOPE"), chromedp.WaitVisible(chromedp.CSS("main h1")))
			accessible(t, ctx, "the error page")
		})
	}
	e.noMissingMessages()
}

// focusStop is where one press of Tab led, as the page saw it.
type focusStop struct {
	Key    string  `json:"key"`  // the control's data-kb, "" for none of the expected
	What   string  `json:"what"` // tag#id.class, for the failures
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Ring   string  `json:"ring"`  // "" when the focus indicator is fine, else what is wrong
	Ratio  float64 `json:"ratio"` // the indicator's contrast against what is next to it
}

// markControls marks each control that Tab should reach with data-kb (a
// group of radio buttons is one stop) and returns their keys in document
// order.
const markControls = `(() => {
	const keys = [];
	const groups = {};
	let n = 0;
	for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")) {
		if (el.disabled || el.tabIndex < 0 || el.type === "hidden" || el.closest("[inert]")) continue;
		if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
		if (el.type === "radio" && el.name) {
			const g = (el.form ? el.form.id || el.form.action : "") + "|" + el.name;
			if (groups[g]) { el.dataset.kb = groups[g]; continue; }
			groups[g] = "k" + n;
		}
		el.dataset.kb = "k" + n++;
		keys.push(el.dataset.kb);
	}
	return keys;
})()`

// focusedStop describes the focused element and its focus indicator: an
// outline at least 2 px wide whose colour has a contrast of 3:1 or more
// with what lies just outside it on each side in view.
const focusedStop = `(() => {
	const el = document.activeElement;
	const r = el.getBoundingClientRect();
	const what = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (typeof el.className === "string" && el.className ? "." + el.className.split(" ").join(".") : "");
	const out = {key: el.dataset.kb || "", what: what, top: r.top + scrollY, bottom: r.bottom + scrollY, ring: "", ratio: 0};
	if (el === document.body) return out;
	const cs = getComputedStyle(el);
	const w = parseFloat(cs.outlineWidth) || 0;
	if (cs.outlineStyle === "none" || w < 2) { out.ring = "no outline (" + cs.outlineStyle + " " + cs.outlineWidth + ")"; return out; }
	const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
	const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
	const contrast = (a, b) => { const la = lum(a), lb = lum(b); return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05); };
	const background = node => {
		for (; node && node.nodeType === 1; node = node.parentElement) {
			const c = rgb(getComputedStyle(node).backgroundColor);
			if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c;
		}
		return [255, 255, 255];
	};
	const ring = rgb(cs.outlineColor);
	const d = (parseFloat(cs.outlineOffset) || 0) + w + 1;
	const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
	// A halo (a box-shadow at least as wide as the ring reaches) is what
	// lies next to the ring.
	const halo = cs.boxShadow.match(/^(rgba?\([^)]*\)) (-?[\d.]+)px (-?[\d.]+)px (-?[\d.]+)px (-?[\d.]+)px$/);
	const haloColor = halo && Number(halo[2]) === 0 && Number(halo[3]) === 0 && Number(halo[5]) >= d ? rgb(halo[1]) : null;
	let min = Infinity, against = "";
	for (const [x, y] of [[r.left - d, cy], [r.right + d, cy], [cx, r.top - d], [cx, r.bottom + d]]) {
		if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
		const behind = document.elementsFromPoint(x, y).find(n => n !== el && !el.contains(n));
		if (!behind) continue;
		const c = haloColor || background(behind);
		const ratio = contrast(ring, c);
		if (ratio < min) { min = ratio; against = (haloColor ? "its halo " : behind.tagName.toLowerCase() + (behind.className ? "." + behind.className : "") + " ") + "rgb(" + c.join(", ") + ")"; }
	}
	out.ratio = min === Infinity ? 0 : Math.round(min * 100) / 100;
	if (out.ratio < 3) out.ring = "outline " + cs.outlineColor + " has " + out.ratio + ":1 against " + against;
	return out;
})()`

// A keyboard reaches everything on the staff claim page: pressing Tab from
// the top of the page visits every enabled control once, on a desktop and
// on a phone, each with a focus indicator of at least 3:1 against its
// surroundings; on the phone's one column, in the order they are seen
// from the top down.
func TestBrowserStaffClaimKeyboard(t *testing.T) {
	e := newEnv(t)
	n := e.openClaim("agent", "", "defect", "SV-30")
	ctx := chrome(t, "en-GB")
	dashSignIn(t, e, ctx, "manager", "/staff/claims/"+n)
	do(t, ctx, "start the review",
		chromedp.WaitVisible(chromedp.CSS("#act-start_review")),
		chromedp.Click(chromedp.CSS("#act-start_review button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#act-approve")))
	for _, width := range []int64{desktopWidth, phoneWidth} {
		do(t, ctx, "the claim page",
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(e.srv.URL+"/staff/claims/"+n),
			chromedp.WaitVisible(chromedp.CSS("#act-approve")))
		want, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](markControls))
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 20 {
			t.Fatalf("only %d controls on the claim page: %v", len(want), want)
		}
		var stops []focusStop
		seen := map[string]bool{}
		for range len(want) + 3 {
			do(t, ctx, "press Tab", chromedp.KeyEvent("\t"))
			s, err := chromedp.Run(ctx, chromedp.Evaluate[focusStop](focusedStop))
			if err != nil {
				t.Fatal(err)
			}
			if s.What == "body" || seen[s.Key] {
				break // out of the page, or round again
			}
			seen[s.Key] = true
			stops = append(stops, s)
		}
		var reached []string
		for i, s := range stops {
			reached = append(reached, s.Key)
			if s.Key == "" {
				t.Errorf("%d px: Tab reached %s, which is not a control", width, s.What)
			}
			if s.Ring != "" {
				t.Errorf("%d px: %s: %s", width, s.What, s.Ring)
			}
			if width == phoneWidth && i > 0 && s.Bottom <= stops[i-1].Top {
				t.Errorf("%d px: Tab goes up from %s (at %.0f px) to %s (at %.0f px)", width, stops[i-1].What, stops[i-1].Top, s.What, s.Top)
			}
		}
		if fmt.Sprint(reached) != fmt.Sprint(want) {
			t.Errorf("%d px: Tab reached %d controls\n%v\nwant %d in document order\n%v", width, len(reached), reached, len(want), want)
		}
	}
	do(t, ctx, "back at 1280 px", chromedp.EmulateViewport(desktopWidth, 900))
}
