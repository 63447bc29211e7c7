package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

// staffClaimPage is a claim as staff work it: the facts, each line's
// decision with its clauses, the warnings, the evidence, the history, the
// thread, the parcels and money, and a form for each step the reader may
// take now.
type staffClaimPage struct {
	Page
	Claim     aftersale.Claim
	Overdue   bool
	Lines     []lineView
	Warnings  []workflow.Warning
	Evidence  []aftersale.Evidence
	Events    []aftersale.Event
	Messages  []aftersale.Message
	Shipments []aftersale.Shipment
	Refunds   []aftersale.Refund
	Actions   []actionForm
	// Problem says, translated, why the last post was refused as a whole
	// (somebody changed the claim first, or the step is no longer allowed).
	Problem  string
	Message  postedForm // the message form's entered values and errors
	CanWrite bool       // to the customer
	CanNote  bool       // internal notes
	Ship     shipForm
	Refund   refundForm
	Units    []aftersale.ReplacementUnit // shipped to settle the claim's lines
	Unit     unitForm
}

// lineView is a claim line with its decision's clauses and their texts,
// and its manager's exception in words.
type lineView struct {
	aftersale.ClaimLine
	Clauses       []clauseView
	ExceptionText string // "" without an exception
	// BoughtFromWord is where a purchase made elsewhere was bought
	// (workflow.BoughtFromWord); "" for an order on file.
	BoughtFromWord string
}

// ResellableWord is the inspector's finding on whether the item can be
// sold again: "yes", "no", or "" when not found. (The template cannot look
// through the pointer: a non-nil *bool is true whatever it points to.)
func (l lineView) ResellableWord() string {
	switch {
	case l.Resellable == nil:
		return ""
	case *l.Resellable:
		return "yes"
	}
	return "no"
}

type clauseView struct{ ID, Text string }

// postedForm is what a refused form gets back: the values entered and the
// translated error of each field.
type postedForm struct {
	Val url.Values
	Err fieldErrors
}

// actionForm is the form of one step of the workflow.
type actionForm struct {
	postedForm
	Action aftersale.Action
	// approve: the remedies to choose from; Exception: the reader may grant
	// one the policy does not give, with a reason.
	Remedies  []option
	Exception bool
	// resolve: how it may be settled; CanWaive: a manager may settle before
	// the item is back.
	Resolutions []option
	CanWaive    bool
	// resolve, send_quote: the lines' decisions do not permit it, so the
	// reader (a manager) gives an exception's reason.
	NeedsException bool
	// NoteRequired: the step needs a note (the customer's answer to a
	// quote, recorded by staff, says how it was given).
	NoteRequired bool
	// inspect: the causes to find.
	Causes []option
	// send_quote: the kinds of cost.
	CostKinds []string
}

type shipForm struct {
	postedForm
	Directions []option
	DefaultBy  string // who pays by the decisions, "" when they do not say
	ChoosePaid bool   // the payer may be chosen (a manager, or no decision says)
}

type refundForm struct {
	postedForm
	Allowed bool
}

// unitForm registers the unit shipped to settle a line: a replacement with
// its new serial, or the customer's unit repaired (workflow.UnitChoices).
type unitForm struct {
	postedForm
	Lines []option
	Kinds []option
	// Exchange: the approved remedy is a change-of-mind exchange, which may
	// ship another product at a price difference.
	Exchange bool
}

// staffClaim shows a claim to staff.
func (s *Server) staffClaim(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "queue", "staff.claim.title", aftersale.ViewClaims)
	if err != nil {
		return err
	}
	if done := r.URL.Query().Get("done"); done != "" {
		p.Notice = p.L.TOr("staff.done."+done, "")
	}
	cp, err := s.claimPage(r, p, r.PathValue("number"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "staff_claim.html", cp)
}

// claimPage reads everything the claim page shows.
func (s *Server) claimPage(r *http.Request, p Page, number string) (*staffClaimPage, error) {
	ctx, actor := r.Context(), p.Actor
	c, err := s.Claims.Get(ctx, actor, number)
	if err != nil {
		return nil, err
	}
	p.Title = p.L.T("staff.claim.title_number", "Number", c.Number)
	cp := &staffClaimPage{Page: p, Claim: c, Overdue: c.Overdue(s.Claims.Today())}
	if cp.Warnings, err = s.Claims.Warnings(ctx, actor, c); err != nil {
		return nil, err
	}
	if cp.Events, err = s.Claims.History(ctx, actor, number); err != nil {
		return nil, err
	}
	if s.Evidence != nil {
		if cp.Evidence, err = s.Evidence.ListEvidence(ctx, actor, number); err != nil {
			return nil, err
		}
		if cp.Messages, err = s.Evidence.Messages(ctx, actor, number); err != nil {
			return nil, err
		}
		cp.CanWrite = actor.Can(aftersale.OpenClaims) || actor.Can(aftersale.WorkClaims)
		cp.CanNote = actor.Can(aftersale.WorkClaims) || actor.Can(aftersale.Inspect)
	}
	if s.Parcels != nil {
		if cp.Shipments, err = s.Parcels.Shipments(ctx, actor, number); err != nil {
			return nil, err
		}
		if cp.Refunds, err = s.Parcels.Refunds(ctx, actor, number); err != nil {
			return nil, err
		}
		cp.Ship = s.shipForm(p, c)
		cp.Refund.Allowed = workflow.MayRefund(actor, c) == nil
		if cp.Units, err = s.Parcels.ReplacementUnits(ctx, actor, number); err != nil {
			return nil, err
		}
		cp.Unit = unitFormOf(p, c)
	}
	for _, l := range c.Lines {
		cp.Lines = append(cp.Lines, lineView{ClaimLine: l, Clauses: s.clauses(l.Decision, p.L.Code), ExceptionText: exceptionText(p.L, l.Exception),
			BoughtFromWord: workflow.BoughtFromWord(l)})
	}
	cp.Actions = s.actionForms(p, c)
	return cp, nil
}

// exceptionText says who granted what against which decision, and why:
// "Exception by mia@shop.test: Free replacement granted against the
// policy's Not eligible (clauses 3.1): loyal customer". An exception
// recorded without its remedy says who and why only.
func exceptionText(l *Locale, e *aftersale.Exception) string {
	if e == nil {
		return ""
	}
	if e.Remedy == "" {
		return l.T("staff.claim.exception_unknown", "By", e.By, "Reason", e.Reason)
	}
	clauses := ""
	if len(e.Clauses) > 0 {
		clauses = l.T("staff.claim.exception_clauses", "Clauses", strings.Join(e.Clauses, l.T("staff.claim.exception_clause_separator")))
	}
	id, remedy := "staff.claim.exception", l.TOr("remedy."+e.Remedy, e.Remedy)
	if e.Remedy == "reject" {
		id = "staff.claim.exception_reject"
	}
	return l.T(id, "By", e.By, "Remedy", remedy, "Outcome", l.TOr("outcome."+e.Outcome, e.Outcome), "Clauses", clauses, "Reason", e.Reason)
}

// clauses are the decision's clauses with their texts in the reader's
// language where the policy file translates them, from the policy version
// that decided.
func (s *Server) clauses(d aftersale.Decision, lang string) []clauseView {
	out := make([]clauseView, 0, len(d.Clauses))
	var v *policy.Version
	if s.Policy != nil {
		for _, pv := range s.Policy.Versions {
			if pv.ID == d.PolicyVersion || v == nil {
				v = pv
			}
		}
	}
	for _, id := range d.Clauses {
		cv := clauseView{ID: id}
		if v != nil {
			cv.Text = v.ClauseText(lang, id)
		}
		out = append(out, cv)
	}
	return out
}

// actionForms are the steps the reader may take on c now, in the
// workflow's order, each with its choices.
func (s *Server) actionForms(p Page, c aftersale.Claim) []actionForm {
	var out []actionForm
	for _, a := range aftersale.Allowed(c.Status) {
		if !workflow.MayAct(p.Actor, c, a) {
			continue
		}
		f := actionForm{Action: a, postedForm: postedForm{Err: fieldErrors{}}}
		switch a {
		case aftersale.ActionApprove:
			f.Exception = p.Actor.Can(aftersale.ApproveExceptions)
			f.Remedies = remedyOptions(p.L, c, f.Exception)
			if len(f.Remedies) == 0 {
				continue // the policy gives nothing this reader may grant
			}
		case aftersale.ActionResolve:
			for i, res := range workflow.Resolutions(p.Actor, c) {
				f.Resolutions = append(f.Resolutions, option{string(res), p.L.T("staff.resolution." + string(res)), i == 0})
				if workflow.ReturnNeeded(c, res) && p.Actor.Can(aftersale.ApproveExceptions) {
					f.CanWaive = true
				}
			}
			if len(f.Resolutions) == 0 {
				continue // nothing approved to settle, or nothing the decisions still give
			}
			f.NeedsException = len(workflow.ExceptionNeeded(c, a, "")) > 0 && p.Actor.Can(aftersale.ApproveExceptions)
		case aftersale.ActionReject:
			if len(workflow.ExceptionNeeded(c, a, "")) > 0 && !p.Actor.Can(aftersale.ApproveExceptions) {
				continue // the policy gives a free remedy: a manager's exception
			}
		case aftersale.ActionRefer:
			if !workflow.Referable(c) {
				continue
			}
		case aftersale.ActionAcceptQuote, aftersale.ActionDeclineQuote:
			f.NoteRequired = workflow.QuoteAnswerNeedsNote(p.Actor)
		case aftersale.ActionInspect:
			for _, cause := range workflow.Causes() {
				f.Causes = append(f.Causes, option{Value: cause, Label: p.L.T("staff.cause." + cause)})
			}
		case aftersale.ActionSendQuote:
			f.CostKinds = aftersale.QuoteLineKinds()
			f.NeedsException = len(workflow.ExceptionNeeded(c, a, "")) > 0
		}
		out = append(out, f)
	}
	return out
}

// remedyOptions are the remedies an approval may grant: those the policy
// gives on every line first, then, for a manager, the others as exceptions.
func remedyOptions(l *Locale, c aftersale.Claim, exceptions bool) []option {
	var given, others []option
	for _, rem := range workflow.Remedies() {
		if len(c.Lines) > 0 && len(workflow.ExceptionNeeded(c, aftersale.ActionApprove, rem)) == 0 {
			given = append(given, option{Value: rem, Label: l.T("remedy." + rem)})
		} else if exceptions {
			others = append(others, option{Value: rem, Label: l.T("staff.approve.as_exception", "Remedy", l.T("remedy."+rem))})
		}
	}
	out := append(given, others...)
	if len(out) > 0 {
		out[0].Selected = true
	}
	return out
}

// shipForm offers the directions a parcel may travel in now.
func (s *Server) shipForm(p Page, c aftersale.Claim) shipForm {
	f := shipForm{postedForm: postedForm{Err: fieldErrors{}}, DefaultBy: workflow.DefaultPaidBy(c)}
	for _, d := range []aftersale.Direction{aftersale.Inbound, aftersale.Outbound} {
		if workflow.MayShip(p.Actor, c, d) == nil {
			f.Directions = append(f.Directions, option{Value: string(d), Label: p.L.T("staff.ship." + string(d))})
		}
	}
	f.ChoosePaid = f.DefaultBy == "" || p.Actor.Can(aftersale.ApproveExceptions)
	return f
}

// unitFormOf offers the lines and kinds of unit the reader may register.
func unitFormOf(p Page, c aftersale.Claim) unitForm {
	f := unitForm{postedForm: postedForm{Err: fieldErrors{}}, Exchange: c.ApprovedRemedy == "exchange"}
	lines, kinds := workflow.UnitChoices(p.Actor, c)
	for _, n := range lines {
		l := c.Lines[n-1]
		label := p.L.T("staff.claim.line_n", "Line", n) + ": " + l.SKU
		if l.Serial != "" {
			label += " · " + l.Serial
		}
		f.Lines = append(f.Lines, option{Value: strconv.Itoa(n), Label: label})
	}
	for _, k := range kinds {
		f.Kinds = append(f.Kinds, option{Value: string(k), Label: p.L.T("staff.unit.kind." + string(k))})
	}
	return f
}

// OpenedBy is who opened the claim, without the word "customer" that the
// applicant's label beside it already says ("Customer ann@example.com").
func (p *staffClaimPage) OpenedBy() string {
	return strings.TrimPrefix(p.Claim.OpenedBy, "customer ")
}

// EvidenceURL is where the API serves a piece of the claim's evidence.
func (p *staffClaimPage) EvidenceURL(id int64) string {
	return "/api/v1/claims/" + url.PathEscape(p.Claim.Number) + "/evidence/" + strconv.FormatInt(id, 10)
}
