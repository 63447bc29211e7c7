package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/workflow"
)

// dashboardRoutes registers the staff dashboard and its charts. The
// statistics are one use case per server, so that its cache (a minute)
// serves every request of this process.
func (s *Server) dashboardRoutes(mux *http.ServeMux) {
	stats := s.Stats
	if stats == nil {
		return
	}
	s.handle(mux, "GET /staff/dashboard", func(w http.ResponseWriter, r *http.Request) error {
		return s.dashboard(w, r, stats)
	})
	s.handle(mux, "GET /staff/dashboard/{file}", func(w http.ResponseWriter, r *http.Request) error {
		return s.dashboardChart(w, r, stats)
	})
}

type dashboardPage struct {
	Page
	AsOf       string // when the figures were computed, in the reader's format
	Charts     []dashChart
	Exceptions dashExceptions
	Pending    bool // the figures are still being computed: the page reloads itself
}

// dashExceptions is the section on the managers' exceptions to the
// policy: how many free remedies they gave, per manager and remedy, and
// the newest exceptions with their reasons.
type dashExceptions struct {
	Summary string    // how many, over which months
	Table   dashTable // one row per manager, one column per remedy
	Latest  []dashException
}

// dashException is one of the newest exceptions, in the reader's words.
type dashException struct {
	Claim  string // its number; the page links to /staff/claims/<Claim>
	Line   int
	Remedy string
	By     string
	Reason string
	At     string
}

// dashStats returns the statistics for a staff reader, or why not: anonymous
// readers are sent to sign in (errSignIn), others get
// the use case's refusal.
//
// With a million claims the first computation takes seconds: a request
// waits for it at most statsWait, then the page says the figures are on
// their way (ready false).
func (s *Server) dashStats(r *http.Request, stats *workflow.Statistics) (st workflow.Stats, ready bool, err error) {
	a := auth.ActorFrom(r.Context())
	if a.Anonymous() {
		return workflow.Stats{}, false, errSignIn
	}
	return stats.Within(r.Context(), a, statsWait)
}

// statsWait is how long a dashboard request waits for figures not yet
// computed.
const statsWait = 2 * time.Second

// dashboard shows the charts, each with its numbers as a table.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, stats *workflow.Statistics) error {
	st, ready, err := s.dashStats(r, stats)
	if err != nil {
		return err
	}
	p := s.page(r, "dashboard", "dashboard.title")
	if !ready {
		return s.render(w, r, http.StatusOK, "dashboard.html", dashboardPage{Page: p, Pending: true})
	}
	d := dashboardPage{Page: p, AsOf: p.L.Time(st.AsOf), Charts: dashCharts(p.L, st), Exceptions: dashExceptionsOf(p.L, st)}
	return s.render(w, r, http.StatusOK, "dashboard.html", d)
}

// dashboardChart serves one chart as SVG, its texts in the reader's
// language. The SVG has no script; its CSP allows the inline styles the
// charts library writes and nothing else.
func (s *Server) dashboardChart(w http.ResponseWriter, r *http.Request, stats *workflow.Statistics) error {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
	if !ok {
		return &aftersale.Error{Kind: aftersale.NotFound, Message: "no such chart"}
	}
	st, ready, err := s.dashStats(r, stats)
	if err != nil {
		return err
	}
	if !ready {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "The figures are being computed.", http.StatusServiceUnavailable)
		return nil
	}
	for _, c := range dashCharts(s.i18n.For(r), st) {
		if c.ID != id {
			continue
		}
		svg, err := dashSVG(c)
		if err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "image/svg+xml")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		h.Set("Cache-Control", "private, max-age=60")
		h.Set("Vary", "Accept-Language, Cookie")
		if err := writeBody(w, r, http.StatusOK, svg); err != nil {
			s.Log.DebugContext(r.Context(), "write chart", "chart", id, "err", err)
		}
		return nil
	}
	return &aftersale.Error{Kind: aftersale.NotFound, Message: "no chart " + id}
}

// dashCharts lays out the dashboard: what each chart draws and its table.
func dashCharts(l *Locale, st workflow.Stats) []dashChart {
	count := func(n int64) string { return strconv.FormatInt(n, 10) }
	counts := func(id string, cs []workflow.Count, label func(string) string) dashChart {
		c := dashChart{ID: id, Title: l.T("dashboard." + id + ".title"), Alt: l.T("dashboard." + id + ".alt"),
			Table: dashTable{Head: []string{l.T("dashboard." + id + ".key"), l.T("dashboard.claims")}}}
		vals := []float64{}
		var total int64
		for _, x := range cs {
			name := label(x.Key)
			total += x.N
			c.plot.Labels = append(c.plot.Labels, name)
			vals = append(vals, float64(x.N))
			c.Table.Rows = append(c.Table.Rows, []string{name, count(x.N)})
		}
		c.plot.Values, c.plot.Horizontal, c.Empty = [][]float64{vals}, true, total == 0
		return c
	}
	byMsg := func(prefix string) func(string) string {
		return func(k string) string { return l.TOr(prefix+k, k) }
	}
	out := []dashChart{
		counts("status", st.ByStatus, byMsg("status.")),
		counts("category", st.ByCategory, byMsg("category.")),
		counts("cause", st.ByCause, byMsg("dashboard.causes.")),
		counts("request", st.ByRequest, byMsg("dashboard.requests.")),
	}
	out[2].Table.Head[1] = l.T("dashboard.lines")
	out = append(out, dashDefects(l, st), dashAnswers(l, st))
	out = append(out, dashCosts(l, st)...)
	return append(out, dashShipping(l, st))
}

func dashDefects(l *Locale, st workflow.Stats) dashChart {
	c := dashChart{ID: "defects", Title: l.T("dashboard.defects.title"), Alt: l.T("dashboard.defects.alt"),
		Note: l.T("dashboard.defects.note"), Empty: len(st.Defects) == 0,
		Table: dashTable{Head: []string{l.T("dashboard.defects.key"), l.T("dashboard.defects.claims"),
			l.T("dashboard.defects.sold"), l.T("dashboard.defects.rate")}}}
	vals := []float64{}
	for _, d := range st.Defects {
		c.plot.Labels = append(c.plot.Labels, d.SKU)
		vals = append(vals, d.Percent())
		c.Table.Rows = append(c.Table.Rows, []string{d.SKU + " " + d.Name, strconv.FormatInt(d.Claims, 10),
			strconv.FormatInt(d.Sold, 10), strconv.FormatFloat(d.Percent(), 'f', 2, 64) + "%"})
	}
	c.plot.Values, c.plot.Horizontal, c.plot.Decimals = [][]float64{vals}, true, 2
	return c
}

// dashMonth names a "YYYY-MM" month the reader's way: Nov 2026, 2026年11月.
func dashMonth(l *Locale, m string) string {
	y, mm, ok := strings.Cut(m, "-")
	n, err := strconv.Atoi(mm)
	if !ok || err != nil || n < 1 || n > 12 {
		return m
	}
	if l.Code == "zh" {
		return y + "年" + strconv.Itoa(n) + "月"
	}
	return monthsEN[n-1] + " " + y
}

func dashAnswers(l *Locale, st workflow.Stats) dashChart {
	c := dashChart{ID: "answers", Title: l.T("dashboard.answers.title"), Alt: l.T("dashboard.answers.alt"),
		Note: l.T("dashboard.answers.note"),
		Table: dashTable{Head: []string{l.T("dashboard.month"), l.T("dashboard.answers.on_time"),
			l.T("dashboard.answers.late"), l.T("dashboard.answers.unanswered")}}}
	c.plot = dashPlot{Stacked: true, Values: make([][]float64, 3),
		Series: []string{l.T("dashboard.answers.on_time"), l.T("dashboard.answers.late"), l.T("dashboard.answers.unanswered")}}
	var total int64
	for _, a := range st.Answers {
		m := dashMonth(l, a.Month)
		c.plot.Labels = append(c.plot.Labels, m)
		for i, n := range []int64{a.OnTime, a.Late, a.Unanswered} {
			c.plot.Values[i] = append(c.plot.Values[i], float64(n))
			total += n
		}
		c.Table.Rows = append(c.Table.Rows, []string{m, strconv.FormatInt(a.OnTime, 10),
			strconv.FormatInt(a.Late, 10), strconv.FormatInt(a.Unanswered, 10)})
	}
	c.Empty = total == 0
	return c
}

// dashCosts is a chart per currency: money is never added across
// currencies. Without refunds or replacements there is one empty chart.
func dashCosts(l *Locale, st workflow.Stats) []dashChart {
	if len(st.Costs) == 0 {
		return []dashChart{{ID: "cost", Title: l.T("dashboard.cost.none_title"), Alt: l.T("dashboard.cost.none_title"), Empty: true}}
	}
	var kitParts int64
	for _, k := range st.KitParts {
		kitParts += k.N
	}
	note := l.T("dashboard.cost.note")
	if kitParts > 0 {
		note += " " + l.T("dashboard.cost.kit_parts", "Count", kitParts)
	}
	out := make([]dashChart, 0, len(st.Costs))
	for _, cc := range st.Costs {
		c := dashChart{ID: "cost-" + cc.Currency, Title: l.T("dashboard.cost.title", "Currency", cc.Currency),
			Alt: l.T("dashboard.cost.alt", "Currency", cc.Currency), Note: note,
			Table: dashTable{Head: []string{l.T("dashboard.month"), l.T("dashboard.cost.refunds"),
				l.T("dashboard.cost.replacements"), l.T("dashboard.cost.total")}}}
		c.plot = dashPlot{Stacked: true, Values: make([][]float64, 2), Decimals: 2,
			Series: []string{l.T("dashboard.cost.refunds"), l.T("dashboard.cost.replacements")}}
		for _, row := range cc.Months {
			m := dashMonth(l, row.Month)
			money := func(minor int64) aftersale.Money { return aftersale.Money{Minor: minor, Currency: cc.Currency} }
			c.plot.Labels = append(c.plot.Labels, m)
			c.plot.Values[0] = append(c.plot.Values[0], dashMajor(money(row.Refunds)))
			c.plot.Values[1] = append(c.plot.Values[1], dashMajor(money(row.Replacements)))
			c.Table.Rows = append(c.Table.Rows, []string{m,
				l.T("dashboard.cost.cell", "Money", l.Money(money(row.Refunds)), "Count", row.RefundCount),
				l.T("dashboard.cost.units", "Money", l.Money(money(row.Replacements)), "Count", row.ReplacedUnits),
				l.Money(money(row.Refunds + row.Replacements))})
		}
		out = append(out, c)
	}
	return out
}

// dashMajor is an amount in major units, for drawing only: tables and
// totals keep the integer minor units.
func dashMajor(m aftersale.Money) float64 {
	f, err := strconv.ParseFloat(strings.Fields(m.String())[0], 64)
	if err != nil {
		return 0
	}
	return f
}

func dashShipping(l *Locale, st workflow.Stats) dashChart {
	c := dashChart{ID: "shipping", Title: l.T("dashboard.shipping.title"), Alt: l.T("dashboard.shipping.alt"),
		Note:  l.T("dashboard.shipping.note"),
		Table: dashTable{Head: []string{l.T("dashboard.month"), l.T("dashboard.shipping.parcels")}}}
	vals := []float64{}
	var total int64
	for _, mc := range st.SellerShipments {
		m := dashMonth(l, mc.Month)
		c.plot.Labels = append(c.plot.Labels, m)
		vals = append(vals, float64(mc.N))
		total += mc.N
		c.Table.Rows = append(c.Table.Rows, []string{m, strconv.FormatInt(mc.N, 10)})
	}
	c.plot.Values, c.Empty = [][]float64{vals}, total == 0
	return c
}

// dashExceptionsOf lays out the exceptions over the monthly series'
// months: the managers, most free remedies first, with a column per remedy
// granted and their free remedies' total; and the newest exceptions.
func dashExceptionsOf(l *Locale, st workflow.Stats) dashExceptions {
	ex := st.Exceptions
	var d dashExceptions
	if len(st.Months) > 0 {
		d.Summary = l.T("dashboard.exceptions.summary", "Count", ex.Free, "From", dashMonth(l, st.Months[0]),
			"To", dashMonth(l, st.Months[len(st.Months)-1]))
		if others := ex.Total - ex.Free; others > 0 {
			d.Summary += " " + l.T("dashboard.exceptions.others", "Count", others)
		}
	}
	for _, e := range ex.Latest {
		d.Latest = append(d.Latest, dashException{Claim: e.Claim, Line: e.Line, Remedy: dashExceptionRemedy(l, e.Remedy),
			By: e.By, Reason: e.Reason, At: l.Time(e.At)})
	}
	if len(ex.ByManager) == 0 {
		return d
	}
	d.Table.Head = []string{l.T("dashboard.exceptions.manager")}
	for _, r := range ex.Remedies {
		d.Table.Head = append(d.Table.Head, dashExceptionRemedy(l, r))
	}
	d.Table.Head = append(d.Table.Head, l.T("dashboard.exceptions.free"))
	for _, m := range ex.ByManager {
		row := []string{m.By}
		for _, n := range m.N {
			row = append(row, strconv.FormatInt(n, 10))
		}
		d.Table.Rows = append(d.Table.Rows, append(row, strconv.FormatInt(m.Free, 10)))
	}
	return d
}

// dashExceptionRemedy names what an exception granted: a remedy, or the
// rejection of a line the policy found eligible.
func dashExceptionRemedy(l *Locale, r string) string {
	if r == "reject" {
		return l.T("dashboard.exceptions.reject")
	}
	return l.TOr("remedy."+r, r)
}
