package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale/store"
)

// BenchmarkPages measures the server time of the main pages, each request
// through the whole site over loopback (middleware, session, use case,
// store, template), with 1,000,000 claims stored (-short: 20,000). The
// dashboard's statistics are computed once before the clock starts, as
// the server keeps them for a minute (store's BenchmarkClaimStats measures
// that computation).
//
//	go test ./web -run '^$' -bench Pages -benchtime 200x
func BenchmarkPages(b *testing.B) {
	n := 1_000_000
	if testing.Short() {
		n = 20_000
	}
	e := newEnv(b)
	start := time.Now()
	if err := store.SeedClaimsForBenchmark(b.Context(), e.db, n); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d claims seeded in %s", n, time.Since(start).Round(time.Second))
	staff := e.browser("en")
	staff.login("manager")
	zh := e.browser("zh-CN")
	zh.login("manager")
	// The first dashboard request starts the statistics and, over many
	// claims, answers before they are ready: wait for the charts.
	warm := time.Now()
	for {
		p := staff.get("/staff/dashboard")
		if p.Status != http.StatusOK {
			b.Fatalf("dashboard: %d", p.Status)
		}
		if strings.Contains(p.Body, "/staff/dashboard/status.svg") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Logf("dashboard's statistics computed in %s", time.Since(warm).Round(time.Millisecond))
	pages := []struct {
		name string
		as   *browser
		path string
	}{
		{"home", e.browser("en"), "/"},
		{"warranty", e.browser("en"), "/warranty?q=SV-30"},
		{"queue", staff, "/staff"},
		{"queue_zh", zh, "/staff"},
		{"queue_overdue_category", staff, "/staff?overdue=1&category=cat3"},
		// No claim has this category: the whole queue is walked.
		{"queue_category_none", staff, "/staff?category=battery&all=1"},
		{"queue_search_email", staff, "/staff?q=c4242%40example.com"},
		{"claim", staff, "/staff/claims/RMA-2020-000020"},
		{"dashboard", staff, "/staff/dashboard"},
		{"chart", staff, "/staff/dashboard/status.svg"},
		{"registry", staff, "/staff/registry"},
	}
	for _, pg := range pages {
		b.Run(pg.name, func(b *testing.B) {
			for b.Loop() {
				if p := pg.as.get(pg.path); p.Status != http.StatusOK {
					b.Fatalf("%s: %d\n%.500s", pg.path, p.Status, p.Body)
				}
			}
		})
	}
}
