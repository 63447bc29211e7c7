package web

import (
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// EventDetail says an event's detail in the reader's language, from the
// facts the workflow recorded with it (aftersale.Event.Data) and the
// message staff.event_detail.<kind>. An event without facts (people's own
// words, events recorded before migration 00010) shows its Detail as
// recorded.
func (l *Locale) EventDetail(e aftersale.Event) string {
	d := e.Data
	if len(d) == 0 {
		return e.Detail
	}
	code := func(prefix, v string) string { return l.TOr(prefix+v, v) }
	id := "staff.event_detail." + e.Kind
	switch e.Kind {
	case "created":
		n, _ := strconv.Atoi(d["lines"])
		items := make([]string, 0, n)
		for i := 1; i <= n; i++ {
			k := strconv.Itoa(i)
			items = append(items, l.T("staff.event_detail.item", "Item", d["item."+k], "Outcome", code("outcome.", d["outcome."+k])))
		}
		return l.T(id, "Request", code("staff.request.", d["request"]), "Items", strings.Join(items, l.T("staff.event_detail.separator")))
	case "decided":
		var remedies []string
		for r := range strings.SplitSeq(d["remedies"], ",") {
			if r != "" {
				remedies = append(remedies, code("remedy.", r))
			}
		}
		return l.T(id, "Line", d["line"], "From", code("outcome.", d["from"]), "To", code("outcome.", d["to"]),
			"Remedies", strings.Join(remedies, l.T("staff.event_detail.separator")), "Shipping", code("staff.paid_by.", d["shipping"]))
	case "pictures_needed":
		return l.T(id, "Clause", d["clause"])
	case "completed":
		on, err := date.Parse(d["respond_by"])
		if err != nil {
			return e.Detail
		}
		return l.T(id, "On", l.Date(on))
	case "exception":
		return l.T(id, "Line", d["line"], "Remedy", code("remedy.", d["remedy"]), "Outcome", code("outcome.", d["outcome"]), "Reason", d["reason"])
	case "evidence":
		return l.T(id, "Kind", code("staff.event_detail.evidence_kind.", d["kind"]), "ID", d["id"], "Name", d["name"], "Type", d["type"], "Size", d["size"])
	case "message", "note":
		return l.T(id, "ID", d["id"], "Excerpt", d["excerpt"])
	case "shipment":
		args := []any{"Direction", code("staff.ship.", d["direction"]), "ID", d["id"], "Carrier", d["carrier"], "Tracking", d["tracking"]}
		if on, err := date.Parse(d["delivered_on"]); err == nil {
			return l.T("staff.event_detail.delivered", append(args, "On", l.Date(on))...)
		}
		s := l.T(id, append(args, "PaidBy", code("staff.paid_by.", d["paid_by"]))...)
		if d["override"] != "" {
			s += " " + l.T("staff.event_detail.override", "Reason", d["override"])
		}
		return s
	case "refund":
		minor, err := strconv.ParseInt(d["amount_minor"], 10, 64)
		if err != nil {
			return e.Detail
		}
		return l.T(id, "ID", d["id"], "Amount", l.Money(aftersale.Money{Minor: minor, Currency: d["currency"]}), "Reference", d["reference"])
	case "replacement_unit":
		on, err := date.Parse(d["shipped_on"])
		if err != nil {
			return e.Detail
		}
		s := l.T(id, "Line", d["line"], "Kind", code("staff.event_detail.unit_kind.", d["kind"]), "Serial", d["serial"], "SKU", d["sku"], "On", l.Date(on))
		if d["replaces"] != "" {
			s += " " + l.T("staff.event_detail.replaces", "Serial", d["replaces"])
		}
		if minor, err := strconv.ParseInt(d["price_difference_minor"], 10, 64); err == nil {
			s += "; " + l.exchangeDetail(d["returned_sku"], aftersale.Money{Minor: minor, Currency: d["currency"]})
		}
		return s
	}
	return e.Detail
}

// Who says a name of a claim's record in the reader's language: the roles
// an outsider sees in place of the seller's people (aftersale.Viewer.Name)
// are translated, any other name is shown as it is.
func (l *Locale) Who(name string) string {
	switch name {
	case aftersale.ShownSupportTeam:
		return l.T("customer.who.support_team")
	case aftersale.ShownManager:
		return l.T("customer.who.manager")
	case aftersale.ShownDistributor:
		return l.T("customer.who.distributor")
	}
	return name
}

// exchangeDetail says who pays a change-of-mind exchange's price
// difference d, the article returned being a returned.
func (l *Locale) exchangeDetail(returned string, d aftersale.Money) string {
	switch {
	case d.Minor > 0:
		return l.T("staff.event_detail.exchange_customer_pays", "Returned", returned, "Amount", l.Money(d))
	case d.Minor < 0:
		d.Minor = -d.Minor
		return l.T("staff.event_detail.exchange_seller_pays", "Returned", returned, "Amount", l.Money(d))
	}
	return l.T("staff.event_detail.exchange", "Returned", returned, "Amount", l.Money(d))
}
