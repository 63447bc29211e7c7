package api_test

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/workflow"
)

// The staff's private text in the claim TestVisibilityByAudience walks: each
// must reach the staff and nobody else.
const (
	secretNote      = "INTERNAL-NOTE-7"
	secretStepNote  = "STEP-NOTE-FOR-STAFF"
	secretException = "EXCEPTION-REASON-LOYAL"
	secretWaiver    = "WAIVER-REASON-VIP"
	secretOverride  = "OVERRIDE-REASON-GOODWILL"
)

// TestVisibilityByAudience walks a distributor's sale through an exception,
// a waived return, a parcel with another payer than the decision's, a
// refund, messages, an internal note and evidence, then reads every
// claim-bearing endpoint as the staff, the distributor that sold it, its
// customer and another distributor, on both engines. The staff read every
// name and reason; the distributor and the customer read the outcomes, the
// people by role, their own names, and no staff e-mail address, token name,
// internal note or manager's reason; the other distributor reads nothing.
// The customer's e-mails carry the outcome of the waiver, not its reason.
func TestVisibilityByAudience(t *testing.T) {
	for _, engine := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") }},
		{"postgres", func(t *testing.T) string { return pg.Database(t) }},
	} {
		t.Run(engine.name, func(t *testing.T) { visibilityByAudience(t, newTestEnvOn(t, engine.dsn(t))) })
	}
}

func visibilityByAudience(t *testing.T, env *testEnv) {
	blobs, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	claims := env.claims()
	claims.Links = workflow.CustomerLinks{BaseURL: "https://rma.example.com"}
	ev := &workflow.Evidence{InTx: env.db.InEvidenceTx, Read: env.db, Blobs: blobs, Sniff: blob.Sniff, Now: env.now}
	s := &claimsServer{env.serve(t, api.WithClaims(claims), api.WithEvidence(ev),
		api.WithParcels(&workflow.Parcels{Service: env.svc, InTx: env.db.InParcelTx, Read: env.db})), env.tokens}

	// SV-20 was sold by DIST-EU to ann@example.com.
	st, _, c := s.do(t, "agent", "POST", "/api/v1/claims", `{"request":"defect","lines":[{"serial":"SV-20"}]}`, nil)
	if st != 201 {
		t.Fatalf("open: %d %v", st, c)
	}
	number := c["number"].(string)
	link, err := url.Parse(c["customer_link"].(string))
	if err != nil {
		t.Fatal(err)
	}
	s.tokens["customer"] = link.Query().Get("access")
	base := "/api/v1/claims/" + number
	must := func(who, method, path, body string, want int) map[string]any {
		t.Helper()
		st, _, out := s.do(t, who, method, path, body, nil)
		if st != want {
			t.Fatalf("%s %s as %s: %d %v", method, path, who, st, out)
		}
		return out
	}
	must("agent", "POST", base+"/messages", `{"body":"Please send a photo"}`, 201)
	must("agent", "POST", base+"/messages", `{"body":"`+secretNote+`","internal":true}`, 201)
	must("eu", "POST", base+"/messages", `{"body":"The customer called us"}`, 201)
	must("customer", "POST", base+"/messages", `{"body":"Here is my photo"}`, 201)
	must("agent", "POST", base+"/evidence?name=a.jpg", string(jpeg), 201)
	must("agent", "POST", base+"/actions", `{"action":"start_review","version":1,"note":"`+secretStepNote+`"}`, 200)
	// A refund is no remedy of a defect: the manager grants it as an
	// exception, then settles it before the servo is back.
	must("manager", "POST", base+"/actions", `{"action":"approve","version":2,"remedy":"refund","note":"We refund you in full.","exception_reason":"`+secretException+`"}`, 200)
	must("manager", "POST", base+"/actions", `{"action":"resolve","version":3,"resolution":"refunded","waive_return":true,"note":"`+secretWaiver+`"}`, 200)
	must("manager", "POST", base+"/shipments", `{"direction":"outbound","carrier":"DHL","tracking_number":"OUT-1","paid_by":"customer","override_reason":"`+secretOverride+`"}`, 201)
	must("manager", "POST", base+"/refunds", `{"amount":1000,"currency":"EUR","reference":"re_1"}`, 201)

	reads := []string{base, base + "/events", base + "/messages", base + "/evidence", base + "/shipments",
		base + "/refunds", base + "/replacements", "/api/v1/claims?q=" + url.QueryEscape(number)}
	secrets := []string{secretNote, secretStepNote, secretException, secretWaiver, secretOverride}
	bodies := func(who string) string {
		var all strings.Builder
		for _, path := range reads {
			st, _, out := s.do(t, who, "GET", path, "", nil)
			if st != 200 {
				t.Fatalf("GET %s as %s: %d %v", path, who, st, out)
			}
			fmt.Fprintf(&all, "%s: %v\n", path, out)
		}
		return all.String()
	}

	staff := bodies("agent")
	for _, want := range append(secrets, "manager@shop.test", `agent@shop.test (token "test")`, `eu@dist.test (token "test")`) {
		if !strings.Contains(staff, want) {
			t.Errorf("the staff do not read %q", want)
		}
	}
	for _, who := range []string{"eu", "customer"} {
		got := bodies(who)
		for _, never := range append(secrets, "@shop.test", "inspector", "Internal note") {
			if strings.Contains(got, never) {
				t.Errorf("%s reads %q:\n%s", who, never, got)
			}
		}
		for _, want := range []string{"return_waived:true", "the return of the item was waived", "an exception to the policy was granted",
			"Manager", "Support team", "We refund you in full.", "Here is my photo", "customer ann@example.com", "paid_by:customer"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s does not read %q:\n%s", who, want, got)
			}
		}
	}
	// The distributor reads its own people's names; the customer sees them
	// as the distributor.
	if got := bodies("eu"); !strings.Contains(got, `eu@dist.test (token "test")`) {
		t.Errorf("the distributor does not read its own name:\n%s", got)
	}
	if got := bodies("customer"); strings.Contains(got, "eu@dist.test") || !strings.Contains(got, "author:Distributor") {
		t.Errorf("the customer reads the distributor's people by name:\n%s", got)
	}
	// Another distributor reads nothing of it.
	for _, path := range reads[:len(reads)-1] {
		if st, _, out := s.do(t, "asia", "GET", path, "", nil); st != 404 {
			t.Errorf("GET %s as another distributor: %d %v", path, st, out)
		}
	}

	entries, err := env.db.OutboxEntries(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var mail strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&mail, "%s\n%s\n", e.Subject, e.Body)
	}
	for _, never := range append(secrets, "@shop.test") {
		if strings.Contains(mail.String(), never) {
			t.Errorf("the customer's e-mail holds %q:\n%s", never, mail.String())
		}
	}
	for _, want := range []string{"resolved (refunded)", "You need not send the item back.", "We refund you in full."} {
		if !strings.Contains(mail.String(), want) {
			t.Errorf("the customer's e-mail lacks %q:\n%s", want, mail.String())
		}
	}
}
