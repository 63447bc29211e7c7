package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

var confirmLink = regexp.MustCompile(`(/claims/(RMA-[0-9-]+)/confirm)\?token=(cc_[A-Za-z0-9_-]+)`)

// confirmLinkOf returns the path and the secret of the confirmation link
// e-mailed for claim number, read from the outbox as the mail worker takes
// it (its lease ends in the past, so the message stays due).
func (e *env) confirmLinkOf(number string) (path, secret string) {
	e.t.Helper()
	year := 365 * 24 * time.Hour
	entries, err := e.db.ClaimOutbox(e.t.Context(), e.now().Add(year), -2*year, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range entries {
		if c := confirmLink.FindStringSubmatch(m.Body); c != nil && c[2] == number {
			return c[1], c[3]
		}
	}
	e.t.Fatalf("no confirmation link for %s", number)
	return "", ""
}

// confirm confirms claim number through its e-mail's link and button, as
// its customer does.
func (e *env) confirm(number string) {
	e.t.Helper()
	path, secret := e.confirmLinkOf(number)
	if p := e.browser("en").post(path, url.Values{"token": {secret}}); p.Status != http.StatusOK {
		e.t.Fatalf("confirm %s: %d\n%s", number, p.Status, p.Body)
	}
}

// mailsTo counts the e-mails to address in the outbox: one for each claim
// opened for it.
func (e *env) mailsTo(address string) int {
	e.t.Helper()
	list, err := e.db.OutboxEntries(e.t.Context(), 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, m := range list {
		if m.To == address {
			n++
		}
	}
	return n
}

// A claim opened without signing in for a purchase made elsewhere waits for
// its customer: its page says so, the staff queue does not list it, and the
// link of its e-mail shows a page whose button (a POST: opening the link
// confirms nothing) sends it to the team. Unconfirmed in time, its pages
// say it expired.
func TestAnonymousClaimConfirmation(t *testing.T) {
	e := newEnv(t)
	proof := uploadFile{"proof", "receipt.png", samplePNG(t)}
	b := e.browser("en")
	p := b.postMultipart("/claim/new", anonElsewhere("c1", "eve@example.com"), proof)
	m := claimPathPattern.FindStringSubmatch(p.Location)
	if p.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("open: %d to %q\n%s", p.Status, p.Location, p.Body)
	}
	number := m[1]
	if page := html.UnescapeString(b.get(p.Location).Body); !strings.Contains(page,
		"Your claim waits for you to confirm your e-mail address: we sent a link to eve@example.com") {
		t.Errorf("the claim's page does not ask for the confirmation\n%s", page)
	}
	staff := e.browser("en")
	staff.login("agent")
	if q := staff.get("/staff?q=" + number); q.Status != http.StatusOK || strings.Contains(q.Body, "/staff/claims/"+number) {
		t.Errorf("the staff queue lists a waiting claim (%d)", q.Status)
	}
	if h := html.UnescapeString(staff.get("/staff/claims/" + number).Body); !strings.Contains(h, "Not yet confirmed: the customer has not confirmed the e-mail address eve@example.com") {
		t.Errorf("the staff's claim page does not say the claim waits\n%s", h)
	}
	path, secret := e.confirmLinkOf(number)

	// What a mail scanner does: follow the link, twice. Nothing changes.
	for range 2 {
		got := e.browser("en").get(path + "?token=" + secret)
		body := html.UnescapeString(got.Body)
		if got.Status != http.StatusOK || !strings.Contains(body, `<form method="post" action="`+path+`">`) ||
			!strings.Contains(body, "Confirm my claim") || !strings.Contains(body, "Confirm that eve@example.com is your e-mail address") {
			t.Errorf("confirmation page: %d\n%s", got.Status, body)
		}
		if c := e.claim(number); !c.AwaitingConfirmation() || c.Version != 1 {
			t.Fatalf("opening the link changed the claim: %+v", c)
		}
	}
	for _, wrong := range []string{"", "cc_nope", secret + "x"} {
		if got := e.browser("en").get(path + "?token=" + url.QueryEscape(wrong)); got.Status != http.StatusNotFound {
			t.Errorf("GET with token %q: %d; want 404", wrong, got.Status)
		}
		if got := e.browser("en").post(path, url.Values{"token": {wrong}}); got.Status != http.StatusNotFound {
			t.Errorf("POST with token %q: %d; want 404", wrong, got.Status)
		}
	}
	if c := e.claim(number); !c.AwaitingConfirmation() {
		t.Fatalf("a wrong token confirmed the claim")
	}

	// The button.
	done := e.browser("zh").post(path, url.Values{"token": {secret}})
	c := e.claim(number)
	if done.Status != http.StatusOK || !strings.Contains(done.Body, "您的申请已确认") || c.AwaitingConfirmation() ||
		c.RespondBy != testday.Today().AddDays(3) {
		t.Errorf("confirm: %d, claim %+v\n%s", done.Status, c, done.Body)
	}
	if q := staff.get("/staff?q=" + number); !strings.Contains(q.Body, "/staff/claims/"+number) {
		t.Errorf("the staff queue does not list the confirmed claim")
	}
	if h := staff.get("/staff/claims/" + number); !strings.Contains(html.UnescapeString(h.Body), "the customer confirmed the e-mail address eve@example.com") {
		t.Errorf("the history does not record the confirmation\n%s", h.Body)
	}
	if page := html.UnescapeString(b.get("/claims/" + number).Body); strings.Contains(page, "confirm your e-mail address") {
		t.Errorf("the confirmed claim's page still asks for the confirmation")
	}
	if again := e.browser("en").get(path + "?token=" + secret); !strings.Contains(html.UnescapeString(again.Body), "your claim is confirmed") {
		t.Errorf("the link after the confirmation: %d\n%s", again.Status, again.Body)
	}

	// Opened eight days ago and never confirmed: expired.
	old, err := e.claimsAt(testday.Day(-8).String()).OpenAsBuyer(t.Context(), workflow.OpenClaimInput{Request: "defect",
		Description: "It jitters.", CustomerEmail: "fay@example.com", Lines: []workflow.OpenLine{{SKU: "SERVO-MG",
			PurchasedOn: testday.Day(-20), ProofDocument: "receipt.pdf"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	path, secret = e.confirmLinkOf(old.Claim.Number)
	expired := "was not confirmed by"
	if got := e.browser("en").get(path + "?token=" + secret); got.Status != http.StatusOK || !strings.Contains(got.Body, expired) ||
		strings.Contains(got.Body, "<form") {
		t.Errorf("expired claim's confirmation page: %d\n%s", got.Status, got.Body)
	}
	if got := e.browser("en").post(path, url.Values{"token": {secret}}); got.Status != http.StatusConflict || !strings.Contains(got.Body, expired) {
		t.Errorf("confirming an expired claim: %d\n%s", got.Status, got.Body)
	}
	if c := e.claim(old.Claim.Number); !c.AwaitingConfirmation() || c.Version != 1 {
		t.Errorf("the expired claim changed: %+v", c)
	}
	owner := e.browser("en")
	if page := html.UnescapeString(owner.get(old.CustomerLink).Body); !strings.Contains(page, "This claim expired: its e-mail address was not confirmed") {
		t.Errorf("the expired claim's page does not say it expired\n%s", page)
	}
	if q := staff.get("/staff?q=" + old.Claim.Number); strings.Contains(q.Body, "/staff/claims/"+old.Claim.Number) {
		t.Errorf("the staff queue lists an expired claim")
	}
	e.noMissingMessages()
}
