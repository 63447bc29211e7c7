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
	if err := checkNumber(number); err != nil {
		return out, err
	}
	if err := in.validate(); err != nil {
		return out, err
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
		if c.AwaitingConfirmation() {
			return unconfirmed(c, s.Now())
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
		out = c
		return tx.AddEvents(ctx, append([]aftersale.Event{main}, events...))
	})
	if err != nil {
		return aftersale.Claim{}, fmt.Errorf("%s claim %s: %w", in.Action, number, err)
	}
	return shownClaim(ctx, s.Read, actor, out)
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
		// A question is an answer to the customer (A2); the claim then
		// waits for theirs.
		answered()
		c.AwaitingSince = today
	case aftersale.ActionProvideInfo:
		if err := picturesArrived(ctx, tx, c); err != nil {
			return nil, err
		}
		// The deadline stood still while the claim waited (I-9); the
		// question itself was an answer, so nothing is overdue.
		if !c.AwaitingSince.IsZero() {
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
		if in.Action == aftersale.ActionRefer {
			return nil, referable(c)
		}
		// Refusing what the policy gives is a manager's exception, the
		// note its reason.
		return s.except(actor, c, aftersale.ActReject, "reject", in.Note, "note", true)
	case aftersale.ActionReceive:
		c.ReceivedOn = today
	case aftersale.ActionInspect:
		return s.inspect(ctx, tx, c, in.Findings)
	case aftersale.ActionSendQuote:
		if err := sendQuote(c, in.Quote); err != nil {
			return nil, err
		}
		answered()
		return s.except(actor, c, aftersale.ActQuote, "paid_repair", in.ExceptionReason, "exception_reason", true)
	case aftersale.ActionAcceptQuote, aftersale.ActionDeclineQuote:
		if err := customersAnswer(actor, in.Note); err != nil {
			return nil, err
		}
		if in.Action == aftersale.ActionDeclineQuote {
			c.Resolution = aftersale.ResolutionReturnedUnrepaired
		}
	case aftersale.ActionResolve:
		answered()
		return s.resolve(actor, c, in)
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
	events, err := s.except(actor, c, aftersale.ActGrant, in.Remedy, in.ExceptionReason, "exception_reason", true)
	if err != nil {
		return nil, err
	}
	c.ApprovedRemedy = in.Remedy
	return events, nil
}

// except checks act against every line's current decision (remedy.go).
// Lines whose decision does not permit it need a manager's exception:
// with the actor a manager and a reason, one is recorded on each of them
// (and in the history). Otherwise the act is refused, naming the
// decisions: a step that asks for the exception (approve, reject) as
// Forbidden to others and Invalid without the reason; a step that only
// delivers what was granted (resolve) as a Conflict with the claim's
// decisions as they are now.
func (s *Claims) except(actor aftersale.Actor, c *aftersale.Claim, act aftersale.RemedyAct, remedy, reason, reasonField string, asks bool) ([]aftersale.Event, error) {
	lines := c.Judge(act, remedy)
	if len(lines) == 0 {
		return nil, nil
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || !actor.Can(aftersale.ApproveExceptions) {
		err := c.Refusal(act, remedy, lines).(*aftersale.Error)
		switch {
		case !asks:
			err.Message += fmt.Sprintf(" (a manager's exception gives %s)", reasonField)
		case !actor.Can(aftersale.ApproveExceptions) && act == aftersale.ActGrant:
			err.Kind, err.Message = aftersale.Forbidden, err.Message+" (only a manager may grant it as an exception)"
		case !actor.Can(aftersale.ApproveExceptions):
			err.Kind, err.Message = aftersale.Forbidden, err.Message+" (only a manager may make this exception)"
		default:
			return nil, invalid(reasonField, "%s; as a manager's exception it needs a reason", err.Message)
		}
		return nil, err
	}
	if len(reason) > 1000 {
		return nil, invalid(reasonField, "at most 1,000 characters")
	}
	var events []aftersale.Event
	for _, n := range lines {
		l := &c.Lines[n-1]
		l.Exception = &aftersale.Exception{By: actor.String(), Reason: reason, At: s.Now().UTC(), Remedy: remedy,
			Outcome: l.Decision.Outcome, Clauses: slices.Clone(l.Decision.Clauses)}
		events = append(events, aftersale.Event{Kind: "exception", Detail: fmt.Sprintf("line %d: %s granted against %s (clauses %s): %s",
			l.Line, remedy, l.Decision.Outcome, strings.Join(l.Decision.Clauses, ", "), reason),
			Data: map[string]string{"line": strconv.Itoa(l.Line), "remedy": remedy, "outcome": l.Decision.Outcome, "reason": reason}})
	}
	return events, nil
}

// picturesArrived: a claim that waits for its pictures (transit damage)
// goes on only once a photo or a video is on file (5.1).
func picturesArrived(ctx context.Context, tx ClaimTx, c *aftersale.Claim) error {
	if !aftersale.PicturesNeeded(c.Request) || !c.FirstAnswerOn.IsZero() {
		return nil
	}
	ok, err := tx.HasPictures(ctx, c.ID)
	if err == nil && !ok {
		err = &aftersale.Error{Kind: aftersale.Conflict, Field: "evidence", Message: fmt.Sprintf(
			"claim %s needs photos or a video of the parcel and of the damaged goods first (5.1): upload them", c.Number)}
	}
	return err
}

// referable: only a distributor's sale is referred to its distributor (5.3).
func referable(c *aftersale.Claim) error {
	if c.DistributorCode == "" {
		return &aftersale.Error{Kind: aftersale.Conflict, Field: "action", Message: fmt.Sprintf(
			"claim %s is about a sale of the seller's own, not a distributor's: it cannot be referred (5.3)", c.Number)}
	}
	return nil
}

// customersAnswer: accepting or declining a quote is the customer's act
// (or its distributor's, for it). Staff record an answer the customer gave
// another way only with a note saying so.
func customersAnswer(actor aftersale.Actor, note string) error {
	if actor.Role == aftersale.RoleCustomer || actor.Role == aftersale.RoleDistributor {
		return nil
	}
	if strings.TrimSpace(note) == "" {
		return invalid("note", "the answer to a quote is the customer's: say how they gave it (by phone on ..., in an e-mail of ...)")
	}
	return nil
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
	"technical_support":       {aftersale.ResolutionSupportGiven},
}

// needsReturn: the replaced or refunded item becomes the seller's property
// (3.1), so it must be back before the refund or the replacement.
var needsReturn = []aftersale.Resolution{aftersale.ResolutionRefunded, aftersale.ResolutionExchanged,
	aftersale.ResolutionReplacementShipped}

// resolve settles the claim. What it delivers must still be what the
// lines' current decisions give (an inspection may have taken it away), or
// a manager's exception; a repair needs the unit back and inspected (3.3:
// "after confirmed"). Sending the item back unrepaired is always a way on.
func (s *Claims) resolve(actor aftersale.Actor, c *aftersale.Claim, in ActInput) ([]aftersale.Event, error) {
	returned := !c.ReceivedOn.IsZero()
	if in.Resolution == aftersale.ResolutionReturnedUnrepaired {
		if !returned {
			return nil, invalid("resolution", "the item of claim %s has not come back: there is nothing to return unrepaired", c.Number)
		}
		c.Resolution = in.Resolution
		return nil, nil
	}
	allowed := resolutionOf[c.ApprovedRemedy]
	if !slices.Contains(allowed, in.Resolution) {
		return nil, invalid("resolution", "the approved remedy %q is settled by %v, not %q", c.ApprovedRemedy, allowed, in.Resolution)
	}
	if in.Resolution == aftersale.ResolutionRepairedShipped && !returned {
		return nil, &aftersale.Error{Kind: aftersale.Conflict, Field: "resolution", Message: fmt.Sprintf(
			"the unit of claim %s has not come back: it is repaired only after it is received and inspected (3.3)", c.Number)}
	}
	events, err := s.except(actor, c, aftersale.ActGrant, c.ApprovedRemedy, in.ExceptionReason, "exception_reason", false)
	if err != nil {
		return nil, err
	}
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
