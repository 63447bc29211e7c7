// Package testday is the day the tests pin their clocks to:
// AFTERSALE_TEST_TODAY (YYYY-MM-DD) when set, else 24 Nov 2026.
//
// Go's clock cannot be moved from outside the process (faketime does not
// reach it), so the tests move their own: CI runs the suite again with a
// day in the past and one in the future, and a place where the machine's
// clock leaks into what a test checks fails one of those runs.
package testday

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/aftersale/aftersale/date"
)

// Variable names the environment variable that moves the test day.
const Variable = "AFTERSALE_TEST_TODAY"

// Default is the test day when Variable is not set.
var Default = date.MustParse("2026-11-24")

var today = sync.OnceValue(func() date.Date {
	s := os.Getenv(Variable)
	if s == "" {
		return Default
	}
	d, err := date.Parse(s)
	if err != nil {
		// A test run with a mistyped day must not quietly use another.
		panic(fmt.Sprintf("%s=%q: %v", Variable, s, err))
	}
	return d
})

// Today is the tests' day.
func Today() date.Date { return today() }

// Day is the day n days from Today (n < 0: before).
func Day(n int) date.Date { return Today().AddDays(n) }

// Now is 09:00 UTC on Today: a working morning in the seller's time zone.
func Now() time.Time {
	y, m, d := Today().Civil()
	return time.Date(y, m, d, 9, 0, 0, 0, time.UTC)
}
