package policyjson_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/aftersale/aftersale/policy/policyjson"
)

// encodeNoHTML is what an Encoder after SetEscapeHTML(false) writes for v,
// without its newline.
func encodeNoHTML(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// FuzzAppendJSONString: any string, in both modes, is written byte for byte
// as encoding/json writes it.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\rcr\x01\x1f",
		"back\bspace form\ffeed", "line\u2028sep\u2029", "bad \xff utf8 \xc3", "中文 ünïcödé ✓", "\x7f", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := policyjson.AppendJSONString(nil, s, true); string(got) != string(want) {
			t.Fatalf("AppendJSONString(%q, escapeHTML) = %s, encoding/json %s", s, got, want)
		}
		if got, want := policyjson.AppendJSONString(nil, s, false), encodeNoHTML(t, s); string(got) != string(want) {
			t.Fatalf("AppendJSONString(%q) = %s, an Encoder without HTML escaping %s", s, got, want)
		}
	})
}

// TestDecisionJSONAppendNils: the lists and the optional dates of a
// DecisionJSON built by hand (nil, empty, absent) encode as encoding/json
// encodes them.
func TestDecisionJSONAppendNils(t *testing.T) {
	end := "2026-12-31"
	paid := "seller"
	tests := []struct {
		name string
		d    policyjson.DecisionJSON
	}{
		{"zero", policyjson.DecisionJSON{}},
		{"empty lists", policyjson.DecisionJSON{Remedies: []string{}, Missing: []string{}, Clauses: []string{}, Reasons: []string{}}},
		{"all set", policyjson.DecisionJSON{Outcome: "eligible", Remedies: []string{"free_repair"}, ShippingPaidBy: &paid,
			Warranty: policyjson.WarrantyJSON{Covered: true, StartsOn: "2026-01-01", EndsOn: &end}, Missing: []string{"delivered_on"},
			RespondBy: "2026-01-04", Clauses: []string{"2", "5.4"}, Reasons: []string{"a & b <c>"}, PolicyVersion: "2026.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.d.AppendJSON(nil, true); string(got) != string(want) {
				t.Errorf("AppendJSON\n%s\nencoding/json\n%s", got, want)
			}
			if got, want := tt.d.AppendJSON(nil, false), encodeNoHTML(t, tt.d); string(got) != string(want) {
				t.Errorf("AppendJSON without HTML escaping\n%s\nencoding/json\n%s", got, want)
			}
		})
	}
}
