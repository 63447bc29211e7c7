package workflow_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/aftersale/aftersale/workflow"
)

// BenchmarkOpenClaim opens claims from 32 concurrent clients, each with one
// line found by serial in the registry, judged, numbered and committed
// durably with its event and customer link: the whole use case. Compare
// with the store's BenchmarkCreateClaim and its bare-INSERT baseline. Like
// that one it measures a warm pool: each client first opens two claims,
// untimed.
func BenchmarkOpenClaim(b *testing.B) {
	for _, e := range []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "a.db") }},
		{"postgres", func(b *testing.B) string { return pg.Database(b) }},
	} {
		b.Run(e.name, func(b *testing.B) {
			cl := newClaimsAt(b, e.dsn(b))
			in := workflow.OpenClaimInput{Request: "defect", Lines: []workflow.OpenLine{{Serial: "SV-9"}}}
			var warm sync.WaitGroup
			for range 32 {
				warm.Add(1)
				go func() {
					defer warm.Done()
					for range 2 {
						if _, err := claimOf(cl.Open(b.Context(), agent, in, "")); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			warm.Wait()
			b.SetParallelism(16) // 32 clients on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := claimOf(cl.Open(b.Context(), agent, in, "")); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
		})
	}
}
