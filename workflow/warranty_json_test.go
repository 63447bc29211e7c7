package workflow_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

// checkJSON fails unless st.AppendJSON writes what encoding/json writes,
// with and without HTML escaping.
func checkJSON(t *testing.T, st workflow.WarrantyStatus) {
	t.Helper()
	want, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.AppendJSON(nil, true); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON\n%s\nencoding/json\n%s", got, want)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(st); err != nil {
		t.Fatal(err)
	}
	want = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if got := st.AppendJSON(nil, false); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON without HTML escaping\n%s\nencoding/json\n%s", got, want)
	}
}

// TestWarrantyStatusJSONOfLookups: the statuses the service returns, for
// serials and whole orders, encode as encoding/json encodes them.
func TestWarrantyStatusJSONOfLookups(t *testing.T) {
	svc := newService(t)
	for _, serial := range []string{"SV-1", "MB-1", "SV-9", "SV-20"} {
		t.Run(serial, func(t *testing.T) {
			st, err := svc.WarrantyBySerial(t.Context(), serial)
			if err != nil {
				t.Fatal(err)
			}
			checkJSON(t, st)
		})
	}
	for _, order := range []string{"A-1"} {
		t.Run(order, func(t *testing.T) {
			items, err := svc.WarrantyByOrder(t.Context(), order)
			if err != nil || len(items) == 0 {
				t.Fatalf("%d items, %v", len(items), err)
			}
			for _, st := range items {
				checkJSON(t, st)
			}
		})
	}
}

// FuzzWarrantyStatusJSON: any text in any field, and every optional field
// present or not, encodes as encoding/json encodes it.
func FuzzWarrantyStatusJSON(f *testing.F) {
	f.Add("SV-1", "Servo <MG> & co", "KIT-ARM", "2026-12-04", 10, -3, uint8(0xff))
	f.Add("", "", "", "", 0, 0, uint8(0))
	f.Add("a\"b\\c", "\u2028\xff\b\f\t", "中文", "x", 1<<40, -1<<40, uint8(0x55))
	f.Fuzz(func(t *testing.T, a, b, c, d string, n, m int, set uint8) {
		has := func(bit int) bool { return set&(1<<bit) != 0 }
		st := workflow.WarrantyStatus{SKU: a, Product: b, Category: c, Quantity: n, AsOf: d,
			Order:    workflow.SaleJSON{Number: a, Line: m, PurchasedOn: d, Channel: c},
			Warranty: policy.WarrantyJSON{Covered: has(0), StartsOn: d},
			Decision: policy.DecisionJSON{Outcome: a, RespondBy: d, PolicyVersion: c, Warranty: policy.WarrantyJSON{StartsOn: b}},
		}
		if has(1) {
			st.Serials, st.KitSKU, st.Order.Distributor = []string{a, b}, c, b
		}
		if has(2) {
			st.Order.DeliveredOn, st.Warranty.EndsOn, st.DaysLeft = &d, &b, &m
			st.Decision.ShippingPaidBy, st.Decision.Warranty.EndsOn = &c, &a
		}
		if has(3) {
			st.Claims = []workflow.EarlierClaim{{Number: a, Status: aftersale.Status(b), Request: c, ReportedOn: d}, {Serial: a}}
		} else if has(4) {
			st.Claims = []workflow.EarlierClaim{}
		}
		if has(5) {
			st.Decision.Remedies, st.Decision.Missing = []string{a}, []string{}
			st.Decision.Clauses, st.Decision.Reasons = []string{b, c}, []string{d}
		}
		if has(6) {
			st.Serials = []string{}
		}
		checkJSON(t, st)
	})
}
