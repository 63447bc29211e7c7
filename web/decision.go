package web

import "github.com/aftersale/aftersale/workflow"

// Explained is anything whose policy decision can give its reasons in a
// language: a warranty status (workflow.WarrantyStatus) and a claim line's
// stored decision (aftersale.Decision). Both fall back to English where they
// have no reasons in the language asked for.
type Explained interface {
	ReasonsIn(lang string) []string
}

// Reasons returns a decision's reasons, in plain words with their clauses, in
// the reader's language. Use it wherever a page lists a decision's reasons,
// never .Decision.Reasons (always English):
//
//	warranty status:  {{range $.L.Reasons .}}<li>{{.}}</li>{{end}}            (. is a workflow.WarrantyStatus)
//	claim line:       {{range $.L.Reasons .Decision}}<li>{{.}}</li>{{end}}    (. is an aftersale.ClaimLine)
//
// A nil d has no reasons.
func (l *Locale) Reasons(d Explained) []string {
	if d == nil {
		return nil
	}
	return d.ReasonsIn(l.Code)
}

// Cover is how an article stands today, in words that agree with its
// decision; OK: the policy puts a fault right today.
type Cover struct {
	Text string
	OK   bool
}

// Cover says an article's cover: under warranty until a day; without a
// warranty period but its defective part replaced free until a day (the
// decision is then "eligible", not "not covered"); without a warranty
// period; or not covered any more.
func (l *Locale) Cover(st workflow.WarrantyStatus) Cover {
	w := st.Decision.Warranty
	switch until := st.PartsUntil(); {
	case w.Covered:
		return Cover{Text: l.T("warranty.covered_until", "Date", l.DateISO(w.EndsOn)), OK: true}
	case !until.IsZero():
		return Cover{Text: l.T("warranty.parts_until", "Date", l.DateISO(until)), OK: true}
	case w.EndsOn.IsZero():
		return Cover{Text: l.T("warranty.no_period")}
	}
	return Cover{Text: l.T("warranty.not_covered")}
}
