package web

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-analyze/charts"
)

// dashChart is one chart of the dashboard: drawn as SVG at Src, and the
// same numbers as a table under it, for screen readers and readers without
// images. Every text is already in the reader's language.
type dashChart struct {
	ID    string // the SVG's name: /staff/dashboard/<ID>.svg
	Title string
	Alt   string // the image's short description
	Note  string // what the figures count, where it is not obvious
	Empty bool   // no figure to draw: the page says so instead of an image
	Table dashTable
	plot  dashPlot
}

// Src is the chart's address.
func (c dashChart) Src() string { return "/staff/dashboard/" + c.ID + ".svg" }

// Width and Height are the chart's size in CSS pixels, given to its <img>
// so that the page keeps its place before the image arrives.
func (c dashChart) Width() int { return 640 }

// Height: a horizontal chart grows with its number of labels.
func (c dashChart) Height() int {
	if c.plot.Horizontal {
		return max(240, 90+28*max(len(c.plot.Labels), 1))
	}
	return 400
}

// dashTable is a chart's numbers: one row per label.
type dashTable struct {
	Head []string
	Rows [][]string
}

// dashPlot is what the SVG draws: a value per label for each series.
type dashPlot struct {
	Labels     []string
	Series     []string    // the legend; one unnamed series draws none
	Values     [][]float64 // [series][label]
	Horizontal bool        // labels down the side, for long names
	Stacked    bool
	Decimals   int // of the value axis and the bars' labels
}

// dashSVG draws c as an SVG document with the charts library's embedded
// font (Roboto) for measuring text: nothing is fetched, and the browser
// draws the text with its own fonts (CJK included).
func dashSVG(c dashChart) ([]byte, error) {
	p := c.plot
	values := p.Values
	if len(values) == 0 || len(p.Labels) == 0 {
		values, p.Labels = [][]float64{{0}}, []string{""}
	}
	opt := charts.NewBarChartOptionWithData(values)
	opt.Title = charts.TitleOption{Text: c.Title, FontStyle: charts.NewFontStyleWithSize(15)}
	opt.Horizontal = p.Horizontal
	opt.CategoryAxis.Labels = p.Labels
	if p.Stacked {
		opt.StackSeries = charts.Ptr(true)
	}
	if len(p.Series) > 1 {
		opt.Legend = charts.LegendOption{SeriesNames: p.Series, Offset: charts.OffsetRight}
	}
	if top := dashTop(p); p.Decimals == 0 && top <= 5 {
		// Small counts: whole numbers on the axis, not 0, 0, 1, 1.
		opt.ValueAxis[0].Min, opt.ValueAxis[0].Max = charts.Ptr(0.0), charts.Ptr(float64(max(top, 1)))
		opt.ValueAxis[0].LabelCount = max(top, 1) + 1
	}
	format := func(f float64) string { return strconv.FormatFloat(f, 'f', p.Decimals, 64) }
	opt.ValueFormatter = format
	if !p.Stacked {
		for i := range opt.SeriesList {
			opt.SeriesList[i].Label.Show = charts.Ptr(true)
			opt.SeriesList[i].Label.ValueFormatter = format
		}
	}
	width, height := c.Width(), c.Height()
	if p.Horizontal {
		// The embedded font has no CJK glyphs, so it measures a Chinese
		// label short; the browser draws it a full em per character.
		wide := 0
		for _, l := range p.Labels {
			n := 0
			for _, r := range l {
				if r >= 0x2E80 {
					n++
				}
			}
			wide = max(wide, n)
		}
		opt.Padding = charts.Box{Top: 20, Right: 40, Bottom: 20, Left: 20 + 8*wide}
	} else {
		opt.Padding = charts.Box{Top: 20, Right: 20, Bottom: 20, Left: 20}
	}
	painter := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: width, Height: height})
	if err := painter.BarChart(opt); err != nil {
		return nil, fmt.Errorf("web: chart %s: %w", c.ID, err)
	}
	buf, err := painter.Bytes()
	if err != nil {
		return nil, fmt.Errorf("web: chart %s: %w", c.ID, err)
	}
	return buf, nil
}

// dashTop is the largest bar, stacked or not, rounded up.
func dashTop(p dashPlot) int {
	var top float64
	for i := range p.Labels {
		var sum float64
		for _, vs := range p.Values {
			if i < len(vs) {
				if p.Stacked {
					sum += vs[i]
				} else {
					sum = max(sum, vs[i])
				}
			}
		}
		top = max(top, sum)
	}
	return int(math.Ceil(top))
}
