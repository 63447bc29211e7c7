package workflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/notify"
)

// CustomerTx is what a claim's customer needs written inside the claim's own
// transaction: the e-mails that tell of the change. Enqueued there, a
// message is never lost and never sent for a change that rolled back; the
// worker sends it after the commit.
type CustomerTx interface {
	// Enqueue adds a message to the outbox.
	Enqueue(ctx context.Context, m notify.Message) error
}

// CustomerLinks says how customers' secret links are written.
type CustomerLinks struct {
	// BaseURL is where customers reach the service, such as
	// https://rma.example.com; "" writes links as paths only.
	BaseURL  string
	Lifetime time.Duration // 0: aftersale.ClaimLinkLifetime
	// ConfirmWithin is how long a claim that waits for its customer to
	// confirm the e-mail address may wait (confirm.go); 0:
	// aftersale.ClaimConfirmLifetime.
	ConfirmWithin time.Duration
}

// Opened is a claim just opened and its secret link: the link is shown
// this once (and e-mailed to the customer), never again.
type Opened struct {
	Claim        aftersale.Claim
	CustomerLink string // "" when an idempotent retry returned an earlier claim
}

// OpenClaim files a claim (see Open) and drops its link.
func (s *Claims) OpenClaim(ctx context.Context, actor aftersale.Actor, in OpenClaimInput, idempotencyKey string) (aftersale.Claim, error) {
	if !actor.Can(aftersale.OpenClaims) {
		return aftersale.Claim{}, forbidden(actor, "open claims")
	}
	c, _, err := s.openClaim(ctx, actor, in, idempotencyKey)
	return c, err
}

// Open files a claim: every line is found in the registry, judged by the
// policy, and stored with its decision, a "created" event, a secret link for
// its customer and the e-mail that carries it, in one transaction. A claim
// without a customer e-mail takes the order's. A non-empty idempotency key
// makes a retry return the claim the first call made, without the link.
func (s *Claims) Open(ctx context.Context, actor aftersale.Actor, in OpenClaimInput, idempotencyKey string) (Opened, error) {
	if !actor.Can(aftersale.OpenClaims) {
		return Opened{}, forbidden(actor, "open claims")
	}
	return s.open(ctx, actor, in, idempotencyKey)
}

// open files a claim for a caller that checked who may, and returns it
// with its link.
func (s *Claims) open(ctx context.Context, actor aftersale.Actor, in OpenClaimInput, idempotencyKey string) (Opened, error) {
	c, link, err := s.openClaim(ctx, actor, in, idempotencyKey)
	if err != nil {
		return Opened{}, err
	}
	return Opened{Claim: c, CustomerLink: link}, nil
}

// customerLink makes the claim's secret link (32 random bytes, kept as a
// SHA-256 only, like API tokens) and the e-mail that carries it, for a
// claim that has its number; a claim that waits for its customer's
// confirmation gets its confirmation link in the same e-mail.
func (s *Claims) customerLink(c aftersale.Claim) (ClaimExtras, string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return ClaimExtras{}, "", fmt.Errorf("claim link: %w", err)
	}
	secret := aftersale.ClaimLinkPrefix + base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(secret))
	life := s.Links.Lifetime
	if life <= 0 {
		life = aftersale.ClaimLinkLifetime
	}
	extras := ClaimExtras{AccessHash: hex.EncodeToString(sum[:]), AccessExpires: s.Now().UTC().Add(life)}
	// The link leads to the claim's page; API clients send the secret as a
	// bearer token instead.
	link := strings.TrimRight(s.Links.BaseURL, "/") + "/claims/" + url.PathEscape(c.Number) + "?access=" + secret
	if c.CustomerEmail == "" {
		return extras, link, nil
	}
	if c.AwaitingConfirmation() {
		hash, confirmSecret, confirmLink, err := s.confirmLink(c)
		if err != nil {
			return ClaimExtras{}, "", err
		}
		m, err := notify.ClaimToConfirm(c, link, secret, confirmLink, confirmSecret)
		if err != nil {
			return ClaimExtras{}, "", err
		}
		extras.ConfirmHash, extras.Messages = hash, []notify.Message{m}
		return extras, link, nil
	}
	m, err := notify.ClaimOpened(c, link, secret)
	if err != nil {
		return ClaimExtras{}, "", err
	}
	extras.Messages = []notify.Message{m}
	return extras, link, nil
}

// notifyAct enqueues the e-mail that tells the customer of a step, for the
// steps a customer waits on: a question, a decision, a quote, the end.
func notifyAct(ctx context.Context, tx CustomerTx, c aftersale.Claim, in ActInput) error {
	if c.CustomerEmail == "" {
		return nil
	}
	var m notify.Message
	var err error
	// The e-mail carries the note only when the customer may read it
	// (aftersale.NoteShown): never a manager's reason for waiving a return.
	note := ""
	if aftersale.NoteShown(in.Action, aftersale.AudienceCustomer) {
		note = in.Note
	}
	switch in.Action {
	case aftersale.ActionRequestInfo:
		m, err = notify.InformationNeeded(c, note)
	case aftersale.ActionApprove, aftersale.ActionReject, aftersale.ActionRefer, aftersale.ActionResolve:
		m, err = notify.StatusChanged(c, note)
	case aftersale.ActionSendQuote:
		m, err = notify.QuoteSent(c)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, m)
}

// customerPage is the claims list of a customer: the claim of its link,
// when the filters keep it, and nothing else.
func (s *Claims) customerPage(ctx context.Context, actor aftersale.Actor, q Query) (Page, error) {
	if actor.ClaimNumber == "" || q.After != "" {
		return Page{}, nil
	}
	c, err := s.Get(ctx, actor, actor.ClaimNumber)
	if aftersale.KindOf(err) == aftersale.NotFound {
		return Page{}, nil
	}
	if err != nil {
		return Page{}, err
	}
	if len(q.Statuses) > 0 && !containsStatus(q.Statuses, c.Status) || q.OnlyOpen && !c.Status.Open() {
		return Page{}, nil
	}
	return Page{Claims: []aftersale.Claim{c}}, nil
}

func containsStatus(list []aftersale.Status, s aftersale.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
