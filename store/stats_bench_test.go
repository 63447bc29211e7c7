package store_test

import (
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// BenchmarkClaimStats loads a million claims (AFTERSALE_BENCH_CLAIMS
// changes the size; -short loads 20,000) and measures the dashboard's
// aggregates: "compute" is what one refresh costs (at most once a minute,
// off the request path after the first), "cached" what a request costs
// once computed.
//
//	AFTERSALE_REQUIRE_POSTGRES=1 go test ./store -run '^$' -bench ClaimStats -benchtime 3x
func BenchmarkClaimStats(b *testing.B) {
	n := benchClaims(b)
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			db := open(b, e.dsn(b))
			start := time.Now()
			if err := store.SeedClaimsForBenchmark(b.Context(), db, n); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: loaded %d claims in %s", e.name, n, time.Since(start).Round(time.Millisecond))
			since := date.MustParse("2024-12-01")
			b.Run("compute", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.ClaimStats(b.Context(), since); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("cached", func(b *testing.B) {
				now := func() time.Time { return time.Date(2025, 11, 24, 9, 0, 0, 0, time.UTC) }
				s := &workflow.Statistics{Read: db, Now: now, Today: func() date.Date { return date.FromTime(now()) }}
				staff := aftersale.Actor{UserID: 1, Email: "m@shop.test", Role: aftersale.RoleManager}
				if _, err := s.Get(b.Context(), staff); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := s.Get(b.Context(), staff); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
