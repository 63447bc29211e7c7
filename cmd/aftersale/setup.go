package main

import (
	"context"

	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/demo"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// sampleOrders is the size of the sample a new installation may load.
const sampleOrders = 500

// newSetup offers a new installation (no users yet) its first
// administrator through the web, and the demo data set as a sample.
func newSetup(p *policy.Policy, db *store.DB) *workflow.Setup {
	return &workflow.Setup{Store: db, Hash: hashNewPassword,
		LoadSample: func(ctx context.Context) (workflow.Sample, error) {
			today, err := todayIn(p)
			if err != nil {
				return workflow.Sample{}, err
			}
			st, err := demo.Store(ctx, db, demo.Options{Orders: sampleOrders, Seed: 1, Today: today})
			ex := st.Example
			return workflow.Sample{Orders: st.Orders, Order: ex.Order, Email: ex.Email, Serial: ex.Serial,
				PurchasedOn: ex.PurchasedOn, DistributorOrder: ex.DistributorOrder, DistributorEmail: ex.DistributorEmail,
				Distributor: ex.Distributor}, err
		}}
}

// hashNewPassword checks a new password against the rules and hashes it.
func hashNewPassword(password, email string) (string, error) {
	if err := auth.CheckPassword(password, email); err != nil {
		return "", err
	}
	return auth.HashPassword(password, auth.DefaultParams)
}
