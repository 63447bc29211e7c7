package workflow

import (
	"strconv"

	"github.com/aftersale/aftersale/policy"
)

// AppendJSON appends the status as encoding/json writes it (with
// escapeHTML, Marshal; without, an Encoder after SetEscapeHTML(false)),
// without reflection: the warranty lookup's hot path.
// FuzzWarrantyStatusJSON checks it byte for byte.
func (st *WarrantyStatus) AppendJSON(b []byte, escapeHTML bool) []byte {
	b = append(b, `{"serials":`...)
	b = policy.AppendJSONStrings(b, st.Serials, escapeHTML)
	b = append(b, `,"sku":`...)
	b = policy.AppendJSONString(b, st.SKU, escapeHTML)
	b = append(b, `,"product":`...)
	b = policy.AppendJSONString(b, st.Product, escapeHTML)
	b = append(b, `,"category":`...)
	b = policy.AppendJSONString(b, st.Category, escapeHTML)
	if st.KitSKU != "" {
		b = append(b, `,"kit_sku":`...)
		b = policy.AppendJSONString(b, st.KitSKU, escapeHTML)
	}
	b = append(b, `,"quantity":`...)
	b = strconv.AppendInt(b, int64(st.Quantity), 10)
	b = append(b, `,"order":`...)
	b = st.Order.appendJSON(b, escapeHTML)
	b = append(b, `,"as_of":`...)
	b = policy.AppendJSONString(b, st.AsOf, escapeHTML)
	b = append(b, `,"warranty":`...)
	b = st.Warranty.AppendJSON(b, escapeHTML)
	b = append(b, `,"days_left":`...)
	if st.DaysLeft == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*st.DaysLeft), 10)
	}
	b = append(b, `,"decision":`...)
	b = st.Decision.AppendJSON(b, escapeHTML)
	b = append(b, `,"claims":`...)
	if st.Claims == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range st.Claims {
			if i > 0 {
				b = append(b, ',')
			}
			b = st.Claims[i].appendJSON(b, escapeHTML)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (s *SaleJSON) appendJSON(b []byte, escapeHTML bool) []byte {
	b = append(b, `{"number":`...)
	b = policy.AppendJSONString(b, s.Number, escapeHTML)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(s.Line), 10)
	b = append(b, `,"purchased_on":`...)
	b = policy.AppendJSONString(b, s.PurchasedOn, escapeHTML)
	b = append(b, `,"delivered_on":`...)
	if s.DeliveredOn == nil {
		b = append(b, "null"...)
	} else {
		b = policy.AppendJSONString(b, *s.DeliveredOn, escapeHTML)
	}
	b = append(b, `,"channel":`...)
	b = policy.AppendJSONString(b, s.Channel, escapeHTML)
	if s.Distributor != "" {
		b = append(b, `,"distributor":`...)
		b = policy.AppendJSONString(b, s.Distributor, escapeHTML)
	}
	return append(b, '}')
}

func (c *EarlierClaim) appendJSON(b []byte, escapeHTML bool) []byte {
	b = append(b, `{"number":`...)
	b = policy.AppendJSONString(b, c.Number, escapeHTML)
	b = append(b, `,"status":`...)
	b = policy.AppendJSONString(b, string(c.Status), escapeHTML)
	b = append(b, `,"request":`...)
	b = policy.AppendJSONString(b, c.Request, escapeHTML)
	b = append(b, `,"reported_on":`...)
	b = policy.AppendJSONString(b, c.ReportedOn, escapeHTML)
	if c.Serial != "" {
		b = append(b, `,"serial":`...)
		b = policy.AppendJSONString(b, c.Serial, escapeHTML)
	}
	return append(b, '}')
}
