package store

import (
	"context"

	"github.com/aftersale/aftersale/workflow"
)

// InClaimTx is InTx for the claim use cases: it is a workflow.TxRunner.
func (db *DB) InClaimTx(ctx context.Context, fn func(workflow.ClaimTx) error) error {
	return db.InTx(ctx, func(tx *Tx) error { return fn(tx) })
}
