package store_test

import (
	"testing"

	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/storetest"
)

// TestStatsConformance runs the dashboard statistics' suite on both engines.
func TestStatsConformance(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			storetest.RunStats(t, func(t *testing.T) *store.DB { return open(t, e.dsn(t)) })
		})
	}
}
