package workflow

import (
	"context"
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
