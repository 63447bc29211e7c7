package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/store"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// RunCatalog runs the conformance tests of the catalog's listing, each on
// its own fresh store.
func RunCatalog(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db *store.DB)
	}{
		{"ListProductsPages", testListProductsPages},
		{"ListProductsEmptyAndRefusals", testListProductsEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// Every page size walks the whole catalog in SKU order, each product
// with its own successors and kit components, never another's.
func testListProductsPages(t *testing.T, db *store.DB) {
	want := catalog()
	if err := db.UpsertProducts(ctx(t), want); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(want, func(a, b aftersale.Product) int { return strings.Compare(a.SKU, b.SKU) })
	for _, size := range []int{1, 2, 3, len(want), len(want) + 1, store.MaxCatalogPage} {
		var got []aftersale.Product
		after, pages := "", 0
		for {
			page, next, err := db.ListProducts(ctx(t), after, size)
			if err != nil {
				t.Fatalf("size %d after %q: %v", size, after, err)
			}
			if len(page) > size {
				t.Fatalf("size %d: a page of %d", size, len(page))
			}
			got = append(got, page...)
			pages++
			if next == "" {
				break
			}
			if next != page[len(page)-1].SKU {
				t.Fatalf("size %d: next %q is not the page's last SKU %q", size, next, page[len(page)-1].SKU)
			}
			after = next
			if pages > len(want)+1 {
				t.Fatalf("size %d: the pages never end", size)
			}
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("size %d (-want +got):\n%s", size, diff)
		}
		if wantPages := (len(want) + size - 1) / size; size <= len(want) && pages != wantPages && pages != wantPages+1 {
			t.Errorf("size %d: %d pages, want %d", size, pages, wantPages)
		}
	}
}

func testListProductsEmpty(t *testing.T, db *store.DB) {
	page, next, err := db.ListProducts(ctx(t), "", 10)
	if err != nil || len(page) != 0 || next != "" {
		t.Errorf("empty catalog: %v, %q, %v", page, next, err)
	}
	for _, limit := range []int{0, -1, store.MaxCatalogPage + 1} {
		if _, _, err := db.ListProducts(ctx(t), "", limit); aftersale.KindOf(err) != aftersale.Invalid {
			t.Errorf("limit %d: %v, want Invalid", limit, err)
		}
	}
}
