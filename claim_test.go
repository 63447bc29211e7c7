package aftersale_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// TestWorkflowTable walks every (status, action) pair: the allowed ones lead
// where the table says, every other one is a Conflict naming what is allowed.
func TestWorkflowTable(t *testing.T) {
	want := map[aftersale.Status]map[aftersale.Action]aftersale.Status{
		aftersale.StatusSubmitted: {aftersale.ActionStartReview: aftersale.StatusInReview, aftersale.ActionRequestInfo: aftersale.StatusAwaitingCustomer,
			aftersale.ActionRefer: aftersale.StatusReferred},
		aftersale.StatusAwaitingCustomer: {aftersale.ActionProvideInfo: aftersale.StatusInReview},
		aftersale.StatusInReview: {aftersale.ActionRequestInfo: aftersale.StatusAwaitingCustomer, aftersale.ActionApprove: aftersale.StatusApproved,
			aftersale.ActionReject: aftersale.StatusRejected, aftersale.ActionRefer: aftersale.StatusReferred,
			aftersale.ActionAwaitReturn: aftersale.StatusAwaitingReturn, aftersale.ActionSendQuote: aftersale.StatusQuoteSent},
		aftersale.StatusApproved:       {aftersale.ActionAwaitReturn: aftersale.StatusAwaitingReturn, aftersale.ActionResolve: aftersale.StatusResolved},
		aftersale.StatusRejected:       {aftersale.ActionClose: aftersale.StatusClosed, aftersale.ActionReopen: aftersale.StatusInReview},
		aftersale.StatusReferred:       {aftersale.ActionClose: aftersale.StatusClosed, aftersale.ActionReopen: aftersale.StatusInReview},
		aftersale.StatusAwaitingReturn: {aftersale.ActionReceive: aftersale.StatusReceived},
		aftersale.StatusReceived:       {aftersale.ActionInspect: aftersale.StatusInspected},
		aftersale.StatusInspected: {aftersale.ActionRequestInfo: aftersale.StatusAwaitingCustomer, aftersale.ActionApprove: aftersale.StatusApproved,
			aftersale.ActionReject: aftersale.StatusRejected, aftersale.ActionSendQuote: aftersale.StatusQuoteSent,
			aftersale.ActionResolve: aftersale.StatusResolved},
		aftersale.StatusQuoteSent:     {aftersale.ActionAcceptQuote: aftersale.StatusQuoteAccepted, aftersale.ActionDeclineQuote: aftersale.StatusResolved},
		aftersale.StatusQuoteAccepted: {aftersale.ActionResolve: aftersale.StatusResolved, aftersale.ActionAwaitReturn: aftersale.StatusAwaitingReturn},
		aftersale.StatusResolved:      {aftersale.ActionClose: aftersale.StatusClosed, aftersale.ActionReopen: aftersale.StatusInReview},
		aftersale.StatusClosed:        {aftersale.ActionReopen: aftersale.StatusInReview},
	}
	var actions []aftersale.Action
	for _, tr := range aftersale.Transitions() {
		if !slices.Contains(actions, tr.Action) {
			actions = append(actions, tr.Action)
		}
	}
	for _, from := range aftersale.Statuses() {
		for _, a := range actions {
			tr, err := aftersale.TransitionOf(from, a)
			to, allowed := want[from][a]
			switch {
			case allowed && err != nil:
				t.Errorf("%s --%s--> refused: %v", from, a, err)
			case allowed && tr.To != to:
				t.Errorf("%s --%s--> %s, want %s", from, a, tr.To, to)
			case !allowed && aftersale.KindOf(err) != aftersale.Conflict:
				t.Errorf("%s --%s--> %v, want a Conflict", from, a, err)
			case !allowed:
				for b := range want[from] {
					if !strings.Contains(err.Error(), string(b)) {
						t.Errorf("%s --%s-->: %q does not name the allowed %s", from, a, err, b)
					}
				}
			}
		}
		if got := len(aftersale.Allowed(from)); got != len(want[from]) {
			t.Errorf("Allowed(%s) has %d actions, want %d", from, got, len(want[from]))
		}
	}
	if _, err := aftersale.TransitionOf(aftersale.StatusSubmitted, "explode"); aftersale.KindOf(err) != aftersale.Invalid {
		t.Errorf("unknown action: %v", err)
	}
}

func TestOverdue(t *testing.T) {
	d := date.MustParse
	base := aftersale.Claim{Status: aftersale.StatusInReview, RespondBy: d("2026-05-03")}
	tests := []struct {
		name  string
		edit  func(c *aftersale.Claim)
		today string
		want  bool
	}{
		{"on the day", func(*aftersale.Claim) {}, "2026-05-03", false},
		{"the day after", func(*aftersale.Claim) {}, "2026-05-04", true},
		{"answered", func(c *aftersale.Claim) { c.FirstAnswerOn = d("2026-05-02") }, "2026-05-10", false},
		{"waiting for the customer", func(c *aftersale.Claim) { c.AwaitingSince = d("2026-05-02") }, "2026-05-10", false},
		{"closed", func(c *aftersale.Claim) { c.Status = aftersale.StatusClosed }, "2026-05-10", false},
		{"referred", func(c *aftersale.Claim) { c.Status = aftersale.StatusReferred }, "2026-05-10", false},
		{"resolved, as the queue counts it", func(c *aftersale.Claim) { c.Status = aftersale.StatusResolved }, "2026-05-10", false},
	}
	for _, tt := range tests {
		c := base
		tt.edit(&c)
		if got := c.Overdue(d(tt.today)); got != tt.want {
			t.Errorf("%s: overdue %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestDecisionReasonsIn: a stored decision's reasons in a language, English
// where it has none (an unknown language, or a decision stored before).
func TestDecisionReasonsIn(t *testing.T) {
	d := aftersale.Decision{Reasons: []string{"We pay the shipping both ways."},
		ReasonsByLang: map[string][]string{"zh": {"往返运费由我们承担。"}}}
	for lang, want := range map[string]string{"zh": "往返运费由我们承担。", "en": "We pay the shipping both ways.", "fr": "We pay the shipping both ways."} {
		if got := d.ReasonsIn(lang); len(got) != 1 || got[0] != want {
			t.Errorf("ReasonsIn(%q) = %q, want %q", lang, got, want)
		}
	}
	old := aftersale.Decision{Reasons: []string{"We answer within 3 days, by 3 May 2026."}}
	if got := old.ReasonsIn("zh"); !slices.Equal(got, old.Reasons) {
		t.Errorf("a decision stored without translations: ReasonsIn(zh) = %q", got)
	}
}
