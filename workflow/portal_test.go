package workflow_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

// A buyer without an account opens a claim on what he bought: the order's
// e-mail address is the proof, and an order of somebody else answers
// exactly as an order that does not exist.
func TestOpenAsBuyer(t *testing.T) {
	cl := newClaimsAt(t, t.TempDir()+"/a.db")
	// Bought 54 days ago, delivered two days later (2026-10-01 and
	// 2026-10-03 on the default test day).
	elsewhere := workflow.OpenLine{SKU: "SERVO-MG", PurchasedOn: testday.Day(-54), DeliveredOn: testday.Day(-52), ProofDocument: "receipt.pdf"}
	tests := []struct {
		name     string
		email    string
		lines    []workflow.OpenLine
		field    string // "" when the claim opens
		notBuyer bool
		message  string
	}{
		{"order line", "ann@example.com", []workflow.OpenLine{{OrderNumber: "C-1", OrderLine: 1}}, "", false, ""},
		{"kit component, e-mail as typed", " Ann@Example.COM ", []workflow.OpenLine{{OrderNumber: "A-1", OrderLine: 1, SKU: "MOD-MAIN"}}, "", false, ""},
		{"serial", "ann@example.com", []workflow.OpenLine{{Serial: "SV-9"}}, "", false, ""},
		{"purchase made elsewhere with its proof", "bob@example.com", []workflow.OpenLine{elsewhere}, "", false, ""},
		{"no e-mail", "", []workflow.OpenLine{{Serial: "SV-9"}}, "customer_email", false, "is required"},
		{"not an e-mail", "ann", []workflow.OpenLine{{Serial: "SV-9"}}, "customer_email", false, "not an e-mail address"},
		{"somebody else's order", "bob@example.com", []workflow.OpenLine{{OrderNumber: "C-1", OrderLine: 1}}, "lines[0].order_number", true, `we found no order "C-1" for bob@example.com`},
		{"an order that does not exist", "bob@example.com", []workflow.OpenLine{{OrderNumber: "Z-9", OrderLine: 1}}, "lines[0].order_number", true, `we found no order "Z-9" for bob@example.com`},
		{"somebody else's serial", "bob@example.com", []workflow.OpenLine{{Serial: "SV-9"}}, "lines[0].serial", true, `we found no serial "SV-9" on an order of bob@example.com`},
		{"a serial that does not exist", "bob@example.com", []workflow.OpenLine{{Serial: "NOPE"}}, "lines[0].serial", true, `we found no serial "NOPE" on an order of bob@example.com`},
		{"the second article is not his", "ann@example.com", []workflow.OpenLine{{Serial: "SV-9"}, {OrderNumber: "Z-9", OrderLine: 1}}, "lines[1].order_number", true, "we found no order"},
		{"elsewhere without proof", "bob@example.com", []workflow.OpenLine{{SKU: "SERVO-MG", PurchasedOn: testday.Day(-54)}}, "lines[0].proof_document", false, "proof of purchase"},
		{"bad request type before any lookup", "bob@example.com", nil, "request", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			request := "defect"
			if tt.field == "request" {
				request = "complaint"
			}
			o, err := cl.OpenAsBuyer(t.Context(), workflow.OpenClaimInput{Request: request, Description: "It stutters.",
				CustomerEmail: tt.email, Lines: tt.lines}, "")
			if tt.field != "" {
				var ae *aftersale.Error
				if !errors.As(err, &ae) || ae.Kind != aftersale.Invalid || ae.Field != tt.field || !strings.Contains(ae.Message, tt.message) {
					t.Fatalf("error %v, want Invalid on %s saying %q", err, tt.field, tt.message)
				}
				if got := errors.Is(err, workflow.ErrNotBuyers); got != tt.notBuyer {
					t.Errorf("ErrNotBuyers %v, want %v", got, tt.notBuyer)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := o.Claim
			if c.Applicant != aftersale.ApplicantCustomer || c.CustomerEmail != aftersale.NormalizeEmail(tt.email) ||
				c.OpenedBy != "customer "+aftersale.NormalizeEmail(tt.email) || o.CustomerLink == "" {
				t.Errorf("claim %+v, link %q", c, o.CustomerLink)
			}
			if !strings.HasPrefix(o.CustomerLink, "/claims/"+c.Number+"?access=cl_") {
				t.Errorf("link %q does not lead to the claim's page", o.CustomerLink)
			}
			events, err := cl.History(t.Context(), aftersale.CustomerOf(c), c.Number)
			if err != nil || len(events) == 0 || events[0].Actor != "customer "+c.CustomerEmail {
				t.Errorf("history %+v (%v)", events, err)
			}
		})
	}
}

// The same key from the same buyer returns the first claim, without its
// link; another buyer's key is his own.
func TestOpenAsBuyerIdempotent(t *testing.T) {
	cl := newClaimsAt(t, t.TempDir()+"/a.db")
	in := workflow.OpenClaimInput{Request: "defect", CustomerEmail: "ann@example.com", Lines: []workflow.OpenLine{{Serial: "SV-30"}}}
	a, err := cl.OpenAsBuyer(t.Context(), in, "k1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := cl.OpenAsBuyer(t.Context(), in, "k1")
	if err != nil || b.Claim.Number != a.Claim.Number || b.CustomerLink != "" {
		t.Errorf("retry: %s %q (%v), want %s without a link", b.Claim.Number, b.CustomerLink, err, a.Claim.Number)
	}
	c, err := claimOf(cl.Open(t.Context(), agent, workflow.OpenClaimInput{Request: "defect", Lines: in.Lines}, "k1"))
	if err != nil || c.Number == a.Claim.Number {
		t.Errorf("the agent's k1 returned %s (%v)", c.Number, err)
	}
}

// Articles lists an order's articles for whoever may claim on them; a
// refusal never tells whether the order exists.
func TestArticles(t *testing.T) {
	cl := newClaimsAt(t, t.TempDir()+"/a.db")
	tests := []struct {
		name          string
		actor         aftersale.Actor
		number, email string
		want          []string // SKUs of the articles
		notBuyer      bool
	}{
		{"the buyer, by order", aftersale.Actor{}, "A-1", "ANN@example.com", []string{"KIT-ARM", "MOD-MAIN", "SCREW-SET", "SERVO-MG", "SERVO-MG"}, false},
		{"the buyer, by serial", aftersale.Actor{}, "SV-20", "ann@example.com", []string{"SERVO-MG"}, false},
		{"another e-mail", aftersale.Actor{}, "A-1", "bob@example.com", nil, true},
		{"no such order", aftersale.Actor{}, "Z-1", "bob@example.com", nil, true},
		{"its distributor", distEU, "B-1", "", []string{"SERVO-MG"}, false},
		{"another distributor's order", distAsia, "B-1", "", nil, true},
		{"a direct sale to a distributor", distEU, "A-1", "", nil, true},
		{"staff", agent, "E-1", "", []string{"SERVO-MG"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := cl.Articles(t.Context(), tt.actor, tt.number, tt.email)
			if tt.notBuyer {
				if !errors.Is(err, workflow.ErrNotBuyers) || strings.Contains(aftersale.MessageOf(err), "not yours") {
					t.Fatalf("error %v, want ErrNotBuyers", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.SKU)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("articles %v, want %v", got, tt.want)
			}
		})
	}
}
