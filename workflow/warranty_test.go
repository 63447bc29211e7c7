package workflow_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// today is 24 Nov 2026 in the seller's time zone (Asia/Shanghai): 23 Nov in UTC.
var now = func() time.Time { return time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC) }

func newService(t *testing.T) *workflow.Service {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fixture.Seed(t, db)
	svc, err := workflow.New(policy.Default(), db, now)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestWarrantyBySerial(t *testing.T) {
	svc := newService(t)
	if got := svc.Today().String(); got != "2026-11-24" {
		t.Fatalf("today %s, want the seller's 2026-11-24", got)
	}
	tests := []struct {
		serial, sku, kit, ends, outcome, remedies, clauses string
		covered                                            bool
		daysLeft                                           int
	}{
		{"SV-1", "SERVO-MG", "KIT-ARM", "2026-12-04", "eligible", "free_repair", "2 3.3 5.4 6.2", true, 10},
		{"MB-1", "MOD-MAIN", "KIT-ARM", "2028-03-04", "eligible", "free_repair", "2 2.N1 3.3 5.4 6.2", true, 466},
		{"SV-9", "SERVO-MG", "", "2026-12-04", "eligible", "free_repair", "2 3.3 5.4 6.2", true, 10},
		// Bought from a distributor: the customer is sent there first.
		{"SV-20", "SERVO-MG", "", "2027-02-12", "refer_to_distributor", "", "5.3 6.1", true, 80},
	}
	for _, tt := range tests {
		t.Run(tt.serial, func(t *testing.T) {
			st, err := svc.WarrantyBySerial(t.Context(), tt.serial)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{st.SKU, st.KitSKU, *st.Warranty.EndsOn, st.Decision.Outcome, strings.Join(st.Decision.Remedies, " ")}
			want := []string{tt.sku, tt.kit, tt.ends, tt.outcome, tt.remedies}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			clauses := slices.Sorted(slices.Values(st.Decision.Clauses))
			if strings.Join(clauses, " ") != tt.clauses {
				t.Errorf("clauses %v, want %s", clauses, tt.clauses)
			}
			if st.Warranty.Covered != tt.covered || st.DaysLeft == nil || *st.DaysLeft != tt.daysLeft {
				t.Errorf("covered %v, days left %v; want %v, %d", st.Warranty.Covered, st.DaysLeft, tt.covered, tt.daysLeft)
			}
			if st.AsOf != "2026-11-24" || len(st.Serials) != 1 || st.Serials[0] != tt.serial {
				t.Errorf("as_of %s, serials %v", st.AsOf, st.Serials)
			}
			if zh := st.ReasonsIn("zh"); len(zh) != len(st.Decision.Reasons) || !strings.Contains(zh[len(zh)-1], "最迟于2026年11月27日") {
				t.Errorf("reasons in Chinese %q", zh)
			}
			for _, lang := range []string{"en", "fr"} {
				if got := st.ReasonsIn(lang); !slices.Equal(got, st.Decision.Reasons) {
					t.Errorf("reasons in %s %q, want the English %q", lang, got, st.Decision.Reasons)
				}
			}
		})
	}
	_, err := svc.WarrantyBySerial(t.Context(), "NOPE")
	if aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("unknown serial: %v, want NotFound", err)
	}
	_, err = svc.WarrantyBySerial(t.Context(), "  ")
	if aftersale.KindOf(err) != aftersale.Invalid {
		t.Errorf("blank serial: %v, want Invalid", err)
	}
}

func TestWarrantyByOrder(t *testing.T) {
	svc := newService(t)
	items, err := svc.WarrantyByOrder(t.Context(), "A-1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range items {
		end := "none"
		if st.Warranty.EndsOn != nil {
			end = *st.Warranty.EndsOn
		}
		got = append(got, st.SKU+"/"+st.KitSKU+"/"+end+"/"+st.Decision.Outcome)
	}
	want := []string{
		"KIT-ARM//none/not_eligible", "MOD-MAIN/KIT-ARM/2028-03-04/eligible", "SCREW-SET/KIT-ARM/none/not_eligible",
		"SERVO-MG/KIT-ARM/2026-12-04/eligible", "SERVO-MG//2026-12-04/eligible",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order A-1:\n got %q\nwant %q", got, want)
	}
	if _, err := svc.WarrantyByOrder(t.Context(), "Z-9"); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("unknown order: %v", err)
	}
}

// TestCompleteFacts: an eligibility request that names a serial takes the
// product and the sale from the registry; a known SKU gives its category.
func TestCompleteFacts(t *testing.T) {
	svc := newService(t)
	p := policy.Default()
	lookup := func(f *policy.Facts) error { return svc.CompleteFacts(t.Context(), f) }
	tests := []struct {
		name, body, outcome, clauses string
	}{
		{"serial: everything from the registry", `{"request":"defect","serial":"MB-1","reported_on":"2026-11-24"}`, "eligible", "2 2.N1 3.3 5.4 6.2"},
		{"serial with the customer's own dates", `{"request":"defect","serial":"SV-1","purchased_on":"2026-01-01","reported_on":"2026-11-24","proof_of_purchase":true}`, "not_eligible", "2 3.4 4 5.4 6.2"},
		{"known sku: category and term", `{"request":"defect","sku":"MOD-MAIN","purchased_on":"2025-01-10","reported_on":"2026-06-01","proof_of_purchase":true}`, "eligible", "2 2.N1 3.3 5.4 6.2"},
		{"distributor contract on file: 14-day replacement", `{"request":"defect","serial":"SV-20","applicant":"distributor","reported_on":"2026-11-24"}`, "eligible", "2 3.1 5.4 6.1 6.2 A4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := p.ParseFactsWith([]byte(tt.body), lookup)
			if err != nil {
				t.Fatal(err)
			}
			d, err := p.Decide(&f)
			if err != nil {
				t.Fatal(err)
			}
			out := d.JSON()
			if got := strings.Join(slices.Sorted(slices.Values(out.Clauses)), " "); out.Outcome != tt.outcome || got != tt.clauses {
				t.Errorf("%s %s, want %s %s (%q)", out.Outcome, got, tt.outcome, tt.clauses, out.Reasons)
			}
		})
	}
	_, err := p.ParseFactsWith([]byte(`{"request":"defect","serial":"NOPE","reported_on":"2026-11-24"}`), lookup)
	if err == nil || !strings.Contains(err.Error(), `serial: no unit with serial "NOPE"`) {
		t.Errorf("unknown serial: %v", err)
	}
}
