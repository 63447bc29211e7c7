package aftersale_test

import (
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
)

func TestCheckText(t *testing.T) {
	for _, tt := range []struct {
		s    string
		max  int
		want string // "" for none
	}{
		{"SV-9", 10, ""},
		{"", 10, ""},
		{"伺服电机", 0, ""},
		{"SV\x00", 10, "serial: contains a NUL character"},
		{"RMA-\xff\xfe", 10, "serial: is not UTF-8 text"},
		{strings.Repeat("x", 11), 10, "serial: at most 10 characters"},
	} {
		err := aftersale.CheckText("serial", tt.s, tt.max)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.s, err)
			}
			continue
		}
		var ae *aftersale.Error
		if err == nil || err.Error() != tt.want || aftersale.KindOf(err) != aftersale.Invalid || !asError(err, &ae) || ae.Field != "serial" {
			t.Errorf("%q: %v, want %s", tt.s, err, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"ann@example.com": true, " Ann@Example.COM ": true, "a.b+c@shop.co.uk": true, "李@例子.中国": true,
		"not-an-address": false, "@example.com": false, "ann@": false, "ann@ex ample.com": false,
		"ann\x00@example.com": false, "a\xff@example.com": false, "<ann@example.com>": false,
		"ann@example.com, bob@example.com": false, `"ann"@example.com`: false, "ann@example..com": false,
		"ann@.example.com": false, "ann@example.com.": false, strings.Repeat("a", 250) + "@x.io": false,
	} {
		if got := aftersale.ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
