package store

import (
	"context"
	"fmt"

	"github.com/aftersale/aftersale"
)

// MaxCatalogPage is the most products one page of ListProducts returns.
const MaxCatalogPage = 500

// ListProducts returns up to limit products ordered by SKU, starting after
// the SKU after ("" from the first), each with its successors and kit
// components; next is the cursor of the following page, "" on the last.
// Three queries per page, whatever its size: the products, then the
// successors and components of the page's SKU range.
func (db *DB) ListProducts(ctx context.Context, after string, limit int) (products []aftersale.Product, next string, err error) {
	if limit < 1 || limit > MaxCatalogPage {
		return nil, "", userError(aftersale.Invalid, "limit", nil, "limit %d is not between 1 and %d", limit, MaxCatalogPage)
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT sku, name, category, warranty_months, discontinued
		FROM products WHERE sku > $1 ORDER BY sku LIMIT $2`, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p aftersale.Product
		var months *int64
		if err := rows.Scan(&p.SKU, &p.Name, &p.Category, &months, &p.Discontinued); err != nil {
			return nil, "", fmt.Errorf("list products: %w", err)
		}
		p.WarrantyMonths = intPtr(months)
		products = append(products, p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list products: %w", err)
	}
	if len(products) > limit {
		products = products[:limit]
		next = products[limit-1].SKU
	}
	if len(products) == 0 {
		return products, "", nil
	}
	if err := db.pageDetails(ctx, products, after); err != nil {
		return nil, "", err
	}
	return products, next, nil
}

// pageDetails fills the successors and kit components of a page of
// products, ordered by SKU, whose first SKU comes after after.
func (db *DB) pageDetails(ctx context.Context, products []aftersale.Product, after string) error {
	last := products[len(products)-1].SKU
	index := make(map[string]int, len(products))
	for i, p := range products {
		index[p.SKU] = i
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT sku, successor_sku FROM product_successors
		WHERE sku > $1 AND sku <= $2 ORDER BY sku, position`, after, last)
	if err != nil {
		return fmt.Errorf("list products: successors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sku, successor string
		if err := rows.Scan(&sku, &successor); err != nil {
			return fmt.Errorf("list products: successors: %w", err)
		}
		if i, ok := index[sku]; ok {
			products[i].Successors = append(products[i].Successors, successor)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list products: successors: %w", err)
	}
	comps, err := db.reader.QueryContext(ctx, `SELECT kit_sku, component_sku, quantity FROM kit_components
		WHERE kit_sku > $1 AND kit_sku <= $2 ORDER BY kit_sku, component_sku`, after, last)
	if err != nil {
		return fmt.Errorf("list products: components: %w", err)
	}
	defer comps.Close()
	for comps.Next() {
		var kit string
		var c aftersale.KitComponent
		if err := comps.Scan(&kit, &c.SKU, &c.Quantity); err != nil {
			return fmt.Errorf("list products: components: %w", err)
		}
		if i, ok := index[kit]; ok {
			products[i].Components = append(products[i].Components, c)
		}
	}
	if err := comps.Err(); err != nil {
		return fmt.Errorf("list products: components: %w", err)
	}
	return nil
}
