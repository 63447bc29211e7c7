package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// The JSON columns have their own types, with snake_case names and dates
// as text, so that renaming a Go field never changes what is stored, and a
// zero date (which date.Date refuses to marshal) is simply left out.

type decisionJSON struct {
	Outcome        string   `json:"outcome"`
	Remedies       []string `json:"remedies"`
	ShippingPaidBy string   `json:"shipping_paid_by,omitempty"`
	Missing        []string `json:"missing"`
	Clauses        []string `json:"clauses"`
	Reasons        []string `json:"reasons"`
	Covered        bool     `json:"covered"`
	StartsOn       string   `json:"starts_on,omitempty"`
	EndsOn         string   `json:"ends_on,omitempty"`
	PolicyVersion  string   `json:"policy_version,omitempty"`
	// The reasons in other languages, by language code; absent in rows
	// stored before, which fall back to the English reasons.
	ReasonsByLang map[string][]string `json:"reasons_by_lang,omitempty"`
}

type exceptionJSON struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	// What it granted, against which decision; absent in exceptions
	// recorded without them.
	Remedy  string   `json:"remedy,omitempty"`
	Outcome string   `json:"outcome,omitempty"`
	Clauses []string `json:"clauses,omitempty"`
}

type moneyJSON struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

type quoteLineJSON struct {
	Kind        string    `json:"kind"`
	Description string    `json:"description,omitempty"`
	Amount      moneyJSON `json:"amount"`
}

type quoteJSON struct {
	Lines []quoteLineJSON `json:"lines,omitempty"`
	Total moneyJSON       `json:"total"`
}

// encodeDecision returns the JSON of d, the decision that field names. It
// reads the JSON back before anything is written: a decision whose dates
// would not read back as themselves (a warranty ending past 9999-12-31,
// which once printed as 0000-03-31) is refused as Invalid, since stored it
// would make its claim, and every queue page showing it, unreadable.
func encodeDecision(field string, d aftersale.Decision) (string, error) {
	if err := storableDates(map[string]date.Date{field + ".starts_on": d.StartsOn, field + ".ends_on": d.EndsOn}); err != nil {
		return "", err
	}
	b, err := json.Marshal(decisionJSON{Outcome: d.Outcome, Remedies: d.Remedies, ShippingPaidBy: d.ShippingPaidBy,
		Missing: d.Missing, Clauses: d.Clauses, Reasons: d.Reasons, Covered: d.Covered,
		StartsOn: d.StartsOn.String(), EndsOn: d.EndsOn.String(), PolicyVersion: d.PolicyVersion, ReasonsByLang: d.ReasonsByLang})
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, err)
	}
	back, err := decodeDecision(b)
	if err != nil || back.StartsOn != d.StartsOn || back.EndsOn != d.EndsOn {
		return "", userError(aftersale.Invalid, field, err, "%s does not read back as it was decided (warranty %s to %s)",
			field, d.StartsOn, d.EndsOn)
	}
	return string(b), nil
}

// storableDates refuses, as Invalid naming the field, a date that would
// not read back as itself: one outside the years date.Parse reads
// (date.InRange). The zero Date is NULL, and reads back as itself.
func storableDates(dates map[string]date.Date) error {
	var bad []string
	for field, d := range dates {
		if !d.IsZero() && !d.InRange() {
			bad = append(bad, field)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	return userError(aftersale.Invalid, bad[0], nil, "%s is %s, outside the years %d to %d: it could not be read back",
		bad[0], dates[bad[0]], date.MinYear, date.MaxYear)
}

func decodeDecision(b []byte) (aftersale.Decision, error) {
	var j decisionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return aftersale.Decision{}, fmt.Errorf("decode decision: %w", err)
	}
	d := aftersale.Decision{Outcome: j.Outcome, Remedies: j.Remedies, ShippingPaidBy: j.ShippingPaidBy,
		Missing: j.Missing, Clauses: j.Clauses, Reasons: j.Reasons, Covered: j.Covered, PolicyVersion: j.PolicyVersion,
		ReasonsByLang: j.ReasonsByLang}
	var err error
	if d.StartsOn, err = optionalDate(j.StartsOn); err != nil {
		return d, fmt.Errorf("decode decision: %w", err)
	}
	if d.EndsOn, err = optionalDate(j.EndsOn); err != nil {
		return d, fmt.Errorf("decode decision: %w", err)
	}
	return d, nil
}

func optionalDate(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	return date.Parse(s)
}

// encodeException returns the SQL argument of e: NULL for none.
func encodeException(e *aftersale.Exception) (any, error) {
	if e == nil {
		return nil, nil
	}
	b, err := json.Marshal(exceptionJSON{By: e.By, Reason: e.Reason, At: e.At.UTC(),
		Remedy: e.Remedy, Outcome: e.Outcome, Clauses: e.Clauses})
	return string(b), err
}

func decodeException(b []byte) (*aftersale.Exception, error) {
	if b == nil {
		return nil, nil
	}
	var j exceptionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("decode exception: %w", err)
	}
	return &aftersale.Exception{By: j.By, Reason: j.Reason, At: j.At.UTC(),
		Remedy: j.Remedy, Outcome: j.Outcome, Clauses: j.Clauses}, nil
}

// encodeQuote returns the SQL argument of q: NULL for none.
func encodeQuote(q *aftersale.Quote) (any, error) {
	if q == nil {
		return nil, nil
	}
	j := quoteJSON{Total: moneyJSON(q.Total)}
	for _, l := range q.Lines {
		j.Lines = append(j.Lines, quoteLineJSON{Kind: l.Kind, Description: l.Description, Amount: moneyJSON(l.Amount)})
	}
	b, err := json.Marshal(j)
	return string(b), err
}

func decodeQuote(b []byte) (*aftersale.Quote, error) {
	if b == nil {
		return nil, nil
	}
	var j quoteJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("decode quote: %w", err)
	}
	q := &aftersale.Quote{Total: aftersale.Money(j.Total)}
	for _, l := range j.Lines {
		q.Lines = append(q.Lines, aftersale.QuoteLine{Kind: l.Kind, Description: l.Description, Amount: aftersale.Money(l.Amount)})
	}
	return q, nil
}

// searchText is what the queue's text filter looks in: the number, the
// e-mail, the description and the lines' serials and SKUs, lower-cased.
func searchText(c *aftersale.Claim) string {
	var b strings.Builder
	b.WriteString(c.Number)
	b.WriteByte('\n')
	b.WriteString(c.CustomerEmail)
	for _, l := range c.Lines {
		for _, s := range []string{l.Serial, l.SKU, l.KitSKU} {
			if s != "" {
				b.WriteByte('\n')
				b.WriteString(s)
			}
		}
	}
	b.WriteByte('\n')
	b.WriteString(c.Description)
	return strings.ToLower(b.String())
}
