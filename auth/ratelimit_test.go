package auth_test

import (
	"testing"
	"time"

	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/internal/testday"
)

// DailyBytes counts per key and overall, and starts again the next UTC day.
func TestDailyBytes(t *testing.T) {
	now := testday.Now().UTC()
	clock := func() time.Time { return now }
	d := auth.NewDailyBytes(100, 250, clock)
	steps := []struct {
		key      string
		add      int64
		wantLeft int64
	}{
		{"a", 0, 100},
		{"a", 60, 40},
		{"b", 100, 0},
		{"c", 80, 10}, // 240 sent overall: 10 left for anyone
		{"d", 0, 10},
	}
	for _, s := range steps {
		d.Add(s.key, s.add)
		if left, retry := d.Left(s.key); left != s.wantLeft || retry <= 0 || retry > 24*time.Hour {
			t.Errorf("%s after %d: left %d, retry %v; want %d", s.key, s.add, left, retry, s.wantLeft)
		}
	}
	now = now.Add(24 * time.Hour)
	if left, _ := d.Left("b"); left != 100 {
		t.Errorf("the next day b has %d left, want 100", left)
	}
	if left, _ := auth.NewDailyBytes(0, 0, clock).Left("a"); left < 1<<40 {
		t.Errorf("no limit: %d left", left)
	}
}

// A Limiter counts what succeeds through Take: Blocked once the allowance
// is used, with the time to wait.
func TestLimiterTake(t *testing.T) {
	now := testday.Now()
	l := auth.NewLimiter(2, time.Hour, func() time.Time { return now })
	for i := range 2 {
		if blocked, _ := l.Blocked("ann@example.com"); blocked {
			t.Fatalf("blocked before claim %d", i+1)
		}
		l.Take("ann@example.com")
	}
	blocked, retry := l.Blocked("ann@example.com")
	if !blocked || retry <= 0 || retry > time.Hour {
		t.Errorf("after 2: blocked %v, retry %v", blocked, retry)
	}
	if blocked, _ := l.Blocked("bob@example.com"); blocked {
		t.Error("another key is blocked")
	}
	now = now.Add(time.Hour)
	if blocked, _ := l.Blocked("ann@example.com"); blocked {
		t.Error("still blocked an hour later")
	}
}
