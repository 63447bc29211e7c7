package main

import (
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
	return &workflow.Setup{Store: db, Hash: hashNewPassword, SampleOrders: sampleOrders,
		LoadSample: demo.SampleLoader(db, func() (demo.Options, error) {
			today, err := todayIn(p)
			return demo.Options{Orders: sampleOrders, Seed: 1, Today: today}, err
		})}
}

// hashNewPassword checks a new password against the rules and hashes it.
func hashNewPassword(password, email string) (string, error) {
	if err := auth.CheckPassword(password, email); err != nil {
		return "", err
	}
	return auth.HashPassword(password, auth.DefaultParams)
}
