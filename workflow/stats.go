package workflow

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// StatsReader computes the claims' statistics: counts over every claim, and
// the monthly series from the first day since on. Months are "YYYY-MM".
type StatsReader interface {
	ClaimStats(ctx context.Context, since date.Date) (StatsRows, error)
}

// Count is how many claims (or lines) have one value of a key.
type Count struct {
	Key string
	N   int64
}

// DefectRate is one product's claims for a defect against its units sold
// (on order lines, and inside kits sold).
type DefectRate struct {
	SKU    string
	Name   string
	Claims int64 // claims for a defect naming the product
	Sold   int64 // units sold
}

// Percent is the claims per hundred units sold (0 when none was sold).
func (d DefectRate) Percent() float64 {
	if d.Sold == 0 {
		return 0
	}
	return 100 * float64(d.Claims) / float64(d.Sold)
}

// AnswerMonth is how the claims reported in a month were first answered:
// on or before their respond-by day (A2), after it, or not yet.
type AnswerMonth struct {
	Month                    string
	OnTime, Late, Unanswered int64
}

// CostRow is a month's warranty cost in one currency: the refunds paid, and
// the order-line price of the units replaced (a new unit, shipped).
type CostRow struct {
	Month         string
	Currency      string
	Refunds       int64 // minor units
	RefundCount   int64
	Replacements  int64 // minor units
	ReplacedUnits int64
}

// MonthCount is a number per month.
type MonthCount struct {
	Month string
	N     int64
}

// StatsRows are the aggregates as the store computes them: only the keys
// and months that have claims.
type StatsRows struct {
	ByStatus   []Count
	ByCategory []Count // claims per category of their lines' products
	ByCause    []Count // inspected lines per cause found
	ByRequest  []Count
	Defects    []DefectRate // every product with a claim for a defect
	Answers    []AnswerMonth
	Costs      []CostRow
	// KitParts counts replaced parts of kits per month: their order line's
	// price is the kit's, so they carry no price of their own.
	KitParts []MonthCount
	// SellerShipments counts the parcels the seller paid for, per month
	// shipped: shipments record no freight cost.
	SellerShipments []MonthCount
	// Exceptions counts the managers' exceptions to the policy recorded
	// from the first day since on (00:00 UTC), per manager and remedy: the
	// history's "exception" events, one per line.
	Exceptions []ExceptionCount
	// LatestExceptions are the newest of those events, newest first: at
	// most LatestExceptionsShown.
	LatestExceptions []ExceptionEvent
}

// ExceptionCount is how many lines one manager granted one remedy on as an
// exception to the policy.
type ExceptionCount struct {
	By     string // the manager, as the history names the actor
	Remedy string // a free remedy, "paid_repair" (a quote for a repair the policy gives free) or "reject"
	N      int64
}

// ExceptionEvent is one exception to the policy in a claim's history.
type ExceptionEvent struct {
	Claim   string // the claim's number
	Line    int
	Remedy  string // as in ExceptionCount
	Outcome string // the policy's decision it was granted against
	By      string
	Reason  string
	At      time.Time
}

// LatestExceptionsShown is how many of the newest exceptions the
// dashboard lists.
const LatestExceptionsShown = 10

// FreeRemedy reports whether an exception's remedy is a free remedy given
// against the policy: not a paid repair charged for what the policy gives
// free, nor the rejection of an eligible line.
func FreeRemedy(remedy string) bool { return remedy != "paid_repair" && remedy != "reject" }

// ExceptionStats are the managers' exceptions to the policy over the
// monthly series' months.
type ExceptionStats struct {
	Free  int64 // lines given a free remedy by exception
	Total int64 // every exception: free remedies, paid repairs and rejections
	// Remedies are the remedies granted, in the workflow's order (free
	// remedies, then paid_repair), then reject.
	Remedies  []string
	ByManager []ManagerExceptions // most free remedies first
	Latest    []ExceptionEvent    // newest first
}

// ManagerExceptions are one manager's exceptions.
type ManagerExceptions struct {
	By          string
	Free, Total int64
	N           []int64 // per ExceptionStats.Remedies
}

// CurrencyCosts is one currency's cost of warranty, month by month.
type CurrencyCosts struct {
	Currency string
	Months   []CostRow // one per month of Stats.Months
}

// Stats is the dashboard's data.
type Stats struct {
	AsOf       time.Time
	Months     []string // the monthly series' months, oldest first (12)
	ByStatus   []Count  // every status, in workflow order
	ByCategory []Count  // most claims first
	ByCause    []Count
	ByRequest  []Count
	Defects    []DefectRate // the 10 highest rates among products sold
	Answers    []AnswerMonth
	Costs      []CurrencyCosts // by currency code; money is never added across currencies
	KitParts   []MonthCount
	// SellerShipments: parcels paid by the seller, per month (a count: no
	// cost is recorded for a shipment).
	SellerShipments []MonthCount
	// Exceptions: the managers' exceptions to the policy over Months.
	Exceptions ExceptionStats
}

// statsMonths is how many months the monthly series cover, this one included.
const statsMonths = 12

// Statistics serves the dashboard's statistics to staff. Aggregates over a
// million claims take seconds, so they are computed at most once per MaxAge
// (or ten times the last computation's time, if longer) per process: the
// first request waits for them; after that, requests read memory, and the
// first request after MaxAge starts one refresh in the background and reads
// the previous figures meanwhile.
type Statistics struct {
	Read   StatsReader
	Today  func() date.Date // the seller's calendar day
	Now    func() time.Time
	MaxAge time.Duration // 0: a minute

	load  sync.Mutex // held while computing
	mu    sync.Mutex
	cur   *Stats
	took  time.Duration // the last computation's time
	busy  bool          // a background refresh runs
	first *firstRun     // the first computation, until it succeeds
}

// NewStatistics returns the statistics of the claims c reads, or nil when
// c's reader cannot compute them.
func NewStatistics(c *Claims) *Statistics {
	if c == nil || c.Service == nil {
		return nil
	}
	r, ok := c.Read.(StatsReader)
	if !ok {
		return nil
	}
	return &Statistics{Read: r, Today: c.Today, Now: c.Now}
}

// Get returns the statistics; staff only (a distributor's users and
// customers see no figures across customers). It waits for the first
// computation however long it takes.
func (s *Statistics) Get(ctx context.Context, actor aftersale.Actor) (Stats, error) {
	st, _, err := s.Within(ctx, actor, -1)
	return st, err
}

// Within is Get waiting at most wait (negative: as long as it takes) for
// the first computation: ready is false when the figures are not there
// yet, and they go on being computed in the background, so that a page
// can say so instead of hanging for the seconds a million claims take.
func (s *Statistics) Within(ctx context.Context, actor aftersale.Actor, wait time.Duration) (st Stats, ready bool, err error) {
	if !actor.Can(aftersale.ViewClaims) || actor.Role == aftersale.RoleDistributor || actor.Role == aftersale.RoleCustomer {
		return Stats{}, false, forbidden(actor, "see the claims' statistics")
	}
	s.mu.Lock()
	if cur := s.cur; cur != nil {
		// A refresh that takes long (a million claims on a small machine)
		// runs at most a tenth of the time.
		maxAge := max(cmp.Or(s.MaxAge, time.Minute), 10*s.took)
		if s.Now().Sub(cur.AsOf) >= maxAge && !s.busy {
			s.busy = true
			go s.refresh(context.WithoutCancel(ctx))
		}
		s.mu.Unlock()
		return *cur, true, nil
	}
	first := s.startFirst(ctx)
	s.mu.Unlock()
	var timeout <-chan time.Time
	if wait >= 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-first.done:
		if first.err != nil {
			return Stats{}, false, first.err
		}
		return *first.st, true, nil
	case <-timeout:
		return Stats{}, false, nil
	case <-ctx.Done():
		return Stats{}, false, ctx.Err()
	}
}

// Warm starts the first computation in the background, so that the first
// reader of the dashboard need not wait for it (serve calls it at start).
func (s *Statistics) Warm(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		s.startFirst(ctx)
	}
}

// firstRun is the first computation, which every early reader waits on.
type firstRun struct {
	done chan struct{}
	st   *Stats
	err  error
}

// startFirst returns the first computation, starting it if none runs; a
// failed one is forgotten, so the next reader tries again. s.mu is held.
func (s *Statistics) startFirst(ctx context.Context) *firstRun {
	if s.first != nil {
		return s.first
	}
	f := &firstRun{done: make(chan struct{})}
	s.first = f
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
		defer cancel()
		s.load.Lock()
		st, err := s.compute(ctx)
		s.load.Unlock()
		s.mu.Lock()
		if err == nil {
			s.cur, f.st = &st, &st
		} else {
			f.err = err
			s.first = nil
		}
		s.mu.Unlock()
		close(f.done)
	}()
	return f
}

// refresh recomputes the statistics in the background; on failure the old
// figures stay and the next request tries again.
func (s *Statistics) refresh(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	s.load.Lock()
	st, err := s.compute(ctx)
	s.load.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy = false
	if err == nil {
		s.cur = &st
	}
}

func (s *Statistics) compute(ctx context.Context) (Stats, error) {
	asOf := s.Now()
	y, m, _ := s.Today().Civil()
	first := date.Of(y, m, 1).AddMonths(1 - statsMonths)
	rows, err := s.Read.ClaimStats(ctx, first)
	if err != nil {
		return Stats{}, err
	}
	s.mu.Lock()
	s.took = s.Now().Sub(asOf)
	s.mu.Unlock()
	return shapeStats(rows, asOf, first), nil
}

// shapeStats orders the rows and fills the months without claims.
func shapeStats(r StatsRows, asOf time.Time, first date.Date) Stats {
	st := Stats{AsOf: asOf, ByCategory: byCount(r.ByCategory), ByCause: byCount(r.ByCause), ByRequest: byCount(r.ByRequest)}
	y, m, _ := first.Civil()
	for i := range statsMonths {
		st.Months = append(st.Months, time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"))
	}
	for _, status := range aftersale.Statuses() {
		c := Count{Key: string(status)}
		for _, x := range r.ByStatus {
			if x.Key == c.Key {
				c.N = x.N
			}
		}
		st.ByStatus = append(st.ByStatus, c)
	}
	for _, d := range r.Defects {
		if d.Sold > 0 {
			st.Defects = append(st.Defects, d)
		}
	}
	slices.SortFunc(st.Defects, func(a, b DefectRate) int {
		// a.Claims/a.Sold > b.Claims/b.Sold, without floating point.
		return cmp.Or(cmp.Compare(b.Claims*a.Sold, a.Claims*b.Sold), cmp.Compare(b.Claims, a.Claims), cmp.Compare(a.SKU, b.SKU))
	})
	st.Defects = st.Defects[:min(len(st.Defects), 10)]
	for _, month := range st.Months {
		a := AnswerMonth{Month: month}
		for _, x := range r.Answers {
			if x.Month == month {
				a = x
			}
		}
		st.Answers = append(st.Answers, a)
	}
	st.KitParts = perMonth(st.Months, r.KitParts)
	st.SellerShipments = perMonth(st.Months, r.SellerShipments)
	var currencies []string
	for _, c := range r.Costs {
		if !slices.Contains(currencies, c.Currency) {
			currencies = append(currencies, c.Currency)
		}
	}
	slices.Sort(currencies)
	for _, cur := range currencies {
		cc := CurrencyCosts{Currency: cur}
		for _, month := range st.Months {
			row := CostRow{Month: month, Currency: cur}
			for _, x := range r.Costs {
				if x.Month == month && x.Currency == cur {
					row = x
				}
			}
			cc.Months = append(cc.Months, row)
		}
		st.Costs = append(st.Costs, cc)
	}
	st.Exceptions = shapeExceptions(r.Exceptions, r.LatestExceptions)
	return st
}

// shapeExceptions tabulates the exceptions per manager, one column per
// remedy granted.
func shapeExceptions(counts []ExceptionCount, latest []ExceptionEvent) ExceptionStats {
	ex := ExceptionStats{Latest: latest}
	order := append(slices.Clone(remedies), "reject")
	rank := func(r string) int {
		if i := slices.Index(order, r); i >= 0 {
			return i
		}
		return len(order) // a remedy the workflow no longer knows: last
	}
	for _, c := range counts {
		if !slices.Contains(ex.Remedies, c.Remedy) {
			ex.Remedies = append(ex.Remedies, c.Remedy)
		}
	}
	slices.SortFunc(ex.Remedies, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
	byName := map[string]*ManagerExceptions{}
	for _, c := range counts {
		m := byName[c.By]
		if m == nil {
			m = &ManagerExceptions{By: c.By, N: make([]int64, len(ex.Remedies))}
			byName[c.By] = m
		}
		m.N[slices.Index(ex.Remedies, c.Remedy)] += c.N
		m.Total += c.N
		ex.Total += c.N
		if FreeRemedy(c.Remedy) {
			m.Free += c.N
			ex.Free += c.N
		}
	}
	for _, m := range byName {
		ex.ByManager = append(ex.ByManager, *m)
	}
	slices.SortFunc(ex.ByManager, func(a, b ManagerExceptions) int {
		return cmp.Or(cmp.Compare(b.Free, a.Free), cmp.Compare(b.Total, a.Total), cmp.Compare(a.By, b.By))
	})
	return ex
}

func byCount(cs []Count) []Count {
	out := slices.Clone(cs)
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) })
	return out
}

func perMonth(months []string, rows []MonthCount) []MonthCount {
	out := make([]MonthCount, 0, len(months))
	for _, month := range months {
		mc := MonthCount{Month: month}
		for _, x := range rows {
			if x.Month == month {
				mc.N = x.N
			}
		}
		out = append(out, mc)
	}
	return out
}
