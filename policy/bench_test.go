package policy_test

import (
	"testing"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
)

// BenchmarkDecide is one decision in the engine (target: at most 1 µs and 4
// allocations).
func BenchmarkDecide(b *testing.B) {
	p := policy.Default()
	cases := map[string]policy.Facts{
		"free_repair": {Request: policy.RequestDefect, Category: "servo_motor", ProofOfPurchase: true,
			PurchasedOn: date.MustParse("2026-01-28"), DeliveredOn: date.MustParse("2026-01-31"), ReportedOn: date.MustParse("2026-04-30")},
		"return_late": {Request: policy.RequestReturn, Category: "battery", ProofOfPurchase: true,
			PurchasedOn: date.MustParse("2026-01-28"), ReportedOn: date.MustParse("2026-02-20")},
		"distributor_reshipped": {Request: policy.RequestDefect, Category: "power_module", ProofOfPurchase: true,
			Channel: policy.ChannelAuthorizedDistributor, Applicant: policy.ApplicantStaff,
			PurchasedOn: date.MustParse("2026-01-28"), ReshippedOn: date.MustParse("2026-04-20"), ReportedOn: date.MustParse("2026-05-14")},
	}
	for name, f := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Decide(&f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEligibilityJSON is the whole of a request's work outside HTTP:
// parse and check the facts, decide, render the reasons, encode (as the
// endpoint does, with AppendJSON into a reused buffer).
func BenchmarkEligibilityJSON(b *testing.B) {
	p := policy.Default()
	body := []byte(`{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}`)
	var buf []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		f, err := policyjson.ParseFactsFor(p, body, nil)
		if err != nil {
			b.Fatal(err)
		}
		d, err := p.Decide(&f)
		if err != nil {
			b.Fatal(err)
		}
		buf = policyjson.AppendDecision(buf[:0], &d)
	}
}
