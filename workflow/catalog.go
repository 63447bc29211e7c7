package workflow

import (
	"context"

	"github.com/aftersale/aftersale"
)

// CatalogReader lists the catalog one page at a time (store.DB has it).
type CatalogReader interface {
	// ListProducts returns up to limit products by SKU after the SKU after,
	// with their successors and kit components, and the next page's cursor.
	ListProducts(ctx context.Context, after string, limit int) ([]aftersale.Product, string, error)
}

// Catalog shows staff the products and kits on file.
type Catalog struct {
	Read CatalogReader
}

// ProductPage is one page of the catalog and the cursor of the next ("" on
// the last).
type ProductPage struct {
	Products []aftersale.Product
	Next     string
}

// Products returns a page of the catalog (limit 0: 50), for staff.
func (s *Catalog) Products(ctx context.Context, actor aftersale.Actor, after string, limit int) (ProductPage, error) {
	if !staff(actor) {
		return ProductPage{}, forbidden(actor, "see the registry")
	}
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > 200 {
		return ProductPage{}, invalid("limit", "%d is not between 1 and 200", limit)
	}
	products, next, err := s.Read.ListProducts(ctx, after, limit)
	if err != nil {
		return ProductPage{}, err
	}
	return ProductPage{Products: products, Next: next}, nil
}
