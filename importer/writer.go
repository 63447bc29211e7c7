package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
)

// Writer writes records in the CSV format Import reads, so that generated
// or exported data round-trips. Each file holds one kind.
type Writer struct {
	kind Kind
	w    *csv.Writer
	rec  []string
}

// NewWriter writes the header of kind to w.
func NewWriter(w io.Writer, kind Kind) (*Writer, error) {
	var cols []string
	switch kind {
	case Products:
		cols = productColumns
	case Kits:
		cols = kitColumns
	case Distributors:
		cols = distributorColumns
	case Customers:
		cols = customerColumns
	case Orders:
		cols = orderColumns
	case Deliveries:
		cols = deliveryColumns
	default:
		return nil, fmt.Errorf("csv writer: unknown kind %q", kind)
	}
	cw := &Writer{kind: kind, w: csv.NewWriter(w)}
	return cw, cw.write(cols...)
}

func (w *Writer) write(fields ...string) error {
	if err := w.w.Write(fields); err != nil {
		return fmt.Errorf("write %s: %w", w.kind, err)
	}
	return nil
}

func (w *Writer) want(k Kind) error {
	if w.kind != k {
		return fmt.Errorf("csv writer of %s cannot write %s", w.kind, k)
	}
	return nil
}

// Product writes a product (a products file) or its bill of materials (a
// kits file).
func (w *Writer) Product(p aftersale.Product) error {
	if w.kind == Kits {
		for _, c := range p.Components {
			if err := w.write(p.SKU, c.SKU, strconv.Itoa(c.Quantity)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := w.want(Products); err != nil {
		return err
	}
	return w.write(p.SKU, p.Name, string(p.Category), optInt(p.WarrantyMonths),
		strings.Join(p.Successors, ";"), strconv.FormatBool(p.Discontinued))
}

// Distributor writes a distributor.
func (w *Writer) Distributor(d aftersale.Distributor) error {
	if err := w.want(Distributors); err != nil {
		return err
	}
	return w.write(d.Code, d.Name, strconv.FormatBool(d.Authorised), d.Email, d.Phone,
		optInt(d.ReturnWindowDays), optInt(d.ReplacementWindowDays))
}

// Customer writes a customer.
func (w *Writer) Customer(c aftersale.Customer) error {
	if err := w.want(Customers); err != nil {
		return err
	}
	return w.write(c.Email, c.Name, c.Phone, c.Country, c.Language)
}

// Order writes an order, one row per line; total is written only when it
// differs from the sum of the lines.
func (w *Writer) Order(o aftersale.Order) error {
	if err := w.want(Orders); err != nil {
		return err
	}
	var sum int64
	for _, l := range o.Lines {
		sum += int64(l.Quantity) * l.UnitPrice
	}
	total := ""
	if sum != o.Total.Minor {
		total = strconv.FormatInt(o.Total.Minor, 10)
	}
	for _, l := range o.Lines {
		serials := make([]string, len(l.Serials))
		for i, s := range l.Serials {
			serials[i] = s.Number
			if s.SKU != "" && s.SKU != l.SKU {
				serials[i] = s.SKU + ":" + s.Number
			}
		}
		w.rec = append(w.rec[:0], o.Number, o.PurchaseDate.String(), string(o.Channel), o.DistributorCode,
			o.CustomerEmail, strconv.FormatBool(o.ProofOfPurchase), o.ProofDocument, o.Total.Currency, total,
			strconv.Itoa(l.Line), l.SKU, strconv.Itoa(l.Quantity), strconv.FormatInt(l.UnitPrice, 10),
			strings.Join(serials, ";"))
		if err := w.write(w.rec...); err != nil {
			return err
		}
	}
	return nil
}

// Delivery writes a delivery.
func (w *Writer) Delivery(d aftersale.Delivery) error {
	if err := w.want(Deliveries); err != nil {
		return err
	}
	signed := ""
	if !d.SignedFor.IsZero() {
		signed = d.SignedFor.String()
	}
	return w.write(d.OrderNumber, strconv.Itoa(d.Line), d.Carrier, d.TrackingNumber, signed)
}

// Flush writes what is buffered and reports any write error.
func (w *Writer) Flush() error {
	w.w.Flush()
	if err := w.w.Error(); err != nil {
		return fmt.Errorf("write %s: %w", w.kind, err)
	}
	return nil
}

func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
