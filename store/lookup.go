package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// orderHeader selects an order with its distributor and the latest
// whole-order delivery; scanHeader reads it. The FROM clause must join
// orders o and LEFT JOIN distributors d.
const orderHeader = `o.number, o.purchase_date, o.channel, COALESCE(o.distributor_code, ''),
	COALESCE(o.customer_email, ''), o.proof_of_purchase, o.proof_document, o.currency, o.total_minor,
	d.code, d.name, d.authorised, d.email, d.phone, d.return_window_days, d.replacement_window_days,
	(SELECT MAX(v.signed_for) FROM deliveries v WHERE v.order_number = o.number AND v.line_number = 0)`

type header struct {
	order       aftersale.Order
	distributor *aftersale.Distributor
	delivered   date.Date // whole-order delivery
}

type scanner interface{ Scan(dest ...any) error }

// scanHeader scans before..., then the orderHeader columns.
func scanHeader(sc scanner, before ...any) (header, error) {
	var h header
	o := &h.order
	var code, name, email, phone sql.NullString
	var authorised sql.NullBool
	var ret, repl *int64
	dest := append(before, &o.Number, dateDest{&o.PurchaseDate}, &o.Channel, &o.DistributorCode,
		&o.CustomerEmail, &o.ProofOfPurchase, &o.ProofDocument, &o.Total.Currency, &o.Total.Minor,
		&code, &name, &authorised, &email, &phone, &ret, &repl, dateDest{&h.delivered})
	if err := sc.Scan(dest...); err != nil {
		return h, err
	}
	if code.Valid {
		h.distributor = &aftersale.Distributor{Code: code.String, Name: name.String,
			Authorised: authorised.Bool, Email: email.String, Phone: phone.String,
			ReturnWindowDays: intPtr(ret), ReplacementWindowDays: intPtr(repl)}
	}
	return h, nil
}

// LookupSerial returns what the registry knows about the article with a
// serial number: its product, the kit it came in, the order, the
// distributor and the delivery. A serial not on file is a NotFound error.
func (db *DB) LookupSerial(ctx context.Context, serial string) (aftersale.SoldItem, error) {
	release, err := db.admit(ctx)
	if err != nil {
		return aftersale.SoldItem{}, err
	}
	defer release()
	// A point read of tens of microseconds runs to its end: with a context
	// that can end, both drivers start a goroutine per query to interrupt it.
	ctx = context.WithoutCancel(ctx)
	return lookupSerial(ctx, db.reads, serial, db.fromCache)
}

// LookupSerial is DB.LookupSerial inside tx.
func (tx *Tx) LookupSerial(ctx context.Context, serial string) (aftersale.SoldItem, error) {
	return lookupSerial(ctx, tx.tx, serial, tx.fromTx)
}

// serialQuery reads a sold serial with its line, order and delivery, the
// day it was last shipped back repaired, whether a claim names it and
// whether it was replaced (serialFlags); the product and the distributor
// come from the catalog of the registry version it reads
// (catalog_cache.go). One subquery finds the delivery: the
// latest parcel that held the line, else the latest that held the whole
// order (line 0). It aggregates the order's parcels instead of sorting
// them: on SQLite a sort built a temporary B-tree for every lookup.
const serialQuery = `SELECT (SELECT version FROM registry_version),
	s.sku, s.line_number, l.sku,
	(SELECT COALESCE(MAX(CASE WHEN v.line_number = s.line_number THEN v.signed_for END),
	                 MAX(CASE WHEN v.line_number = 0 THEN v.signed_for END))
	  FROM deliveries v WHERE v.order_number = s.order_number),
	` + reshippedColumn + `,
	` + serialFlags + `,
	o.number, o.purchase_date, o.channel, COALESCE(o.distributor_code, ''),
	COALESCE(o.customer_email, ''), o.proof_of_purchase, o.proof_document, o.currency, o.total_minor
FROM serials s
JOIN order_lines l ON l.order_number = s.order_number AND l.line_number = s.line_number
JOIN orders o ON o.number = s.order_number
WHERE s.serial = $1`

// lookupSerial finds serial as typed, else as it is spelled on file in
// another case: the exact spelling is a primary-key read; only a serial not
// on file so takes the second read (spellingOf).
func lookupSerial(ctx context.Context, q querier, serial string, catalog catalogFunc) (aftersale.SoldItem, error) {
	it, err := lookupSerialAsStored(ctx, q, serial, catalog)
	if aftersale.KindOf(err) != aftersale.NotFound {
		return it, err
	}
	stored, ok, serr := spellingOf(ctx, q, serialSpelling, serial)
	if serr != nil {
		return it, fmt.Errorf("look up serial %q: %w", serial, serr)
	}
	if !ok || stored == serial {
		return it, err
	}
	return lookupSerialAsStored(ctx, q, stored, catalog)
}

// serialSpelling and orderSpelling find a serial (sold, or shipped as a
// replacement) and an order number whatever the case, through the upper()
// indexes of migration 00017; the lowest spelling wins should two differ
// in case only.
const (
	serialSpelling = `SELECT serial FROM (
	SELECT serial FROM serials WHERE upper(serial) = upper($1)
	UNION ALL
	SELECT serial FROM replacement_units WHERE upper(serial) = upper($1) AND kind = 'replacement'
) s ORDER BY serial LIMIT 1`
	orderSpelling = `SELECT number FROM orders WHERE upper(number) = upper($1) ORDER BY number LIMIT 1`
)

// spellingOf runs query, a *Spelling query, for key: how key is spelled on
// file, and whether it is.
func spellingOf(ctx context.Context, q querier, query, key string) (string, bool, error) {
	var stored string
	err := q.QueryRowContext(ctx, query, key).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return stored, true, nil
}

func lookupSerialAsStored(ctx context.Context, q querier, serial string, catalog catalogFunc) (aftersale.SoldItem, error) {
	it := aftersale.SoldItem{Serials: []string{serial}, Quantity: 1}
	var version int64
	var sku, lineSKU string
	var flags int64
	o := &it.Order
	err := q.QueryRowContext(ctx, serialQuery, serial).Scan(&version, &sku, &it.Line, &lineSKU,
		dateDest{&it.DeliveredOn}, dateDest{&it.ReshippedOn}, &flags,
		&o.Number, dateDest{&o.PurchaseDate}, &o.Channel, &o.DistributorCode,
		&o.CustomerEmail, &o.ProofOfPurchase, &o.ProofDocument, &o.Total.Currency, &o.Total.Minor)
	if errors.Is(err, sql.ErrNoRows) {
		// Not sold under this serial: perhaps shipped as a replacement (parcels).
		return lookupReplacement(ctx, q, serial)
	}
	if err != nil {
		return it, fmt.Errorf("look up serial %q: %w", serial, err)
	}
	if it.Product, it.Distributor, err = catalog(ctx, version, sku, o.DistributorCode); err != nil {
		return it, fmt.Errorf("look up serial %q: %w", serial, err)
	}
	if lineSKU != sku {
		it.KitSKU = lineSKU
	}
	it.NeverClaimed = flags&flagClaimed == 0
	if flags&flagReplaced == 0 {
		return it, nil
	}
	return it, replacedBy(ctx, q, &it, serial)
}

// deliveredOn prefers the parcel that held the line over one that held the
// whole order.
func deliveredOn(line, order date.Date) date.Date {
	if !line.IsZero() {
		return line
	}
	return order
}

// LookupOrder returns every article of an order: one item per line, and one
// per kit component (nested kits expanded, quantities multiplied), each
// with its serials, product, order, distributor and delivery. KitSKU is the
// kit sold on the line. An unknown order is a NotFound error.
func (db *DB) LookupOrder(ctx context.Context, number string) ([]aftersale.SoldItem, error) {
	return lookupOrder(ctx, db.reads, number)
}

// LookupOrder is DB.LookupOrder inside tx.
func (tx *Tx) LookupOrder(ctx context.Context, number string) ([]aftersale.SoldItem, error) {
	return lookupOrder(ctx, tx.tx, number)
}

func getHeader(ctx context.Context, q querier, number string) (header, error) {
	h, err := scanHeader(q.QueryRowContext(ctx, `SELECT `+orderHeader+`
		FROM orders o LEFT JOIN distributors d ON d.code = o.distributor_code
		WHERE o.number = $1`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return h, userError(aftersale.NotFound, "order", err, "order %q not found", number)
	}
	if err != nil {
		return h, fmt.Errorf("order %q: %w", number, err)
	}
	return h, nil
}

// itemsQuery expands an order's lines into kit components (recursively; the
// depth bound is a guard, kits cannot contain themselves) and attaches each
// article's serials and its line's delivery. A product the line's kit holds
// more than once (on its own and inside a nested kit, or inside two nested
// kits) is one article: its quantities add up, and its serials, which name
// the line and the product only, are attached once.
const itemsQuery = `WITH RECURSIVE items (line_number, sku, kit_sku, quantity, depth) AS (
    SELECT line_number, sku, CAST(NULL AS TEXT), quantity, 0
      FROM order_lines WHERE order_number = $1
    UNION ALL
    SELECT i.line_number, k.component_sku, COALESCE(i.kit_sku, i.sku), i.quantity * k.quantity, i.depth + 1
      FROM items i JOIN kit_components k ON k.kit_sku = i.sku
     WHERE i.depth < 8
),
articles (line_number, sku, kit_sku, quantity, depth) AS (
    SELECT line_number, sku, kit_sku, SUM(quantity), MIN(depth)
      FROM items GROUP BY line_number, sku, kit_sku
)
SELECT i.line_number, i.depth, i.sku, COALESCE(i.kit_sku, ''), i.quantity,
       p.name, p.category, p.warranty_months, p.discontinued,
       (SELECT MAX(v.signed_for) FROM deliveries v
         WHERE v.order_number = $1 AND v.line_number = i.line_number),
       s.serial
FROM articles i
JOIN products p ON p.sku = i.sku
LEFT JOIN serials s ON s.order_number = $1 AND s.line_number = i.line_number AND s.sku = i.sku
ORDER BY i.line_number, i.depth, i.sku, s.serial`

func lookupOrder(ctx context.Context, q querier, number string) ([]aftersale.SoldItem, error) {
	h, err := getHeader(ctx, q, number)
	if aftersale.KindOf(err) == aftersale.NotFound {
		// Typed in another case than on file? (lookupSerial)
		stored, ok, serr := spellingOf(ctx, q, orderSpelling, number)
		if serr != nil {
			return nil, fmt.Errorf("order %q: %w", number, serr)
		}
		if ok && stored != number {
			h, err = getHeader(ctx, q, stored)
		}
	}
	if err != nil {
		return nil, err
	}
	number = h.order.Number
	rows, err := q.QueryContext(ctx, itemsQuery, number)
	if err != nil {
		return nil, fmt.Errorf("items of order %q: %w", number, err)
	}
	defer rows.Close()
	var items []aftersale.SoldItem
	var lastDepth int
	for rows.Next() {
		var it aftersale.SoldItem
		var depth int
		var months *int64
		var lineDelivered date.Date
		var serial sql.NullString
		if err := rows.Scan(&it.Line, &depth, &it.Product.SKU, &it.KitSKU, &it.Quantity,
			&it.Product.Name, &it.Product.Category, &months, &it.Product.Discontinued,
			dateDest{&lineDelivered}, &serial); err != nil {
			return nil, fmt.Errorf("items of order %q: %w", number, err)
		}
		if n := len(items); n > 0 && items[n-1].Line == it.Line && lastDepth == depth &&
			items[n-1].Product.SKU == it.Product.SKU && items[n-1].KitSKU == it.KitSKU {
			// Another serial of the same article.
			items[n-1].Serials = append(items[n-1].Serials, serial.String)
			continue
		}
		it.Product.WarrantyMonths = intPtr(months)
		if serial.Valid {
			it.Serials = []string{serial.String}
		}
		it.Order, it.Distributor = h.order, h.distributor
		it.DeliveredOn = deliveredOn(lineDelivered, h.delivered)
		items, lastDepth = append(items, it), depth
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("items of order %q: %w", number, err)
	}
	rows.Close()
	return reshippedUnits(ctx, q, h, items)
}

// unitsQuery lists the units the seller shipped for an order's lines to
// settle claims: repairs (of a sold serial or of a replacement) and
// replacements, each with its product and the serial it replaces.
const unitsQuery = `SELECT u.serial, u.kind, u.replaces_serial, u.order_line, u.kit_sku, u.shipped_on,
	u.sku, p.name, p.category, p.warranty_months, p.discontinued
FROM replacement_units u JOIN products p ON p.sku = u.sku
WHERE u.order_number = $1
ORDER BY u.order_line, u.serial, u.shipped_on`

// shippedUnit is what the seller did to a unit of an order's lines after
// the sale.
type shippedUnit struct {
	replacement *aftersale.SoldItem // the unit's item, when it is a replacement
	reshipped   date.Date           // its latest shipping, repaired or as a replacement
	replacedBy  string              // the unit that replaced it, if any (the first shipped)
	replacedOn  date.Date
}

// reshippedUnits makes an order's articles agree with LookupSerial about the
// units the seller shipped again (5.5) or replaced (3.1): a repaired or
// replaced serial leaves its article for an item of its own (Quantity 1)
// with its latest shipping day and its replacement, and a replacement unit
// is an item of its own beside the article it replaced, as LookupSerial
// finds it. Items stay in line order; within a line, such units follow the
// articles as sold.
func reshippedUnits(ctx context.Context, q querier, h header, items []aftersale.SoldItem) ([]aftersale.SoldItem, error) {
	units, serials, err := shippedUnits(ctx, q, h, items)
	if err != nil || len(serials) == 0 {
		return items, err
	}
	// The units as sold first, then the replacements: within a line, a
	// replaced unit comes before the unit that replaced it.
	for _, serial := range serials {
		if u := units[serial]; u.replacement == nil {
			items = setApart(items, serial, u)
		}
	}
	for _, serial := range serials {
		if u := units[serial]; u.replacement != nil {
			it := *u.replacement
			it.ReshippedOn, it.ReplacedBy, it.ReplacedOn = u.reshipped, u.replacedBy, u.replacedOn
			items = append(items, it)
		}
	}
	slices.SortStableFunc(items, func(a, b aftersale.SoldItem) int { return a.Line - b.Line })
	return items, nil
}

// setApart gives a sold serial that was repaired or replaced an item of
// its own, out of its article's (unless it is the article's only serial).
func setApart(items []aftersale.SoldItem, serial string, u *shippedUnit) []aftersale.SoldItem {
	for i := range items {
		j := slices.Index(items[i].Serials, serial)
		if j < 0 {
			continue
		}
		unit := &items[i]
		if len(items[i].Serials) > 1 {
			apart := items[i]
			apart.Serials, apart.Quantity = []string{serial}, 1
			items[i].Serials = slices.Delete(slices.Clone(items[i].Serials), j, j+1)
			if items[i].Quantity > 1 {
				items[i].Quantity--
			}
			items = append(items, apart)
			unit = &items[len(items)-1]
		}
		unit.ReshippedOn, unit.ReplacedBy, unit.ReplacedOn = u.reshipped, u.replacedBy, u.replacedOn
		return items
	}
	return items
}

// shippedUnits reads the units shipped again or replaced for order h, by
// serial, and their serials in the query's order; a replacement's item
// takes the delivery of its line from items.
func shippedUnits(ctx context.Context, q querier, h header, items []aftersale.SoldItem) (map[string]*shippedUnit, []string, error) {
	units := map[string]*shippedUnit{}
	var serials []string
	unit := func(serial string) *shippedUnit {
		u, ok := units[serial]
		if !ok {
			u = &shippedUnit{}
			units[serial] = u
			serials = append(serials, serial)
		}
		return u
	}
	err := eachRowArgs(ctx, q, unitsQuery, []any{h.order.Number}, func(sc scanner) error {
		var serial, kind, replaces string
		var shipped date.Date
		var months *int64
		it := aftersale.SoldItem{Quantity: 1, Order: h.order, Distributor: h.distributor, DeliveredOn: h.delivered}
		if err := sc.Scan(&serial, &kind, &replaces, &it.Line, &it.KitSKU, dateDest{&shipped},
			&it.Product.SKU, &it.Product.Name, &it.Product.Category, &months, &it.Product.Discontinued); err != nil {
			return err
		}
		u := unit(serial)
		if shipped.After(u.reshipped) {
			u.reshipped = shipped
		}
		if kind == string(aftersale.KindReplacement) {
			it.Product.WarrantyMonths = intPtr(months)
			it.Serials = []string{serial}
			if k := slices.IndexFunc(items, func(sold aftersale.SoldItem) bool { return sold.Line == it.Line }); k >= 0 {
				it.DeliveredOn = items[k].DeliveredOn // the line's parcel, else the order's
			}
			u.replacement = &it
			if replaces != "" {
				// The first replacement shipped ends the replaced unit's
				// cover (replacedByQuery).
				r := unit(replaces)
				if r.replacedOn.IsZero() || shipped.Before(r.replacedOn) || shipped == r.replacedOn && serial < r.replacedBy {
					r.replacedBy, r.replacedOn = serial, shipped
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("units shipped for order %q: %w", h.order.Number, err)
	}
	return units, serials, nil
}

// Order returns an order with its lines and their serials (each serial with
// its SKU filled in), or a NotFound error.
func (db *DB) Order(ctx context.Context, number string) (aftersale.Order, error) {
	return getOrder(ctx, db.reads, number)
}

// Order is DB.Order inside tx.
func (tx *Tx) Order(ctx context.Context, number string) (aftersale.Order, error) {
	return getOrder(ctx, tx.tx, number)
}

func getOrder(ctx context.Context, q querier, number string) (aftersale.Order, error) {
	h, err := getHeader(ctx, q, number)
	if err != nil {
		return aftersale.Order{}, err
	}
	o := h.order
	rows, err := q.QueryContext(ctx, `SELECT l.line_number, l.sku, l.quantity, l.unit_price_minor, s.serial, s.sku
		FROM order_lines l LEFT JOIN serials s ON s.order_number = l.order_number AND s.line_number = l.line_number
		WHERE l.order_number = $1 ORDER BY l.line_number, s.serial`, number)
	if err != nil {
		return o, fmt.Errorf("lines of order %q: %w", number, err)
	}
	defer rows.Close()
	for rows.Next() {
		l := aftersale.OrderLine{OrderNumber: number}
		var serial, sku sql.NullString
		if err := rows.Scan(&l.Line, &l.SKU, &l.Quantity, &l.UnitPrice, &serial, &sku); err != nil {
			return o, fmt.Errorf("lines of order %q: %w", number, err)
		}
		if n := len(o.Lines); n == 0 || o.Lines[n-1].Line != l.Line {
			o.Lines = append(o.Lines, l)
		}
		if serial.Valid {
			last := &o.Lines[len(o.Lines)-1]
			last.Serials = append(last.Serials, aftersale.Serial{Number: serial.String, SKU: sku.String})
		}
	}
	if err := rows.Err(); err != nil {
		return o, fmt.Errorf("lines of order %q: %w", number, err)
	}
	return o, nil
}
