package api

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/workflow"
)

// checkWarrantyJSON fails unless appendWarranty writes what encoding/json
// writes of warrantyOf(st), with and without HTML escaping.
func checkWarrantyJSON(t *testing.T, st *workflow.WarrantyStatus) {
	t.Helper()
	want, err := json.Marshal(warrantyOf(st))
	if err != nil {
		t.Fatal(err)
	}
	if got := appendWarranty(nil, st, true); !bytes.Equal(got, want) {
		t.Fatalf("appendWarranty\n%s\nencoding/json\n%s", got, want)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(warrantyOf(st)); err != nil {
		t.Fatal(err)
	}
	want = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if got := appendWarranty(nil, st, false); !bytes.Equal(got, want) {
		t.Fatalf("appendWarranty without HTML escaping\n%s\nencoding/json\n%s", got, want)
	}
}

// FuzzWarrantyJSON: any text in any field, every optional field present or
// not, and decisions of every outcome encode as encoding/json encodes them.
func FuzzWarrantyJSON(f *testing.F) {
	f.Add("SV-1", "Servo <MG> & co", "KIT-ARM", 10, -3, 20000, uint8(0xff))
	f.Add("", "", "", 0, 0, 0, uint8(0))
	f.Add("a\"b\\c", "\u2028\xff\b\f\t", "中文", 1<<40, -1<<40, -5000, uint8(0x55))
	p := policy.Default()
	day := date.MustParse("2026-03-01")
	facts := []policy.Facts{
		{Request: policy.RequestDefect, Category: "servo_motor", PurchasedOn: day, ReportedOn: day.AddDays(30), ProofOfPurchase: true},
		{Request: policy.RequestReturn, Category: "electronic_module", PurchasedOn: day, ReportedOn: day.AddDays(30), ProofOfPurchase: true},
		{Request: policy.RequestDefect, Category: "battery", PurchasedOn: day, ReportedOn: day.AddDays(3)},
		{Request: policy.RequestDefect, Category: "servo_motor", PurchasedOn: day, ReportedOn: day.AddDays(300), ProofOfPurchase: true},
	}
	f.Fuzz(func(t *testing.T, a, b, c string, n, m, days int, set uint8) {
		has := func(bit int) bool { return set&(1<<bit) != 0 }
		fc := facts[int(set>>6)]
		d, err := p.Decide(&fc)
		if err != nil {
			t.Fatal(err)
		}
		on := day.AddDays(days % 100000)
		st := workflow.WarrantyStatus{SKU: a, Product: b, Category: c, Quantity: n, AsOf: on, Decision: d,
			Order: workflow.Sale{Number: a, Line: m, PurchasedOn: on, Channel: aftersale.Channel(c)}}
		if has(0) {
			st.Serials, st.KitSKU, st.Order.Distributor = []string{a, b}, c, b
		}
		if has(1) {
			st.Order.DeliveredOn, st.DaysLeft = on.AddDays(1), &m
		}
		if has(2) {
			st.Claims = []aftersale.ClaimRef{{Number: a, Status: aftersale.Status(b), Request: c, ReportedOn: on}, {Serial: a}}
		} else if has(3) {
			st.Claims = []aftersale.ClaimRef{}
		}
		if has(4) {
			st.Serials = []string{}
		}
		st.ClaimOpen = has(5)
		checkWarrantyJSON(t, &st)
	})
}

// warrantyOf is st as warrantyStatus: what appendWarranty writes, by
// encoding/json (its tests compare the two).
func warrantyOf(st *workflow.WarrantyStatus) warrantyStatus {
	d := decisionOf(st)
	out := warrantyStatus{Serials: st.Serials, SKU: st.SKU, Product: st.Product, Category: st.Category, KitSKU: st.KitSKU,
		Quantity: st.Quantity, AsOf: st.AsOf.String(), Warranty: d.Warranty, DaysLeft: st.DaysLeft, Decision: d,
		ClaimOpen: st.ClaimOpen,
		Order: saleJSON{Number: st.Order.Number, Line: st.Order.Line, PurchasedOn: st.Order.PurchasedOn.String(),
			Channel: string(st.Order.Channel), Distributor: st.Order.Distributor}}
	if !st.Order.DeliveredOn.IsZero() {
		s := st.Order.DeliveredOn.String()
		out.Order.DeliveredOn = &s
	}
	if st.Claims != nil {
		out.Claims = make([]earlierClaim, len(st.Claims))
		for i, c := range st.Claims {
			out.Claims[i] = earlierClaim{Number: c.Number, Status: string(c.Status), Request: c.Request,
				ReportedOn: c.ReportedOn.String(), Serial: c.Serial}
		}
	}
	return out
}
