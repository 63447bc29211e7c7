package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/workflow"
)

// staffAct takes one step of the workflow from the claim page's forms,
// on the version the page showed.
func (s *Server) staffAct(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "queue", "staff.claim.title", aftersale.ViewClaims)
	if err != nil {
		return err
	}
	number := r.PathValue("number")
	if err := r.ParseForm(); err != nil {
		return &aftersale.Error{Kind: aftersale.Invalid, Message: "the form could not be read"}
	}
	in, err := actInput(r.PostForm)
	if err == nil {
		_, err = s.Claims.Act(r.Context(), p.Actor, number, in)
	}
	if err == nil {
		return redirect(w, r, "/staff/claims/"+url.PathEscape(number)+"?done="+url.QueryEscape(string(in.Action)))
	}
	return s.claimRefused(w, r, p, number, err, func(cp *staffClaimPage, field, msg string) bool {
		for i := range cp.Actions {
			if cp.Actions[i].Action == in.Action {
				cp.Actions[i].Val, cp.Actions[i].Err[field] = r.PostForm, msg
				return true
			}
		}
		return false
	}, string(in.Action))
}

// actInput reads a step's form: the version, the note, and the fields of
// the step (the remedy, the findings per line, the quote's costs, ...).
func actInput(f url.Values) (workflow.ActInput, error) {
	in := workflow.ActInput{Action: aftersale.Action(f.Get("action")), Note: f.Get("note"),
		Remedy: f.Get("remedy"), ExceptionReason: f.Get("exception_reason"),
		Resolution: aftersale.Resolution(f.Get("resolution")), WaiveReturn: f.Get("waive_return") == "1"}
	v, err := strconv.Atoi(f.Get("version"))
	if err != nil || v < 1 {
		return in, &aftersale.Error{Kind: aftersale.Invalid, Field: "version", Message: "version: not a version of the claim"}
	}
	in.Version = v
	for line := 1; line <= 100; line++ {
		cause, ok := f["cause_"+strconv.Itoa(line)]
		if !ok {
			continue
		}
		fd := workflow.Finding{Line: line, Notes: f.Get(fmt.Sprintf("notes_%d", line))}
		if len(cause) > 0 {
			fd.Cause = cause[0]
		}
		switch f.Get(fmt.Sprintf("resellable_%d", line)) {
		case "yes":
			fd.Resellable = ptr(true)
		case "no":
			fd.Resellable = ptr(false)
		}
		in.Findings = append(in.Findings, fd)
	}
	if in.Action == aftersale.ActionSendQuote {
		cur := strings.ToUpper(strings.TrimSpace(f.Get("currency")))
		in.Quote = &aftersale.Quote{}
		for _, kind := range aftersale.QuoteLineKinds() {
			text := strings.TrimSpace(f.Get("amount_" + kind))
			if text == "" {
				continue
			}
			m, err := parseMoney(text, cur)
			if err != nil {
				return in, &aftersale.Error{Kind: aftersale.Invalid, Field: "quote", Message: err.Error()}
			}
			in.Quote.Lines = append(in.Quote.Lines, aftersale.QuoteLine{Kind: kind,
				Description: strings.TrimSpace(f.Get("desc_" + kind)), Amount: m})
		}
	}
	return in, nil
}

func ptr[T any](v T) *T { return &v }

// parseMoney reads an amount in major units, such as 12.50, of currency.
func parseMoney(text, currency string) (aftersale.Money, error) {
	if !aftersale.ValidCurrency(currency) {
		return aftersale.Money{}, fmt.Errorf("currency %q is not an ISO 4217 code", currency)
	}
	// The currency's decimals, as Money writes them: "0.00 EUR", "0 JPY".
	zero, _, _ := strings.Cut(aftersale.Money{Currency: currency}.String(), " ")
	_, frac, _ := strings.Cut(zero, ".")
	digits := len(frac)
	whole, part, hasPart := strings.Cut(strings.ReplaceAll(text, ",", ""), ".")
	if whole == "" || len(part) > digits || (hasPart && part == "") {
		return aftersale.Money{}, fmt.Errorf("%q is not an amount with at most %d decimals", text, digits)
	}
	part += strings.Repeat("0", digits-len(part))
	n, err := strconv.ParseInt(whole+part, 10, 64)
	if err != nil || n < 0 || strings.ContainsAny(whole+part, "+-") {
		return aftersale.Money{}, fmt.Errorf("%q is not an amount", text)
	}
	return aftersale.Money{Minor: n, Currency: currency}, nil
}

// claimRefused answers a refused claim form: the fresh claim page with the
// entered values kept and the error next to its field (place puts it in its
// form; 422, or 403 for a step only a manager may take), or, for a claim
// changed meanwhile or a step no longer allowed, a 409 page saying so.
func (s *Server) claimRefused(w http.ResponseWriter, r *http.Request, p Page, number string, err error,
	place func(cp *staffClaimPage, field, msg string) bool, form string) error {
	var ae *aftersale.Error
	if !errors.As(err, &ae) || ae.Kind == aftersale.NotFound || ae.Kind == aftersale.Unauthorized ||
		(ae.Kind == aftersale.Forbidden && ae.Field == "") {
		return err
	}
	cp, rerr := s.claimPage(r, p, number)
	if rerr != nil {
		return rerr
	}
	status := http.StatusUnprocessableEntity
	switch {
	case ae.Kind == aftersale.Conflict && ae.Field == "version":
		status, cp.Problem = http.StatusConflict, p.L.T("staff.claim.stale")
	case ae.Kind == aftersale.Conflict && form == "refund" && ae.Field == "amount":
		// A line bought elsewhere without its price: no refund is capped.
		status = http.StatusConflict
		if msg := p.L.T("staff.err.refund.price_unknown"); !place(cp, "amount", msg) {
			cp.Problem = msg
		}
	case ae.Kind == aftersale.Conflict && form == "unit" && unitFields[ae.Field]:
		// A serial already on file, or a kind of unit the claim's remedy
		// or stage does not allow: said beside the field.
		status = http.StatusConflict
		if msg := p.L.T("staff.err.unit." + ae.Field + "_conflict"); !place(cp, ae.Field, msg) {
			cp.Problem = msg
		}
	case ae.Kind == aftersale.Conflict:
		status, cp.Problem = http.StatusConflict, p.L.T("staff.claim.not_allowed")
	default:
		if ae.Kind == aftersale.Forbidden {
			status = http.StatusForbidden
		}
		field := formField(ae.Field)
		if form == "unit" && unitFields[ae.Field] {
			field = ae.Field
		}
		msg := p.L.TOr("staff.err."+form+"."+field, p.L.TOr("staff.err."+field, p.L.T("staff.err.invalid")))
		if !place(cp, field, msg) {
			cp.Problem = msg
		}
	}
	return s.render(w, r, status, "staff_claim.html", cp)
}

// formField is the form field a use case's error names: a finding's or a
// quote line's field belongs to the findings or the quote as a whole.
func formField(f string) string {
	switch {
	case strings.HasPrefix(f, "findings"):
		return "findings"
	case strings.HasPrefix(f, "quote"):
		return "quote"
	case f == "tracking_number", f == "carrier", f == "paid_by", f == "override_reason", f == "direction",
		f == "amount", f == "currency", f == "reference", f == "body", f == "note", f == "remedy",
		f == "exception_reason", f == "resolution", f == "waive_return", f == "version", f == "shipped_on":
		return f
	}
	return "form"
}

// staffMessage writes to the customer, or adds an internal note.
func (s *Server) staffMessage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "queue", "staff.claim.title", aftersale.ViewClaims)
	if err != nil {
		return err
	}
	if s.Evidence == nil {
		return &aftersale.Error{Kind: aftersale.NotFound}
	}
	number, internal := r.PathValue("number"), r.PostFormValue("internal") == "1"
	_, err = s.Evidence.PostMessage(r.Context(), p.Actor, number, r.PostFormValue("body"), internal)
	if err == nil {
		done := "message"
		if internal {
			done = "note"
		}
		return redirect(w, r, "/staff/claims/"+url.PathEscape(number)+"?done="+done+"#thread")
	}
	return s.claimRefused(w, r, p, number, err, func(cp *staffClaimPage, field, msg string) bool {
		cp.Message = postedForm{Val: r.PostForm, Err: fieldErrors{field: msg}}
		return cp.CanWrite || cp.CanNote
	}, "message")
}

// staffShipment records a parcel of the claim.
func (s *Server) staffShipment(w http.ResponseWriter, r *http.Request) error {
	p, err := s.parcelsPage(r)
	if err != nil {
		return err
	}
	number := r.PathValue("number")
	in := workflow.ShipmentInput{Direction: aftersale.Direction(r.PostFormValue("direction")),
		Carrier: r.PostFormValue("carrier"), TrackingNumber: r.PostFormValue("tracking_number"),
		PaidBy: r.PostFormValue("paid_by"), OverrideReason: r.PostFormValue("override_reason")}
	_, err = s.Parcels.AddShipment(r.Context(), p.Actor, number, in)
	if err == nil {
		return redirect(w, r, "/staff/claims/"+url.PathEscape(number)+"?done=shipment#parcels")
	}
	return s.claimRefused(w, r, p, number, err, func(cp *staffClaimPage, field, msg string) bool {
		cp.Ship.Val, cp.Ship.Err[field] = r.PostForm, msg
		return len(cp.Ship.Directions) > 0
	}, "shipment")
}

// staffRefund records money paid back on the claim.
func (s *Server) staffRefund(w http.ResponseWriter, r *http.Request) error {
	p, err := s.parcelsPage(r)
	if err != nil {
		return err
	}
	number := r.PathValue("number")
	amount, err := parseMoney(strings.TrimSpace(r.PostFormValue("amount")), strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency"))))
	if err != nil {
		err = &aftersale.Error{Kind: aftersale.Invalid, Field: "amount", Message: err.Error()}
	} else {
		_, err = s.Parcels.RecordRefund(r.Context(), p.Actor, number, amount, r.PostFormValue("reference"))
	}
	if err == nil {
		return redirect(w, r, "/staff/claims/"+url.PathEscape(number)+"?done=refund#parcels")
	}
	return s.claimRefused(w, r, p, number, err, func(cp *staffClaimPage, field, msg string) bool {
		cp.Refund.Val, cp.Refund.Err = r.PostForm, fieldErrors{field: msg}
		return cp.Refund.Allowed
	}, "refund")
}

// unitFields are the fields of the unit form that its errors stand beside.
var unitFields = map[string]bool{"line": true, "kind": true, "serial": true, "sku": true,
	"shipped_on": true, "price_difference": true}

// staffUnit registers the unit shipped to settle a claim line: a
// replacement's new serial, or the customer's unit repaired. The checks
// are RegisterReplacement's, as for the API.
func (s *Server) staffUnit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.parcelsPage(r)
	if err != nil {
		return err
	}
	number := r.PathValue("number")
	in, err := unitInput(r)
	if err == nil {
		_, err = s.Parcels.RegisterReplacement(r.Context(), p.Actor, number, in)
	}
	if err == nil {
		return redirect(w, r, "/staff/claims/"+url.PathEscape(number)+"?done=unit#parcels")
	}
	return s.claimRefused(w, r, p, number, err, func(cp *staffClaimPage, field, msg string) bool {
		cp.Unit.Val, cp.Unit.Err = r.PostForm, fieldErrors{field: msg}
		return len(cp.Unit.Kinds) > 0
	}, "unit")
}

// unitInput reads the unit form: the line, the kind, the serial, the
// product when another, the day shipped ("" is today) and, for an exchange
// for another product, the price difference (negative: paid back).
func unitInput(r *http.Request) (workflow.ReplacementInput, error) {
	bad := func(field, format string, args ...any) error {
		return &aftersale.Error{Kind: aftersale.Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	in := workflow.ReplacementInput{Kind: aftersale.ReplacementKind(r.PostFormValue("kind")),
		Serial: r.PostFormValue("serial"), SKU: r.PostFormValue("sku")}
	line, err := strconv.Atoi(r.PostFormValue("line"))
	if err != nil {
		return in, bad("line", "%q is not a line number", r.PostFormValue("line"))
	}
	in.Line = line
	if v := strings.TrimSpace(r.PostFormValue("shipped_on")); v != "" {
		if in.ShippedOn, err = date.Parse(v); err != nil {
			return in, bad("shipped_on", "%q is not a date", v)
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("price_difference")); v != "" {
		currency := strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency")))
		negative := strings.HasPrefix(v, "-")
		m, err := parseMoney(strings.TrimPrefix(v, "-"), currency)
		if err != nil {
			return in, bad("price_difference", "%v", err)
		}
		if negative {
			m.Minor = -m.Minor
		}
		in.PriceDifference = &m
	}
	return in, nil
}

// parcelsPage is the claim page that the parcel, refund and unit forms post
// from; without the parcels' use cases there is nothing to post to.
func (s *Server) parcelsPage(r *http.Request) (Page, error) {
	p, err := s.staffPage(r, "queue", "staff.claim.title", aftersale.ViewClaims)
	if err == nil && s.Parcels == nil {
		err = &aftersale.Error{Kind: aftersale.NotFound}
	}
	return p, err
}
