package aftersale_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
)

// TestJudge: every remedy act against a line's current decision, with and
// without a manager's exception standing on the line.
func TestJudge(t *testing.T) {
	eligibleRepair := aftersale.Decision{Outcome: "eligible", Remedies: []string{"free_repair"}, Clauses: []string{"2", "3.3"}}
	misuse := aftersale.Decision{Outcome: "not_eligible", Remedies: []string{"paid_repair", "technical_support"}, Clauses: []string{"2", "4", "4.4"}}
	notResellable := aftersale.Decision{Outcome: "not_eligible", Clauses: []string{"1"}}
	referred := aftersale.Decision{Outcome: "refer_to_distributor", Clauses: []string{"5.3", "6.1"}}
	exceptionOn := func(d aftersale.Decision, remedy string) *aftersale.Exception {
		return &aftersale.Exception{By: "mia", Reason: "goodwill", Remedy: remedy, Outcome: d.Outcome, Clauses: d.Clauses}
	}
	tests := []struct {
		name      string
		decision  aftersale.Decision
		exception *aftersale.Exception
		act       aftersale.RemedyAct
		remedy    string
		want      aftersale.Verdict
	}{
		{"a free repair the decision gives", eligibleRepair, nil, aftersale.ActGrant, "free_repair", aftersale.Permitted},
		{"a replacement it does not give", eligibleRepair, nil, aftersale.ActGrant, "free_replacement", aftersale.NeedsException},
		{"a free repair after misuse was found", misuse, nil, aftersale.ActGrant, "free_repair", aftersale.NeedsException},
		{"the exception granted against this decision", misuse, exceptionOn(misuse, "free_repair"), aftersale.ActGrant, "free_repair", aftersale.Permitted},
		{"an exception for another remedy", misuse, exceptionOn(misuse, "refund"), aftersale.ActGrant, "free_repair", aftersale.NeedsException},
		{"an exception granted before the inspection judged again", misuse, exceptionOn(eligibleRepair, "free_repair"), aftersale.ActGrant, "free_repair", aftersale.NeedsException},
		{"an exception recorded without its decision", misuse, &aftersale.Exception{By: "mia", Reason: "old"}, aftersale.ActGrant, "free_repair", aftersale.Permitted},
		{"a refund of a return found not resellable", notResellable, nil, aftersale.ActGrant, "refund", aftersale.NeedsException},
		{"a referred sale handled at headquarters", referred, nil, aftersale.ActGrant, "free_repair", aftersale.NeedsException},
		{"a quote for a repair the policy gives free", eligibleRepair, nil, aftersale.ActQuote, "paid_repair", aftersale.NeedsException},
		{"a quote the manager excepted", eligibleRepair, exceptionOn(eligibleRepair, "paid_repair"), aftersale.ActQuote, "paid_repair", aftersale.Permitted},
		{"a quote after misuse", misuse, nil, aftersale.ActQuote, "paid_repair", aftersale.Permitted},
		{"shipping a paid repair the policy gives free", eligibleRepair, nil, aftersale.ActGrant, "paid_repair", aftersale.NeedsException},
		{"shipping a paid repair after misuse", misuse, nil, aftersale.ActGrant, "paid_repair", aftersale.Permitted},
		{"rejecting an eligible line", eligibleRepair, nil, aftersale.ActReject, "reject", aftersale.NeedsException},
		{"rejecting after misuse", misuse, nil, aftersale.ActReject, "reject", aftersale.Permitted},
		{"rejecting a referred sale", referred, nil, aftersale.ActReject, "reject", aftersale.Permitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := aftersale.ClaimLine{Line: 1, Decision: tt.decision, Exception: tt.exception}
			if got := l.Judge(tt.act, tt.remedy); got != tt.want {
				t.Errorf("Judge(%s, %s) = %v, want %v", tt.act, tt.remedy, got, tt.want)
			}
		})
	}
}

// TestRefusal: the refusal names each refusing line's decision and
// clauses, and the ways on.
func TestRefusal(t *testing.T) {
	c := aftersale.Claim{Lines: []aftersale.ClaimLine{
		{Line: 1, Decision: aftersale.Decision{Outcome: "eligible", Remedies: []string{"free_repair"}, Clauses: []string{"3.3"}}},
		{Line: 2, Decision: aftersale.Decision{Outcome: "not_eligible", Remedies: []string{"paid_repair"}, Clauses: []string{"4", "4.4"}}},
	}}
	lines := c.Judge(aftersale.ActGrant, "free_repair")
	if len(lines) != 1 || lines[0] != 2 {
		t.Fatalf("Judge = %v, want [2]", lines)
	}
	err := c.Refusal(aftersale.ActGrant, "free_repair", lines)
	if aftersale.KindOf(err) != aftersale.Conflict {
		t.Errorf("kind %v, want Conflict", aftersale.KindOf(err))
	}
	for _, want := range []string{"does not give free_repair", "line 2 is not_eligible (paid_repair; clauses 4, 4.4)", "send a quote", "exception"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "line 1") {
		t.Errorf("%q names line 1, whose decision gives it", err)
	}
}
