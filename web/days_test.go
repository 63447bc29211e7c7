package web_test

import (
	"fmt"

	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/internal/testday"
)

// The pages' dates and months, written out by time's layouts (not by the
// product's Locale, which the tests check): Locale.Date writes 24 Nov 2026
// and 2026年11月24日, the dashboard's months Nov 2026 and 2026年11月.
func enDate(d date.Date) string  { return d.Format("2 Jan 2006") }
func zhDate(d date.Date) string  { return d.Format("2006年1月2日") }
func enMonth(d date.Date) string { return d.Format("Jan 2006") }
func zhMonth(d date.Date) string { return d.Format("2006年1月") }

// rmaPrefix begins the numbers of the claims opened on the test day:
// RMA-2026- (store.NextClaimNumber).
func rmaPrefix() string { return fmt.Sprintf("RMA-%04d-", testday.Today().Year()) }
