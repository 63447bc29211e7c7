package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/workflow"
)

// movingClock is the tests' clock, moved forward by hand.
type movingClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *movingClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return testday.Now().Add(c.off)
}

func (c *movingClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// TestIdempotencyKey: an Idempotency-Key is kept 24 hours per caller; a
// retry with the same body gets the first claim, the same key with another
// body a 422 naming the key, and a retry while the first request is still
// being handled a 409; on both engines.
func TestIdempotencyKey(t *testing.T) {
	for _, engine := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") }},
		{"postgres", func(t *testing.T) string { return pg.Database(t) }},
	} {
		t.Run(engine.name, func(t *testing.T) { idempotencyKeyCases(t, engine.dsn(t)) })
	}
}

func idempotencyKeyCases(t *testing.T, dsn string) {
	clock := &movingClock{}
	env := newTestEnvClock(t, dsn, clock.now)
	claims := env.claims()
	// The first request with the key "slow" stops in the opener until
	// released, so that another one comes while it is under way.
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	open := claims.Opener
	claims.Opener = func(ctx context.Context, o workflow.ClaimOpening) (string, error) {
		if o.IdempotencyKey == "slow" {
			once.Do(func() {
				entered <- struct{}{}
				<-release
			})
		}
		return open(ctx, o)
	}
	s := &claimsServer{env.serve(t, api.WithClaims(claims)), env.tokens}
	body := func(description string) string {
		return `{"request":"defect","description":"` + description + `","customer_email":"ann@example.com","lines":[{"serial":"SV-9"}]}`
	}
	post := func(who, key, b string) (int, map[string]any) {
		t.Helper()
		st, _, out := s.do(t, who, "POST", "/api/v1/claims", b, map[string]string{"Idempotency-Key": key})
		return st, out
	}
	namesKey := func(out map[string]any, key string) bool {
		return fieldOf(out) == "Idempotency-Key" && strings.Contains(mustJSON(t, out), key)
	}

	st, first := post("agent", "k-1", body("jitters"))
	if st != 201 {
		t.Fatalf("first request: %d %v", st, first)
	}
	for _, tt := range []struct {
		name, who, key, body string
		status               int
		same                 bool // the answer is the first claim
	}{
		{"a retry with the same body", "agent", "k-1", body("jitters"), 201, true},
		{"the same key with another body", "agent", "k-1", body("jitters a lot"), 422, false},
		{"the same key from another caller", "manager", "k-1", body("jitters a lot"), 201, false},
		{"another key", "agent", "k-2", body("jitters"), 201, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, out := post(tt.who, tt.key, tt.body)
			switch {
			case st != tt.status:
				t.Fatalf("%d %v, want %d", st, out, tt.status)
			case st == 422 && !namesKey(out, tt.key):
				t.Errorf("the problem does not name the key: %v", out)
			case st == 201 && (out["number"] == first["number"]) != tt.same:
				t.Errorf("claim %v; the first was %v", out["number"], first["number"])
			}
		})
	}

	t.Run("while the first request is under way", func(t *testing.T) {
		done := make(chan map[string]any)
		go func() { // no t.Fatal here: the test's goroutine reads done
			out := map[string]any{}
			req, _ := http.NewRequest("POST", s.URL+"/api/v1/claims", strings.NewReader(body("slow")))
			req.Header.Set("Authorization", "Bearer "+s.tokens["agent"])
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "slow")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- map[string]any{"error": err.Error()}
				return
			}
			defer resp.Body.Close()
			_ = json.NewDecoder(resp.Body).Decode(&out)
			out["http_status"] = resp.StatusCode
			done <- out
		}()
		<-entered
		st, out := post("agent", "slow", body("slow"))
		close(release)
		slow := <-done
		if st != 409 || !namesKey(out, "slow") {
			t.Errorf("a retry while the first runs: %d %v, want 409 naming the key", st, out)
		}
		if slow["http_status"] != 201 {
			t.Fatalf("the first request: %v", slow)
		}
		if st, out := post("agent", "slow", body("slow")); st != 201 || out["number"] != slow["number"] {
			t.Errorf("a retry once it finished: %d %v, want claim %v", st, out["number"], slow["number"])
		}
	})

	t.Run("kept 24 hours", func(t *testing.T) {
		clock.advance(24*time.Hour - time.Second)
		if st, out := post("agent", "k-1", body("jitters a lot")); st != 422 {
			t.Errorf("another body a second before the key expires: %d %v", st, out)
		}
		clock.advance(time.Second)
		st, out := post("agent", "k-1", body("jitters a lot"))
		if st != 201 || out["number"] == first["number"] {
			t.Errorf("the key after 24 hours: %d %v, want a new claim", st, out["number"])
		}
		if st, again := post("agent", "k-1", body("jitters a lot")); st != 201 || again["number"] != out["number"] {
			t.Errorf("a retry of the new request: %d %v, want %v", st, again["number"], out["number"])
		}
	})
}
