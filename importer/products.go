package importer

import (
	"context"
	"errors"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
)

// Columns of a products file.
const (
	pSKU = iota
	pName
	pCategory
	pWarranty
	pSuccessors
	pDiscontinued
)

var productColumns = []string{"sku", "name", "category", "warranty_months", "successors", "discontinued"}

func productsSpec(c *checker) *spec[aftersale.Product] {
	return &spec[aftersale.Product]{
		columns:  productColumns,
		required: []string{"sku", "name", "category"},
		key:      func(f []string) string { return f[pSKU] },
		parse: func(e *rowErrs, rows []*row) aftersale.Product {
			k, r := c.with(e, productColumns), rows[0]
			p := aftersale.Product{SKU: k.req(r, pSKU), Name: k.req(r, pName), Category: k.category(r, pCategory),
				WarrantyMonths: k.optInt(r, pWarranty), Successors: k.list(r, pSuccessors), Discontinued: k.boolean(r, pDiscontinued)}
			for _, s := range p.Successors {
				if s == p.SKU {
					e.add(r, "successors", "product %q cannot succeed itself", p.SKU)
				}
			}
			return p
		},
		write:  writeProducts,
		fields: map[string]string{"components": ""},
	}
}

// writeProducts keeps each product's bill of materials: the store replaces
// components with those given, and a products file has none (a kits file
// sets them).
func writeProducts(ctx context.Context, tx *store.Tx, ps []aftersale.Product) error {
	for i := range ps {
		old, err := tx.Product(ctx, ps[i].SKU)
		switch {
		case err == nil:
			ps[i].Components = old.Components
		case aftersale.KindOf(err) != aftersale.NotFound:
			return err
		}
	}
	return tx.UpsertProducts(ctx, ps)
}

// Columns of a kits file.
const (
	kKit = iota
	kComponent
	kQuantity
)

var kitColumns = []string{"kit_sku", "component_sku", "quantity"}

// kit is a kit's new bill of materials.
type kit struct {
	sku        string
	components []aftersale.KitComponent
}

func kitsSpec(c *checker) *spec[kit] {
	return &spec[kit]{
		columns:  kitColumns,
		required: kitColumns,
		key:      func(f []string) string { return f[kKit] },
		grouped:  true,
		parse: func(e *rowErrs, rows []*row) kit {
			k := c.with(e, kitColumns)
			out := kit{sku: k.req(rows[0], kKit)}
			seen := map[string]int{}
			for _, r := range rows {
				comp := aftersale.KitComponent{SKU: k.req(r, kComponent), Quantity: int(k.integer(r, kQuantity, 0, 1))}
				if k.str(r, kQuantity) == "" {
					e.add(r, "quantity", "a value is required")
				}
				if comp.SKU == out.sku && comp.SKU != "" {
					e.add(r, "component_sku", "kit %q cannot contain itself", out.sku)
				}
				if prev, ok := seen[comp.SKU]; ok {
					e.add(r, "component_sku", "component %q is already listed on line %d", comp.SKU, prev)
				}
				seen[comp.SKU] = r.line
				out.components = append(out.components, comp)
			}
			return out
		},
		write: writeKits,
		locate: func(ctx context.Context, tx *store.Tx, item kit, rows []*row, err error) RowError {
			// Try the components one by one to find the one at fault.
			for i, comp := range item.components {
				one := []kit{{sku: item.sku, components: []aftersale.KitComponent{comp}}}
				var compErr error
				tx.Savepoint(ctx, func() error {
					compErr = writeKits(ctx, tx, one)
					return errUndo
				})
				if compErr != nil && aftersale.KindOf(compErr) != aftersale.Internal {
					return RowError{Line: rows[i].line, Column: kitColumn(compErr), Reason: aftersale.MessageOf(compErr)}
				}
			}
			return RowError{Line: rows[0].line, Column: kitColumn(err), Reason: aftersale.MessageOf(err)}
		},
	}
}

// errUndo makes a savepoint roll back work that succeeded.
var errUndo = errors.New("undo")

func kitColumn(err error) string {
	var ae *aftersale.Error
	if errors.As(err, &ae) && ae.Field == "sku" {
		return "kit_sku"
	}
	return "component_sku"
}

// writeKits replaces the bills of materials, keeping the rest of each
// product; a kit must be a known product.
func writeKits(ctx context.Context, tx *store.Tx, kits []kit) error {
	ps := make([]aftersale.Product, len(kits))
	for i, k := range kits {
		p, err := tx.Product(ctx, k.sku)
		if err != nil {
			if aftersale.KindOf(err) == aftersale.NotFound {
				return &aftersale.Error{Kind: aftersale.Invalid, Field: "sku", Message: "unknown kit SKU " + quote(k.sku) + ": import it as a product first", Err: err}
			}
			return err
		}
		p.Components = k.components
		ps[i] = p
	}
	return tx.UpsertProducts(ctx, ps)
}

func quote(s string) string { return `"` + s + `"` }
