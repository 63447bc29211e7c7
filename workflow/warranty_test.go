package workflow_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/policy/policyjson"
	"github.com/aftersale/aftersale/workflow"
)

// now is the tests' clock: 17:00 UTC on the day before the test day
// (testday.Now is 09:00 UTC on it), which is already 01:00 on the test day
// in the seller's time zone (Asia/Shanghai): the seller's today is the
// test day while UTC's is the day before, so taking the day in UTC fails.
var now = func() time.Time { return testday.Now().Add(-16 * time.Hour) }

// The fixture's warranty ends, taken from its dates as the policy takes
// them: the same day number months later (I-1). On the default test day
// they are 2026-12-04, 2028-03-04 and 2027-02-12. They are functions, not
// variables: read at package init, AFTERSALE_TEST_TODAY would escape the
// go command's record of the environment a test read, and a cached result
// of another test day would pass for this one.
func servoEndsA1() date.Date { return testday.Day(-81).AddMonths(3) }  // A-1's servos: 3 months from its delivery
func boardEndsA1() date.Date { return testday.Day(-81).AddMonths(18) } // A-1's board: its own 18 months (2.N1)
func servoEndsB1() date.Date { return testday.Day(-12).AddMonths(3) }  // B-1's servo, never signed for: 3 months from its purchase

func newService(t *testing.T) *workflow.Service {
	t.Helper()
	_, svc := newFixtureStore(t, filepath.Join(t.TempDir(), "a.db"))
	return svc
}

func TestWarrantyBySerial(t *testing.T) {
	svc := newService(t)
	if got, want := svc.Today().String(), testday.Today().String(); got != want {
		t.Fatalf("today %s, want the seller's %s", got, want)
	}
	// Days left on the default test day: 10, 466, 10 and 80.
	tests := []struct {
		serial, sku, kit           string
		ends                       date.Date
		outcome, remedies, clauses string
		covered                    bool
		daysLeft                   int
	}{
		{"SV-1", "SERVO-MG", "KIT-ARM", servoEndsA1(), "eligible", "free_repair", "2 3.3 5.4 6.2", true, testday.Today().DaysUntil(servoEndsA1())},
		{"MB-1", "MOD-MAIN", "KIT-ARM", boardEndsA1(), "eligible", "free_repair", "2 2.N1 3.3 5.4 6.2", true, testday.Today().DaysUntil(boardEndsA1())},
		{"SV-9", "SERVO-MG", "", servoEndsA1(), "eligible", "free_repair", "2 3.3 5.4 6.2", true, testday.Today().DaysUntil(servoEndsA1())},
		// Bought from a distributor: the customer is sent there first.
		{"SV-20", "SERVO-MG", "", servoEndsB1(), "refer_to_distributor", "", "5.3 6.1", true, testday.Today().DaysUntil(servoEndsB1())},
	}
	for _, tt := range tests {
		t.Run(tt.serial, func(t *testing.T) {
			st, err := svc.WarrantyBySerial(t.Context(), agent, tt.serial)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{st.SKU, st.KitSKU, *wire(st).Warranty.EndsOn, wire(st).Outcome, strings.Join(wire(st).Remedies, " ")}
			want := []string{tt.sku, tt.kit, tt.ends.String(), tt.outcome, tt.remedies}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			clauses := slices.Sorted(slices.Values(wire(st).Clauses))
			if strings.Join(clauses, " ") != tt.clauses {
				t.Errorf("clauses %v, want %s", clauses, tt.clauses)
			}
			if wire(st).Warranty.Covered != tt.covered || st.DaysLeft == nil || *st.DaysLeft != tt.daysLeft {
				t.Errorf("covered %v, days left %v; want %v, %d", wire(st).Warranty.Covered, st.DaysLeft, tt.covered, tt.daysLeft)
			}
			if st.AsOf != testday.Today() || len(st.Serials) != 1 || st.Serials[0] != tt.serial {
				t.Errorf("as_of %s, serials %v", st.AsOf, st.Serials)
			}
			// The answer is due 3 days on, written as the policy writes a
			// date in Chinese (2026年11月27日 on the default day).
			if zh := st.ReasonsIn("zh"); len(zh) != len(wire(st).Reasons) || !strings.Contains(zh[len(zh)-1], "最迟于"+testday.Day(3).Format("2006年1月2日")) {
				t.Errorf("reasons in Chinese %q", zh)
			}
			for _, lang := range []string{"en", "fr"} {
				if got := st.ReasonsIn(lang); !slices.Equal(got, wire(st).Reasons) {
					t.Errorf("reasons in %s %q, want the English %q", lang, got, wire(st).Reasons)
				}
			}
		})
	}
	_, err := svc.WarrantyBySerial(t.Context(), agent, "NOPE")
	if aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("unknown serial: %v, want NotFound", err)
	}
	_, err = svc.WarrantyBySerial(t.Context(), agent, "  ")
	if aftersale.KindOf(err) != aftersale.Invalid {
		t.Errorf("blank serial: %v, want Invalid", err)
	}
}

func TestWarrantyByOrder(t *testing.T) {
	svc := newService(t)
	items, err := svc.WarrantyByOrder(t.Context(), agent, "A-1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range items {
		end := "none"
		if wire(st).Warranty.EndsOn != nil {
			end = *wire(st).Warranty.EndsOn
		}
		got = append(got, st.SKU+"/"+st.KitSKU+"/"+end+"/"+wire(st).Outcome)
	}
	want := []string{
		"KIT-ARM//none/not_eligible", "MOD-MAIN/KIT-ARM/" + boardEndsA1().String() + "/eligible", "SCREW-SET/KIT-ARM/none/not_eligible",
		"SERVO-MG/KIT-ARM/" + servoEndsA1().String() + "/eligible", "SERVO-MG//" + servoEndsA1().String() + "/eligible",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order A-1:\n got %q\nwant %q", got, want)
	}
	if _, err := svc.WarrantyByOrder(t.Context(), agent, "Z-9"); aftersale.KindOf(err) != aftersale.NotFound {
		t.Errorf("unknown order: %v", err)
	}
}

// TestCompleteFacts: an eligibility request that names a serial takes the
// product and the sale from the registry; a known SKU gives its category.
func TestCompleteFacts(t *testing.T) {
	svc := newService(t)
	p := policy.Default()
	lookup := func(f *policy.Facts) error { return svc.CompleteFacts(t.Context(), f) }
	// The dates, relative to the test day, were on the default day
	// 2026-11-24 (today), 2026-01-01, 2025-01-10 and 2026-06-01.
	today := testday.Today().String()
	tests := []struct {
		name, body, outcome, clauses string
	}{
		{"serial: everything from the registry", `{"request":"defect","serial":"MB-1","reported_on":"` + today + `"}`, "eligible", "2 2.N1 3.3 5.4 6.2"},
		// The customer says SV-1 was bought 327 days ago: the servo's 3
		// months are over, although the registry's delivery is recent.
		{"serial with the customer's own dates", `{"request":"defect","serial":"SV-1","purchased_on":"` + testday.Day(-327).String() + `","reported_on":"` + today + `","proof_of_purchase":true}`, "not_eligible", "2 3.4 4 5.4 6.2"},
		// Reported 507 days after buying: inside the board's 18 months
		// (at least 546 days) on any test day.
		{"known sku: category and term", `{"request":"defect","sku":"MOD-MAIN","purchased_on":"` + testday.Day(-683).String() + `","reported_on":"` + testday.Day(-176).String() + `","proof_of_purchase":true}`, "eligible", "2 2.N1 3.3 5.4 6.2"},
		{"distributor contract on file: 14-day replacement", `{"request":"defect","serial":"SV-20","applicant":"distributor","reported_on":"` + today + `"}`, "eligible", "2 3.1 5.4 6.1 6.2 A4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := policyjson.ParseFactsFor(p, []byte(tt.body), lookup)
			if err != nil {
				t.Fatal(err)
			}
			d, err := p.Decide(&f)
			if err != nil {
				t.Fatal(err)
			}
			out := policyjson.FromDecision(&d)
			if got := strings.Join(slices.Sorted(slices.Values(out.Clauses)), " "); out.Outcome != tt.outcome || got != tt.clauses {
				t.Errorf("%s %s, want %s %s (%q)", out.Outcome, got, tt.outcome, tt.clauses, out.Reasons)
			}
		})
	}
	_, err := policyjson.ParseFactsFor(p, []byte(`{"request":"defect","serial":"NOPE","reported_on":"`+today+`"}`), lookup)
	if err == nil || !strings.Contains(err.Error(), `serial: no unit with serial "NOPE"`) {
		t.Errorf("unknown serial: %v", err)
	}
}

// wire is st's decision in the contract's words, with st's own reasons (a
// replaced unit's): what the API answers, for assertions.
func wire(st workflow.WarrantyStatus) policyjson.DecisionJSON {
	d := policyjson.FromDecision(&st.Decision)
	d.Reasons = st.ReasonsIn(policy.English)
	return d
}
