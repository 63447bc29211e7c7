package web_test

import (
	"strings"
	"testing"
	"time"
)

// A search longer than the use case's limit (200 characters) is refused
// with 422 and the form naming it, before any search: 66,000 characters
// once grew a SQLite server to 12 GB. 200 characters still search.
func TestLongSearchRefused(t *testing.T) {
	e := newEnv(t)
	e.openClaim("agent", "", "defect", "SV-30")
	long := strings.Repeat("a", 66000)
	tests := []struct {
		name, user, lang, path string
		status                 int
		want                   []string
	}{
		{"staff queue", "agent", "en", "/staff?q=" + long, 422, []string{`id="f-q-error"`, "At most 200 characters"}},
		{"staff queue zh", "agent", "zh", "/staff?q=" + long, 422, []string{`id="f-q-error"`, "最多 200 个字符"}},
		{"staff queue, a long distributor", "agent", "en", "/staff?distributor=" + long, 422, []string{`id="f-distributor-error"`}},
		{"distributor portal", "eu", "en", "/distributor?q=" + long, 422, []string{`id="q-error"`, "Search for at most 200 characters."}},
		{"staff queue, 200 characters", "agent", "en", "/staff?q=" + strings.Repeat("é", 200), 200, []string{"No claims match"}},
		{"distributor portal, 200 characters", "eu", "en", "/distributor?q=" + strings.Repeat("a", 200), 200, []string{"No claim matches"}},
		{"registry, a long serial", "agent", "en", "/staff/registry?serial=" + long, 422, nil},
		{"warranty, a long number", "", "en", "/warranty?q=" + long, 422, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser(tt.lang)
			if tt.user != "" {
				b.login(tt.user)
			}
			start := time.Now()
			p := b.get(tt.path)
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %s", took)
			}
			if p.Status != tt.status {
				t.Fatalf("status %d, want %d\n%.2000s", p.Status, tt.status, p.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Body, w) {
					t.Errorf("page lacks %q\n%.3000s", w, p.Body)
				}
			}
		})
	}
	e.noMissingMessages()
}
