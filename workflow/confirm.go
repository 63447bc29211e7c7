package workflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
)

// Anybody may open a claim without signing in for a purchase made
// elsewhere, naming any e-mail address: such a claim waits for its
// customer to confirm the address, through a second secret link in its
// first e-mail, before anybody works on it (Claim.ConfirmBy). Until then it
// is in no queue, figure or warning (the store leaves it out), its answer
// clock has not started, and staff cannot act on it; unconfirmed past
// ConfirmBy, it has expired and stays so. A claim of articles found in the
// registry under the buyer's e-mail, or opened by a signed-in user, never
// waits.

// ErrUnconfirmed marks a step refused because the claim still waits for its
// customer to confirm the e-mail address (or waited in vain).
var ErrUnconfirmed = errors.New("the claim waits for its customer to confirm the e-mail address")

// ErrConfirmExpired marks a confirmation that came too late.
var ErrConfirmExpired = errors.New("the claim was not confirmed in time")

func (l CustomerLinks) confirmWithin() time.Duration {
	if l.ConfirmWithin <= 0 {
		return aftersale.ClaimConfirmLifetime
	}
	return l.ConfirmWithin
}

// confirmLink makes the secret that confirms claim c, its hash and the link
// that carries it.
func (s *Claims) confirmLink(c aftersale.Claim) (hash, secret, link string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", fmt.Errorf("claim confirmation link: %w", err)
	}
	secret = aftersale.ClaimConfirmPrefix + base64.RawURLEncoding.EncodeToString(b)
	link = strings.TrimRight(s.Links.BaseURL, "/") + ConfirmPath(c.Number) + "?token=" + secret
	return hashSecret(secret), secret, link, nil
}

// ConfirmPath is the address of a claim's confirmation page.
func ConfirmPath(number string) string { return "/claims/" + url.PathEscape(number) + "/confirm" }

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ConfirmationOf returns the claim the secret confirms, as its confirmation
// page shows it (number, status, ConfirmBy, RespondBy), without changing
// it: a confirmation link is followed by mail scanners too, so only a POST
// confirms (ConfirmClaim). A wrong secret, or a claim that never waited, is
// NotFound.
func (s *Claims) ConfirmationOf(ctx context.Context, number, secret string) (aftersale.Claim, error) {
	if err := checkNumber(number); err != nil {
		return aftersale.Claim{}, err
	}
	c, err := s.Read.Claim(ctx, number)
	if aftersale.KindOf(err) == aftersale.NotFound {
		return aftersale.Claim{}, badConfirmation(number)
	} else if err != nil {
		return aftersale.Claim{}, err
	}
	hash, err := s.Read.ClaimConfirmation(ctx, c.ID)
	if err != nil || !sameHash(hash, secret) {
		if aftersale.KindOf(err) == aftersale.NotFound || err == nil {
			return aftersale.Claim{}, badConfirmation(number)
		}
		return aftersale.Claim{}, err
	}
	return confirmationView(c), nil
}

// ConfirmClaim confirms a claim waiting for its customer with the secret of
// its e-mail: the claim reaches the queue, its answer is due the policy's
// days after today (a claim still waiting for its pictures starts waiting
// for them today), and its history records it. Confirming it again changes
// nothing. Past its ConfirmBy it is a Conflict error wrapping
// ErrConfirmExpired; a wrong secret is NotFound.
func (s *Claims) ConfirmClaim(ctx context.Context, number, secret string) (aftersale.Claim, error) {
	if err := checkNumber(number); err != nil {
		return aftersale.Claim{}, err
	}
	var out aftersale.Claim
	err := s.InTx(ctx, func(tx ClaimTx) error {
		c, err := tx.ClaimForUpdate(ctx, number)
		if aftersale.KindOf(err) == aftersale.NotFound {
			return badConfirmation(number)
		} else if err != nil {
			return err
		}
		hash, err := tx.ClaimConfirmation(ctx, c.ID)
		if aftersale.KindOf(err) == aftersale.NotFound || err == nil && !sameHash(hash, secret) {
			return badConfirmation(number)
		} else if err != nil {
			return err
		}
		now := s.Now().UTC()
		switch {
		case !c.AwaitingConfirmation():
			out = c
			return nil
		case c.ConfirmationExpired(now):
			return &aftersale.Error{Kind: aftersale.Conflict, Field: "confirm", Err: ErrConfirmExpired,
				Message: fmt.Sprintf("claim %s was not confirmed by %s: it expired", number, c.ConfirmBy.Format(time.DateTime+" MST"))}
		}
		today := s.Today()
		c.ConfirmBy = time.Time{}
		c.RespondBy = s.respondBy(today)
		if c.Status == aftersale.StatusAwaitingCustomer && c.FirstAnswerOn.IsZero() {
			c.AwaitingSince = today // the pictures' wait, and so the clock, starts now
		}
		c.Version, c.UpdatedAt = c.Version+1, now
		if err := tx.UpdateClaim(ctx, &c); err != nil {
			return err
		}
		actor := "customer " + c.CustomerEmail
		out = c
		return tx.AddEvents(ctx, []aftersale.Event{{ClaimID: c.ID, At: now, Actor: actor, Kind: "confirmed",
			Detail: fmt.Sprintf("the customer confirmed the e-mail address %s: the claim reaches the team; the answer is due by %s",
				c.CustomerEmail, c.RespondBy),
			Data: map[string]string{"respond_by": c.RespondBy.String()}}})
	})
	if err != nil {
		return aftersale.Claim{}, err
	}
	return confirmationView(out), nil
}

// confirmationView is what a confirmation page may show of a claim: its
// holder proved only that he reads the mailbox.
func confirmationView(c aftersale.Claim) aftersale.Claim {
	return aftersale.Claim{Number: c.Number, Status: c.Status, ConfirmBy: c.ConfirmBy, RespondBy: c.RespondBy,
		CustomerEmail: c.CustomerEmail}
}

func sameHash(hash, secret string) bool {
	if !strings.HasPrefix(secret, aftersale.ClaimConfirmPrefix) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(hash), []byte(hashSecret(secret))) == 1
}

func badConfirmation(number string) error {
	return &aftersale.Error{Kind: aftersale.NotFound, Field: "token",
		Message: fmt.Sprintf("this link does not confirm claim %s: it is unknown or mistyped", number)}
}

// unconfirmed refuses a step on a claim that waits for its customer.
func unconfirmed(c aftersale.Claim, now time.Time) error {
	if c.ConfirmationExpired(now) {
		return &aftersale.Error{Kind: aftersale.Conflict, Field: "status", Err: ErrConfirmExpired,
			Message: fmt.Sprintf("claim %s expired: its customer did not confirm the e-mail address", c.Number)}
	}
	return &aftersale.Error{Kind: aftersale.Conflict, Field: "status", Err: ErrUnconfirmed,
		Message: fmt.Sprintf("claim %s waits for its customer to confirm the e-mail address", c.Number)}
}

// confirmBy is when a claim opened on today must be confirmed by.
func (s *Claims) confirmBy(now time.Time) time.Time { return now.Add(s.Links.confirmWithin()) }
