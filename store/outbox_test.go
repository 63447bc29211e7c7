package store_test

import (
	"testing"

	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/storetest"
)

// TestCustomerConformance runs the claim-link and outbox suite on both
// engines.
func TestCustomerConformance(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			storetest.RunCustomer(t, func(t *testing.T) *store.DB { return open(t, e.dsn(t)) })
		})
	}
}
