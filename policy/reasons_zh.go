package policy

import (
	"strconv"

	"github.com/aftersale/aftersale/date"
)

// ReasonTextsIn renders the reasons in a language of Languages ("en", "zh");
// any other code gets English. The seller's words (a category's noun and
// note, a cause's phrase) come from the policy file's translations block,
// falling back to the English where it gives none.
func (d *Decision) ReasonTextsIn(lang string) []string {
	if lang != Chinese {
		return d.ReasonTexts()
	}
	out := make([]string, 0, d.nReasons)
	for _, r := range d.Reasons() {
		out = append(out, d.chinese(r))
	}
	return out
}

// dayZH writes a date the Chinese way: 2026年11月24日.
func dayZH(d date.Date) string {
	y, m, day := d.Civil()
	return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(day) + "日"
}

func daysZH(n int) string   { return strconv.Itoa(n) + "天" }
func monthsZH(n int) string { return strconv.Itoa(n) + "个月" }

// chinese is english's counterpart: the same facts, in the same order, in
// Simplified Chinese.
func (d *Decision) chinese(r Reason) string {
	words := d.Version.CategoryText(Chinese, d.Category)
	from, until, reported := r.Dates[0], r.Dates[1], r.Dates[2]
	switch r.Code {
	case ReasonUnauthorizedReseller:
		return "经未授权经销商转售的产品不享受保修，也不能退货。"
	case ReasonPaidService:
		if r.Flag {
			return "我们检查后可以为您有偿维修（零件、人工、运费和关税由您承担），并提供技术支持。"
		}
		return "我们可以为您提供技术支持；本产品不提供免费或有偿维修。"
	case ReasonShipping:
		switch {
		case r.Flag && r.Remedy == RemedyShipMissingParts:
			return "缺少的零件寄给您的运费由我们承担。"
		case r.Flag && r.Remedy == RemedyTechnicalSupport:
			return "如有运费，由我们承担。"
		case r.Flag:
			return "往返运费由我们承担。"
		case r.N == shipChangeOfMind:
			return "由于这不是产品质量问题，运费由您承担。"
		case r.N == shipExcluded && r.Remedy == RemedyPaidRepair:
			return "由于损坏不是产品质量问题，运费和维修费用由您承担。"
		case r.N == shipExcluded:
			return "由于损坏不是产品质量问题，如有运费，由您承担。"
		case r.Remedy == RemedyPaidRepair:
			return "往返运费和维修费用由您承担。"
		case r.Remedy == RemedyTechnicalSupport:
			return "如有运费，由您承担。"
		case r.Remedy == RemedyShipMissingParts:
			return "缺少的零件寄给您的运费由您承担。"
		}
		return "往返运费由您承担。"
	case ReasonReferToDistributor:
		if r.Flag {
			return "您是在授权经销商处购买的，货款由经销商收取：请向经销商申请退货和退款。"
		}
		return "您是在授权经销商处购买的：请先联系经销商的客服。如果联系不上经销商，请告诉我们，由我们总部为您处理。"
	case ReasonHeadquarters:
		if r.Flag {
			return "我们总部为经销商的客户处理这份申请。"
		}
		return "由于联系不上您的经销商，您的申请由我们总部处理。"
	case ReasonDistributorContract:
		return "作为经销商，您的退款和换货按照您与我们签订的经销合同办理。"
	case ReasonNeedProof:
		return "请提供收据、发票或订单记录：我们需要购买凭证才能作出决定。"
	case ReasonNeedDelivery:
		return "请告诉我们您签收包裹的日期：" + onArrivalWhatZH(r.Flag) + "须在签收后" + daysZH(r.N) + "内报告。"
	case ReasonReturnInTime:
		s := "您于" + dayZH(from) + "购买，可在购买后" + daysZH(r.N) + "内（截至" + dayZH(until) + "）退货或换货；您于" +
			dayZH(reported) + "提出申请，在期限内。"
		if r.Flag {
			return s + "检验确认商品保持收货时的状态，可以再次销售。"
		}
		return s + "退回的商品须保持收货时的状态，装在原包装盒内或可以再次销售；商品寄到后我们会检查。"
	case ReasonReturnLate:
		return "退货和换货须在购买后" + daysZH(r.N) + "内申请：您于" + dayZH(from) + "购买，期限截至" + dayZH(until) +
			"；您于" + dayZH(reported) + "提出申请，已逾期" + daysZH(until.DaysUntil(reported)) + "。"
	case ReasonReturnNotResellable:
		return "检验发现退回的商品既未保持收货时的状态，也无法再次销售，因此不能退货。"
	case ReasonExcluded:
		return "检验发现" + d.Version.causePhrase(Chinese, r.Cause) + "，不在保修范围内。"
	case ReasonOnArrivalInTime:
		missing := r.Remedy == RemedyShipMissingParts
		offer := "我们确认损坏后免费为您更换"
		if missing {
			offer = "我们确认后免费为您寄送缺少的零件"
		}
		if r.Flag {
			return "您于" + dayZH(reported) + "报告，在" + dayZH(from) + "购买后的" + daysZH(r.N) + "内，因此也在收货后的" +
				daysZH(r.N) + "内：" + offer + "。"
		}
		return onArrivalWhatZH(missing) + "须在签收包裹（" + dayZH(from) + "）后" + daysZH(r.N) + "内报告，截至" + dayZH(until) +
			"；您于" + dayZH(reported) + "报告，在期限内：" + offer + "。"
	case ReasonOnArrivalLate:
		return onArrivalWhatZH(r.Remedy == RemedyShipMissingParts) + "须在签收包裹（" + dayZH(from) + "）后" + daysZH(r.N) +
			"内报告，截至" + dayZH(until) + "；您于" + dayZH(reported) + "报告，已逾期" + daysZH(until.DaysUntil(reported)) + "。"
	case ReasonPeriod:
		return "您的" + words.Noun + "保修期为" + monthsZH(r.N) + "，自" + dayZH(from) + startPhraseZH(r.Start) + "起至" +
			dayZH(until) + "止；您于" + dayZH(reported) + "报告故障，" + withinZH(r.Flag) + "。"
	case ReasonReplacement:
		return "您在" + dayZH(from) + startPhraseZH(r.Start) + "后" + daysZH(r.N) + "内（截至" + dayZH(until) +
			"）报告了故障：我们确认缺陷后，免费为您更换同款或同等的后续产品。"
	case ReasonFreeRepair:
		return "我们确认故障后，免费为您维修或更换有缺陷的部件。"
	case ReasonReshipped:
		rule := "寄出后" + monthsZH(r.N)
		if r.Original {
			rule += "或原保修期的剩余时间，取较长者"
		}
		return "这件产品经过维修或更换，于" + dayZH(from) + "寄给您：保修至" + dayZH(until) + "，即" + rule + "；您于" +
			dayZH(reported) + "报告故障，" + withinZH(r.Flag) + "。"
	case ReasonNoWarranty:
		s := "该" + words.Noun + "不享受有限保修：自" + dayZH(from) + startPhraseZH(r.Start) + "起" + daysZH(r.N) + "内（截至" +
			dayZH(until) + "）报告的有缺陷零件可免费更换；您于" + dayZH(reported) + "报告"
		if r.Flag {
			return s + "，在期限内：我们确认后免费为您更换有缺陷的零件。"
		}
		return s + "，已超过期限，不能免费更换零件。"
	case ReasonCategoryNote:
		return words.Note
	case ReasonAnswerBy:
		return "我们会在" + daysZH(r.N) + "内答复您，最迟于" + dayZH(from) + "。"
	case ReasonNotReturnable:
		return "该" + words.Noun + "不能单独退货或换货：无理由退货或换货只针对您购买的商品。"
	case ReasonReplacePart:
		return "我们确认故障后，免费为您更换有缺陷的零件。"
	}
	return ""
}

func onArrivalWhatZH(missingParts bool) string {
	if missingParts {
		return "缺件"
	}
	return "收货时发现的损坏"
}

func withinZH(within bool) string {
	if within {
		return "在保修期内"
	}
	return "已过保修期"
}

func startPhraseZH(k StartKind) string {
	switch k {
	case StartedOnDelivery:
		return "（您收货的日期）"
	case StartedOnPurchaseNoDelivery:
		return "（购买日期，因为签收日期不明）"
	}
	return "（购买日期）"
}

// causePhrase returns the words for cause c in lang: the policy file's
// translation, else the built-in phrase.
func (v *Version) causePhrase(lang string, c Cause) string {
	if int(c) >= len(causePhrases) {
		return ""
	}
	if t := v.textsIn(lang); t != nil && t.causes[c] != "" {
		return t.causes[c]
	}
	if lang == Chinese {
		return causePhrasesZH[c]
	}
	return causePhrases[c]
}

var causePhrasesZH = [...]string{
	CauseEnvironment:              "超出标准的使用环境（例如过压、雷击或极端湿度）造成的损坏",
	CauseExternalEvent:            "火灾或地震等外部事件造成的损坏",
	CauseMisuse:                   "意外或使用不当（例如进液、滥用、氧化或生锈）造成的损坏",
	CauseNotFollowingInstructions: "未按产品说明操作造成的损坏",
	CauseUnauthorizedModification: "未经授权的改装、拆解或组装",
	CauseReturnShippingDamage:     "寄回途中的运输损坏",
	CauseNotQualityRelated:        "并非设计、制造或质量问题所致的损坏",
}
