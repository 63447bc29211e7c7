package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/importer"
	"github.com/aftersale/aftersale/policy"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

type importCmd struct {
	Kind        string `arg:"" enum:"products,kits,distributors,customers,orders,deliveries" help:"What the file holds: products, kits, distributors, customers, orders or deliveries (import them in that order)."`
	File        string `arg:"" help:"The CSV or JSON Lines file (importer/FORMATS.md); - reads standard input." placeholder:"FILE"`
	Format      string `enum:"auto,csv,jsonl" default:"auto" help:"csv or jsonl; auto: .jsonl and .ndjson files are JSON Lines, others CSV."`
	SkipInvalid bool   `help:"Apply the good rows and write the refused ones, with their reasons, to the rejects file (default: one bad row refuses the whole file)."`
	Rejects     string `type:"path" placeholder:"PATH" help:"The rejects file of --skip-invalid (default: FILE.rejects.csv)."`
	MaxErrors   int    `default:"100" help:"Bad rows to list; the rest are counted."`
}

func (c importCmd) Run(a *app) error {
	p, err := a.loadPolicy()
	if err != nil {
		return err
	}
	today, err := todayIn(p)
	if err != nil {
		return err
	}
	in, size, err := openInput(a, c.File)
	if err != nil {
		return badInput(err)
	}
	defer in.Close()
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()

	o := importer.Options{Kind: importer.Kind(c.Kind), Format: importer.Format(c.Format), Name: c.File,
		Today: today, Categories: p.CategoryKeys(), SkipInvalid: c.SkipInvalid, MaxErrors: c.MaxErrors}
	if c.Format == "auto" {
		o.Format = importer.FormatOf(c.File)
	}
	var rejects *lazyFile
	if c.SkipInvalid {
		rejects = &lazyFile{path: c.Rejects}
		if rejects.path == "" {
			rejects.path = c.File + ".rejects.csv"
			if c.File == "-" {
				rejects.path = "stdin.rejects.csv"
			}
		}
		o.Rejects = rejects
	}
	bar := newProgress(a.stderr, size, "import "+c.Kind, "rows")
	o.Progress = bar.update
	start := time.Now()
	res, err := importer.Import(a.ctx, db, in, o)
	bar.done()
	if rejects != nil {
		err = errors.Join(err, rejects.finish())
	}
	var ie *importer.InvalidError
	if errors.As(err, &ie) {
		for _, r := range ie.Rows {
			fmt.Fprintln(a.stderr, r.Error())
		}
		more := ""
		if ie.More > 0 {
			more = fmt.Sprintf(" listed and %d more (--max-errors)", ie.More)
		}
		return badInput(fmt.Errorf("%s: %d bad row(s)%s; nothing imported (--skip-invalid applies the good rows)", c.File, len(ie.Rows), more))
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", c.File, err)
	}
	secs := max(time.Since(start).Seconds(), 1e-6)
	fmt.Fprintf(a.stdout, "%s: %s rows read, %s applied, %s rejected (%s rows/s)\n", c.File,
		thousands(res.Read), thousands(res.Applied), thousands(res.Rejected), thousands(int(float64(res.Read)/secs)))
	if res.Rejected > 0 && rejects != nil {
		fmt.Fprintf(a.stdout, "refused rows and their reasons: %s\n", rejects.path)
	}
	return nil
}

// todayIn is the current date in the policy's time zone: the day the
// seller's calendar shows.
func todayIn(p *policy.Policy) (date.Date, error) {
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return date.Date{}, fmt.Errorf("policy time zone %q: %w", p.TimeZone, err)
	}
	return date.FromTime(time.Now().In(loc)), nil
}

// openInput opens path, or standard input for "-"; size is -1 when unknown.
func openInput(a *app, path string) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(a.stdin), -1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("import: %w", err)
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return f, size, nil
}

// lazyFile creates its file on the first write, so a clean import leaves no
// empty rejects file behind (and removes a stale one).
type lazyFile struct {
	path string
	f    *os.File
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.f == nil {
		f, err := os.Create(l.path)
		if err != nil {
			return 0, fmt.Errorf("rejects file: %w", err)
		}
		l.f = f
	}
	return l.f.Write(p)
}

func (l *lazyFile) finish() error {
	if l.f == nil {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale rejects file: %w", err)
		}
		return nil
	}
	return l.f.Close()
}

// progress renders importer.Progress: a bar on a terminal, a plain line
// every few seconds otherwise (logs, CI).
type progress struct {
	w     io.Writer
	label string
	unit  string // what Progress.Rows counts
	size  int64
	bar   *progressbar.ProgressBar
	last  time.Time
}

func newProgress(w io.Writer, size int64, label, unit string) *progress {
	p := &progress{w: w, label: label, unit: unit, size: size, last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(w), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription(label), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(), progressbar.OptionShowCount())
	}
	return p
}

func (p *progress) update(pr importer.Progress) {
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s: %s %s", p.label, thousands(pr.Rows), p.unit))
		p.bar.Set64(pr.Bytes)
		return
	}
	if time.Since(p.last) < 5*time.Second {
		return
	}
	p.last = time.Now()
	pct := ""
	if p.size > 0 {
		pct = fmt.Sprintf(" (%d%%)", pr.Bytes*100/p.size)
	}
	fmt.Fprintf(p.w, "%s: %s %s%s\n", p.label, thousands(pr.Rows), p.unit, pct)
}

func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// thousands formats n as 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
