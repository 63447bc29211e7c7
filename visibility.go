package aftersale

import (
	"strings"
)

// Who sees what of a claim: the one rule for every answer that carries a
// claim or part of one (the API, the pages, the e-mails). docs/visibility.md
// lays it out as a table, field by audience.
//
// The seller's staff see the record as written. The outsiders, the claim's
// customer and the distributor that sold it, see what was done and what
// concerns them, never who of the seller's staff did it (an e-mail address,
// an API token's name) nor the seller's internal reasons: internal notes,
// a manager's reasons for an exception, for waiving a return or for
// overriding who pays a parcel, and the notes of steps that are not
// addressed to the customer.

// Audience is who reads a claim.
type Audience string

// The audiences.
const (
	AudienceStaff       Audience = "staff"       // agents, inspectors, managers, admins
	AudienceDistributor Audience = "distributor" // the users of the distributor that sold the goods
	AudienceCustomer    Audience = "customer"    // the claim's customer, by its link; anyone else unknown
)

// AudienceOf returns the audience of actor a: a role without staff
// permissions reads as an outsider, the narrowest (customer) when it is not
// a distributor's.
func AudienceOf(a Actor) Audience {
	switch {
	case a.Anonymous():
		return AudienceCustomer
	case a.Role == RoleDistributor:
		return AudienceDistributor
	case a.Role != RoleCustomer && (a.Can(WorkClaims) || a.Can(Inspect)):
		return AudienceStaff
	}
	return AudienceCustomer
}

// How outsiders see the seller's people and the distributors' (Viewer.Name).
const (
	ShownSupportTeam = "Support team" // an agent, an inspector, or a name no user has
	ShownManager     = "Manager"      // a manager or an admin
	ShownDistributor = "Distributor"  // a distributor's user, to the customer or another distributor
)

// The words outsiders read in place of a reason that stays with the staff.
const (
	ShownException    = "an exception to the policy was granted"
	ShownReturnWaived = "the return of the item was waived"
)

// NoteShown reports whether the note of a workflow step reaches audience
// aud: the staff read every note; outsiders only the notes written to the
// customer (a question, the words of an approval, a refusal, a referral or a
// quote) and the customer's side's own answers. The other steps' notes
// (start_review, await_return, receive, inspect, resolve, close, reopen) are
// the staff's, among them the reason a manager waives a return (resolve).
func NoteShown(a Action, aud Audience) bool {
	if aud == AudienceStaff {
		return true
	}
	switch a {
	case ActionRequestInfo, ActionApprove, ActionReject, ActionRefer, ActionSendQuote,
		ActionProvideInfo, ActionAcceptQuote, ActionDeclineQuote:
		return true
	}
	return false
}

// EmailOfName returns the user e-mail address in a name as the history
// records it (Actor.String: "a@b", `a@b (token "erp")`), or "" for a name
// that is no user's: a customer's, anonymous.
func EmailOfName(name string) string {
	if name == "" || name == "anonymous" || strings.HasPrefix(name, "customer ") {
		return ""
	}
	if i := strings.Index(name, ` (token "`); i >= 0 {
		name = name[:i]
	}
	return NormalizeEmail(name)
}

// Viewer is an actor reading a claim, with the users the claim's record
// names (Users, by e-mail address, as on file now): their roles decide how
// an outsider sees them. A name whose user is not in Users is the support
// team's.
type Viewer struct {
	Actor Actor
	Users map[string]User
}

// Audience is the viewer's audience.
func (v Viewer) Audience() Audience { return AudienceOf(v.Actor) }

// Staff reports whether the viewer reads the record as written.
func (v Viewer) Staff() bool { return v.Audience() == AudienceStaff }

// Name returns a name of the record (an event's actor, a message's author,
// an uploader, whoever opened the claim, recorded a parcel, a refund or a
// unit, or made an exception) as the viewer sees it: as written to the
// staff; to an outsider, the claim's customer and the outsider's own
// organisation as written, everybody else by role.
func (v Viewer) Name(name string) string {
	email := EmailOfName(name)
	if v.Staff() || email == "" {
		return name
	}
	u, ok := v.Users[email]
	switch {
	case ok && u.Role == RoleDistributor && v.Actor.Role == RoleDistributor && u.DistributorCode == v.Actor.DistributorCode:
		return name
	case ok && u.Role == RoleDistributor:
		return ShownDistributor
	case ok && (u.Role == RoleManager || u.Role == RoleAdmin):
		return ShownManager
	}
	return ShownSupportTeam
}

// Claim returns c as the viewer sees it: the names by role, and a line's
// exception without its reason (what was granted against which decision
// stays).
func (v Viewer) Claim(c Claim) Claim {
	if v.Staff() {
		return c
	}
	c.OpenedBy = v.Name(c.OpenedBy)
	lines := make([]ClaimLine, len(c.Lines))
	for i, l := range c.Lines {
		if l.Exception != nil {
			e := *l.Exception
			e.By, e.Reason, e.Clauses = v.Name(e.By), "", append([]string(nil), e.Clauses...)
			l.Exception = &e
		}
		lines[i] = l
	}
	c.Lines = lines
	return c
}

// Events returns a claim's history as the viewer sees it: without the
// internal notes (nor the fact that one was written), the names by role, and
// the staff's reasons replaced by what they decided.
func (v Viewer) Events(events []Event) []Event {
	if v.Staff() {
		return events
	}
	out := make([]Event, 0, len(events))
	for _, e := range events {
		if e.Kind == "note" {
			continue
		}
		e.Actor = v.Name(e.Actor)
		switch {
		case e.Kind == "exception":
			e.Detail, e.Data = ShownException, without(e.Data, "reason")
		case e.Kind == "return_waived":
			e.Detail = ShownReturnWaived
		case e.Kind == "shipment":
			// "... (override of the decision: reason)": the payer stays.
			if i := strings.Index(e.Detail, " (override of the decision: "); i >= 0 {
				e.Detail = e.Detail[:i]
			}
			e.Data = without(e.Data, "override")
		case Action(e.Kind).step() && !NoteShown(Action(e.Kind), v.Audience()):
			e.Detail = ""
		}
		out = append(out, e)
	}
	return out
}

// step reports whether a is one of the workflow's actions.
func (a Action) step() bool {
	for _, t := range transitions {
		if t.Action == a {
			return true
		}
	}
	return false
}

// Messages returns a claim's thread as the viewer sees it: internal notes
// for the staff only, the authors by role.
func (v Viewer) Messages(msgs []Message) []Message {
	if v.Staff() {
		return msgs
	}
	out := make([]Message, 0, len(msgs))
	for _, m := range msgs {
		if m.Internal {
			continue
		}
		m.Author = v.Name(m.Author)
		out = append(out, m)
	}
	return out
}

// Evidence returns a claim's files as the viewer sees them: the uploaders
// by role.
func (v Viewer) Evidence(list []Evidence) []Evidence {
	return outsiders(v, list, func(e *Evidence) { e.UploadedBy = v.Name(e.UploadedBy) })
}

// Shipments returns a claim's parcels as the viewer sees them: who
// recorded them by role, and without a manager's reason for another payer
// than the decision's (the payer stays).
func (v Viewer) Shipments(list []Shipment) []Shipment {
	return outsiders(v, list, func(s *Shipment) { s.CreatedBy, s.OverrideReason = v.Name(s.CreatedBy), "" })
}

// Refunds returns a claim's refunds as the viewer sees them: who recorded
// them by role.
func (v Viewer) Refunds(list []Refund) []Refund {
	return outsiders(v, list, func(r *Refund) { r.By = v.Name(r.By) })
}

// ReplacementUnits returns the units shipped for a claim as the viewer sees
// them: who recorded them by role.
func (v Viewer) ReplacementUnits(list []ReplacementUnit) []ReplacementUnit {
	return outsiders(v, list, func(u *ReplacementUnit) { u.CreatedBy = v.Name(u.CreatedBy) })
}

// NamesIn returns the user e-mail addresses a claim's record names, for
// looking up their users (Viewer.Users).
func NamesIn(names ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if e := EmailOfName(n); e != "" && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// without returns data less key, leaving data itself as it was.
func without(data map[string]string, key string) map[string]string {
	if _, ok := data[key]; !ok {
		return data
	}
	out := make(map[string]string, len(data))
	for k, x := range data {
		if k != key {
			out[k] = x
		}
	}
	return out
}

// outsiders returns list as staff see it, or for anybody else a copy with
// hide applied to each entry.
func outsiders[T any](v Viewer, list []T, hide func(*T)) []T {
	if v.Staff() {
		return list
	}
	out := make([]T, len(list))
	copy(out, list)
	for i := range out {
		hide(&out[i])
	}
	return out
}
