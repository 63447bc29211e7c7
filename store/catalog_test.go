package store_test

import (
	"testing"

	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/storetest"
)

func TestCatalogConformance(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			storetest.RunCatalog(t, func(t *testing.T) *store.DB { return open(t, e.dsn(t)) })
		})
	}
}
