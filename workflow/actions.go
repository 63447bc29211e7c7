package workflow

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// ActInput is one step of the workflow on a claim. Version is the claim's
// version the caller saw: a stale one is refused, never silently applied.
type ActInput struct {
	Action  aftersale.Action
	Version int
	Note    string // the reason, the question to the customer, the answer
	// approve
	Remedy          string
	ExceptionReason string // a manager's reason to grant what the policy does not
	// inspect
	Findings []Finding
	// send_quote
	Quote *aftersale.Quote
	// resolve
	Resolution  aftersale.Resolution
	WaiveReturn bool // settle before the item is back (a manager's choice)
}

// Finding is the inspection's verdict on one line.
type Finding struct {
	Line       int
	Cause      string
	Resellable *bool
	Notes      string
}

// Act takes one step of the workflow: it checks who may take it and from
// which status, applies it, re-judges the claim where facts changed, and
// writes the claim and its history in one transaction.
func (s *Claims) Act(ctx context.Context, actor aftersale.Actor, number string, in ActInput) (aftersale.Claim, error) {
	var out aftersale.Claim
	if actor.Anonymous() {
		return out, forbidden(actor, "work on claims")
	}
	err := s.InTx(ctx, func(tx ClaimTx) error {
		c, err := tx.ClaimForUpdate(ctx, number)
		if err != nil {
			return err
		}
		if !actor.SeesClaim(c) {
			// Not "forbidden": nobody learns that someone else's claim exists.
			return notFound(number)
		}
		t, err := aftersale.TransitionOf(c.Status, in.Action)
		if err != nil {
			return err
		}
		// The customer's own steps (ByCustomer) are its to take, too.
		if !actor.Can(t.Permission) && !(t.ByCustomer && actor.Can(aftersale.RespondClaims)) {
			return forbidden(actor, string(in.Action)+" claims")
		}
		if in.Version != c.Version {
			return &aftersale.Error{Kind: aftersale.Conflict, Field: "version", Message: fmt.Sprintf(
				"claim %s changed since you read it (version %d, now %d): reload it and try again", number, in.Version, c.Version)}
		}
		before := c
		events, err := s.apply(ctx, tx, actor, &c, t, in)
		if err != nil {
			return err
		}
		c.Status, c.Version, c.UpdatedAt = t.To, c.Version+1, s.Now().UTC()
		if err := tx.UpdateClaim(ctx, &c); err != nil {
			return err
		}
		detail := strings.TrimSpace(in.Note)
		main := aftersale.Event{ClaimID: c.ID, At: c.UpdatedAt, Actor: actor.String(), Kind: string(in.Action),
			From: before.Status, To: c.Status, Detail: detail}
		for i := range events {
			events[i].ClaimID, events[i].At, events[i].Actor = c.ID, c.UpdatedAt, actor.String()
		}
		if err := notifyAct(ctx, tx, c, in); err != nil {
			return err
		}
		out = redactClaim(actor, c)
		return tx.AddEvents(ctx, append([]aftersale.Event{main}, events...))
	})
	if err != nil {
		return aftersale.Claim{}, fmt.Errorf("%s claim %s: %w", in.Action, number, err)
	}
	return out, nil
}

// apply carries out the action's own rules and returns the events it adds
// beyond the transition itself.
func (s *Claims) apply(ctx context.Context, tx ClaimTx, actor aftersale.Actor, c *aftersale.Claim, t aftersale.Transition, in ActInput) ([]aftersale.Event, error) {
	today := s.Today()
	answered := func() {
		if c.FirstAnswerOn.IsZero() {
			c.FirstAnswerOn = today
		}
	}
	switch in.Action {
	case aftersale.ActionRequestInfo:
		if strings.TrimSpace(in.Note) == "" {
			return nil, invalid("note", "say what the customer must send")
		}
		// Asking is not the answer: the claim was not complete (I-9).
		c.AwaitingSince = today
	case aftersale.ActionProvideInfo:
		// The answer clock stood still while the claim waited (I-9).
		if !c.AwaitingSince.IsZero() && c.FirstAnswerOn.IsZero() {
			c.RespondBy = c.RespondBy.AddDays(c.AwaitingSince.DaysUntil(today))
		}
		c.AwaitingSince = date.Date{}
	case aftersale.ActionApprove:
		answered()
		return s.approve(actor, c, in)
	case aftersale.ActionReject, aftersale.ActionRefer:
		if strings.TrimSpace(in.Note) == "" {
			return nil, invalid("note", "say why, in words the customer understands")
		}
		answered()
	case aftersale.ActionReceive:
		c.ReceivedOn = today
	case aftersale.ActionInspect:
		return s.inspect(ctx, tx, c, in.Findings)
	case aftersale.ActionSendQuote:
		return nil, sendQuote(c, in.Quote)
	case aftersale.ActionDeclineQuote:
		c.Resolution = aftersale.ResolutionReturnedUnrepaired
	case aftersale.ActionResolve:
		return resolve(actor, c, in)
	case aftersale.ActionReopen:
		if strings.TrimSpace(in.Note) == "" {
			return nil, invalid("note", "say why the claim is reopened")
		}
		c.Resolution, c.ApprovedRemedy, c.ReturnWaived = aftersale.ResolutionNone, "", false
	}
	return nil, nil
}

// approve grants a remedy. A remedy the policy does not give on every line
// needs a manager's exception with its reason, recorded on the lines.
func (s *Claims) approve(actor aftersale.Actor, c *aftersale.Claim, in ActInput) ([]aftersale.Event, error) {
	if !slices.Contains(remedies, in.Remedy) {
		return nil, invalid("remedy", "%q is not one of %s", in.Remedy, strings.Join(remedies, ", "))
	}
	if in.Remedy == "paid_repair" {
		return nil, invalid("remedy", "a paid repair goes through a quote: send_quote")
	}
	var events []aftersale.Event
	for i := range c.Lines {
		l := &c.Lines[i]
		if l.Decision.Offers(in.Remedy) {
			continue
		}
		if !actor.Can(aftersale.ApproveExceptions) {
			return nil, &aftersale.Error{Kind: aftersale.Forbidden, Field: "remedy", Message: fmt.Sprintf(
				"the policy does not give %s for line %d (%s): only a manager may grant it as an exception", in.Remedy, l.Line, l.Decision.Outcome)}
		}
		if strings.TrimSpace(in.ExceptionReason) == "" {
			return nil, invalid("exception_reason", "granting %s against the policy on line %d needs a reason", in.Remedy, l.Line)
		}
		l.Exception = &aftersale.Exception{By: actor.String(), Reason: strings.TrimSpace(in.ExceptionReason), At: s.Now().UTC()}
		events = append(events, aftersale.Event{Kind: "exception", Detail: fmt.Sprintf("line %d: %s granted against %s: %s",
			l.Line, in.Remedy, l.Decision.Outcome, l.Exception.Reason),
			Data: map[string]string{"line": strconv.Itoa(l.Line), "remedy": in.Remedy, "outcome": l.Decision.Outcome, "reason": l.Exception.Reason}})
	}
	c.ApprovedRemedy = in.Remedy
	return events, nil
}

// inspect records findings, then re-judges every line with them.
func (s *Claims) inspect(ctx context.Context, tx ClaimTx, c *aftersale.Claim, findings []Finding) ([]aftersale.Event, error) {
	if len(findings) == 0 {
		return nil, invalid("findings", "record a finding for at least one line")
	}
	for i, f := range findings {
		if f.Line < 1 || f.Line > len(c.Lines) {
			return nil, invalid(fmt.Sprintf("findings[%d].line", i), "claim %s has lines 1 to %d", c.Number, len(c.Lines))
		}
		if f.Cause != "" && !slices.Contains(causes, f.Cause) {
			return nil, invalid(fmt.Sprintf("findings[%d].cause", i), "%q is not one of %s", f.Cause, strings.Join(causes, ", "))
		}
		l := &c.Lines[f.Line-1]
		if f.Cause != "" {
			l.Cause = f.Cause
		}
		l.Resellable, l.Findings = f.Resellable, strings.TrimSpace(f.Notes)
	}
	before := make([]aftersale.Decision, len(c.Lines))
	for i, l := range c.Lines {
		before[i] = l.Decision
	}
	if err := s.decideAll(ctx, tx, c); err != nil {
		return nil, err
	}
	var events []aftersale.Event
	for i, l := range c.Lines {
		b := before[i]
		if b.Outcome != l.Decision.Outcome || !slices.Equal(b.Remedies, l.Decision.Remedies) || b.ShippingPaidBy != l.Decision.ShippingPaidBy {
			events = append(events, aftersale.Event{Kind: "decided", Detail: fmt.Sprintf("line %d: %s %v (shipping: %s) -> %s %v (shipping: %s)",
				l.Line, b.Outcome, b.Remedies, b.ShippingPaidBy, l.Decision.Outcome, l.Decision.Remedies, l.Decision.ShippingPaidBy),
				Data: map[string]string{"line": strconv.Itoa(l.Line), "from": b.Outcome, "to": l.Decision.Outcome,
					"remedies": strings.Join(l.Decision.Remedies, ","), "shipping": l.Decision.ShippingPaidBy}})
		}
	}
	return events, nil
}

func sendQuote(c *aftersale.Claim, q *aftersale.Quote) error {
	if q == nil || len(q.Lines) == 0 {
		return invalid("quote", "list the costs: parts, labour, freight, customs_tax")
	}
	total := aftersale.Money{Currency: q.Lines[0].Amount.Currency}
	for i, l := range q.Lines {
		field := fmt.Sprintf("quote.lines[%d]", i)
		switch {
		case !slices.Contains(aftersale.QuoteLineKinds(), l.Kind):
			return invalid(field+".kind", "%q is not one of %s", l.Kind, strings.Join(aftersale.QuoteLineKinds(), ", "))
		case l.Amount.Minor < 0:
			return invalid(field+".amount", "cannot be negative")
		case l.Amount.Currency != total.Currency || !aftersale.ValidCurrency(l.Amount.Currency):
			return invalid(field+".amount", "every line in one ISO 4217 currency (%s)", total.Currency)
		}
		total.Minor += l.Amount.Minor
	}
	c.Quote = &aftersale.Quote{Lines: q.Lines, Total: total}
	c.ApprovedRemedy = "paid_repair"
	return nil
}

// resolutionOf is the resolution each approved remedy ends in.
var resolutionOf = map[string][]aftersale.Resolution{
	"refund":                  {aftersale.ResolutionRefunded},
	"exchange":                {aftersale.ResolutionExchanged},
	"free_replacement":        {aftersale.ResolutionReplacementShipped},
	"replace_defective_parts": {aftersale.ResolutionPartsShipped, aftersale.ResolutionReplacementShipped},
	"ship_missing_parts":      {aftersale.ResolutionPartsShipped},
	"free_repair":             {aftersale.ResolutionRepairedShipped, aftersale.ResolutionReplacementShipped},
	"paid_repair":             {aftersale.ResolutionRepairedShipped},
}

// needsReturn: the replaced or refunded item becomes the seller's property
// (3.1), so it must be back before the refund or the replacement.
var needsReturn = []aftersale.Resolution{aftersale.ResolutionRefunded, aftersale.ResolutionExchanged,
	aftersale.ResolutionReplacementShipped}

func resolve(actor aftersale.Actor, c *aftersale.Claim, in ActInput) ([]aftersale.Event, error) {
	allowed := resolutionOf[c.ApprovedRemedy]
	if !slices.Contains(allowed, in.Resolution) {
		return nil, invalid("resolution", "the approved remedy %q is settled by %v, not %q", c.ApprovedRemedy, allowed, in.Resolution)
	}
	returned := !c.ReceivedOn.IsZero()
	var events []aftersale.Event
	if slices.Contains(needsReturn, in.Resolution) && !returned {
		switch {
		case !in.WaiveReturn:
			return nil, invalid("waive_return", "the item must come back first (await_return, receive, inspect), or a manager waives its return")
		case !actor.Can(aftersale.ApproveExceptions):
			return nil, &aftersale.Error{Kind: aftersale.Forbidden, Field: "waive_return", Message: "only a manager may settle before the item is back"}
		case strings.TrimSpace(in.Note) == "":
			return nil, invalid("note", "say why the return is waived")
		}
		c.ReturnWaived = true
		events = append(events, aftersale.Event{Kind: "return_waived", Detail: strings.TrimSpace(in.Note)})
	}
	c.Resolution = in.Resolution
	return events, nil
}

// remedies are the contract's remedies.
var remedies = []string{"refund", "exchange", "free_replacement", "replace_defective_parts",
	"ship_missing_parts", "free_repair", "paid_repair", "technical_support"}
