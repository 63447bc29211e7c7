package web

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
