package store

import (
	"slices"
	"testing"

	"github.com/aftersale/aftersale"
)

// TestDecisionCodecReasonsByLang: the reasons in other languages go into the
// decision's JSON and come back; a row stored before them reads as English.
func TestDecisionCodecReasonsByLang(t *testing.T) {
	d := aftersale.Decision{Outcome: "eligible", Reasons: []string{"We pay the shipping both ways."},
		ReasonsByLang: map[string][]string{"zh": {"往返运费由我们承担。"}}}
	s, err := encodeDecision(d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeDecision([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.ReasonsIn("zh"), []string{"往返运费由我们承担。"}) {
		t.Errorf("round trip of %s: ReasonsIn(zh) = %q", s, got.ReasonsIn("zh"))
	}
	old, err := decodeDecision([]byte(`{"outcome":"eligible","remedies":["free_repair"],"missing":[],"clauses":["3.3"],"reasons":["We repair it."],"covered":true}`))
	if err != nil {
		t.Fatal(err)
	}
	if old.ReasonsByLang != nil || !slices.Equal(old.ReasonsIn("zh"), []string{"We repair it."}) {
		t.Errorf("an old row: %+v, ReasonsIn(zh) = %q", old, old.ReasonsIn("zh"))
	}
	want := `{"outcome":"eligible","remedies":null,"missing":null,"clauses":null,"reasons":null,"covered":false}`
	if s, _ := encodeDecision(aftersale.Decision{Outcome: "eligible"}); s != want {
		t.Errorf("a decision without translations is stored as %s, want %s", s, want)
	}
}
