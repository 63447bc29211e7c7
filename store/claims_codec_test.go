package store

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// TestDecisionCodecReasonsByLang: the reasons in other languages go into the
// decision's JSON and come back; a row stored before them reads as English.
func TestDecisionCodecReasonsByLang(t *testing.T) {
	d := aftersale.Decision{Outcome: "eligible", Reasons: []string{"We pay the shipping both ways."},
		ReasonsByLang: map[string][]string{"zh": {"往返运费由我们承担。"}}}
	s, err := encodeDecision("decision", d)
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
	if s, _ := encodeDecision("decision", aftersale.Decision{Outcome: "eligible"}); s != want {
		t.Errorf("a decision without translations is stored as %s, want %s", s, want)
	}
}

// TestDecisionCodecRefusesUnreadableDates: a decision whose warranty ends
// past 9999-12-31 (bought on 9999-12-31 with a 3-month term) is refused
// as Invalid naming the field, instead of being stored as 0000-03-31,
// which no read could decode.
func TestDecisionCodecRefusesUnreadableDates(t *testing.T) {
	start := date.MustParse("9999-12-31")
	for _, d := range []aftersale.Decision{
		{Outcome: "eligible", Covered: true, StartsOn: start, EndsOn: start.AddMonths(3)},
		{Outcome: "eligible", StartsOn: date.Of(1, 1, 1)},
	} {
		_, err := encodeDecision("lines[0].decision", d)
		var e *aftersale.Error
		if !errors.As(err, &e) || e.Kind != aftersale.Invalid || !strings.HasPrefix(e.Field, "lines[0].decision.") {
			t.Errorf("decision %s to %s: %v, want Invalid naming lines[0].decision", d.StartsOn, d.EndsOn, err)
		}
	}
	d := aftersale.Decision{Outcome: "eligible", Covered: true, StartsOn: start.AddMonths(-3), EndsOn: start}
	s, err := encodeDecision("decision", d)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := decodeDecision([]byte(s)); err != nil || back.EndsOn != start {
		t.Errorf("the last day: %+v %v", back, err)
	}
}
