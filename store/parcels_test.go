package store_test

import (
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// The parcel use cases' ports; these fail to compile when a method drifts.
var (
	_ workflow.ParcelTx     = (*store.Tx)(nil)
	_ workflow.ParcelReader = (*store.DB)(nil)
)
