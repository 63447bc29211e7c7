package policy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
)

// TestReasonsTrueOfTheirCase: every reason says what is true of its case, in
// English and in Chinese. Each case names sentences its reasons must include
// word for word, and words none of them may say.
func TestReasonsTrueOfTheirCase(t *testing.T) {
	purchase := startsFromPurchase(t)
	tests := []struct {
		name    string
		p       *policy.Policy // nil: the built-in policy
		facts   string
		catalog *policy.CatalogEntry // the registry's entry, as a caller with one sets it
		en, zh  []string
		forbid  []string // in either language
	}{
		{name: "no delivery date: the replacement window counts from the purchase",
			facts:  `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-02-04","proof_of_purchase":true}`,
			en:     []string{"You reported the fault within 7 days of 28 Jan 2026 (the purchase date, as the delivery date is not known), until 4 Feb 2026: we replace it free with the same or an equivalent later product once we confirm the defect."},
			zh:     []string{"您在2026年1月28日（购买日期，因为签收日期不明）后7天内（截至2026年2月4日）报告了故障：我们确认缺陷后，免费为您更换同款或同等的后续产品。"},
			forbid: []string{"receiving it", "收货后"}},
		{name: "a policy that counts from the purchase says so, delivery date or not", p: purchase,
			facts:  `{"request":"defect","category":"electronic_module","purchased_on":"2026-01-28","delivered_on":"2026-02-02","reported_on":"2026-02-03","proof_of_purchase":true}`,
			en:     []string{"You reported the fault within 7 days of 28 Jan 2026 (the purchase date), until 4 Feb 2026: we replace it free with the same or an equivalent later product once we confirm the defect."},
			zh:     []string{"您在2026年1月28日（购买日期）后7天内（截至2026年2月4日）报告了故障：我们确认缺陷后，免费为您更换同款或同等的后续产品。"},
			forbid: []string{"receiving it", "收货后"}},
		{name: "with a delivery date, the window counts from it",
			facts: `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-02-05","proof_of_purchase":true}`,
			en:    []string{"You reported the fault within 7 days of 31 Jan 2026 (the day you received it), until 7 Feb 2026: we replace it free with the same or an equivalent later product once we confirm the defect."},
			zh:    []string{"您在2026年1月31日（您收货的日期）后7天内（截至2026年2月7日）报告了故障：我们确认缺陷后，免费为您更换同款或同等的后续产品。"}},
		{name: "a TT gear motor is a motor, not a servo",
			facts:   `{"request":"defect","sku":"MOT-DC-TT","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-03-01","proof_of_purchase":true}`,
			catalog: &policy.CatalogEntry{SKU: "MOT-DC-TT", Category: "servo_motor"},
			en:      []string{"Your motor's 3-month warranty runs from 31 Jan 2026 (the day you received it) to 30 Apr 2026; you reported the fault on 1 Mar 2026, within it."},
			zh:      []string{"您的电机保修期为3个月，自2026年1月31日（您收货的日期）起至2026年4月30日止；您于2026年3月1日报告故障，在保修期内。"},
			forbid:  []string{"servo", "舵机"}},
		{name: "a servo_motor by its category alone is a motor too",
			facts:  `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-05-01","proof_of_purchase":true}`,
			en:     []string{"Your motor's 3-month warranty runs from 31 Jan 2026 (the day you received it) to 30 Apr 2026; you reported the fault on 1 May 2026, after it ended."},
			zh:     []string{"您的电机保修期为3个月，自2026年1月31日（您收货的日期）起至2026年4月30日止；您于2026年5月1日报告故障，已过保修期。"},
			forbid: []string{"servo", "舵机"}},
		{name: "a replaced battery: its defective part is replaced",
			facts: `{"request":"defect","category":"battery","purchased_on":"2026-05-01","delivered_on":"2026-05-04","reshipped_on":"2026-06-05","reported_on":"2026-07-01","proof_of_purchase":true}`,
			en: []string{"This unit was repaired or replaced and shipped to you on 5 Jun 2026: it is covered until 5 Jul 2026, 1 month after shipping; you reported the fault on 1 Jul 2026, within it.",
				"We replace the defective part free once we confirm the fault.", "We pay the shipping both ways."},
			zh: []string{"这件产品经过维修或更换，于2026年6月5日寄给您：保修至2026年7月5日，即寄出后1个月；您于2026年7月1日报告故障，在保修期内。",
				"我们确认故障后，免费为您更换有缺陷的零件。", "往返运费由我们承担。"},
			forbid: []string{"original warranty", "原保修期"}}, // a battery has none
		{name: "a replaced battery, after its month: no part",
			facts:  `{"request":"defect","category":"battery","purchased_on":"2026-05-01","delivered_on":"2026-05-04","reshipped_on":"2026-06-05","reported_on":"2026-07-06","proof_of_purchase":true}`,
			en:     []string{"This unit was repaired or replaced and shipped to you on 5 Jun 2026: it is covered until 5 Jul 2026, 1 month after shipping; you reported the fault on 6 Jul 2026, after it ended."},
			zh:     []string{"这件产品经过维修或更换，于2026年6月5日寄给您：保修至2026年7月5日，即寄出后1个月；您于2026年7月6日报告故障，已过保修期。"},
			forbid: []string{"original warranty", "原保修期", "We replace the defective part", "免费为您更换有缺陷的零件"}},
		{name: "a replaced power module: the note agrees with the free part",
			facts: `{"request":"defect","category":"power_module","purchased_on":"2026-05-01","delivered_on":"2026-05-04","reshipped_on":"2026-06-05","reported_on":"2026-06-10","proof_of_purchase":true}`,
			en: []string{"We replace the defective part free once we confirm the fault.",
				"Power modules are consumables: they are never repaired. A defective one is replaced free only within the replacement window or the cover of a replaced unit; after that, a new one has to be bought."},
			zh: []string{"我们确认故障后，免费为您更换有缺陷的零件。",
				"电源模块属于易耗品：不提供维修。有缺陷的电源模块只在更换期内或更换后产品的保修期内免费更换；此后需要购买新的。"},
			forbid: []string{"no free repair", "a new one can be bought", "不享受免费维修", "可以购买新的"}},
		{name: "a power module in the replacement window: the same note",
			facts: `{"request":"defect","category":"power_module","purchased_on":"2026-05-01","delivered_on":"2026-05-04","reported_on":"2026-05-08","proof_of_purchase":true}`,
			en: []string{"This power module has no limited warranty: a defective part is replaced free when reported within 7 days of 4 May 2026 (the day you received it), until 11 May 2026; you reported it on 8 May 2026, in time: we replace the defective part once we confirm it.",
				"Power modules are consumables: they are never repaired. A defective one is replaced free only within the replacement window or the cover of a replaced unit; after that, a new one has to be bought."},
			zh: []string{"该电源模块不享受有限保修：自2026年5月4日（您收货的日期）起7天内（截至2026年5月11日）报告的有缺陷零件可免费更换；您于2026年5月8日报告，在期限内：我们确认后免费为您更换有缺陷的零件。",
				"电源模块属于易耗品：不提供维修。有缺陷的电源模块只在更换期内或更换后产品的保修期内免费更换；此后需要购买新的。"},
			forbid: []string{"no free repair", "不享受免费维修"}},
		{name: "missing parts: we ship them, nothing comes back",
			facts:  `{"request":"missing_parts","category":"mechanical_part","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-12","proof_of_purchase":true}`,
			en:     []string{"We pay the shipping of the missing parts to you."},
			zh:     []string{"缺少的零件寄给您的运费由我们承担。"},
			forbid: []string{"both ways", "往返"}},
		{name: "missing parts without a delivery date, within days of the purchase",
			facts:  `{"request":"missing_parts","category":"servo_motor","purchased_on":"2026-03-01","reported_on":"2026-03-06","proof_of_purchase":true}`,
			en:     []string{"We pay the shipping of the missing parts to you."},
			zh:     []string{"缺少的零件寄给您的运费由我们承担。"},
			forbid: []string{"both ways", "往返"}},
		{name: "damage on arrival: the damaged item goes back, the replacement comes",
			facts: `{"request":"damaged_on_arrival","category":"electronic_module","purchased_on":"2026-03-01","delivered_on":"2026-03-05","reported_on":"2026-03-12","proof_of_purchase":true}`,
			en:    []string{"We pay the shipping both ways."},
			zh:    []string{"往返运费由我们承担。"}},
		{name: "technical support only, after the window: no repair costs",
			facts:  `{"request":"defect","category":"battery","purchased_on":"2026-05-01","delivered_on":"2026-05-04","reported_on":"2026-05-12","proof_of_purchase":true}`,
			en:     []string{"We can give technical support; we offer no repair of this product, free or paid.", "You pay any shipping."},
			zh:     []string{"我们可以为您提供技术支持；本产品不提供免费或有偿维修。", "如有运费，由您承担。"},
			forbid: []string{"repair cost", "any repair", "both ways", "维修费用", "往返"}},
		{name: "technical support only, an excluded cause: no repair costs",
			facts:  `{"request":"defect","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-01","proof_of_purchase":true,"cause":"misuse"}`,
			en:     []string{"As the damage is not a product quality problem, you pay any shipping."},
			zh:     []string{"由于损坏不是产品质量问题，如有运费，由您承担。"},
			forbid: []string{"repair cost", "any repair", "both ways", "维修费用", "往返"}},
		{name: "technical support only, an unauthorised reseller: no repair costs",
			facts:  `{"request":"defect","category":"gift","purchased_on":"2026-01-28","reported_on":"2026-01-29","proof_of_purchase":true,"channel":"unauthorized_reseller"}`,
			en:     []string{"We can give technical support; we offer no repair of this product, free or paid.", "You pay any shipping."},
			zh:     []string{"我们可以为您提供技术支持；本产品不提供免费或有偿维修。", "如有运费，由您承担。"},
			forbid: []string{"repair cost", "any repair", "both ways", "维修费用", "往返"}},
		{name: "a paid repair still names its costs",
			facts: `{"request":"defect","category":"electronic_module","purchased_on":"2025-01-10","delivered_on":"2025-01-12","reported_on":"2026-02-01","proof_of_purchase":true}`,
			en:    []string{"We can repair it at your cost (parts, labour, freight and customs) once we have looked at it, and give technical support.", "You pay the shipping both ways and any repair costs."},
			zh:    []string{"我们检查后可以为您有偿维修（零件、人工、运费和关税由您承担），并提供技术支持。", "往返运费和维修费用由您承担。"}},
		{name: "an excluded cause with a paid repair names its costs",
			facts: `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-02-01","proof_of_purchase":true,"cause":"misuse"}`,
			en:    []string{"As the damage is not a product quality problem, you pay the shipping and any repair."},
			zh:    []string{"由于损坏不是产品质量问题，运费和维修费用由您承担。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			if p == nil {
				p = policy.Default()
			}
			f, err := policyjson.ParseFactsFor(p, []byte(tt.facts), nil)
			if err != nil {
				t.Fatalf("ParseFacts: %v", err)
			}
			f.Catalog = tt.catalog
			d, err := p.Decide(&f)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			checkInvariants(t, policyjson.FromDecision(&d))
			for lang, want := range map[string][]string{"en": tt.en, "zh": tt.zh} {
				got := d.ReasonTextsIn(lang)
				for _, s := range want {
					if !slices.Contains(got, s) {
						t.Errorf("%s reasons do not say\n  %s\namong\n  %s", lang, s, strings.Join(got, "\n  "))
					}
				}
				for _, s := range got {
					for _, bad := range tt.forbid {
						if strings.Contains(s, bad) {
							t.Errorf("%s reason %q says %q, which is not true of this case", lang, s, bad)
						}
					}
				}
			}
		})
	}
}
