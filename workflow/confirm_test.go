package workflow_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

var confirmToken = regexp.MustCompile(`/claims/(RMA-[0-9-]+)/confirm\?token=(cc_[A-Za-z0-9_-]+)`)

// confirmMail returns the e-mail that asks claim number's customer to
// confirm the address, and the secret of its link ("" without one).
func confirmMail(t *testing.T, db *store.DB, number string) (notify.Entry, string) {
	t.Helper()
	// The outbox as the mail worker takes it, secrets and all; the lease
	// ends in the past, so the messages stay due for the next look.
	year := 365 * 24 * time.Hour
	entries, err := db.ClaimOutbox(t.Context(), now().Add(year), -2*year, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.Contains(e.Subject, number) {
			continue
		}
		if m := confirmToken.FindStringSubmatch(e.Body); m != nil && m[1] == number {
			return e, m[2]
		}
		return e, ""
	}
	t.Fatalf("no e-mail for %s", number)
	return notify.Entry{}, ""
}

// confirmed confirms claim c with the secret of its e-mail and returns it
// as stored.
func confirmed(t *testing.T, db *store.DB, cl *workflow.Claims, c aftersale.Claim) aftersale.Claim {
	t.Helper()
	_, secret := confirmMail(t, db, c.Number)
	if _, err := cl.ConfirmClaim(t.Context(), c.Number, secret); err != nil {
		t.Fatalf("confirm %s: %v", c.Number, err)
	}
	got, err := db.Claim(t.Context(), c.Number)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// claimsAt is cl on a clock moved by d.
func claimsAt(t *testing.T, db *store.DB, d time.Duration) *workflow.Claims {
	t.Helper()
	svc, err := workflow.New(policy.Default(), db, func() time.Time { return now().Add(d) })
	if err != nil {
		t.Fatal(err)
	}
	return &workflow.Claims{Service: svc, Read: db, InTx: db.InClaimTx, Opener: db.OpenClaim}
}

func listed(t *testing.T, cl *workflow.Claims, number string) bool {
	t.Helper()
	page, err := cl.List(t.Context(), agent, workflow.Query{Text: number})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Claims) == 1
}

// A claim opened without signing in for a purchase made elsewhere waits
// for its customer to confirm the e-mail address through the link of its
// first e-mail: until then it is in no list and staff cannot act on it;
// opening the link's page changes nothing; confirming starts the answer
// clock on that day and is in the history; unconfirmed after 7 days it
// expires for good. A buyer's claim of an article on file, and a claim
// staff open, never wait.
func TestConfirmClaim(t *testing.T) {
	elsewhere := workflow.OpenLine{SKU: "SERVO-MG", PurchasedOn: testday.Day(-54), DeliveredOn: testday.Day(-52), ProofDocument: "receipt.pdf"}
	bothEnginesWithStore(t, func(t *testing.T, db *store.DB, cl *workflow.Claims) {
		ctx := t.Context()
		anon := func(email string, lines ...workflow.OpenLine) aftersale.Claim {
			t.Helper()
			o, err := cl.OpenAsBuyer(ctx, workflow.OpenClaimInput{Request: "defect", Description: "It jitters.",
				CustomerEmail: email, Lines: lines}, "")
			if err != nil {
				t.Fatal(err)
			}
			return o.Claim
		}

		// Those that never wait.
		for name, c := range map[string]aftersale.Claim{
			"a buyer's article on file": anon("ann@example.com", workflow.OpenLine{Serial: "SV-9"}),
			"opened by staff":           open(t, cl, agent, "defect", elsewhere),
		} {
			m, secret := confirmMail(t, db, c.Number)
			if c.AwaitingConfirmation() || secret != "" || !strings.HasPrefix(m.Subject, "Your claim") || !listed(t, cl, c.Number) {
				t.Errorf("%s: ConfirmBy %v, confirmation secret %q, e-mail %q, listed %v; want none, listed",
					name, c.ConfirmBy, secret, m.Subject, listed(t, cl, c.Number))
			}
		}

		// Waiting: the e-mail carries both links, neither kept in the log.
		c := anon("bob@example.com", elsewhere)
		if want := now().UTC().Add(aftersale.ClaimConfirmLifetime); !c.ConfirmBy.Equal(want) {
			t.Errorf("ConfirmBy %v; want %v", c.ConfirmBy, want)
		}
		m, secret := confirmMail(t, db, c.Number)
		if secret == "" || m.To != "bob@example.com" || !strings.Contains(m.Body, "/claims/"+c.Number+"?access=cl_") ||
			!strings.Contains(m.Redacted(), "confirm?token=[secret removed]") || strings.Contains(m.Redacted(), "cl_") {
			t.Errorf("the e-mail to %s: secret %q\n%s\nredacted:\n%s", m.To, secret, m.Body, m.Redacted())
		}
		events, err := cl.History(ctx, agent, c.Number)
		if err != nil || len(events) != 2 || events[1].Kind != "confirmation_needed" {
			t.Errorf("history %+v (%v); want created, confirmation_needed", events, err)
		}
		if listed(t, cl, c.Number) {
			t.Errorf("a waiting claim is listed")
		}
		_, err = cl.Act(ctx, agent, c.Number, workflow.ActInput{Action: aftersale.ActionStartReview, Version: c.Version})
		if !errors.Is(err, workflow.ErrUnconfirmed) || aftersale.KindOf(err) != aftersale.Conflict {
			t.Errorf("start_review of a waiting claim: %v; want Conflict, ErrUnconfirmed", err)
		}

		// The page of the link shows it, and changes nothing; a wrong
		// secret is not found.
		for _, wrong := range []string{"", "cc_x", secret + "x", strings.Replace(secret, "cc_", "cl_", 1)} {
			if _, err := cl.ConfirmationOf(ctx, c.Number, wrong); aftersale.KindOf(err) != aftersale.NotFound {
				t.Errorf("ConfirmationOf(%q): %v; want NotFound", wrong, err)
			}
			if _, err := cl.ConfirmClaim(ctx, c.Number, wrong); aftersale.KindOf(err) != aftersale.NotFound {
				t.Errorf("ConfirmClaim(%q): %v; want NotFound", wrong, err)
			}
		}
		shown, err := cl.ConfirmationOf(ctx, c.Number, secret)
		if err != nil || !shown.AwaitingConfirmation() {
			t.Errorf("ConfirmationOf: %+v, %v", shown, err)
		}

		// Confirmed two days later: the answer is due from then on.
		later := claimsAt(t, db, 48*time.Hour)
		got, err := later.ConfirmClaim(ctx, c.Number, secret)
		if err != nil {
			t.Fatal(err)
		}
		wantBy := c.RespondBy.AddDays(2)
		stored, err := db.Claim(ctx, c.Number)
		if err != nil || got.AwaitingConfirmation() || stored.AwaitingConfirmation() || stored.RespondBy != wantBy ||
			stored.Version != 2 || stored.Status != aftersale.StatusSubmitted {
			t.Errorf("confirmed: %+v (%v); want respond_by %s, version 2", stored, err, wantBy)
		}
		events, err = cl.History(ctx, agent, c.Number)
		if err != nil || len(events) != 3 || events[2].Kind != "confirmed" || events[2].Data["respond_by"] != wantBy.String() ||
			events[2].Actor != "customer bob@example.com" {
			t.Errorf("history %+v (%v); want a confirmed event", events, err)
		}
		if !listed(t, cl, c.Number) {
			t.Errorf("a confirmed claim is not listed")
		}
		if _, err := later.ConfirmClaim(ctx, c.Number, secret); err != nil {
			t.Errorf("confirming again: %v", err)
		}
		if again, _ := db.Claim(ctx, c.Number); again.Version != 2 {
			t.Errorf("confirming again changed the claim: version %d", again.Version)
		}
		walk(t, cl, stored, []step{{agent, workflow.ActInput{Action: aftersale.ActionStartReview}, aftersale.StatusInReview}})

		// Unconfirmed for 7 days: expired for good.
		lost := anon("cy@example.com", elsewhere)
		_, secret = confirmMail(t, db, lost.Number)
		tooLate := claimsAt(t, db, aftersale.ClaimConfirmLifetime)
		if shown, err := tooLate.ConfirmationOf(ctx, lost.Number, secret); err != nil || !shown.ConfirmationExpired(now().Add(aftersale.ClaimConfirmLifetime)) {
			t.Errorf("ConfirmationOf an expired claim: %+v, %v", shown, err)
		}
		_, err = tooLate.ConfirmClaim(ctx, lost.Number, secret)
		if !errors.Is(err, workflow.ErrConfirmExpired) || aftersale.KindOf(err) != aftersale.Conflict {
			t.Errorf("confirming too late: %v; want Conflict, ErrConfirmExpired", err)
		}
		if stored, _ := db.Claim(ctx, lost.Number); !stored.AwaitingConfirmation() || stored.Version != 1 || listed(t, tooLate, lost.Number) {
			t.Errorf("expired claim changed or listed: %+v", stored)
		}
		_, err = tooLate.Act(ctx, agent, lost.Number, workflow.ActInput{Action: aftersale.ActionStartReview, Version: 1})
		if !errors.Is(err, workflow.ErrConfirmExpired) {
			t.Errorf("start_review of an expired claim: %v; want ErrConfirmExpired", err)
		}
	})
}
