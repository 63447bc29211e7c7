package importer

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
)

// Columns of an orders file: the order's own (repeated, or left empty, on
// each of its rows), then the line's.
const (
	oNumber = iota
	oDate
	oChannel
	oDistributor
	oCustomer
	oProof
	oDocument
	oCurrency
	oTotal // the last order column
	oLine
	oSKU
	oQuantity
	oPrice
	oSerials
)

var orderColumns = []string{"order_number", "purchase_date", "channel", "distributor", "customer_email",
	"proof_of_purchase", "proof_document", "currency", "total", "line", "sku", "quantity", "unit_price", "serials"}

var orderFields = map[string]string{
	"number": "order_number", "order": "order_number", "customer": "customer_email",
	"signed_for": "purchase_date", "serial": "serials", "lines": "line",
}

func ordersSpec(c *checker) *spec[aftersale.Order] {
	return &spec[aftersale.Order]{
		columns: orderColumns,
		required: []string{"order_number", "purchase_date", "channel", "currency",
			"line", "sku", "quantity", "unit_price"},
		key:     func(f []string) string { return strings.TrimSpace(f[oNumber]) },
		grouped: true,
		parse:   func(e *rowErrs, rows []*row) aftersale.Order { return parseOrder(c.with(e, orderColumns), rows) },
		write: func(ctx context.Context, tx *store.Tx, os []aftersale.Order) error {
			return tx.UpsertOrders(ctx, os)
		},
		check:  checkSerials,
		locate: locateOrder,
		fields: orderFields,
	}
}

func parseOrder(k *checker, rows []*row) aftersale.Order {
	r := rows[0]
	o := aftersale.Order{Number: k.req(r, oNumber), PurchaseDate: k.date(r, oDate, true),
		Channel: aftersale.Channel(k.req(r, oChannel)), DistributorCode: k.str(r, oDistributor),
		CustomerEmail: aftersale.NormalizeEmail(k.str(r, oCustomer)), ProofOfPurchase: k.boolean(r, oProof),
		ProofDocument: k.str(r, oDocument)}
	o.Total.Currency = k.req(r, oCurrency)
	if o.Channel != "" && !o.Channel.Valid() {
		k.e.add(r, "channel", "%q is not a channel (direct, authorized_distributor, unauthorized_reseller)", o.Channel)
	}
	if o.Total.Currency != "" && !aftersale.ValidCurrency(o.Total.Currency) {
		k.e.add(r, "currency", "%q is not an ISO 4217 currency code such as EUR", o.Total.Currency)
	}
	if o.Channel == aftersale.AuthorizedDistributor && o.DistributorCode == "" {
		k.e.add(r, "distributor", "an order sold through a distributor must name it")
	}
	for _, x := range rows[1:] {
		for col := 0; col <= oTotal; col++ {
			if v := k.str(x, col); v != "" && v != k.str(r, col) {
				k.e.add(x, orderColumns[col], "%q differs from line %d of the same order (%q)", v, r.line, k.str(r, col))
			}
		}
	}
	var sum int64
	lines := map[int]int{}
	for _, x := range rows {
		l := parseLine(k, x)
		if prev, ok := lines[l.Line]; ok && l.Line > 0 {
			k.e.add(x, "line", "order %q has line %d already on line %d of the file", o.Number, l.Line, prev)
		}
		lines[l.Line] = x.line
		sum += int64(l.Quantity) * l.UnitPrice
		o.Lines = append(o.Lines, l)
	}
	o.Total.Minor = sum
	if k.str(r, oTotal) != "" {
		o.Total.Minor = k.integer(r, oTotal, 0, math.MinInt64)
	}
	return o
}

func parseLine(k *checker, x *row) aftersale.OrderLine {
	for _, col := range []int{oLine, oQuantity, oPrice} {
		if k.str(x, col) == "" {
			k.e.add(x, orderColumns[col], "a value is required")
		}
	}
	l := aftersale.OrderLine{Line: int(k.integer(x, oLine, 0, 1)), SKU: k.req(x, oSKU),
		Quantity: int(k.integer(x, oQuantity, 0, 1)), UnitPrice: k.integer(x, oPrice, 0, math.MinInt64)}
	for _, s := range k.list(x, oSerials) {
		sn := aftersale.Serial{Number: s}
		if sku, num, ok := strings.Cut(s, ":"); ok {
			sn = aftersale.Serial{SKU: strings.TrimSpace(sku), Number: strings.TrimSpace(num)}
		}
		if sn.Number == "" || (sn.SKU == "" && strings.Contains(s, ":")) {
			k.e.add(x, "serials", "%q is not SERIAL or SKU:SERIAL", s)
			continue
		}
		l.Serials = append(l.Serials, sn)
	}
	return l
}

// checkSerials refuses an order holding a serial already sold in the same
// batch (earlier batches are in the database: the store refuses those).
func checkSerials(o aftersale.Order, rows []*row, seen map[string]int) *RowError {
	mine := map[string]int{}
	for i, l := range o.Lines {
		for _, s := range l.Serials {
			prev, ok := seen[s.Number]
			if !ok {
				prev, ok = mine[s.Number]
			}
			if ok {
				return &RowError{Line: rows[i].line, Column: "serials",
					Reason: "serial " + quote(s.Number) + " is sold twice: also on line " + strconv.Itoa(prev) + " of this file"}
			}
			mine[s.Number] = rows[i].line
		}
	}
	for k, v := range mine {
		seen[k] = v
	}
	return nil
}

// locateOrder finds the row of an order the store refused: it writes the
// order alone, then each line without and with its serials, and undoes it
// all.
func locateOrder(ctx context.Context, tx *store.Tx, o aftersale.Order, rows []*row, err error) RowError {
	found := RowError{Line: rows[0].line, Column: fieldColumn(err, orderColumns, orderFields), Reason: aftersale.MessageOf(err)}
	tx.Savepoint(ctx, func() error {
		head := o
		head.Lines = nil
		if err := tx.UpsertOrders(ctx, []aftersale.Order{head}); err != nil {
			found = RowError{Line: rows[0].line, Column: fieldColumn(err, orderColumns, orderFields), Reason: aftersale.MessageOf(err)}
			return errUndo
		}
		for i, l := range o.Lines {
			l.OrderNumber = o.Number
			bare := l
			bare.Serials = nil
			if err := tx.UpsertOrderLines(ctx, []aftersale.OrderLine{bare}); err != nil {
				found = RowError{Line: rows[i].line, Column: fieldColumn(err, orderColumns, orderFields), Reason: aftersale.MessageOf(err)}
				return errUndo
			}
			if err := tx.UpsertOrderLines(ctx, []aftersale.OrderLine{l}); err != nil {
				found = RowError{Line: rows[i].line, Column: "serials", Reason: aftersale.MessageOf(err)}
				return errUndo
			}
		}
		return errUndo
	})
	return found
}

// Columns of a deliveries file.
const (
	vOrder = iota
	vLine
	vCarrier
	vTracking
	vSigned
)

var deliveryColumns = []string{"order_number", "line", "carrier", "tracking_number", "signed_for"}

func deliveriesSpec(c *checker) *spec[aftersale.Delivery] {
	return &spec[aftersale.Delivery]{
		columns:  deliveryColumns,
		required: []string{"order_number", "tracking_number"},
		key:      func(f []string) string { return f[vOrder] + "\x00" + f[vTracking] },
		parse: func(e *rowErrs, rows []*row) aftersale.Delivery {
			k, r := c.with(e, deliveryColumns), rows[0]
			return aftersale.Delivery{OrderNumber: k.req(r, vOrder), Line: int(k.integer(r, vLine, 0, 0)),
				Carrier: k.str(r, vCarrier), TrackingNumber: k.req(r, vTracking), SignedFor: k.date(r, vSigned, false)}
		},
		write: func(ctx context.Context, tx *store.Tx, ds []aftersale.Delivery) error {
			return tx.UpsertDeliveries(ctx, ds)
		},
		fields: map[string]string{"order": "order_number"},
	}
}
