package policy_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
)

// FuzzEligibility feeds any bytes to the parser and the engine: nothing may
// panic, bad input is always an *InputError or a *SyntaxError, and every
// decision keeps the contract's invariants.
func FuzzEligibility(f *testing.F) {
	seeds := []string{
		`{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}`,
		`{"request":"return","category":"electronic_module","purchased_on":"2026-03-02","reported_on":"2026-03-09","proof_of_purchase":true,"resellable":false}`,
		`{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-09"}`,
		`{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-12","proof_of_purchase":true,"cause":"misuse"}`,
		`{"request":"defect","category":"battery","purchased_on":"2026-05-01","reshipped_on":"2026-06-05","reported_on":"2026-07-05","proof_of_purchase":true}`,
		`{"request":"defect","category":"power_module","purchased_on":"2024-02-29","reported_on":"2024-03-07","proof_of_purchase":true,"channel":"unauthorized_reseller"}`,
		`{"request":"return","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-01-30","channel":"authorized_distributor","applicant":"distributor","proof_of_purchase":true}`,
		`{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-03-01","channel":"authorized_distributor","distributor_unreachable":true,"proof_of_purchase":true}`,
		`{"request":"defect","category":"servo","purchased_on":"2026-02-30","proof_of_purchase":"false","x":1}`,
		`[1,2]`, `{`, ``, `null`, `{"request":null}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	p := policy.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := policyjson.ParseFactsFor(p, data, nil)
		if err != nil {
			var ie *policy.InputError
			var se *policyjson.SyntaxError
			if !errors.As(err, &ie) && !errors.As(err, &se) {
				t.Fatalf("ParseFacts(%q) = %T %v: bad input must be an InputError or a SyntaxError", data, err, err)
			}
			if ie != nil && len(ie.Errors) == 0 {
				t.Fatalf("ParseFacts(%q): an InputError with no field", data)
			}
			return
		}
		d, err := p.Decide(&facts)
		if err != nil {
			t.Fatalf("Decide refused facts that ParseFacts accepted: %q: %v", data, err)
		}
		out := policyjson.FromDecision(&d)
		checkInvariants(t, out)
		if zh := d.ReasonTextsIn("zh"); len(zh) != len(out.Reasons) || slices.Contains(zh, "") {
			t.Fatalf("reasons in Chinese %q for %q", zh, out.Reasons)
		}
		var reported struct {
			ReportedOn date.Date `json:"reported_on"`
		}
		if err := json.Unmarshal(data, &reported); err != nil {
			t.Fatalf("accepted facts without a readable reported_on: %q: %v", data, err)
		}
		if want := reported.ReportedOn.AddDays(3).String(); out.RespondBy != want {
			t.Fatalf("respond_by %s, want reported_on + 3 = %s", out.RespondBy, want)
		}
		if out.Warranty.StartsOn == "" || (out.Warranty.Covered && out.Warranty.EndsOn == nil) {
			t.Fatalf("warranty %+v: covered needs an end", out.Warranty)
		}
		if slices.Contains(out.Clauses, "") {
			t.Fatalf("an empty clause id in %v", out.Clauses)
		}
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := policyjson.AppendDecision(nil, &d); string(got) != string(want) {
			t.Fatalf("AppendDecision\n%s\nencoding/json\n%s", got, want)
		}
		if got := out.AppendJSON(nil, true); string(got) != string(want) {
			t.Fatalf("DecisionJSON.AppendJSON\n%s\nencoding/json\n%s", got, want)
		}
	})
}
