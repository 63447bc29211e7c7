package policyjson_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
)

func TestParseFactsRefusesBadInput(t *testing.T) {
	p := policy.Default()
	const ok = `"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-02-02"`
	tests := []struct {
		name   string
		body   string
		fields string // the offending fields, in order
		msg    string // part of the first message
	}{
		{"request missing", `{"category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "request", "is required"},
		{"request unknown", `{"request":"refund","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "request", `"refund" is not one of`},
		{"category missing", `{"request":"defect","purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "category", "is required unless sku"},
		{"category unknown", `{"request":"defect","category":"servo","purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "category", `"servo" is not a category`},
		{"sku not in the catalog and no category", `{"request":"defect","sku":"ALS-1","purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "category", "is required unless sku"},
		{"channel unknown", `{` + ok + `,"channel":"amazon"}`, "channel", `"amazon" is not one of direct, authorized_distributor, unauthorized_reseller`},
		{"applicant unknown", `{` + ok + `,"applicant":"robot"}`, "applicant", "is not one of"},
		{"cause unknown", `{` + ok + `,"cause":"gremlins"}`, "cause", "is not one of"},
		{"boolean as a string", `{` + ok + `,"proof_of_purchase":"false"}`, "proof_of_purchase", `must be true or false, not the string "false"`},
		{"boolean as a number", `{` + ok + `,"distributor_unreachable":1}`, "distributor_unreachable", "not the number 1"},
		{"resellable as a string", `{` + ok + `,"resellable":"yes"}`, "resellable", "must be true or false"},
		{"category as a number", `{"request":"defect","category":3,"purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "category", "must be a string, not the number 3"},
		{"request as an array", `{"request":["defect"],"category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "request", "must be a string, not an array"},
		{"malformed date", `{"request":"defect","category":"battery","purchased_on":"28/01/2026","reported_on":"2026-02-02"}`, "purchased_on", "is not a date of the form YYYY-MM-DD"},
		{"impossible date", `{"request":"defect","category":"battery","purchased_on":"2026-02-30","reported_on":"2026-03-02"}`, "purchased_on", "is not a day of the calendar"},
		{"date with a time", `{"request":"defect","category":"battery","purchased_on":"2026-01-28T10:00:00Z","reported_on":"2026-02-02"}`, "purchased_on", "YYYY-MM-DD"},
		{"empty date", `{"request":"defect","category":"battery","purchased_on":"","reported_on":"2026-02-02"}`, "purchased_on", "not an empty string"},
		{"date as a number", `{"request":"defect","category":"battery","purchased_on":20260128,"reported_on":"2026-02-02"}`, "purchased_on", "must be a string"},
		{"purchase date missing", `{"request":"defect","category":"battery","reported_on":"2026-02-02"}`, "purchased_on", "is required"},
		{"report date missing", `{"request":"defect","category":"battery","purchased_on":"2026-02-02"}`, "reported_on", "is required"},
		{"unknown field", `{` + ok + `,"colour":"red"}`, "colour", "is not a fact of the contract"},
		{"delivered before purchased", `{` + ok + `,"delivered_on":"2026-01-27"}`, "delivered_on", "2026-01-27 is before purchased_on 2026-01-28"},
		{"reported before purchased", `{"request":"defect","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-01-27"}`, "reported_on", "is before purchased_on"},
		{"reported before delivered", `{` + strings.Replace(ok, "2026-02-02", "2026-01-29", 1) + `,"delivered_on":"2026-01-30"}`, "reported_on", "2026-01-29 is before delivered_on 2026-01-30"},
		{"reshipped before purchased", `{` + ok + `,"reshipped_on":"2026-01-01"}`, "reshipped_on", "is before purchased_on"},
		{"reshipped after reported", `{` + ok + `,"reshipped_on":"2026-02-03"}`, "reshipped_on", "is after reported_on"},
		{"answer due past the calendar", `{"request":"defect","category":"battery","purchased_on":"9999-12-31","reported_on":"9999-12-31"}`, "reported_on", "the answer would be due after 9999-12-31"},
		{"cover ending past the calendar", `{"request":"defect","category":"servo_motor","purchased_on":"9999-11-30","reported_on":"9999-12-01"}`, "purchased_on", "the cover would end after 9999-12-31"},
		{"distributor on the direct channel", `{` + ok + `,"distributor":"DIST-EU"}`, "distributor", "channel is direct"},
		{"distributor without a contract", `{` + ok + `,"channel":"authorized_distributor","distributor":"DIST-XX"}`, "distributor", `no distribution contract for "DIST-XX"`},
		{"several at once", `{"request":"fix","category":"battery","purchased_on":"2026-13-01","proof_of_purchase":"yes","extra":1}`,
			"request purchased_on proof_of_purchase extra reported_on", `"fix" is not one of`},
		{"not an object", `[{"request":"defect"}]`, "", "must be a JSON object, not an array"},
		{"a string", `"defect"`, "", "must be a JSON object, not the string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policyjson.ParseFactsFor(p, []byte(tt.body), nil)
			var ie *policy.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseFacts(%s) = %v, want an *InputError", tt.body, err)
			}
			var fields []string
			for _, fe := range ie.Errors {
				fields = append(fields, fe.Field)
			}
			if got := strings.Join(fields, " "); got != tt.fields {
				t.Errorf("fields %q, want %q (%v)", got, tt.fields, err)
			}
			if !strings.Contains(ie.Errors[0].Message, tt.msg) {
				t.Errorf("message %q does not say %q", ie.Errors[0].Message, tt.msg)
			}
		})
	}
}

func TestParseFactsSyntax(t *testing.T) {
	for _, body := range []string{``, `{`, `{"request":"defect",}`, `request=defect`, `{"a":1}{"b":2}`, "\xff"} {
		_, err := policyjson.ParseFactsFor(policy.Default(), []byte(body), nil)
		var se *policyjson.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseFacts(%q) = %v, want a *SyntaxError", body, err)
		}
	}
}

func TestParseFactsDefaults(t *testing.T) {
	f, err := policyjson.ParseFactsFor(policy.Default(), []byte(`{"request":"defect","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-02","sku":null,"resellable":null,"channel":null}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Channel != policy.ChannelDirect || f.Applicant != policy.ApplicantCustomer || f.Cause != policy.CauseUnknown ||
		f.Resellable != policy.VerdictUnknown || f.ProofOfPurchase || f.DistributorUnreachable || !f.DeliveredOn.IsZero() {
		t.Errorf("defaults not applied: %+v", f)
	}
}

// TestDecideRefusesProgrammingErrors: Decide checks facts built in Go too.
func TestDecideRefusesProgrammingErrors(t *testing.T) {
	var f policy.Facts
	_, err := policy.Default().Decide(&f)
	var ie *policy.InputError
	if !errors.As(err, &ie) || len(ie.Errors) != 3 {
		t.Fatalf("Decide(zero facts) = %v, want request, purchased_on and reported_on", err)
	}
	f = policy.Facts{Request: policy.RequestDefect, Category: "battery", Channel: 9}
	if _, err := policy.Default().Decide(&f); err == nil || !strings.Contains(err.Error(), "channel") {
		t.Errorf("Decide(channel 9) = %v", err)
	}
}
