package policy_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
)

// zhCase is a request whose decision gives one reason of interest, in
// Chinese; want, when set, is that sentence word for word.
type zhCase struct {
	name  string
	facts string
	code  policy.ReasonCode
	want  string
}

// zhCases reach every ReasonCode and every branch of its Flag, Remedy, Start,
// shipping situation and cause (branchOf says which branch a reason is).
func zhCases() []zhCase {
	const proof = `,"proof_of_purchase":true`
	defect := func(category, purchased, delivered, reported, extra string) string {
		s := `{"request":"defect","category":"` + category + `","purchased_on":"` + purchased + `","reported_on":"` + reported + `"` + proof
		if delivered != "" {
			s += `,"delivered_on":"` + delivered + `"`
		}
		return s + extra + `}`
	}
	cases := []zhCase{
		{"unauthorised reseller", defect("servo_motor", "2026-01-28", "", "2026-03-01", `,"channel":"unauthorized_reseller"`),
			policy.ReasonUnauthorizedReseller, "经未授权经销商转售的产品不享受保修，也不能退货。"},
		{"paid repair offered", defect("servo_motor", "2026-01-28", "", "2026-03-01", `,"channel":"unauthorized_reseller"`),
			policy.ReasonPaidService, "我们检查后可以为您有偿维修（零件、人工、运费和关税由您承担），并提供技术支持。"},
		{"technical support only", defect("battery", "2026-01-28", "", "2026-03-01", `,"channel":"unauthorized_reseller"`),
			policy.ReasonPaidService, "我们可以为您提供技术支持；本产品不提供免费或有偿维修。"},
		{"shipping of technical support", defect("battery", "2026-01-28", "", "2026-03-01", `,"channel":"unauthorized_reseller"`),
			policy.ReasonShipping, "如有运费，由您承担。"},
		{"shipping of a paid repair", defect("servo_motor", "2026-01-28", "", "2026-03-01", `,"channel":"unauthorized_reseller"`),
			policy.ReasonShipping, "往返运费和维修费用由您承担。"},
		{"return in time, before inspection", `{"request":"return","category":"electronic_module","purchased_on":"2026-03-02","reported_on":"2026-03-05"` + proof + `}`,
			policy.ReasonReturnInTime, "您于2026年3月2日购买，可在购买后7天内（截至2026年3月9日）退货或换货；您于2026年3月5日提出申请，在期限内。" +
				"退回的商品须保持收货时的状态，装在原包装盒内或可以再次销售；商品寄到后我们会检查。"},
		{"return in time, inspected resellable", `{"request":"return","category":"electronic_module","purchased_on":"2026-03-02","reported_on":"2026-03-09","resellable":true` + proof + `}`,
			policy.ReasonReturnInTime, ""},
		{"shipping of a return", `{"request":"return","category":"electronic_module","purchased_on":"2026-03-02","reported_on":"2026-03-05"` + proof + `}`,
			policy.ReasonShipping, "由于这不是产品质量问题，运费由您承担。"},
		{"return late", `{"request":"return","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-09"` + proof + `}`,
			policy.ReasonReturnLate, "退货和换货须在购买后7天内申请：您于2026年1月28日购买，期限截至2026年2月4日；您于2026年2月9日提出申请，已逾期5天。"},
		{"return not resellable", `{"request":"return","category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-05","resellable":false` + proof + `}`,
			policy.ReasonReturnNotResellable, ""},
		{"return through a distributor", `{"request":"return","category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-05","channel":"authorized_distributor"` + proof + `}`,
			policy.ReasonReferToDistributor, "您是在授权经销商处购买的，货款由经销商收取：请向经销商申请退货和退款。"},
		{"fault through a distributor", defect("servo_motor", "2026-03-02", "", "2026-03-20", `,"channel":"authorized_distributor"`),
			policy.ReasonReferToDistributor, ""},
		{"distributor unreachable", defect("servo_motor", "2026-03-02", "", "2026-03-20", `,"channel":"authorized_distributor","distributor_unreachable":true`),
			policy.ReasonHeadquarters, "由于联系不上您的经销商，您的申请由我们总部处理。"},
		{"staff for a distributor's customer", defect("servo_motor", "2026-03-02", "", "2026-03-20", `,"channel":"authorized_distributor","applicant":"staff"`),
			policy.ReasonHeadquarters, ""},
		{"distributor's own return", `{"request":"return","category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-05","channel":"authorized_distributor","applicant":"distributor"` + proof + `}`,
			policy.ReasonDistributorContract, ""},
		{"no proof of purchase", `{"request":"defect","category":"servo_motor","purchased_on":"2026-03-02","reported_on":"2026-03-05"}`,
			policy.ReasonNeedProof, "请提供收据、发票或订单记录：我们需要购买凭证才能作出决定。"},
		{"missing parts, delivery date needed", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-09"}`,
			policy.ReasonNeedDelivery, "请告诉我们您签收包裹的日期：缺件须在签收后7天内报告。"},
		{"damage on arrival, delivery date needed", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","reported_on":"2026-03-09"` + proof + `}`,
			policy.ReasonNeedDelivery, "请告诉我们您签收包裹的日期：收货时发现的损坏须在签收后7天内报告。"},
		{"missing parts in time", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","delivered_on":"2026-03-04","reported_on":"2026-03-10"` + proof + `}`,
			policy.ReasonOnArrivalInTime, "缺件须在签收包裹（2026年3月4日）后7天内报告，截至2026年3月11日；您于2026年3月10日报告，在期限内：我们确认后免费为您寄送缺少的零件。"},
		{"missing parts within days of purchase", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-06"` + proof + `}`,
			policy.ReasonOnArrivalInTime, "您于2026年3月6日报告，在2026年3月1日购买后的7天内，因此也在收货后的7天内：我们确认后免费为您寄送缺少的零件。"},
		{"shipping of missing parts", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-06"` + proof + `}`,
			policy.ReasonShipping, "缺少的零件寄给您的运费由我们承担。"},
		{"damage on arrival in time", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","delivered_on":"2026-03-04","reported_on":"2026-03-10"` + proof + `}`,
			policy.ReasonOnArrivalInTime, ""},
		{"damage within days of purchase", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","reported_on":"2026-03-06"` + proof + `}`,
			policy.ReasonOnArrivalInTime, ""},
		{"shipping of a free remedy", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","reported_on":"2026-03-06"` + proof + `}`,
			policy.ReasonShipping, "往返运费由我们承担。"},
		{"missing parts late", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","delivered_on":"2026-03-04","reported_on":"2026-03-20"` + proof + `}`,
			policy.ReasonOnArrivalLate, "缺件须在签收包裹（2026年3月4日）后7天内报告，截至2026年3月11日；您于2026年3月20日报告，已逾期9天。"},
		{"damage on arrival late", `{"request":"damaged_on_arrival","category":"gift","purchased_on":"2026-03-01","delivered_on":"2026-03-04","reported_on":"2026-03-12"` + proof + `}`,
			policy.ReasonOnArrivalLate, ""},
		{"period, from the delivery", defect("servo_motor", "2026-01-28", "2026-01-31", "2026-04-30", ""),
			policy.ReasonPeriod, "您的电机保修期为3个月，自2026年1月31日（您收货的日期）起至2026年4月30日止；您于2026年4月30日报告故障，在保修期内。"},
		{"period, no delivery date, ended", defect("electronic_module", "2025-11-24", "", "2026-11-25", ""),
			policy.ReasonPeriod, "您的电子模块保修期为12个月，自2025年11月24日（购买日期，因为签收日期不明）起至2026年11月24日止；您于2026年11月25日报告故障，已过保修期。"},
		{"replacement window", defect("servo_motor", "2026-01-28", "2026-01-31", "2026-02-05", ""),
			policy.ReasonReplacement, "您在2026年1月31日（您收货的日期）后7天内（截至2026年2月7日）报告了故障：我们确认缺陷后，免费为您更换同款或同等的后续产品。"},
		{"replacement window, no delivery date", defect("servo_motor", "2026-01-28", "", "2026-02-04", ""),
			policy.ReasonReplacement, "您在2026年1月28日（购买日期，因为签收日期不明）后7天内（截至2026年2月4日）报告了故障：我们确认缺陷后，免费为您更换同款或同等的后续产品。"},
		{"free repair", defect("servo_motor", "2026-01-28", "2026-01-31", "2026-04-30", ""),
			policy.ReasonFreeRepair, "我们确认故障后，免费为您维修或更换有缺陷的部件。"},
		{"reshipped, covered", defect("electronic_module", "2025-01-10", "", "2026-01-20", `,"reshipped_on":"2026-01-05"`),
			policy.ReasonReshipped, "这件产品经过维修或更换，于2026年1月5日寄给您：保修至2026年2月5日，即寄出后1个月或原保修期的剩余时间，取较长者；您于2026年1月20日报告故障，在保修期内。"},
		{"reshipped, ended", defect("electronic_module", "2025-01-10", "", "2026-03-01", `,"reshipped_on":"2026-01-05"`),
			policy.ReasonReshipped, ""},
		{"reshipped battery, covered", defect("battery", "2026-05-01", "2026-05-04", "2026-07-01", `,"reshipped_on":"2026-06-05"`),
			policy.ReasonReshipped, "这件产品经过维修或更换，于2026年6月5日寄给您：保修至2026年7月5日，即寄出后1个月；您于2026年7月1日报告故障，在保修期内。"},
		{"reshipped battery, ended", defect("battery", "2026-05-01", "2026-05-04", "2026-07-06", `,"reshipped_on":"2026-06-05"`),
			policy.ReasonReshipped, ""},
		{"reshipped battery, its part replaced", defect("battery", "2026-05-01", "2026-05-04", "2026-07-01", `,"reshipped_on":"2026-06-05"`),
			policy.ReasonReplacePart, "我们确认故障后，免费为您更换有缺陷的零件。"},
		{"a gift is not returnable", `{"request":"return","category":"gift","purchased_on":"2026-03-02","reported_on":"2026-03-05"` + proof + `}`,
			policy.ReasonNotReturnable, "该赠品不能单独退货或换货：无理由退货或换货只针对您购买的商品。"},
		{"packaging is not returnable", `{"request":"return","category":"packaging","purchased_on":"2026-03-02","reported_on":"2026-03-05"` + proof + `}`,
			policy.ReasonNotReturnable, "该包装不能单独退货或换货：无理由退货或换货只针对您购买的商品。"},
		{"no warranty, in time", defect("battery", "2026-03-01", "2026-03-03", "2026-03-08", ""),
			policy.ReasonNoWarranty, "该电池不享受有限保修：自2026年3月3日（您收货的日期）起7天内（截至2026年3月10日）报告的有缺陷零件可免费更换；您于2026年3月8日报告，在期限内：我们确认后免费为您更换有缺陷的零件。"},
		{"no warranty, late, no delivery date", defect("mechanical_part", "2026-03-01", "", "2026-03-20", ""),
			policy.ReasonNoWarranty, "该机械零件不享受有限保修：自2026年3月1日（购买日期，因为签收日期不明）起7天内（截至2026年3月8日）报告的有缺陷零件可免费更换；您于2026年3月20日报告，已超过期限，不能免费更换零件。"},
		{"category note", defect("power_module", "2026-03-01", "", "2026-03-05", ""),
			policy.ReasonCategoryNote, "电源模块属于易耗品：不提供维修。有缺陷的电源模块只在更换期内或更换后产品的保修期内免费更换；此后需要购买新的。"},
		{"consumable note", defect("consumable", "2026-03-01", "", "2026-03-05", ""), policy.ReasonCategoryNote, "螺丝和线缆属于易耗件。"},
		{"packaging note", defect("packaging", "2026-03-01", "", "2026-03-05", ""), policy.ReasonCategoryNote, ""},
		{"gift note", defect("gift", "2026-03-01", "", "2026-03-05", ""), policy.ReasonCategoryNote, ""},
		{"answer time", defect("servo_motor", "2026-01-28", "2026-01-31", "2026-11-24", ""),
			policy.ReasonAnswerBy, "我们会在3天内答复您，最迟于2026年11月27日。"},
	}
	for _, cause := range []string{"environment", "external_event", "misuse", "not_following_instructions",
		"unauthorized_modification", "return_shipping_damage", "not_quality_related"} {
		cases = append(cases, zhCase{"excluded: " + cause, defect("electronic_module", "2026-01-28", "", "2026-03-01", `,"cause":"`+cause+`"`),
			policy.ReasonExcluded, ""})
	}
	cases[len(cases)-1].want = "检验发现并非设计、制造或质量问题所致的损坏，不在保修范围内。"
	cases[len(cases)-5].want = "检验发现意外或使用不当（例如进液、滥用、氧化或生锈）造成的损坏，不在保修范围内。"
	cases = append(cases, zhCase{"shipping after an exclusion", defect("electronic_module", "2026-01-28", "", "2026-03-01", `,"cause":"misuse"`),
		policy.ReasonShipping, "由于损坏不是产品质量问题，运费和维修费用由您承担。"},
		zhCase{"shipping after an exclusion, support only", defect("battery", "2026-01-28", "", "2026-03-01", `,"cause":"misuse"`),
			policy.ReasonShipping, "由于损坏不是产品质量问题，如有运费，由您承担。"})
	return cases
}

// branchOf names the branch of the Chinese text a reason takes.
func branchOf(r policy.Reason) string {
	switch r.Code {
	case policy.ReasonPaidService, policy.ReasonReferToDistributor, policy.ReasonHeadquarters, policy.ReasonNeedDelivery,
		policy.ReasonReturnInTime:
		return fmt.Sprintf("%d flag=%v", r.Code, r.Flag)
	case policy.ReasonReshipped:
		return fmt.Sprintf("%d flag=%v original=%v", r.Code, r.Flag, r.Original)
	case policy.ReasonShipping:
		return fmt.Sprintf("%d flag=%v n=%d remedy=%s", r.Code, r.Flag, r.N, r.Remedy)
	case policy.ReasonReplacement:
		return fmt.Sprintf("%d start=%d", r.Code, r.Start)
	case policy.ReasonExcluded:
		return fmt.Sprintf("%d cause=%s", r.Code, r.Cause)
	case policy.ReasonOnArrivalInTime:
		return fmt.Sprintf("%d flag=%v remedy=%s", r.Code, r.Flag, r.Remedy)
	case policy.ReasonOnArrivalLate:
		return fmt.Sprintf("%d remedy=%s", r.Code, r.Remedy)
	case policy.ReasonPeriod, policy.ReasonNoWarranty:
		return fmt.Sprintf("%d flag=%v start=%d", r.Code, r.Flag, r.Start)
	}
	return fmt.Sprintf("%d", r.Code)
}

// allBranches lists every branch of the Chinese text.
func allBranches() []string {
	var out []string
	flags := func(code policy.ReasonCode) {
		out = append(out, fmt.Sprintf("%d flag=false", code), fmt.Sprintf("%d flag=true", code))
	}
	for _, c := range []policy.ReasonCode{policy.ReasonPaidService, policy.ReasonReferToDistributor, policy.ReasonHeadquarters,
		policy.ReasonNeedDelivery, policy.ReasonReturnInTime} {
		flags(c)
	}
	for _, flag := range []bool{false, true} {
		for _, original := range []bool{false, true} {
			out = append(out, fmt.Sprintf("%d flag=%v original=%v", policy.ReasonReshipped, flag, original))
		}
	}
	// Shipping, by situation (n) and what travels (remedy: refund stands for
	// the product both ways). The built-in policy: the seller pays for a
	// quality remedy, the customer for the other three situations (change of
	// mind 0, excluded 2, after the warranty 3); other payers are reached
	// with the policy of shippingPayers.
	ship := func(flag bool, n int, remedy string) {
		out = append(out, fmt.Sprintf("%d flag=%v n=%d remedy=%s", policy.ReasonShipping, flag, n, remedy))
	}
	ship(true, 1, "refund")
	ship(true, 1, "ship_missing_parts")
	ship(false, 0, "refund")
	for _, n := range []int{2, 3} {
		ship(false, n, "paid_repair")
		ship(false, n, "technical_support")
	}
	ship(false, 1, "refund")
	ship(false, 1, "ship_missing_parts")
	ship(true, 3, "technical_support")
	for _, start := range []policy.StartKind{policy.StartedOnDelivery, policy.StartedOnPurchaseNoDelivery, policy.StartedOnPurchase} {
		out = append(out, fmt.Sprintf("%d start=%d", policy.ReasonReplacement, start))
	}
	for _, cause := range []string{"environment", "external_event", "misuse", "not_following_instructions",
		"unauthorized_modification", "return_shipping_damage", "not_quality_related"} {
		out = append(out, fmt.Sprintf("%d cause=%s", policy.ReasonExcluded, cause))
	}
	for _, remedy := range []string{"free_replacement", "ship_missing_parts"} {
		out = append(out, fmt.Sprintf("%d flag=false remedy=%s", policy.ReasonOnArrivalInTime, remedy),
			fmt.Sprintf("%d flag=true remedy=%s", policy.ReasonOnArrivalInTime, remedy),
			fmt.Sprintf("%d remedy=%s", policy.ReasonOnArrivalLate, remedy))
	}
	for _, c := range []policy.ReasonCode{policy.ReasonPeriod, policy.ReasonNoWarranty} {
		for _, start := range []policy.StartKind{policy.StartedOnDelivery, policy.StartedOnPurchaseNoDelivery, policy.StartedOnPurchase} {
			out = append(out, fmt.Sprintf("%d flag=false start=%d", c, start), fmt.Sprintf("%d flag=true start=%d", c, start))
		}
	}
	for _, c := range []policy.ReasonCode{policy.ReasonUnauthorizedReseller, policy.ReasonDistributorContract, policy.ReasonNeedProof,
		policy.ReasonReturnLate, policy.ReasonReturnNotResellable, policy.ReasonFreeRepair,
		policy.ReasonCategoryNote, policy.ReasonAnswerBy, policy.ReasonNotReturnable, policy.ReasonReplacePart} {
		out = append(out, fmt.Sprintf("%d", c))
	}
	return out
}

var (
	englishWord = regexp.MustCompile(`[A-Za-z]{3,}`)
	isoDate     = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	chineseDate = regexp.MustCompile(`^\d{4}年(1[0-2]|[1-9])月(3[01]|[12]\d|[1-9])日$`)
)

// checkChinese holds for every reason in Chinese: not empty, no English
// word, no ISO date, and every date the English names, the Chinese way.
func checkChinese(t *testing.T, d *policy.Decision, r policy.Reason, zh string) {
	t.Helper()
	if zh == "" {
		t.Errorf("reason %d: empty in Chinese", r.Code)
	}
	if w := englishWord.FindString(zh); w != "" {
		t.Errorf("reason %d %q: the English word %q", r.Code, zh, w)
	}
	if isoDate.MatchString(zh) || strings.ContainsAny(zh, "\"\\") {
		t.Errorf("reason %d %q: an ISO date or stray quote", r.Code, zh)
	}
	en := d.ReasonTexts()[slices.Index(d.Reasons(), r)]
	for _, day := range r.Dates {
		if day.IsZero() || !strings.Contains(en, day.Format("2 Jan 2006")) {
			continue
		}
		y, m, dd := day.Civil()
		want := fmt.Sprintf("%d年%d月%d日", y, m, dd)
		if !chineseDate.MatchString(want) || !strings.Contains(zh, want) {
			t.Errorf("reason %d: %q names %s, the Chinese %q does not say %s", r.Code, en, day, zh, want)
		}
	}
}

// startsFromPurchase is the built-in policy with the warranty counted from
// the purchase date (StartedOnPurchase).
func startsFromPurchase(t *testing.T) *policy.Policy {
	t.Helper()
	src := strings.Replace(string(policy.DefaultYAML()), "starts_from: delivery_or_purchase", "starts_from: purchase", 1)
	p, err := policy.Parse("purchase.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// shippingPayers is the built-in policy with the other payers: the customer
// pays the shipping of a free remedy, the seller that after the warranty.
func shippingPayers(t *testing.T) *policy.Policy {
	t.Helper()
	src := strings.Replace(string(policy.DefaultYAML()), "quality_remedy: {paid_by: seller", "quality_remedy: {paid_by: customer", 1)
	src = strings.Replace(src, "after_warranty: {paid_by: customer", "after_warranty: {paid_by: seller", 1)
	p, err := policy.Parse("payers.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func decideFacts(t *testing.T, p *policy.Policy, factsJSON string) *policy.Decision {
	t.Helper()
	f, err := policyjson.ParseFactsFor(p, []byte(factsJSON), nil)
	if err != nil {
		t.Fatalf("ParseFacts(%s): %v", factsJSON, err)
	}
	d, err := p.Decide(&f)
	if err != nil {
		t.Fatalf("Decide(%s): %v", factsJSON, err)
	}
	return &d
}

func TestReasonsInChinese(t *testing.T) {
	seen := map[string]bool{}
	run := func(t *testing.T, p *policy.Policy, tt zhCase) {
		d := decideFacts(t, p, tt.facts)
		zh := d.ReasonTextsIn("zh")
		if len(zh) != len(d.Reasons()) {
			t.Fatalf("%d reasons in Chinese, %d reasons", len(zh), len(d.Reasons()))
		}
		found := false
		for i, r := range d.Reasons() {
			seen[branchOf(r)] = true
			checkChinese(t, d, r, zh[i])
			if r.Code == tt.code {
				found = true
				if tt.want != "" && zh[i] != tt.want {
					t.Errorf("reason %d in Chinese\n got %s\nwant %s", r.Code, zh[i], tt.want)
				}
			}
		}
		if !found {
			t.Errorf("no reason %d among %q", tt.code, zh)
		}
	}
	for _, tt := range zhCases() {
		t.Run(tt.name, func(t *testing.T) { run(t, policy.Default(), tt) })
	}
	purchase := startsFromPurchase(t)
	for _, tt := range []zhCase{
		{"period from the purchase", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-02-02","reported_on":"2026-04-29","proof_of_purchase":true}`,
			policy.ReasonPeriod, "您的电机保修期为3个月，自2026年1月28日（购买日期）起至2026年4月28日止；您于2026年4月29日报告故障，已过保修期。"},
		{"replacement window from the purchase", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-02-02","reported_on":"2026-02-03","proof_of_purchase":true}`,
			policy.ReasonReplacement, "您在2026年1月28日（购买日期）后7天内（截至2026年2月4日）报告了故障：我们确认缺陷后，免费为您更换同款或同等的后续产品。"},
		{"period from the purchase, within", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-02-02","reported_on":"2026-04-28","proof_of_purchase":true}`,
			policy.ReasonPeriod, ""},
		{"period from the delivery, ended", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-02-02","reported_on":"2026-05-03","proof_of_purchase":true}`,
			policy.ReasonPeriod, ""},
		{"period without a delivery date, within", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-03-03","proof_of_purchase":true}`,
			policy.ReasonPeriod, ""},
		{"no warranty from the purchase", `{"request":"defect","category":"battery","purchased_on":"2026-03-01","delivered_on":"2026-03-03","reported_on":"2026-03-08","proof_of_purchase":true}`,
			policy.ReasonNoWarranty, ""},
		{"no warranty from the purchase, late", `{"request":"defect","category":"battery","purchased_on":"2026-03-01","delivered_on":"2026-03-03","reported_on":"2026-03-09","proof_of_purchase":true}`,
			policy.ReasonNoWarranty, ""},
		{"no warranty from the delivery, late", `{"request":"defect","category":"battery","purchased_on":"2026-03-01","delivered_on":"2026-03-03","reported_on":"2026-03-11","proof_of_purchase":true}`,
			policy.ReasonNoWarranty, ""},
		{"no warranty without a delivery date, in time", `{"request":"defect","category":"battery","purchased_on":"2026-03-01","reported_on":"2026-03-05","proof_of_purchase":true}`,
			policy.ReasonNoWarranty, ""},
	} {
		p := purchase
		if strings.Contains(tt.name, "delivery") {
			p = policy.Default()
		}
		t.Run(tt.name, func(t *testing.T) { run(t, p, tt) })
	}
	payers := shippingPayers(t)
	for _, tt := range []zhCase{
		{"the customer pays the shipping of a free remedy", `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","reported_on":"2026-02-01","proof_of_purchase":true}`,
			policy.ReasonShipping, "往返运费由您承担。"},
		{"the customer pays the shipping of missing parts", `{"request":"missing_parts","category":"consumable","purchased_on":"2026-03-01","reported_on":"2026-03-06","proof_of_purchase":true}`,
			policy.ReasonShipping, "缺少的零件寄给您的运费由您承担。"},
		{"the seller pays any shipping of technical support", `{"request":"defect","category":"battery","purchased_on":"2026-03-01","reported_on":"2026-03-20","proof_of_purchase":true}`,
			policy.ReasonShipping, "如有运费，由我们承担。"},
	} {
		t.Run(tt.name, func(t *testing.T) { run(t, payers, tt) })
	}
	for _, b := range allBranches() {
		if !seen[b] {
			t.Errorf("no case reaches the branch %q of the Chinese reasons", b)
		}
	}
	for b := range seen {
		if !slices.Contains(allBranches(), b) {
			t.Errorf("branch %q is not in allBranches", b)
		}
	}
}

// TestReasonTextsInLanguages: English is the same text as ReasonTexts, and an
// unknown language gets English.
func TestReasonTextsInLanguages(t *testing.T) {
	d := decideFacts(t, policy.Default(), zhCases()[0].facts)
	en := d.ReasonTexts()
	for _, lang := range []string{"en", "", "fr", "zh-TW", "ZH"} {
		if got := d.ReasonTextsIn(lang); !slices.Equal(got, en) {
			t.Errorf("ReasonTextsIn(%q) = %q, want the English %q", lang, got, en)
		}
	}
	if got := policy.Languages(); !slices.Equal(got, []string{"en", "zh"}) {
		t.Errorf("Languages() = %q", got)
	}
	var zero policy.Decision
	if got := zero.ReasonTextsIn("zh"); len(got) != 0 {
		t.Errorf("a zero decision explains itself in Chinese: %q", got)
	}
}

// TestChineseFallsBackToEnglish: a policy file without translations gives
// Chinese sentences with the seller's English words in them, and the
// built-in Chinese phrases of the causes.
func TestChineseFallsBackToEnglish(t *testing.T) {
	p, err := policy.Load("testdata/two-versions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := decideFacts(t, p, `{"request":"defect","category":"electronic_module","purchased_on":"2027-01-01","reported_on":"2028-06-01","proof_of_purchase":true}`)
	if got := d.ReasonTextsIn("zh")[0]; !strings.HasPrefix(got, "您的electronic module保修期为24个月") {
		t.Errorf("no translation: %q, want the English noun", got)
	}
	d = decideFacts(t, p, `{"request":"defect","category":"electronic_module","purchased_on":"2027-01-01","reported_on":"2027-02-01","proof_of_purchase":true,"cause":"misuse"}`)
	if got := d.ReasonTextsIn("zh")[0]; got != "检验发现意外或使用不当（例如进液、滥用、氧化或生锈）造成的损坏，不在保修范围内。" {
		t.Errorf("no translation of the cause: %q", got)
	}
	v := p.Versions[0]
	cat, _ := v.Category("power_module")
	if got := v.CategoryText("zh", cat); got != (policy.CategoryText{Name: cat.Name, Noun: cat.Noun, Note: cat.Note}) {
		t.Errorf("CategoryText without translations = %+v", got)
	}
	if got := v.ClauseText("zh", "3.1"); !strings.HasPrefix(got, "A defect notified within 7 calendar days") {
		t.Errorf("ClauseText without translations = %q", got)
	}
}

// TestTranslationsOfTheDefaultPolicy: the built-in policy gives the Chinese
// of every category (name, noun, note), cause and clause.
func TestTranslationsOfTheDefaultPolicy(t *testing.T) {
	v := policy.Default().Versions[0]
	chinese := func(what, s, en string) {
		if s == "" || s == en || englishWord.MatchString(s) {
			t.Errorf("%s: %q is not Chinese (English %q)", what, s, en)
		}
	}
	for _, c := range v.Categories {
		zh := v.CategoryText("zh", c)
		chinese(c.Key+" name", zh.Name, c.Name)
		chinese(c.Key+" noun", zh.Noun, c.Noun)
		if c.Note != "" {
			chinese(c.Key+" note", zh.Note, c.Note)
		}
		if en := v.CategoryText("en", c); en.Name != c.Name || en.Noun != c.Noun || en.Note != c.Note {
			t.Errorf("%s in English: %+v", c.Key, en)
		}
	}
	for _, c := range v.Clauses {
		chinese("clause "+c.ID, v.ClauseText("zh", c.ID), c.Text)
		if got := v.ClauseText("en", c.ID); got != c.Text {
			t.Errorf("clause %s in English: %q", c.ID, got)
		}
	}
	if got := v.ClauseText("zh", "9.9"); got != "" {
		t.Errorf("ClauseText of no clause = %q", got)
	}
	// The causes: the file's phrases are the ones the reasons say.
	for _, cause := range []string{"environment", "external_event", "misuse", "not_following_instructions",
		"unauthorized_modification", "return_shipping_damage", "not_quality_related"} {
		d := decideFacts(t, policy.Default(), `{"request":"defect","category":"battery","purchased_on":"2026-03-01","reported_on":"2026-03-02","proof_of_purchase":true,"cause":"`+cause+`"}`)
		chinese("cause "+cause, d.ReasonTextsIn("zh")[0], d.ReasonTexts()[0])
	}
	src := strings.Replace(string(policy.DefaultYAML()), "misuse: 意外或使用不当（例如进液、滥用、氧化或生锈）造成的损坏", "misuse: 进液损坏", 1)
	p, err := policy.Parse("cause.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := decideFacts(t, p, `{"request":"defect","category":"battery","purchased_on":"2026-03-01","reported_on":"2026-03-02","proof_of_purchase":true,"cause":"misuse"}`)
	if got := d.ReasonTextsIn("zh")[0]; got != "检验发现进液损坏，不在保修范围内。" {
		t.Errorf("the file's phrase of a cause: %q", got)
	}
}

// TestChineseDates: the day a reason names, the Chinese way.
func TestChineseDates(t *testing.T) {
	for _, tt := range []struct{ iso, want string }{{"2026-11-24", "2026年11月24日"}, {"2026-03-01", "2026年3月1日"}, {"2024-02-29", "2024年2月29日"}} {
		d := date.MustParse(tt.iso)
		f := `{"request":"defect","category":"servo_motor","purchased_on":"` + tt.iso + `","reported_on":"` + tt.iso + `","proof_of_purchase":true}`
		if got := decideFacts(t, policy.Default(), f).ReasonTextsIn("zh")[0]; !strings.Contains(got, "自"+tt.want+"（") {
			t.Errorf("%s: %q does not say %s", d, got, tt.want)
		}
	}
}
