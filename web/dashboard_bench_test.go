package web_test

import (
	"net/http"
	"testing"
	"time"
)

// TestDashboardServerTime measures requests for the dashboard page and its
// charts over HTTP with a signed-in manager, once the statistics are in
// memory (workflow.Statistics computes them at most once a minute, and the
// store benchmark BenchmarkClaimStats measures that on a million claims).
// What a request then costs does not depend on how many claims are stored:
// the figures are a few dozen numbers. It fails past the 100 ms budget.
//
//	go test ./web -run DashboardServerTime -v
func TestDashboardServerTime(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement")
	}
	e := newEnv(t)
	dashClaims(e)
	br := e.browser("zh-CN")
	br.login("manager")
	for _, path := range []string{"/staff/dashboard", "/staff/dashboard/status.svg", "/staff/dashboard/answers.svg",
		"/staff/dashboard/cost-EUR.svg", "/staff/dashboard/defects.svg"} {
		res := testing.Benchmark(func(b *testing.B) {
			for b.Loop() {
				if p := br.get(path); p.Status != http.StatusOK {
					b.Fatalf("%s: %d", path, p.Status)
				}
			}
		})
		per := time.Duration(res.NsPerOp())
		t.Logf("%-32s %8s per request (%d requests)", path, per.Round(time.Microsecond), res.N)
		if per > 100*time.Millisecond {
			t.Errorf("%s takes %s, past the 100 ms budget", path, per)
		}
	}
}
