package policy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
	"github.com/google/go-cmp/cmp"
)

// want is a decision as the contract shows it, in short: lists are
// space-separated, "" is an empty list or null.
type want struct {
	outcome  string
	remedies string
	shipping string
	missing  string
	clauses  string // compared as a set
	covered  bool
	starts   string
	ends     string
}

// decide runs the built-in policy on facts given as the contract's JSON.
func decide(t *testing.T, p *policy.Policy, factsJSON string) policyjson.DecisionJSON {
	t.Helper()
	f, err := policyjson.ParseFactsFor(p, []byte(factsJSON), nil)
	if err != nil {
		t.Fatalf("ParseFacts(%s): %v", factsJSON, err)
	}
	d, err := p.Decide(&f)
	if err != nil {
		t.Fatalf("Decide(%s): %v", factsJSON, err)
	}
	return policyjson.FromDecision(&d)
}

func check(t *testing.T, got policyjson.DecisionJSON, w want) {
	t.Helper()
	ends := ""
	if got.Warranty.EndsOn != nil {
		ends = *got.Warranty.EndsOn
	}
	shipping := ""
	if got.ShippingPaidBy != nil {
		shipping = *got.ShippingPaidBy
	}
	clauses := slices.Clone(got.Clauses)
	slices.Sort(clauses)
	wantClauses := strings.Fields(w.clauses)
	slices.Sort(wantClauses)
	gotShort := want{got.Outcome, strings.Join(got.Remedies, " "), shipping, strings.Join(got.Missing, " "),
		strings.Join(clauses, " "), got.Warranty.Covered, got.Warranty.StartsOn, ends}
	w.clauses = strings.Join(wantClauses, " ")
	if diff := cmp.Diff(w, gotShort, cmp.AllowUnexported(want{})); diff != "" {
		t.Errorf("decision differs (-want +got):\n%s\nreasons: %q", diff, got.Reasons)
	}
	checkInvariants(t, got)
}

// checkInvariants are the contract's rules that hold for every decision.
func checkInvariants(t *testing.T, d policyjson.DecisionJSON) {
	t.Helper()
	if (d.ShippingPaidBy == nil) != (len(d.Remedies) == 0) {
		t.Errorf("shipping_paid_by %v with remedies %v: null exactly when there is no remedy", d.ShippingPaidBy, d.Remedies)
	}
	free := slices.ContainsFunc(d.Remedies, func(r string) bool { return r != "paid_repair" && r != "technical_support" })
	if (d.Outcome == "eligible") != free {
		t.Errorf("outcome %s with remedies %v: eligible exactly when a free remedy is offered", d.Outcome, d.Remedies)
	}
	if (d.Outcome == "needs_information") != (len(d.Missing) > 0) {
		t.Errorf("outcome %s with missing %v", d.Outcome, d.Missing)
	}
	if len(d.Reasons) == 0 || slices.Contains(d.Reasons, "") {
		t.Errorf("reasons %q: every decision explains itself", d.Reasons)
	}
	seen := map[string]bool{}
	for _, c := range d.Clauses {
		if seen[c] {
			t.Errorf("clause %s cited twice", c)
		}
		seen[c] = true
	}
	order := []string{"refund", "exchange", "free_replacement", "replace_defective_parts", "ship_missing_parts",
		"free_repair", "paid_repair", "technical_support"}
	if !slices.IsSortedFunc(d.Remedies, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) }) {
		t.Errorf("remedies %v are not in the order of preference", d.Remedies)
	}
}

func TestDecideReturn(t *testing.T) {
	p := policy.Default()
	const base = `"request":"return","category":"electronic_module","purchased_on":"2026-03-02","proof_of_purchase":true`
	tests := []struct {
		name  string
		facts string
		want  want
	}{
		{"day 0", `{` + base + `,"reported_on":"2026-03-02"}`,
			want{"eligible", "refund exchange", "customer", "", "1 A3", true, "2026-03-02", "2027-03-02"}},
		{"day 7 is the last day", `{` + base + `,"reported_on":"2026-03-09"}`,
			want{"eligible", "refund exchange", "customer", "", "1 A3", true, "2026-03-02", "2027-03-02"}},
		{"day 8 is too late", `{` + base + `,"reported_on":"2026-03-10"}`,
			want{"not_eligible", "", "", "", "1", true, "2026-03-02", "2027-03-02"}},
		{"window counts from purchase, not delivery", `{` + base + `,"delivered_on":"2026-03-08","reported_on":"2026-03-10"}`,
			want{"not_eligible", "", "", "", "1", true, "2026-03-08", "2027-03-08"}},
		{"inspected resellable", `{` + base + `,"reported_on":"2026-03-05","resellable":true}`,
			want{"eligible", "refund exchange", "customer", "", "1 A3", true, "2026-03-02", "2027-03-02"}},
		{"not resellable", `{` + base + `,"reported_on":"2026-03-05","resellable":false}`,
			want{"not_eligible", "", "", "", "1", true, "2026-03-02", "2027-03-02"}},
		{"resellable null is before inspection", `{` + base + `,"reported_on":"2026-03-05","resellable":null}`,
			want{"eligible", "refund exchange", "customer", "", "1 A3", true, "2026-03-02", "2027-03-02"}},
		{"no proof of purchase", `{"request":"return","category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-03"}`,
			want{"needs_information", "", "", "proof_of_purchase", "6.1", false, "2026-03-02", ""}},
		{"across a year end", `{"request":"return","category":"battery","purchased_on":"2026-12-28","reported_on":"2027-01-04","proof_of_purchase":true}`,
			want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2026-12-28", ""}},
		{"across a year end, day 8", `{"request":"return","category":"battery","purchased_on":"2026-12-28","reported_on":"2027-01-05","proof_of_purchase":true}`,
			want{"not_eligible", "", "", "", "1", false, "2026-12-28", ""}},
		{"leap day inside the window", `{"request":"return","category":"mechanical_part","purchased_on":"2028-02-25","reported_on":"2028-03-03","proof_of_purchase":true}`,
			want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2028-02-25", ""}},
		{"leap day inside the window, day 8", `{"request":"return","category":"mechanical_part","purchased_on":"2028-02-25","reported_on":"2028-03-04","proof_of_purchase":true}`,
			want{"not_eligible", "", "", "", "1", false, "2028-02-25", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, decide(t, p, tt.facts), tt.want) })
	}
}

// TestDecideReturnNotReturnable: packaging and free gifts are not taken back
// by a change of mind on their own (returnable: false, I-11): clause 1, and
// 5.1, the category's own clause, with no remedy. The steps before the
// change of mind (channel, proof) still come first.
func TestDecideReturnNotReturnable(t *testing.T) {
	p := policy.Default()
	ret := func(category, reported, extra string) string {
		return `{"request":"return","category":"` + category + `","purchased_on":"2026-03-02","reported_on":"` + reported +
			`","proof_of_purchase":true` + extra + `}`
	}
	refused := want{"not_eligible", "", "", "", "1 5.1", false, "2026-03-02", ""}
	tests := []struct {
		name  string
		facts string
		want  want
	}{
		{"gift, day 0", ret("gift", "2026-03-02", ""), refused},
		{"packaging, day 3", ret("packaging", "2026-03-05", ""), refused},
		{"gift, inspected resellable", ret("gift", "2026-03-05", `,"resellable":true`), refused},
		{"packaging, inspected not resellable", ret("packaging", "2026-03-05", `,"resellable":false`), refused},
		{"gift, late as well", ret("gift", "2026-03-20", ""), refused},
		{"gift, delivered", ret("gift", "2026-03-05", `,"delivered_on":"2026-03-04"`),
			want{"not_eligible", "", "", "", "1 5.1", false, "2026-03-04", ""}},
		{"packaging, the distributor applies", ret("packaging", "2026-03-05", `,"channel":"authorized_distributor","applicant":"distributor"`),
			want{"not_eligible", "", "", "", "1 5.1 6.1 A4", false, "2026-03-02", ""}},
		{"gift of a distributor's customer: refer first", ret("gift", "2026-03-05", `,"channel":"authorized_distributor"`),
			want{"refer_to_distributor", "", "", "", "5.3 6.1", false, "2026-03-02", ""}},
		{"gift from an unauthorised reseller", ret("gift", "2026-03-05", `,"channel":"unauthorized_reseller"`),
			want{"not_eligible", "", "", "", "5.6", false, "2026-03-02", ""}},
		{"gift without proof of purchase: ask for it first", `{"request":"return","category":"gift","purchased_on":"2026-03-02","reported_on":"2026-03-05"}`,
			want{"needs_information", "", "", "proof_of_purchase", "6.1", false, "2026-03-02", ""}},
		// What 5.1 gives them is untouched: damage found on receiving is replaced.
		{"gift damaged on arrival: still replaced", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-02","delivered_on":"2026-03-04","reported_on":"2026-03-05","proof_of_purchase":true}`,
			want{"eligible", "free_replacement", "seller", "", "5.1 6.2", false, "2026-03-04", ""}},
		// Every other category is returnable.
		{"mechanical part, in time", ret("mechanical_part", "2026-03-05", ""),
			want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2026-03-02", ""}},
		{"consumable, in time", ret("consumable", "2026-03-05", ""),
			want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2026-03-02", ""}},
		{"power module, in time", ret("power_module", "2026-03-05", ""),
			want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2026-03-02", ""}},
		{"other, in time", ret("other", "2026-03-05", ""),
			want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2026-03-02", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, decide(t, p, tt.facts), tt.want) })
	}

	// The reasons, in English and Chinese.
	for _, tt := range []struct{ category, en, zh string }{
		{"gift", "This free gift cannot be returned or exchanged on its own: a change-of-mind return or exchange takes back a product you bought.",
			"该赠品不能单独退货或换货：无理由退货或换货只针对您购买的商品。"},
		{"packaging", "This packaging cannot be returned or exchanged on its own: a change-of-mind return or exchange takes back a product you bought.",
			"该包装不能单独退货或换货：无理由退货或换货只针对您购买的商品。"},
	} {
		d := decideFacts(t, p, ret(tt.category, "2026-03-05", ""))
		note := map[string][2]string{
			"gift": {"Free gifts are not under warranty, but damage found on receiving them is replaced free.",
				"赠品不在保修范围内，但收货时发现的损坏可以免费更换。"},
			"packaging": {"Packaging is not under warranty, but damage found on receiving it is replaced free.",
				"包装不在保修范围内，但收货时发现的损坏可以免费更换。"},
		}[tt.category]
		wantEN := []string{tt.en, note[0], "We answer within 3 days, by 8 Mar 2026."}
		wantZH := []string{tt.zh, note[1], "我们会在3天内答复您，最迟于2026年3月8日。"}
		if got := d.ReasonTextsIn("en"); !slices.Equal(got, wantEN) {
			t.Errorf("%s, English reasons\n got %q\nwant %q", tt.category, got, wantEN)
		}
		if got := d.ReasonTextsIn("zh"); !slices.Equal(got, wantZH) {
			t.Errorf("%s, Chinese reasons\n got %q\nwant %q", tt.category, got, wantZH)
		}
	}
}

// TestReturnableIsASetting: the policy file decides what is returnable, not
// the program: returnable is true when left out, and any category may be
// made non-returnable (then only the return clause is cited, as the
// category has no clause of its own).
func TestReturnableIsASetting(t *testing.T) {
	v := policy.Default().Versions[0]
	for _, c := range v.Categories {
		if want := c.Key != "gift" && c.Key != "packaging"; c.Returnable != want {
			t.Errorf("built-in policy: %s returnable %v, want %v", c.Key, c.Returnable, want)
		}
	}
	src := string(policy.DefaultYAML())
	const gift = "noun: free gift, returnable: false,"
	if !strings.Contains(src, gift) {
		t.Fatalf("the built-in policy no longer contains %q", gift)
	}
	left := strings.Replace(src, gift, "noun: free gift,", 1)
	left = strings.Replace(left, "{key: battery, name: Batteries, noun: battery}", "{key: battery, name: Batteries, noun: battery, returnable: false}", 1)
	p, err := policy.Parse("returnable.yaml", []byte(left))
	if err != nil {
		t.Fatal(err)
	}
	check(t, decide(t, p, `{"request":"return","category":"gift","purchased_on":"2026-03-02","reported_on":"2026-03-05","proof_of_purchase":true}`),
		want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2026-03-02", ""})
	got := decide(t, p, `{"request":"return","category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-05","proof_of_purchase":true}`)
	check(t, got, want{"not_eligible", "", "", "", "1", false, "2026-03-02", ""})
	if want := "This battery cannot be returned or exchanged on its own: a change-of-mind return or exchange takes back a product you bought."; got.Reasons[0] != want {
		t.Errorf("reason %q, want %q", got.Reasons[0], want)
	}

	// The second policy file reads packaging and gifts the same way, in both
	// of its versions.
	two, err := policy.Load("testdata/two-versions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, purchased := range []string{"2026-03-02", "2027-03-02"} {
		for _, category := range []string{"gift", "packaging"} {
			check(t, decide(t, two, `{"request":"return","category":"`+category+`","purchased_on":"`+purchased+`","reported_on":"`+purchased+`","proof_of_purchase":true}`),
				want{"not_eligible", "", "", "", "1 5.1", false, purchased, ""})
		}
	}
}

func TestDecideDefectWithWarranty(t *testing.T) {
	p := policy.Default()
	tests := []struct {
		name  string
		facts string
		want  want
	}{
		{"the contract's example", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2026-01-31", "2026-04-30"}},
		{"servo, the day after the 3 months", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-05-01","proof_of_purchase":true}`,
			want{"not_eligible", "paid_repair technical_support", "customer", "", "2 3.4 4 5.4 6.2", false, "2026-01-31", "2026-04-30"}},
		{"day 7 from delivery: replacement", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-02-07","proof_of_purchase":true}`,
			want{"eligible", "free_replacement", "seller", "", "2 3.1 5.4 6.2", true, "2026-01-31", "2026-04-30"}},
		{"day 8 from delivery: repair", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-02-08","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2026-01-31", "2026-04-30"}},
		{"day 7 from delivery is day 10 from purchase", `{"request":"defect","category":"electronic_module","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-02-07","proof_of_purchase":true}`,
			want{"eligible", "free_replacement", "seller", "", "2 3.1 5.4 6.2", true, "2026-01-31", "2027-01-31"}},
		{"no delivery date: the purchase date starts it", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-02-04","proof_of_purchase":true}`,
			want{"eligible", "free_replacement", "seller", "", "2 3.1 5.4 6.2", true, "2026-01-28", "2026-04-28"}},
		{"no delivery date, day 8 from purchase", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-02-05","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2026-01-28", "2026-04-28"}},
		{"module, 29 Feb + 12 months = 28 Feb", `{"request":"defect","category":"electronic_module","purchased_on":"2024-02-26","delivered_on":"2024-02-29","reported_on":"2025-02-28","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2024-02-29", "2025-02-28"}},
		{"module, 1 Mar after a leap-day start", `{"request":"defect","category":"electronic_module","purchased_on":"2024-02-26","delivered_on":"2024-02-29","reported_on":"2025-03-01","proof_of_purchase":true}`,
			want{"not_eligible", "paid_repair technical_support", "customer", "", "2 3.4 4 5.4 6.2", false, "2024-02-29", "2025-02-28"}},
		{"servo, 30 Nov + 3 months = 28 Feb", `{"request":"defect","category":"servo_motor","purchased_on":"2026-11-30","reported_on":"2027-02-28","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2026-11-30", "2027-02-28"}},
		{"servo, 30 Nov 2027 + 3 months = 29 Feb 2028", `{"request":"defect","category":"servo_motor","purchased_on":"2027-11-30","reported_on":"2028-02-29","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2027-11-30", "2028-02-29"}},
		{"reshipped: cover from the reshipment, last day", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reshipped_on":"2026-04-20","reported_on":"2026-05-20","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 5.5 6.2", true, "2026-01-31", "2026-05-20"}},
		{"reshipped: the day after the month", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reshipped_on":"2026-04-20","reported_on":"2026-05-21","proof_of_purchase":true}`,
			want{"not_eligible", "paid_repair technical_support", "customer", "", "2 3.4 4 5.4 5.5 6.2", false, "2026-01-31", "2026-05-20"}},
		{"reshipped early: no second replacement window, the original period rules", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reshipped_on":"2026-02-01","reported_on":"2026-02-05","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2026-01-31", "2026-04-30"}},
		{"reshipped module: the rest of the original period is longer", `{"request":"defect","category":"electronic_module","purchased_on":"2026-01-08","delivered_on":"2026-01-10","reshipped_on":"2026-06-01","reported_on":"2027-01-10","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2026-01-10", "2027-01-10"}},
		{"reshipped on 31 Jan: 1 month ends 28 Feb", `{"request":"defect","category":"servo_motor","purchased_on":"2025-10-01","reshipped_on":"2026-01-31","reported_on":"2026-02-28","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 5.5 6.2", true, "2025-10-01", "2026-02-28"}},
		{"no proof of purchase", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-02-04"}`,
			want{"needs_information", "", "", "proof_of_purchase", "6.1", true, "2026-01-28", "2026-04-28"}},
		{"quality defect found by inspection", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-03-04","proof_of_purchase":true,"cause":"quality_defect"}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2026-01-28", "2026-04-28"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, decide(t, p, tt.facts), tt.want) })
	}
}

func TestDecideDefectWithoutWarranty(t *testing.T) {
	p := policy.Default()
	f := func(category, reported, extra string) string {
		return `{"request":"defect","category":"` + category + `","purchased_on":"2026-05-01","delivered_on":"2026-05-04","reported_on":"` +
			reported + `","proof_of_purchase":true` + extra + `}`
	}
	tests := []struct {
		name  string
		facts string
		want  want
	}{
		{"battery, day 7 from delivery", f("battery", "2026-05-11", ""),
			want{"eligible", "replace_defective_parts", "seller", "", "2 3.1 5.4 6.2", false, "2026-05-04", ""}},
		{"battery, day 8", f("battery", "2026-05-12", ""),
			want{"not_eligible", "technical_support", "customer", "", "2 4 6.2", false, "2026-05-04", ""}},
		{"mechanical part, in time", f("mechanical_part", "2026-05-05", ""),
			want{"eligible", "replace_defective_parts", "seller", "", "2 3.1 5.4 6.2", false, "2026-05-04", ""}},
		{"other, late", f("other", "2026-06-30", ""),
			want{"not_eligible", "technical_support", "customer", "", "2 4 6.2", false, "2026-05-04", ""}},
		{"power module, in time: A1", f("power_module", "2026-05-08", ""),
			want{"eligible", "replace_defective_parts", "seller", "", "2 3.1 5.4 6.2 A1", false, "2026-05-04", ""}},
		{"power module, late: A1, no free repair", f("power_module", "2026-07-08", ""),
			want{"not_eligible", "technical_support", "customer", "", "2 4 6.2 A1", false, "2026-05-04", ""}},
		{"consumable, in time: 2.N2", f("consumable", "2026-05-11", ""),
			want{"eligible", "replace_defective_parts", "seller", "", "2 2.N2 3.1 5.4 6.2", false, "2026-05-04", ""}},
		{"consumable, late: 2.N2", f("consumable", "2026-05-12", ""),
			want{"not_eligible", "technical_support", "customer", "", "2 2.N2 4 6.2", false, "2026-05-04", ""}},
		{"packaging, in time: 5.1", f("packaging", "2026-05-04", ""),
			want{"eligible", "replace_defective_parts", "seller", "", "2 3.1 5.1 5.4 6.2", false, "2026-05-04", ""}},
		{"gift, late: 5.1", f("gift", "2026-05-20", ""),
			want{"not_eligible", "technical_support", "customer", "", "2 4 5.1 6.2", false, "2026-05-04", ""}},
		{"replaced battery, within a month of reshipping", f("battery", "2026-07-01", `,"reshipped_on":"2026-06-05"`),
			want{"eligible", "replace_defective_parts", "seller", "", "2 5.5 6.2", true, "2026-05-04", "2026-07-05"}},
		{"replaced battery, last day of the month", f("battery", "2026-07-05", `,"reshipped_on":"2026-06-05"`),
			want{"eligible", "replace_defective_parts", "seller", "", "2 5.5 6.2", true, "2026-05-04", "2026-07-05"}},
		{"replaced battery, the day after", f("battery", "2026-07-06", `,"reshipped_on":"2026-06-05"`),
			want{"not_eligible", "technical_support", "customer", "", "2 4 5.5 6.2", false, "2026-05-04", "2026-07-05"}},
		{"replaced power module: 5.5 and A1", f("power_module", "2026-06-10", `,"reshipped_on":"2026-06-05"`),
			want{"eligible", "replace_defective_parts", "seller", "", "2 5.5 6.2 A1", true, "2026-05-04", "2026-07-05"}},
		{"reshipped within the first 7 days: no new replacement window", f("battery", "2026-05-07", `,"reshipped_on":"2026-05-06"`),
			want{"eligible", "replace_defective_parts", "seller", "", "2 5.5 6.2", true, "2026-05-04", "2026-06-06"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, decide(t, p, tt.facts), tt.want) })
	}
}

func TestDecideExclusions(t *testing.T) {
	p := policy.Default()
	causes := []struct{ cause, clause string }{
		{"environment", "4.1"}, {"external_event", "4.2"}, {"misuse", "4.3"}, {"not_following_instructions", "4.4"},
		{"unauthorized_modification", "4.5"}, {"return_shipping_damage", "4.6"}, {"not_quality_related", "4.7"},
	}
	for _, c := range causes {
		t.Run(c.cause, func(t *testing.T) {
			module := `{"request":"defect","category":"electronic_module","purchased_on":"2026-01-28","reported_on":"2026-02-01","proof_of_purchase":true,"cause":"` + c.cause + `"}`
			check(t, decide(t, p, module),
				want{"not_eligible", "paid_repair technical_support", "customer", "", c.clause + " 3.4 A3", true, "2026-01-28", "2027-01-28"})
			battery := `{"request":"defect","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-01","proof_of_purchase":true,"cause":"` + c.cause + `"}`
			check(t, decide(t, p, battery),
				want{"not_eligible", "technical_support", "customer", "", c.clause + " A3", false, "2026-01-28", ""})
			// I-4: a cause of clause 4 overrides a claim of transit damage.
			arrival := `{"request":"damaged_on_arrival","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-30","reported_on":"2026-01-31","proof_of_purchase":true,"cause":"` + c.cause + `"}`
			check(t, decide(t, p, arrival),
				want{"not_eligible", "paid_repair technical_support", "customer", "", c.clause + " 3.4 A3", true, "2026-01-30", "2026-04-30"})
		})
	}
}

func TestDecideOnArrival(t *testing.T) {
	p := policy.Default()
	tests := []struct {
		name  string
		facts string
		want  want
	}{
		{"missing parts, day 7 from signing", `{"request":"missing_parts","category":"mechanical_part","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-12","proof_of_purchase":true}`,
			want{"eligible", "ship_missing_parts", "seller", "", "3.2 6.2", false, "2026-03-05", ""}},
		{"missing parts, day 8", `{"request":"missing_parts","category":"mechanical_part","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-13","proof_of_purchase":true}`,
			want{"not_eligible", "", "", "", "3.2", false, "2026-03-05", ""}},
		{"missing parts, no delivery date, within 7 days of purchase", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-08","proof_of_purchase":true}`,
			want{"eligible", "ship_missing_parts", "seller", "", "3.2 6.2", false, "2026-03-01", ""}},
		{"missing parts, no delivery date, later: ask for it", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-09","proof_of_purchase":true}`,
			want{"needs_information", "", "", "delivered_on", "3.2", false, "2026-03-01", ""}},
		{"missing parts, no proof, no delivery, later: ask for both", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-09"}`,
			want{"needs_information", "", "", "proof_of_purchase delivered_on", "6.1", false, "2026-03-01", ""}},
		{"missing parts, no proof, within 7 days of purchase: only proof", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-08"}`,
			want{"needs_information", "", "", "proof_of_purchase", "6.1", false, "2026-03-01", ""}},
		{"missing parts, no proof, delivery known: only proof", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","delivered_on":"2026-03-04","reported_on":"2026-03-29"}`,
			want{"needs_information", "", "", "proof_of_purchase", "6.1", false, "2026-03-04", ""}},
		{"missing parts of a servo kit", `{"request":"missing_parts","category":"servo_motor","purchased_on":"2026-03-01","delivered_on":"2026-03-02","reported_on":"2026-03-03","proof_of_purchase":true}`,
			want{"eligible", "ship_missing_parts", "seller", "", "3.2 6.2", true, "2026-03-02", "2026-06-02"}},
		{"damaged on arrival, day 7", `{"request":"damaged_on_arrival","category":"electronic_module","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-12","proof_of_purchase":true}`,
			want{"eligible", "free_replacement", "seller", "", "5.1 6.2", true, "2026-03-05", "2027-03-05"}},
		{"damaged on arrival, day 8", `{"request":"damaged_on_arrival","category":"packaging","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-13","proof_of_purchase":true}`,
			want{"not_eligible", "", "", "", "5.1", false, "2026-03-05", ""}},
		{"damaged on arrival, no delivery date, later", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","reported_on":"2026-03-20","proof_of_purchase":true}`,
			want{"needs_information", "", "", "delivered_on", "5.1", false, "2026-03-01", ""}},
		{"damaged on arrival with an exclusion, no proof: only proof is missing", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","reported_on":"2026-03-20","cause":"misuse"}`,
			want{"needs_information", "", "", "proof_of_purchase", "6.1", false, "2026-03-01", ""}},
		{"missing parts ignore the cause", `{"request":"missing_parts","category":"mechanical_part","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-06","proof_of_purchase":true,"cause":"misuse"}`,
			want{"eligible", "ship_missing_parts", "seller", "", "3.2 6.2", false, "2026-03-05", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, decide(t, p, tt.facts), tt.want) })
	}
}

func TestDecideChannels(t *testing.T) {
	p := policy.Default()
	defect := func(extra string) string {
		return `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-03-01","proof_of_purchase":true` + extra + `}`
	}
	ret := func(extra string) string {
		return `{"request":"return","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-01-30","proof_of_purchase":true` + extra + `}`
	}
	covered := want{covered: true, starts: "2026-01-31", ends: "2026-04-30"}
	with := func(w want, outcome, remedies, shipping, clauses string) want {
		w.outcome, w.remedies, w.shipping, w.clauses = outcome, remedies, shipping, clauses
		return w
	}
	returnCover := want{covered: true, starts: "2026-01-28", ends: "2026-04-28"}
	tests := []struct {
		name  string
		facts string
		want  want
	}{
		{"unauthorised reseller, defect: paid repair only", defect(`,"channel":"unauthorized_reseller"`),
			want{"not_eligible", "paid_repair technical_support", "customer", "", "3.4 5.6 6.2", false, "2026-01-31", "2026-04-30"}},
		{"unauthorised reseller, battery defect: support only", `{"request":"defect","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-01-29","proof_of_purchase":true,"channel":"unauthorized_reseller"}`,
			want{"not_eligible", "technical_support", "customer", "", "5.6 6.2", false, "2026-01-28", ""}},
		{"unauthorised reseller, return", ret(`,"channel":"unauthorized_reseller"`),
			want{"not_eligible", "", "", "", "5.6", false, "2026-01-28", "2026-04-28"}},
		{"unauthorised reseller, missing parts", `{"request":"missing_parts","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-01-29","channel":"unauthorized_reseller"}`,
			want{"not_eligible", "", "", "", "5.6", false, "2026-01-28", ""}},
		{"unauthorised reseller comes before proof", defect(`,"channel":"unauthorized_reseller","proof_of_purchase":false`),
			want{"not_eligible", "paid_repair technical_support", "customer", "", "3.4 5.6 6.2", false, "2026-01-31", "2026-04-30"}},
		{"distributor's customer, defect: refer", defect(`,"channel":"authorized_distributor"`),
			with(covered, "refer_to_distributor", "", "", "5.3 6.1")},
		{"distributor's customer, missing parts: refer", `{"request":"missing_parts","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-01-29","channel":"authorized_distributor"}`,
			want{"refer_to_distributor", "", "", "", "5.3 6.1", false, "2026-01-28", ""}},
		{"distributor's customer, return: refer", ret(`,"channel":"authorized_distributor"`),
			with(returnCover, "refer_to_distributor", "", "", "5.3 6.1")},
		{"distributor unreachable, defect: headquarters decides", defect(`,"channel":"authorized_distributor","distributor_unreachable":true`),
			with(covered, "eligible", "free_repair", "seller", "2 3.3 5.4 6.1 6.2")},
		{"distributor unreachable, return: still refer, the distributor has the money", ret(`,"channel":"authorized_distributor","distributor_unreachable":true`),
			with(returnCover, "refer_to_distributor", "", "", "5.3 6.1")},
		{"staff for a distributor's customer, defect", defect(`,"channel":"authorized_distributor","applicant":"staff"`),
			with(covered, "eligible", "free_repair", "seller", "2 3.3 5.4 6.1 6.2")},
		{"staff for a distributor's customer, return: refer", ret(`,"channel":"authorized_distributor","applicant":"staff"`),
			with(returnCover, "refer_to_distributor", "", "", "5.3 6.1")},
		{"distributor applies, defect", defect(`,"channel":"authorized_distributor","applicant":"distributor"`),
			with(covered, "eligible", "free_repair", "seller", "2 3.3 5.4 6.1 6.2")},
		{"distributor applies, return: A4", ret(`,"channel":"authorized_distributor","applicant":"distributor"`),
			with(returnCover, "eligible", "refund exchange", "customer", "1 6.1 A3 A4")},
		{"distributor applies, no proof", defect(`,"channel":"authorized_distributor","applicant":"distributor","proof_of_purchase":false`),
			with(covered, "needs_information", "", "", "6.1")},
		{"distributor on the direct channel changes nothing", defect(`,"applicant":"distributor"`),
			with(covered, "eligible", "free_repair", "seller", "2 3.3 5.4 6.2")},
		{"staff on the direct channel changes nothing", ret(`,"applicant":"staff"`),
			with(returnCover, "eligible", "refund exchange", "customer", "1 A3")},
		{"unreachable on the direct channel changes nothing", defect(`,"distributor_unreachable":true`),
			with(covered, "eligible", "free_repair", "seller", "2 3.3 5.4 6.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.want
			if w.missing == "" && w.outcome == "needs_information" {
				w.missing = "proof_of_purchase"
			}
			check(t, decide(t, p, tt.facts), w)
		})
	}
}

func TestRespondBy(t *testing.T) {
	p := policy.Default()
	for reported, want := range map[string]string{
		"2026-02-27": "2026-03-02", "2028-02-27": "2028-03-01", "2026-12-30": "2027-01-02", "2026-04-30": "2026-05-03",
	} {
		got := decide(t, p, `{"request":"defect","category":"battery","purchased_on":"2026-01-01","reported_on":"`+reported+`"}`)
		if got.RespondBy != want {
			t.Errorf("reported %s: respond_by %s, want %s", reported, got.RespondBy, want)
		}
	}
}

func TestReasonsNameDatesAndNumbers(t *testing.T) {
	p := policy.Default()
	got := decide(t, p, `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}`)
	wantFirst := "Your motor's 3-month warranty runs from 31 Jan 2026 (the day you received it) to 30 Apr 2026; you reported the fault on 30 Apr 2026, within it."
	if len(got.Reasons) == 0 || got.Reasons[0] != wantFirst {
		t.Errorf("first reason = %q, want %q", got.Reasons, wantFirst)
	}
	if last := got.Reasons[len(got.Reasons)-1]; last != "We answer within 3 days, by 3 May 2026." {
		t.Errorf("last reason = %q", last)
	}
	late := decide(t, p, `{"request":"return","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-09","proof_of_purchase":true}`)
	if !strings.Contains(late.Reasons[0], "until 4 Feb 2026") || !strings.Contains(late.Reasons[0], "5 days late") {
		t.Errorf("late return reason = %q: it must name the deadline and how late", late.Reasons[0])
	}
}
