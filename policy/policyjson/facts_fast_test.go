package policyjson

import (
	"encoding/json"
	"testing"
)

// FuzzFastFactsParser: whenever the fast parser accepts an input, the
// general parser accepts it too and reads exactly the same facts.
func FuzzFastFactsParser(f *testing.F) {
	for _, s := range []string{
		`{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}`,
		` { "request" : "return" , "category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-09","resellable":null,"sku":null } `,
		`{"request":"defect","sku":"ALS-1","category":"gift","channel":"authorized_distributor","applicant":"staff","distributor_unreachable":false,"purchased_on":"2024-02-29","reported_on":"2024-03-07","resellable":false,"cause":"misuse","reshipped_on":"2024-03-01","distributor":"D","serial":"S"}`,
		`{"request":"defect","request":"return","category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-09"}`,
		`{"request":"defect","category":"bat\u0074ery","purchased_on":"2026-03-02","reported_on":"2026-03-09"}`,
		`{"request":"defect","category":"battery","purchased_on":"2026-02-30","reported_on":"2026-03-09"}`,
		`{"request":"defect","category":"battery","purchased_on":"2026-03-02","reported_on":"2026-03-09"}x`,
		`{}`, `[]`, `{"request":"Defect"}`, `{"proof_of_purchase":"true"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := parseFactsFast(data)
		if !ok {
			return
		}
		general, err := parseFactsGeneral(data)
		if err != nil {
			t.Fatalf("fast parser accepted %q, the general one refused it: %v", data, err)
		}
		if fast != general {
			t.Fatalf("%q: fast %+v, general %+v", data, fast, general)
		}
	})
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\rcr\x01\x1f",
		"Servos & motors", "line\u2028sep\u2029", "bad \xff utf8 \xc3", "中文 ünïcödé ✓", "\x7f", "back\bspace form\ffeed"} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}
