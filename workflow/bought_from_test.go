package workflow_test

import (
	"slices"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// boughtElsewhere is a servo bought days ago (a negative number) elsewhere,
// with its invoice, from where and code say.
func boughtElsewhere(days int, from aftersale.Channel, code string) workflow.OpenLine {
	return workflow.OpenLine{SKU: "SERVO-MG", PurchasedOn: testday.Day(days), ProofDocument: "INV-77",
		BoughtFrom: from, DistributorCode: code}
}

// inspectedDefect walks a defect claim to its inspection, which finds a
// quality defect on every line: the lines are judged again.
func inspectedDefect(t *testing.T, cl *workflow.Claims, c aftersale.Claim) aftersale.Claim {
	t.Helper()
	var findings []workflow.Finding
	for i := range c.Lines {
		findings = append(findings, workflow.Finding{Line: i + 1, Cause: "quality_defect", Notes: "worn gear"})
	}
	return walk(t, cl, c, []step{
		{agent, act(aftersale.ActionStartReview), aftersale.StatusInReview},
		{agent, act(aftersale.ActionAwaitReturn), aftersale.StatusAwaitingReturn},
		{inspector, act(aftersale.ActionReceive), aftersale.StatusReceived},
		{inspector, workflow.ActInput{Action: aftersale.ActionInspect, Findings: findings}, aftersale.StatusInspected},
	})
}

func wantDecision(t *testing.T, what string, d aftersale.Decision, outcome string, remedies []string, clauses ...string) {
	t.Helper()
	if d.Outcome != outcome || !slices.Equal(d.Remedies, remedies) {
		t.Errorf("%s: %s %v, want %s %v (%+v)", what, d.Outcome, d.Remedies, outcome, remedies, d)
	}
	for _, c := range clauses {
		if !slices.Contains(d.Clauses, c) {
			t.Errorf("%s: clauses %v lack %s", what, d.Clauses, c)
		}
	}
}

// TestBoughtFrom: a purchase made elsewhere is decided by where it was
// bought, when the claim is opened and again after inspection, on both
// engines: the seller's own shop by default, another shop without
// warranty (5.6), an authorised distributor on file as that distributor's
// sale (its contract, its customers referred to it), a distributor on file
// that is not authorised as another shop.
func TestBoughtFrom(t *testing.T) {
	bothEnginesWithStore(t, func(t *testing.T, db *store.DB, cl *workflow.Claims) {
		ctx := t.Context()

		// Nothing said: the seller's own shop, as before (3.1, 7 days).
		own := open(t, cl, agent, "defect", boughtElsewhere(-2, "", ""))
		if own.Lines[0].BoughtFrom != aftersale.Direct || own.DistributorCode != "" {
			t.Errorf("default: bought from %q, distributor %q", own.Lines[0].BoughtFrom, own.DistributorCode)
		}
		wantDecision(t, "own shop", own.Lines[0].Decision, "eligible", []string{"free_replacement"}, "3.1")

		// Another shop: no warranty (5.6), paid repair and support remain;
		// the inspection judges it the same way.
		other := open(t, cl, agent, "defect", boughtElsewhere(-2, aftersale.UnauthorizedReseller, ""))
		wantDecision(t, "other shop", other.Lines[0].Decision, "not_eligible", []string{"paid_repair", "technical_support"}, "5.6")
		other = inspectedDefect(t, cl, other)
		wantDecision(t, "other shop, inspected", other.Lines[0].Decision, "not_eligible", []string{"paid_repair", "technical_support"}, "5.6")
		stored, err := cl.Get(ctx, agent, other.Number)
		if err != nil || stored.Lines[0].BoughtFrom != aftersale.UnauthorizedReseller {
			t.Errorf("stored: bought from %q (%v)", stored.Lines[0].BoughtFrom, err)
		}

		// An authorised distributor, the customer applying: referred to it
		// (5.3, 6.1); its users see the claim, another's do not, and staff
		// may refer it.
		o, err := cl.OpenAsBuyer(ctx, workflow.OpenClaimInput{Request: "defect", Description: "jitters",
			CustomerEmail: "zoe@example.com", Lines: []workflow.OpenLine{boughtElsewhere(-10, aftersale.AuthorizedDistributor, "DIST-EU")}}, "")
		if err != nil {
			t.Fatal(err)
		}
		referred := o.Claim
		wantDecision(t, "customer, distributor's sale", referred.Lines[0].Decision, "refer_to_distributor", []string{}, "5.3", "6.1")
		if referred.DistributorCode != "DIST-EU" || referred.Lines[0].BoughtFrom != aftersale.AuthorizedDistributor {
			t.Errorf("distributor %q, bought from %q", referred.DistributorCode, referred.Lines[0].BoughtFrom)
		}
		if _, err := cl.Get(ctx, distEU, referred.Number); err != nil {
			t.Errorf("its distributor does not see it: %v", err)
		}
		if _, err := cl.Get(ctx, distAsia, referred.Number); aftersale.KindOf(err) != aftersale.NotFound {
			t.Errorf("another distributor sees it: %v", err)
		}
		// The customer named no order on file: staff act once he confirms
		// his address (confirm.go).
		referred = confirmed(t, db, cl, referred)
		walk(t, cl, referred, []step{{agent, workflow.ActInput{Action: aftersale.ActionRefer, Note: "bought from Robotics Europe"}, aftersale.StatusReferred}})

		// Staff handle it for headquarters (6.1) by the distributor's
		// contract on file: DIST-EU replaces within 14 days (A4), where the
		// seller's own 7 days are over. The inspection keeps the contract.
		dist := open(t, cl, agent, "defect", boughtElsewhere(-10, aftersale.AuthorizedDistributor, " DIST-EU "))
		wantDecision(t, "staff, distributor's sale", dist.Lines[0].Decision, "eligible", []string{"free_replacement"}, "A4", "6.1")
		dist = inspectedDefect(t, cl, dist)
		wantDecision(t, "staff, distributor's sale, inspected", dist.Lines[0].Decision, "eligible", []string{"free_replacement"}, "A4", "6.1")
		direct := open(t, cl, agent, "defect", boughtElsewhere(-10, aftersale.Direct, ""))
		wantDecision(t, "own shop, 10 days", direct.Lines[0].Decision, "eligible", []string{"free_repair"}, "3.3")

		// The distributor applies for its own customer; not for another's.
		if c := open(t, cl, distEU, "defect", boughtElsewhere(-10, aftersale.AuthorizedDistributor, "DIST-EU")); c.DistributorCode != "DIST-EU" {
			t.Errorf("the distributor's own claim: distributor %q", c.DistributorCode)
		}
		_, err = claimOf(cl.Open(ctx, distEU, workflow.OpenClaimInput{Request: "defect",
			Lines: []workflow.OpenLine{boughtElsewhere(-10, aftersale.AuthorizedDistributor, "DIST-ASIA")}}, ""))
		if aftersale.KindOf(err) != aftersale.Forbidden {
			t.Errorf("a distributor claims another's sale: %v", err)
		}

		// A distributor on file whose authorisation was withdrawn: its sale
		// is an unauthorised reseller's (5.6), also after inspection.
		if err := db.UpsertDistributors(ctx, []aftersale.Distributor{{Code: "DIST-GREY", Name: "Grey imports"}}); err != nil {
			t.Fatal(err)
		}
		list, err := cl.AuthorisedDistributors(ctx)
		if err != nil || len(list) != 2 || list[0].Code != "DIST-ASIA" || list[1].Code != "DIST-EU" || list[1].Email != "" {
			t.Errorf("the authorised distributors a form offers: %+v (%v)", list, err)
		}
		grey := open(t, cl, agent, "defect", boughtElsewhere(-2, aftersale.AuthorizedDistributor, "DIST-GREY"))
		wantDecision(t, "unauthorised distributor", grey.Lines[0].Decision, "not_eligible", []string{"paid_repair", "technical_support"}, "5.6")
		grey = inspectedDefect(t, cl, grey)
		wantDecision(t, "unauthorised distributor, inspected", grey.Lines[0].Decision, "not_eligible", []string{"paid_repair", "technical_support"}, "5.6")

		// Refusals name the field.
		for _, tt := range []struct {
			name  string
			lines []workflow.OpenLine
			field string
		}{
			{"a distributor not on file", []workflow.OpenLine{boughtElsewhere(-2, aftersale.AuthorizedDistributor, "DIST-NOPE")}, "lines[0].distributor_code"},
			{"a distributor without its code", []workflow.OpenLine{boughtElsewhere(-2, aftersale.AuthorizedDistributor, "")}, "lines[0].distributor_code"},
			{"a code for another shop", []workflow.OpenLine{boughtElsewhere(-2, aftersale.UnauthorizedReseller, "DIST-EU")}, "lines[0].distributor_code"},
			{"an unknown channel", []workflow.OpenLine{boughtElsewhere(-2, "market", "")}, "lines[0].bought_from"},
			{"on an order on file", []workflow.OpenLine{{OrderNumber: "C-1", OrderLine: 1, BoughtFrom: aftersale.UnauthorizedReseller}}, "lines[0].bought_from"},
			{"two sellers", []workflow.OpenLine{boughtElsewhere(-2, aftersale.AuthorizedDistributor, "DIST-EU"), boughtElsewhere(-2, "", "")}, "lines[1]"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := claimOf(cl.Open(ctx, agent, workflow.OpenClaimInput{Request: "defect", CustomerEmail: "ann@example.com", Lines: tt.lines}, ""))
				wantErrField(t, err, aftersale.Invalid, tt.field)
			})
		}
	})
}
