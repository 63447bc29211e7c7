package workflow_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
	"github.com/google/go-cmp/cmp"
)

// fakeStats counts its calls and answers n claims submitted, n the call's
// number.
type fakeStats struct {
	calls atomic.Int64
	since []date.Date
	mu    sync.Mutex
}

func (f *fakeStats) ClaimStats(_ context.Context, since date.Date) (workflow.StatsRows, error) {
	n := f.calls.Add(1)
	f.mu.Lock()
	f.since = append(f.since, since)
	f.mu.Unlock()
	return workflow.StatsRows{
		ByStatus: []workflow.Count{{Key: "submitted", N: n}},
		Defects: []workflow.DefectRate{{SKU: "A", Claims: 1, Sold: 100}, {SKU: "B", Claims: 3, Sold: 10},
			{SKU: "C", Claims: 5, Sold: 0}, {SKU: "D", Claims: 2, Sold: 20}},
		Answers: []workflow.AnswerMonth{{Month: "2026-11", OnTime: 2, Late: 1}},
		Costs: []workflow.CostRow{{Month: "2026-10", Currency: "USD", Refunds: 500, RefundCount: 1},
			{Month: "2026-11", Currency: "EUR", Refunds: 3000, RefundCount: 1}},
	}, nil
}

// The statistics are computed once per minute; a later request reads the
// previous figures while one refresh runs in the background.
func TestStatisticsCache(t *testing.T) {
	var mu sync.Mutex
	clock := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	f := &fakeStats{}
	s := &workflow.Statistics{Read: f, Now: now, Today: func() date.Date { return date.FromTime(now()) }}
	submitted := func() int64 {
		t.Helper()
		st, err := s.Get(t.Context(), manager)
		if err != nil {
			t.Fatal(err)
		}
		return st.ByStatus[0].N
	}
	if got := submitted(); got != 1 {
		t.Fatalf("first: %d submitted, want 1", got)
	}
	advance(59 * time.Second)
	if got := submitted(); got != 1 || f.calls.Load() != 1 {
		t.Fatalf("within the minute: %d submitted after %d computations, want 1 and 1", got, f.calls.Load())
	}
	advance(time.Second)
	if got := submitted(); got != 1 {
		t.Fatalf("a minute later the request reads the old figures: %d, want 1", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for submitted() != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the background refresh never landed")
		}
		time.Sleep(time.Millisecond)
	}
	if n := f.calls.Load(); n != 2 {
		t.Errorf("%d computations, want 2", n)
	}
	if f.since[0].String() != "2025-12-01" {
		t.Errorf("monthly series from %s, want 2025-12-01 (12 months to November 2026)", f.since[0])
	}
}

func TestStatisticsShapeAndAccess(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }
	s := &workflow.Statistics{Read: &fakeStats{}, Now: now, Today: func() date.Date { return date.FromTime(now()) }}
	for _, a := range []aftersale.Actor{distEU, {ClaimNumber: "RMA-2026-000001", Role: aftersale.RoleCustomer}, {}} {
		if _, err := s.Get(t.Context(), a); aftersale.KindOf(err) != aftersale.Forbidden && aftersale.KindOf(err) != aftersale.Unauthorized {
			t.Errorf("%s reads the statistics: %v", a, err)
		}
	}
	st, err := s.Get(t.Context(), inspector)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.ByStatus) != len(aftersale.Statuses()) || st.ByStatus[0].Key != "submitted" || st.ByStatus[1].N != 0 {
		t.Errorf("by status %+v, want every status in workflow order", st.ByStatus)
	}
	if len(st.Months) != 12 || st.Months[0] != "2025-12" || st.Months[11] != "2026-11" {
		t.Errorf("months %v", st.Months)
	}
	if a := st.Answers[11]; a.Month != "2026-11" || a.OnTime != 2 || a.Late != 1 || st.Answers[0].OnTime != 0 {
		t.Errorf("answers %+v", st.Answers)
	}
	var skus []string
	for _, d := range st.Defects {
		skus = append(skus, d.SKU)
	}
	if len(skus) != 3 || skus[0] != "B" || skus[1] != "D" || skus[2] != "A" {
		t.Errorf("defects by rate %v, want B (30%%), D (10%%), A (1%%), and C (none sold) left out", skus)
	}
	if len(st.Costs) != 2 || st.Costs[0].Currency != "EUR" || st.Costs[1].Currency != "USD" ||
		st.Costs[0].Months[11].Refunds != 3000 || st.Costs[1].Months[10].Refunds != 500 || len(st.Costs[0].Months) != 12 {
		t.Errorf("costs %+v", st.Costs)
	}
}

// A distributor reads its own contract terms only; staff read any.
func TestDistributorTerms(t *testing.T) {
	cl := newClaimsAt(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := t.Context()
	terms, err := cl.DistributorTerms(ctx, distEU, "")
	if err != nil {
		t.Fatal(err)
	}
	if terms.Distributor.Name != "Robotics Europe" || terms.Replacement.Days != 14 || terms.Replacement.Source != "registry" ||
		terms.Replacement.Clause != "A4" || terms.Return.Days != 7 || terms.Return.Source != "policy" || terms.Return.Clause != "1" {
		t.Errorf("DIST-EU's terms %+v", terms)
	}
	if terms.ChangeOfMind.PaidBy != "customer" || terms.ChangeOfMind.Clause != "A3" || terms.QualityRemedy.PaidBy != "seller" ||
		len(terms.ReferClauses) != 2 || terms.ReferClauses[0] != "5.3" || terms.HeadquartersClause != "6.1" || terms.AnswerDays != 3 {
		t.Errorf("DIST-EU's rules %+v", terms)
	}
	tests := []struct {
		name  string
		actor aftersale.Actor
		code  string
		kind  aftersale.ErrorKind
	}{
		{"another distributor's", distEU, "DIST-ASIA", aftersale.NotFound},
		{"staff read any", agent, "DIST-ASIA", ""},
		{"unknown code", manager, "DIST-XX", aftersale.NotFound},
		{"a customer", aftersale.Actor{Role: aftersale.RoleCustomer, ClaimNumber: "RMA-1"}, "DIST-EU", aftersale.Forbidden},
		{"anonymous", aftersale.Actor{}, "DIST-EU", aftersale.Unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cl.DistributorTerms(ctx, tt.actor, tt.code)
			if aftersale.KindOf(err) != tt.kind {
				t.Errorf("got %v, want kind %q", err, tt.kind)
			}
		})
	}
}

// gatedStats answers only once its gate opens: a computation that takes
// long, as a million claims do.
type gatedStats struct {
	fakeStats
	gate chan struct{}
}

func (g *gatedStats) ClaimStats(ctx context.Context, since date.Date) (workflow.StatsRows, error) {
	<-g.gate
	return g.fakeStats.ClaimStats(ctx, since)
}

// While the first computation runs, Within says the figures are not ready
// instead of waiting; Warm has started that one computation, which every
// reader then shares.
func TestStatisticsWithin(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }
	g := &gatedStats{gate: make(chan struct{})}
	s := &workflow.Statistics{Read: g, Now: now, Today: func() date.Date { return date.FromTime(now()) }}
	s.Warm(t.Context())
	if _, ready, err := s.Within(t.Context(), manager, 10*time.Millisecond); err != nil || ready {
		t.Fatalf("during the first computation: ready %v, %v; want not ready", ready, err)
	}
	if _, _, err := s.Within(t.Context(), aftersale.Actor{}, time.Second); aftersale.KindOf(err) != aftersale.Unauthorized {
		t.Errorf("an anonymous reader: %v, want Unauthorized", err)
	}
	close(g.gate)
	st, ready, err := s.Within(t.Context(), manager, -1)
	if err != nil || !ready || st.ByStatus[0].N != 1 {
		t.Fatalf("after the computation: ready %v, %v, %d submitted; want ready with 1", ready, err, st.ByStatus[0].N)
	}
	if n := g.calls.Load(); n != 1 {
		t.Errorf("%d computations for Warm and two readers, want 1", n)
	}
}

// exceptionStats answers only exceptions.
type exceptionStats []workflow.ExceptionCount

func (x exceptionStats) ClaimStats(context.Context, date.Date) (workflow.StatsRows, error) {
	latest := []workflow.ExceptionEvent{{Claim: "RMA-2026-000009", Line: 1, Remedy: "reject", By: "ann@shop.test", Reason: "abuse"}}
	return workflow.StatsRows{Exceptions: x, LatestExceptions: latest}, nil
}

// The exceptions are tabulated per manager, most free remedies first (a
// paid repair and a rejection are exceptions, not free remedies), one
// column per remedy granted in the workflow's order, rejections last.
func TestStatisticsExceptions(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }
	rows := exceptionStats{{By: "ann@shop.test", Remedy: "reject", N: 4}, {By: "ann@shop.test", Remedy: "refund", N: 1},
		{By: "bob@shop.test", Remedy: "free_repair", N: 2}, {By: "bob@shop.test", Remedy: "paid_repair", N: 1},
		{By: "cid@shop.test", Remedy: "free_repair", N: 1}, {By: "cid@shop.test", Remedy: "refund", N: 1}}
	s := &workflow.Statistics{Read: rows, Now: now, Today: func() date.Date { return date.FromTime(now()) }}
	st, err := s.Get(t.Context(), manager)
	if err != nil {
		t.Fatal(err)
	}
	want := workflow.ExceptionStats{Free: 5, Total: 10, Remedies: []string{"refund", "free_repair", "paid_repair", "reject"},
		ByManager: []workflow.ManagerExceptions{
			{By: "bob@shop.test", Free: 2, Total: 3, N: []int64{0, 2, 1, 0}},
			{By: "cid@shop.test", Free: 2, Total: 2, N: []int64{1, 1, 0, 0}},
			{By: "ann@shop.test", Free: 1, Total: 5, N: []int64{1, 0, 0, 4}}},
		Latest: []workflow.ExceptionEvent{{Claim: "RMA-2026-000009", Line: 1, Remedy: "reject", By: "ann@shop.test", Reason: "abuse"}}}
	if d := cmp.Diff(want, st.Exceptions); d != "" {
		t.Errorf("exceptions (-want +got):\n%s", d)
	}
	for _, r := range []string{"refund", "exchange", "free_replacement", "replace_defective_parts", "ship_missing_parts", "free_repair"} {
		if !workflow.FreeRemedy(r) {
			t.Errorf("%s is not a free remedy", r)
		}
	}
	if workflow.FreeRemedy("paid_repair") || workflow.FreeRemedy("reject") {
		t.Error("a paid repair or a rejection counted as a free remedy")
	}
}
