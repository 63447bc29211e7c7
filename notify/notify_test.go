package notify_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/notify"
)

func TestTemplates(t *testing.T) {
	c := aftersale.Claim{Number: "RMA-2026-000007", Request: "damaged_on_arrival", CustomerEmail: "ann@example.com",
		RespondBy: date.MustParse("2026-12-08"), Status: aftersale.StatusApproved, ApprovedRemedy: "free_replacement",
		Quote: &aftersale.Quote{Lines: []aftersale.QuoteLine{{Kind: "labour", Description: "1 h", Amount: aftersale.Money{Minor: 4500, Currency: "EUR"}}},
			Total: aftersale.Money{Minor: 4500, Currency: "EUR"}}}
	opened, err := notify.ClaimOpened(c, "https://x/claims/RMA-2026-000007?access=cl_abc", "cl_abc")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := notify.InformationNeeded(c, " Which firmware? ")
	status, _ := notify.StatusChanged(c, "Granted.")
	quote, _ := notify.QuoteSent(c)
	tests := []struct {
		m       notify.Message
		subject string
		has     []string
	}{
		{opened, "Your claim RMA-2026-000007 is received", []string{"damaged on arrival", "2026-12-08", "?access=cl_abc", "180 days"}},
		{info, "We need information for your claim RMA-2026-000007", []string{"\nWhich firmware?\n"}},
		{status, "Your claim RMA-2026-000007: approved (free replacement)", []string{"Granted."}},
		{quote, "A quote for your claim RMA-2026-000007", []string{"labour", "1 h", "Total: "}},
	}
	for _, tt := range tests {
		if tt.m.To != "ann@example.com" || tt.m.Subject != tt.subject || tt.m.Validate() != nil {
			t.Errorf("message %+v", tt.m)
		}
		for _, s := range tt.has {
			if !strings.Contains(tt.m.Body, s) {
				t.Errorf("%s: body lacks %q:\n%s", tt.subject, s, tt.m.Body)
			}
		}
	}
	if opened.Secret != "cl_abc" || strings.Contains(opened.Redacted(), "cl_abc") {
		t.Errorf("secret %q, redacted %q", opened.Secret, opened.Redacted())
	}
}

func TestMessageValidate(t *testing.T) {
	for _, m := range []notify.Message{
		{To: "", Subject: "s"},
		{To: "nobody", Subject: "s"},
		{To: "a@b.c\r\nBcc: evil@x.y", Subject: "s"},
		{To: "a@b.c, evil@x.y", Subject: "s"},
		{To: "a@b.c", Subject: "s\r\nBcc: evil@x.y"},
	} {
		if m.Validate() == nil {
			t.Errorf("%q accepted", m.To+" / "+m.Subject)
		}
	}
}

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		url, from, addr string
		implicit, auth  bool
		wantErr         bool
	}{
		{"smtp://user:pa%40ss@mail.example.com", "rma@shop.example", "mail.example.com:587", false, true, false},
		{"smtp://mail.example.com:25", "Service <rma@shop.example>", "mail.example.com:25", false, false, false},
		{"smtps://u:p@mail.example.com", "rma@shop.example", "mail.example.com:465", true, true, false},
		{"http://mail.example.com", "rma@shop.example", "", false, false, true},
		{"smtp://", "rma@shop.example", "", false, false, true},
		{"smtp://mail.example.com", "", "", false, false, true},
	}
	for _, tt := range tests {
		s, err := notify.ParseSMTPURL(tt.url, tt.from)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		if err == nil && (s.Addr != tt.addr || s.Implicit != tt.implicit || (s.Auth != nil) != tt.auth) {
			t.Errorf("%s: %+v", tt.url, s)
		}
	}
}
