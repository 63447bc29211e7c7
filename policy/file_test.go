package policy_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
)

func TestDefaultPolicy(t *testing.T) {
	p := policy.Default()
	if p.Seller != "ALSRobot" || len(p.Versions) != 1 {
		t.Fatalf("default policy: seller %q, %d versions", p.Seller, len(p.Versions))
	}
	v := p.Versions[0]
	months := map[string]int{"electronic_module": 12, "servo_motor": 3, "mechanical_part": 0, "consumable": 0,
		"battery": 0, "power_module": 0, "packaging": 0, "gift": 0, "other": 0}
	for key, m := range months {
		c, ok := v.Category(key)
		if !ok {
			t.Errorf("category %s missing from the default policy", key)
			continue
		}
		if c.WarrantyMonths != m {
			t.Errorf("%s: %d months, want %d", key, c.WarrantyMonths, m)
		}
	}
	if len(v.Categories) != len(months) {
		t.Errorf("%d categories, want %d", len(v.Categories), len(months))
	}
	for _, w := range []struct {
		name string
		got  policy.Window
		days int
		id   string
	}{{"return", v.Return, 7, "1"}, {"replacement", v.Replacement, 7, "3.1"}, {"missing parts", v.MissingParts, 7, "3.2"},
		{"damaged on arrival", v.DamagedOnArrival, 7, "5.1"}, {"answer", v.Answer, 3, "A2"}} {
		if w.got.Days != w.days || v.ClauseOf(w.got.Clause).ID != w.id {
			t.Errorf("%s: %d days, clause %s; want %d, %s", w.name, w.got.Days, v.ClauseOf(w.got.Clause).ID, w.days, w.id)
		}
	}
	// Every clause id of docs/policy-reading.md is in the built-in policy.
	for _, id := range strings.Fields("1 2 2.N1 2.N2 3.1 3.2 3.3 3.4 4 4.1 4.2 4.3 4.4 4.5 4.6 4.7 5.1 5.2 5.3 5.4 5.5 5.6 6.1 6.2 A1 A2 A3 A4") {
		found := false
		for _, c := range v.Clauses {
			found = found || (c.ID == id && c.Text != "")
		}
		if !found {
			t.Errorf("clause %s is not in the built-in policy", id)
		}
	}
}

// TestMalformedPolicy edits the built-in file in one place and expects the
// loader to name the file, the line, the field and the reason.
func TestMalformedPolicy(t *testing.T) {
	good := string(policy.DefaultYAML())
	tests := []struct {
		name      string
		old, new  string // replace old by new in the built-in file
		wantField string
		wantMsg   string
	}{
		{"YAML syntax", `seller: ALSRobot`, "seller: [ALSRobot", "", "did not find expected"},
		{"unknown field", `    return:             {days: 7, clause: "1"}`, `    retrun:             {days: 7, clause: "1"}`, "", `unknown field "retrun"`},
		{"wrong type", `{days: 7, clause: "3.2"}`, `{days: seven, clause: "3.2"}`, "", "cannot unmarshal !!str `seven` into int"},
		{"number missing", `{days: 7, clause: "3.2"}`, `{clause: "3.2"}`, "versions[0].missing_parts.days", "is required"},
		{"number out of range", `{days: 7, clause: "3.1"}`, `{days: -1, clause: "3.1"}`, "versions[0].replacement.days", "-1 is out of range 0 to 3650"},
		{"clause not listed", `{days: 7, clause: "3.1"}`, `{days: 7, clause: "3.9"}`, "versions[0].replacement.clause", `clause "3.9" is not in this version's clauses`},
		{"time zone", `time_zone: Asia/Shanghai`, `time_zone: Asia/Atlantis`, "time_zone", `"Asia/Atlantis" is not an IANA time zone`},
		{"impossible date", `effective_from: 2000-01-01`, `effective_from: 2026-02-30`, "versions[0].effective_from", "no such day"},
		{"category twice", `      - {key: other, name: Other products, noun: product}`, `      - {key: battery, name: Other products, noun: product}`,
			"versions[0].categories[8].key", `category "battery" is listed twice`},
		{"warranty months", `warranty_months: 12}`, `warranty_months: 1200}`, "versions[0].categories[0].warranty_months", "1200 is out of range 0 to 240"},
		{"returnable is true or false", `noun: free gift, returnable: false,`, `noun: free gift, returnable: never,`, "", "cannot unmarshal !!str `never` into bool"},
		{"exclusion missing", `      misuse: "4.3"` + "\n", "", "versions[0].exclusions.misuse", "is required"},
		{"exclusion unknown", `      misuse: "4.3"`, `      misuse: "4.3"` + "\n      gremlins: \"4.7\"", "versions[0].exclusions.gremlins", `"gremlins" is not a cause`},
		{"who pays", `quality_remedy: {paid_by: seller`, `quality_remedy: {paid_by: nobody`, "versions[0].shipping.quality_remedy.paid_by", `"nobody" is not seller or customer`},
		{"start rule", `starts_from: delivery_or_purchase`, `starts_from: shipping`, "versions[0].warranty.starts_from", `"shipping" is not one of`},
		{"product of an unknown category", `      products: []`, `      products: [{sku: X1, category: robots, warranty_months: 6}]`,
			"versions[0].product_terms.products[0].category", `"robots" is not a category`},
		{"contract twice", `      distributors: []`, `      distributors: [{code: D1, return_days: 9}, {code: D1}]`,
			"versions[0].distribution_contracts.distributors[1].code", `distributor "D1" is listed twice`},
		{"clause twice", `{id: "2.N1", text: "Certain`, `{id: "2", text: "Certain`, "versions[0].clauses[2].id", `clause "2" is listed twice`},
		{"no versions", "versions:\n  - version", "versions: []\nold:\n  - version", "", `unknown field "old"`},
		{"translation language", "      zh:\n        categories:", "      fr:\n        categories:", "versions[0].translations.fr",
			`"fr" is not a language reasons are rendered in; the languages are zh`},
		{"translation of no category", "          battery:           {name: 电池", "          batery:            {name: 电池",
			"versions[0].translations.zh.categories.batery", `"batery" is not a category of this version`},
		{"translated note of a category without one", "{name: 电池, noun: 电池}", "{name: 电池, noun: 电池, note: 电池。}",
			"versions[0].translations.zh.categories.battery.note", `category "battery" has no note to translate`},
		{"translation of no cause", "          misuse: 意外", "          gremlins: 意外",
			"versions[0].translations.zh.causes.gremlins", `"gremlins" is not a cause`},
		{"blank translation of a cause", "          misuse: 意外或使用不当（例如进液、滥用、氧化或生锈）造成的损坏", `          misuse: " "`,
			"versions[0].translations.zh.causes.misuse", "is empty"},
		{"translation of no clause", `          "2.N2": 易耗件`, `          "2.N9": 易耗件`,
			"versions[0].translations.zh.clauses.2.N9", `clause "2.N9" is not in this version's clauses`},
		{"translation of the wrong type", "\"A4\": 对经销商而言，退款和换货按照经销合同办理。", "\"A4\": [对经销商而言]", "", "cannot unmarshal !!seq into string"},
		{"unknown field of a translation", "        causes:", "        reasons:", "", `unknown field "reasons"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(good, tt.old) {
				t.Fatalf("the built-in policy no longer contains %q", tt.old)
			}
			bad := strings.Replace(good, tt.old, tt.new, 1)
			_, err := policy.Parse("bad.yaml", []byte(bad))
			var le *policy.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("Parse = %v, want a *LoadError", err)
			}
			var found *policy.Problem
			for i, p := range le.Problems {
				if p.Field == tt.wantField && strings.Contains(p.Message, tt.wantMsg) {
					found = &le.Problems[i]
				}
			}
			if found == nil {
				t.Fatalf("problems %+v: none with field %q and message %q", le.Problems, tt.wantField, tt.wantMsg)
			}
			// The line is where the edit is (or, for a deleted key, its parent).
			if tt.new != "" {
				wantLine := strings.Count(bad[:strings.Index(bad, tt.new)], "\n") + 1
				if found.Line < wantLine || found.Line > wantLine+strings.Count(tt.new, "\n") {
					t.Errorf("line %d, want %d (%s)", found.Line, wantLine, le.Error())
				}
			} else if found.Line == 0 {
				t.Errorf("no line for %s", found.Field)
			}
			if !strings.HasPrefix(le.Error(), "bad.yaml:") {
				t.Errorf("error %q does not start with the file name", le.Error())
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := policy.Load(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want not-exist", err)
	}
	_, err := policy.Parse("empty.yaml", nil)
	var le *policy.LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "seller: is required") || !strings.Contains(err.Error(), "versions: is required") {
		t.Errorf("Parse(empty) = %v", err)
	}
	mixed := strings.Replace(string(policy.DefaultYAML()), `effective_from: 2000-01-01`, `effective_from: 2026-01-01`, 1)
	p, err := policy.Parse("later.yaml", []byte(mixed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := policyjson.ParseFactsFor(p, []byte(`{"request":"defect","category":"battery","purchased_on":"2025-12-31","reported_on":"2026-01-02"}`), nil); err == nil ||
		!strings.Contains(err.Error(), "purchased_on: no policy version was in force on 2025-12-31") {
		t.Errorf("a purchase before every version: %v", err)
	}
}

// TestAnotherPolicyFile: a second policy file changes decisions with no
// change of code: 24-month modules and a 14-day return window from 2027, a
// product-specific term (2.N1) and a distribution contract (A4).
func TestAnotherPolicyFile(t *testing.T) {
	p, err := policy.Load("testdata/two-versions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		facts string
		want  want
	}{
		{"2026 purchase: 12 months", `{"request":"defect","category":"electronic_module","purchased_on":"2026-12-31","reported_on":"2028-06-01","proof_of_purchase":true}`,
			want{"not_eligible", "paid_repair technical_support", "customer", "", "2 3.4 4 5.4 6.2", false, "2026-12-31", "2027-12-31"}},
		{"2027 purchase: 24 months", `{"request":"defect","category":"electronic_module","purchased_on":"2027-01-01","reported_on":"2028-06-01","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2027-01-01", "2029-01-01"}},
		{"2026 purchase: return day 8 too late", `{"request":"return","category":"battery","purchased_on":"2026-12-20","reported_on":"2026-12-28","proof_of_purchase":true}`,
			want{"not_eligible", "", "", "", "1", false, "2026-12-20", ""}},
		{"2027 purchase: return day 14 in time", `{"request":"return","category":"battery","purchased_on":"2027-01-10","reported_on":"2027-01-24","proof_of_purchase":true}`,
			want{"eligible", "refund exchange", "customer", "", "1 A3", false, "2027-01-10", ""}},
		{"2027 purchase: return day 15 too late", `{"request":"return","category":"battery","purchased_on":"2027-01-10","reported_on":"2027-01-25","proof_of_purchase":true}`,
			want{"not_eligible", "", "", "", "1", false, "2027-01-10", ""}},
		{"product term from the catalog, no category given", `{"request":"defect","sku":"ALS-MG996R","purchased_on":"2027-02-01","reported_on":"2027-08-01","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 2.N1 3.3 5.4 6.2", true, "2027-02-01", "2027-08-01"}},
		{"product term gives a battery a month", `{"request":"defect","sku":"ALS-LIPO-2S","purchased_on":"2027-02-01","reported_on":"2027-02-20","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 2.N1 3.3 5.4 6.2", true, "2027-02-01", "2027-03-01"}},
		{"product term ended, no paid repair for it", `{"request":"defect","sku":"ALS-LIPO-2S","purchased_on":"2027-02-01","reported_on":"2027-03-02","proof_of_purchase":true}`,
			want{"not_eligible", "technical_support", "customer", "", "2 2.N1 4 5.4 6.2", false, "2027-02-01", "2027-03-01"}},
		{"unknown sku with a category", `{"request":"defect","sku":"NOT-IN-CATALOG","category":"servo_motor","purchased_on":"2027-02-01","reported_on":"2027-04-01","proof_of_purchase":true}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.2", true, "2027-02-01", "2027-05-01"}},
		{"distribution contract: 30-day return for the distributor", `{"request":"return","category":"battery","purchased_on":"2027-01-10","reported_on":"2027-02-09","proof_of_purchase":true,"channel":"authorized_distributor","applicant":"distributor","distributor":"DIST-EU"}`,
			want{"eligible", "refund exchange", "customer", "", "1 6.1 A3 A4", false, "2027-01-10", ""}},
		{"distribution contract: 14-day replacement", `{"request":"defect","category":"servo_motor","purchased_on":"2027-01-10","reported_on":"2027-01-24","proof_of_purchase":true,"channel":"authorized_distributor","applicant":"distributor","distributor":"DIST-EU"}`,
			want{"eligible", "free_replacement", "seller", "", "2 3.1 5.4 6.1 6.2 A4", true, "2027-01-10", "2027-04-10"}},
		{"the policy's 7 days without the contract", `{"request":"defect","category":"servo_motor","purchased_on":"2027-01-10","reported_on":"2027-01-24","proof_of_purchase":true,"channel":"authorized_distributor","applicant":"distributor"}`,
			want{"eligible", "free_repair", "seller", "", "2 3.3 5.4 6.1 6.2", true, "2027-01-10", "2027-04-10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, decide(t, p, tt.facts), tt.want) })
	}
	// The same facts under the built-in policy: no 2.N1 term, a 7-day return.
	if got := decide(t, policy.Default(), tests[3].facts); got.Outcome != "not_eligible" {
		t.Errorf("built-in policy, 14-day-old return: %s, want not_eligible", got.Outcome)
	}
}

func TestPolicyRulesTable(t *testing.T) {
	rules := policy.Default().Versions[0].Rules()
	want := map[string]string{
		"Change-of-mind return or exchange, from the purchase date": "7 days",
		"Servos & motors (servo_motor)":                             "3 months warranty; paid repair after",
		"Free gifts (gift)":                                         "no limited warranty: a defective part is replaced within the replacement window; no change-of-mind return on its own",
		"Packaging (packaging)":                                     "no limited warranty: a defective part is replaced within the replacement window; no change-of-mind return on its own",
		"Batteries (battery)":                                       "no limited warranty: a defective part is replaced within the replacement window",
		"First answer, from a complete claim":                       "3 days",
	}
	for _, r := range rules {
		if n, ok := want[r.Rule]; ok {
			if r.Numbers != n {
				t.Errorf("%s: %q, want %q", r.Rule, r.Numbers, n)
			}
			delete(want, r.Rule)
		}
		if r.Clause == "" {
			t.Errorf("rule %q cites no clause", r.Rule)
		}
		if r.Rule == "Free gifts (gift)" && r.Clause != "2, 5.1, 1" {
			t.Errorf("%s: clauses %q, want 2, 5.1, 1 (1 for the return it is refused)", r.Rule, r.Clause)
		}
	}
	for rule := range want {
		t.Errorf("rule %q is missing from the table", rule)
	}
}
