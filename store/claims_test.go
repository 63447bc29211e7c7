package store_test

import (
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// The store implements workflow's ports structurally; these fail to compile
// when a method drifts from the interface.
var (
	_ workflow.ClaimTx     = (*store.Tx)(nil)
	_ workflow.ClaimReader = (*store.DB)(nil)
)
