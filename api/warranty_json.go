package api

import (
	"strconv"

	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
	"github.com/aftersale/aftersale/workflow"
)

// warrantyStatus is one article of GET /api/v1/warranty on the wire; its
// tags document it in the OpenAPI document. appendWarranty writes it.
type warrantyStatus struct {
	Serials   []string                `json:"serials" doc:"Serial numbers of the article; empty when none is on file"`
	SKU       string                  `json:"sku"`
	Product   string                  `json:"product"`
	Category  string                  `json:"category"`
	KitSKU    string                  `json:"kit_sku,omitempty" doc:"The kit the article was sold in"`
	Quantity  int                     `json:"quantity"`
	Order     saleJSON                `json:"order"`
	AsOf      string                  `json:"as_of" format:"date" doc:"The day the status is for: today in the seller's time zone"`
	Warranty  policyjson.WarrantyJSON `json:"warranty"`
	DaysLeft  *int                    `json:"days_left" doc:"Days of cover left after as_of; null when there is no cover"`
	Decision  policyjson.DecisionJSON `json:"decision" doc:"What the policy gives for a fault reported today (the eligibility contract)"`
	ClaimOpen bool                    `json:"claim_open" doc:"Some claim on this article is open, whoever made it"`
	Claims    []earlierClaim          `json:"claims" doc:"The claims on this article that the caller may see, newest first: all of them for staff and for the distributor of the sale, the claim of its link for a customer who came with one, none for anybody else"`
}

// saleJSON is the sale an article belongs to.
type saleJSON struct {
	Number      string  `json:"number"`
	Line        int     `json:"line"`
	PurchasedOn string  `json:"purchased_on" format:"date"`
	DeliveredOn *string `json:"delivered_on" format:"date" doc:"The day the parcel was signed for; null when unknown"`
	Channel     string  `json:"channel"`
	Distributor string  `json:"distributor,omitempty"`
}

// earlierClaim is a claim made on the article.
type earlierClaim struct {
	Number     string `json:"number"`
	Status     string `json:"status"`
	Request    string `json:"request"`
	ReportedOn string `json:"reported_on" format:"date"`
	Serial     string `json:"serial,omitempty"`
}

// AppendWarranty appends the answer of GET /api/v1/warranty for items, with
// its newline: {"items":[...]} as an Encoder without HTML escaping writes it.
func AppendWarranty(b []byte, items []workflow.WarrantyStatus) []byte {
	b = append(b, `{"items":[`...)
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendWarranty(b, &items[i], false)
	}
	return append(b, "]}\n"...)
}

// decisionOf is the status's decision in the contract's shape, with the
// status's own reasons (a replaced unit's).
func decisionOf(st *workflow.WarrantyStatus) policyjson.DecisionJSON {
	d := policyjson.FromDecision(&st.Decision)
	d.Reasons = st.ReasonsIn(policy.English)
	return d
}

// appendWarranty appends st as encoding/json writes its warrantyStatus (with
// escapeHTML, Marshal; without, an Encoder after SetEscapeHTML(false)),
// without reflection: the warranty lookup is the busiest read.
// FuzzWarrantyJSON checks it byte for byte.
func appendWarranty(b []byte, st *workflow.WarrantyStatus, escapeHTML bool) []byte {
	str := func(b []byte, s string) []byte { return policyjson.AppendJSONString(b, s, escapeHTML) }
	b = append(b, `{"serials":`...)
	b = policyjson.AppendJSONStrings(b, st.Serials, escapeHTML)
	b = str(append(b, `,"sku":`...), st.SKU)
	b = str(append(b, `,"product":`...), st.Product)
	b = str(append(b, `,"category":`...), st.Category)
	if st.KitSKU != "" {
		b = str(append(b, `,"kit_sku":`...), st.KitSKU)
	}
	b = strconv.AppendInt(append(b, `,"quantity":`...), int64(st.Quantity), 10)
	o := &st.Order
	b = str(append(b, `,"order":{"number":`...), o.Number)
	b = strconv.AppendInt(append(b, `,"line":`...), int64(o.Line), 10)
	b = str(append(b, `,"purchased_on":`...), o.PurchasedOn.String())
	b = append(b, `,"delivered_on":`...)
	if o.DeliveredOn.IsZero() {
		b = append(b, "null"...)
	} else {
		b = str(b, o.DeliveredOn.String())
	}
	b = str(append(b, `,"channel":`...), string(o.Channel))
	if o.Distributor != "" {
		b = str(append(b, `,"distributor":`...), o.Distributor)
	}
	b = str(append(b, `},"as_of":`...), st.AsOf.String())
	d := decisionOf(st)
	b = d.Warranty.AppendJSON(append(b, `,"warranty":`...), escapeHTML)
	b = append(b, `,"days_left":`...)
	if st.DaysLeft == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*st.DaysLeft), 10)
	}
	b = d.AppendJSON(append(b, `,"decision":`...), escapeHTML)
	b = strconv.AppendBool(append(b, `,"claim_open":`...), st.ClaimOpen)
	b = append(b, `,"claims":`...)
	if st.Claims == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i := range st.Claims {
		c := &st.Claims[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = str(append(b, `{"number":`...), c.Number)
		b = str(append(b, `,"status":`...), string(c.Status))
		b = str(append(b, `,"request":`...), c.Request)
		b = str(append(b, `,"reported_on":`...), c.ReportedOn.String())
		if c.Serial != "" {
			b = str(append(b, `,"serial":`...), c.Serial)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}
