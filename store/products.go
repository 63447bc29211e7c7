package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
)

var productsUpsert = upsert{
	table:  "products",
	key:    []string{"sku"},
	cols:   []string{"sku", "name", "category", "warranty_months", "discontinued"},
	update: []string{"name", "category", "warranty_months", "discontinued"},
}

var successorsInsert = upsert{
	table: "product_successors",
	cols:  []string{"sku", "position", "successor_sku"},
}

var componentsInsert = upsert{
	table: "kit_components",
	cols:  []string{"kit_sku", "component_sku", "quantity"},
}

// UpsertProducts writes products in one transaction. A product's successors
// and kit components are replaced by those given: a product without
// Components is not a kit. A kit that would contain itself, directly or
// through another kit, is refused.
func (db *DB) UpsertProducts(ctx context.Context, ps []aftersale.Product) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.UpsertProducts(ctx, ps) })
}

// UpsertProducts is DB.UpsertProducts inside tx.
func (tx *Tx) UpsertProducts(ctx context.Context, ps []aftersale.Product) error {
	skus := make([]string, len(ps))
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
		skus[i] = p.SKU
	}
	if dup, ok := firstDuplicate(skus); ok {
		return userError(aftersale.Invalid, "sku", nil, "product %q appears twice in the batch", dup)
	}
	w := rowsWriter{u: productsUpsert, n: len(ps),
		row: func(i int, dst []any) []any {
			p := ps[i]
			return append(dst, p.SKU, p.Name, string(p.Category), p.WarrantyMonths, p.Discontinued)
		},
		explain: func(ctx context.Context, i int, err error) error {
			return genericError(fmt.Sprintf("product %q", ps[i].SKU), err)
		},
	}
	if err := w.write(ctx, tx); err != nil {
		return err
	}
	if err := tx.replaceSuccessors(ctx, ps, skus); err != nil {
		return err
	}
	return tx.replaceComponents(ctx, ps, skus)
}

type pair struct{ owner, item int }

func (tx *Tx) replaceSuccessors(ctx context.Context, ps []aftersale.Product, skus []string) error {
	if err := tx.deleteWhereIn(ctx, "product_successors", "sku", skus); err != nil {
		return err
	}
	var rows []pair
	for i, p := range ps {
		for j := range p.Successors {
			rows = append(rows, pair{i, j})
		}
	}
	w := rowsWriter{u: successorsInsert, n: len(rows),
		row: func(i int, dst []any) []any {
			r := rows[i]
			return append(dst, ps[r.owner].SKU, r.item+1, ps[r.owner].Successors[r.item])
		},
		explain: func(ctx context.Context, i int, err error) error {
			return genericError(fmt.Sprintf("successors of product %q", ps[rows[i].owner].SKU), err)
		},
	}
	return w.write(ctx, tx)
}

func (tx *Tx) replaceComponents(ctx context.Context, ps []aftersale.Product, skus []string) error {
	if err := tx.deleteWhereIn(ctx, "kit_components", "kit_sku", skus); err != nil {
		return err
	}
	var rows []pair
	for i, p := range ps {
		for j := range p.Components {
			rows = append(rows, pair{i, j})
		}
	}
	w := rowsWriter{u: componentsInsert, n: len(rows),
		row: func(i int, dst []any) []any {
			r := rows[i]
			c := ps[r.owner].Components[r.item]
			return append(dst, ps[r.owner].SKU, c.SKU, c.Quantity)
		},
		explain: func(ctx context.Context, i int, err error) error {
			r := rows[i]
			kit, c := ps[r.owner].SKU, ps[r.owner].Components[r.item]
			switch classify(err) {
			case foreignKeyViolation:
				return userError(aftersale.Invalid, "components", err, "kit %q lists unknown product %q", kit, c.SKU)
			case uniqueViolation:
				return userError(aftersale.Invalid, "components", err, "kit %q lists component %q twice", kit, c.SKU)
			}
			return genericError(fmt.Sprintf("kit %q", kit), err)
		},
	}
	if err := w.write(ctx, tx); err != nil {
		return err
	}
	for _, p := range ps {
		if !p.IsKit() {
			continue
		}
		if err := tx.checkKitCycle(ctx, p.SKU); err != nil {
			return err
		}
	}
	return nil
}

// kitCycle finds a path of kit components that leads from a kit back to
// itself. UNION ALL with a path stops at the kit itself; the length bound
// ends any walk caught in some other cycle.
const kitCycle = `
WITH RECURSIVE reach (sku, path) AS (
    SELECT component_sku, CAST($1 AS TEXT) || ' > ' || component_sku
      FROM kit_components WHERE kit_sku = $1
    UNION ALL
    SELECT k.component_sku, r.path || ' > ' || k.component_sku
      FROM kit_components k JOIN reach r ON k.kit_sku = r.sku
     WHERE r.sku <> $1 AND length(r.path) < 2000
)
SELECT path FROM reach WHERE sku = $1 LIMIT 1`

func (tx *Tx) checkKitCycle(ctx context.Context, kit string) error {
	var path string
	err := tx.tx.QueryRowContext(ctx, kitCycle, kit).Scan(&path)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("check kit %q: %w", kit, err)
	}
	return userError(aftersale.Invalid, "components", nil,
		"kit %q cannot contain itself, directly or through another kit (%s)", kit, path)
}

// deleteWhereIn deletes the rows of table whose column is one of keys.
func (tx *Tx) deleteWhereIn(ctx context.Context, table, column string, keys []string) error {
	return inChunks(keys, func(part []any) error {
		q := fmt.Sprintf("DELETE FROM %s WHERE %s IN (%s)", table, column, placeholders(tx.db.engine, 1, len(part)))
		if _, err := tx.tx.ExecContext(ctx, q, part...); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
		return nil
	})
}

// Product returns the product sku with its successors and components, or a
// NotFound error.
func (db *DB) Product(ctx context.Context, sku string) (aftersale.Product, error) {
	return getProduct(ctx, db.reads, sku)
}

// Product is DB.Product inside tx.
func (tx *Tx) Product(ctx context.Context, sku string) (aftersale.Product, error) {
	return getProduct(ctx, tx.tx, sku)
}

func getProduct(ctx context.Context, q querier, sku string) (aftersale.Product, error) {
	p, err := productRow(ctx, q, sku)
	if err != nil {
		return p, err
	}
	p.Successors, err = queryStrings(ctx, q,
		`SELECT successor_sku FROM product_successors WHERE sku = $1 ORDER BY position`, sku)
	if err != nil {
		return p, fmt.Errorf("successors of %q: %w", sku, err)
	}
	rows, err := q.QueryContext(ctx,
		`SELECT component_sku, quantity FROM kit_components WHERE kit_sku = $1 ORDER BY component_sku`, sku)
	if err != nil {
		return p, fmt.Errorf("components of %q: %w", sku, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c aftersale.KitComponent
		if err := rows.Scan(&c.SKU, &c.Quantity); err != nil {
			return p, fmt.Errorf("components of %q: %w", sku, err)
		}
		p.Components = append(p.Components, c)
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("components of %q: %w", sku, err)
	}
	return p, nil
}

// productRow returns the product sku without its successors and components,
// or a NotFound error.
func productRow(ctx context.Context, q querier, sku string) (aftersale.Product, error) {
	p := aftersale.Product{SKU: sku}
	var months *int64
	err := q.QueryRowContext(ctx,
		`SELECT name, category, warranty_months, discontinued FROM products WHERE sku = $1`, sku).
		Scan(&p.Name, &p.Category, &months, &p.Discontinued)
	if errors.Is(err, sql.ErrNoRows) {
		return p, userError(aftersale.NotFound, "sku", err, "product %q not found", sku)
	}
	if err != nil {
		return p, fmt.Errorf("product %q: %w", sku, err)
	}
	p.WarrantyMonths = intPtr(months)
	return p, nil
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// firstDuplicate returns the first key that appears twice.
func firstDuplicate(keys []string) (string, bool) {
	seen := make(map[string]struct{}, len(keys))
	for _, k := range keys {
		if _, ok := seen[k]; ok {
			return k, true
		}
		seen[k] = struct{}{}
	}
	return "", false
}
