package web_test

import (
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/web"
)

// TestEventDetailInTheReadersLanguage: an event's recorded facts read in
// each language; an event without them shows its detail as recorded.
func TestEventDetailInTheReadersLanguage(t *testing.T) {
	cat, err := web.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		e      aftersale.Event
		en, zh string
	}{
		{"created", aftersale.Event{Kind: "created", Detail: "defect; SERVO-MG SV-30: eligible",
			Data: map[string]string{"request": "defect", "lines": "2", "item.1": "SERVO-MG SV-30", "outcome.1": "eligible",
				"item.2": "PSU-1", "outcome.2": "not_eligible"}},
			"Defect; SERVO-MG SV-30: Eligible; PSU-1: Not eligible", "质量故障；SERVO-MG SV-30：符合条件；PSU-1：不符合条件"},
		{"decided", aftersale.Event{Kind: "decided", Data: map[string]string{"line": "1", "from": "eligible", "to": "not_eligible",
			"remedies": "paid_repair,technical_support", "shipping": "customer"}},
			"", "第 1 项：符合条件 → 不符合条件（付费维修；技术支持；由客户承担运费）"},
		{"refund", aftersale.Event{Kind: "refund", Data: map[string]string{"id": "3", "amount_minor": "1250", "currency": "EUR", "reference": "R-9"}},
			"", "退款 3：€12.50，参考号 R-9"},
		{"delivered", aftersale.Event{Kind: "shipment", Data: map[string]string{"direction": "inbound", "id": "2", "carrier": "DHL",
			"tracking": "123", "delivered_on": "2026-11-24"}},
			"", "寄回给我们，包裹 2（DHL 123）于 2026年11月24日 签收"},
		{"an unknown outcome keeps its code", aftersale.Event{Kind: "exception", Data: map[string]string{"line": "2", "remedy": "free_repair",
			"outcome": "someday", "reason": "loyal customer"}},
			"", "第 2 项：政策判定为someday，特批免费维修：loyal customer"},
		{"people's own words", aftersale.Event{Kind: "approve", Detail: "The new servo is on its way."},
			"The new servo is on its way.", "The new servo is on its way."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for lang, want := range map[string]string{"en": tt.en, "zh": tt.zh} {
				if want == "" {
					continue
				}
				if got := cat.Locale(lang).EventDetail(tt.e); got != want {
					t.Errorf("%s: %q, want %q", lang, got, want)
				}
			}
		})
	}
}
