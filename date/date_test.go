package date

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"2026-01-31", "2026-01-31", nil},
		{"2024-02-29", "2024-02-29", nil},
		{"2000-02-29", "2000-02-29", nil},
		{"1970-01-01", "1970-01-01", nil},
		{"1900-02-29", "", ErrImpossible},
		{"2026-02-29", "", ErrImpossible},
		{"2026-04-31", "", ErrImpossible},
		{"2026-13-01", "", ErrImpossible},
		{"2026-00-10", "", ErrImpossible},
		{"2026-01-00", "", ErrImpossible},
		{"2026-1-31", "", ErrSyntax},
		{"31/01/2026", "", ErrSyntax},
		{"2026-01-31T00:00:00Z", "", ErrSyntax},
		{"", "", ErrSyntax},
		{"0999-01-01", "", ErrRange},
		{"0000-03-31", "", ErrRange},
		{"0001-01-01", "", ErrRange},
		{"1899-12-31", "", ErrRange},
		{"1900-01-01", "1900-01-01", nil},
		{"9999-12-31", "9999-12-31", nil},
		{"+10000-01-01", "", ErrSyntax},
		{"2026-0a-01", "", ErrSyntax},
		{"+026-01-01", "", ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := Parse(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from   string
		months int
		want   string
	}{
		{"2026-01-31", 3, "2026-04-30"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2026-03-15", 12, "2027-03-15"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-12-31", 1, "2027-01-31"},
		{"2026-05-31", 0, "2026-05-31"},
		{"2026-08-31", 6, "2027-02-28"},
	}
	for _, tt := range tests {
		got := MustParse(tt.from).AddMonths(tt.months).String()
		if got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.months, got, tt.want)
		}
	}
}

// TestAgainstTime walks every day of four centuries and checks the day arithmetic
// against the standard library's calendar.
func TestAgainstTime(t *testing.T) {
	start := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC)
	d0 := FromTime(start)
	for i := 0; i < 146097+40; i++ {
		tm := start.AddDate(0, 0, i)
		d := d0.AddDays(i)
		if got, want := d.String(), tm.Format(Layout); got != want {
			t.Fatalf("day %d: %s, want %s", i, got, want)
		}
		if FromTime(tm) != d {
			t.Fatalf("FromTime(%s) differs from AddDays", tm.Format(Layout))
		}
	}
}

func TestCompare(t *testing.T) {
	a, b := MustParse("2026-01-31"), MustParse("2026-02-07")
	if !a.Before(b) || a.After(b) || b.Before(a) || !b.After(a) {
		t.Error("Before/After disagree with calendar order")
	}
	if a.DaysUntil(b) != 7 || b.DaysUntil(a) != -7 {
		t.Errorf("DaysUntil = %d, want 7", a.DaysUntil(b))
	}
	if Max(a, b) != b || Max(b, a) != b {
		t.Error("Max is not the later date")
	}
	var zero Date
	if !zero.IsZero() || a.IsZero() || zero == MustParse("1970-01-01") {
		t.Error("the zero Date must differ from every real date")
	}
	if got := a.Format("2 Jan 2006"); got != "31 Jan 2026" {
		t.Errorf("Format = %q", got)
	}
}

func TestText(t *testing.T) {
	var d Date
	if err := d.UnmarshalText([]byte("2026-02-30")); !errors.Is(err, ErrImpossible) {
		t.Fatalf("UnmarshalText(2026-02-30) = %v", err)
	}
	if err := d.UnmarshalText([]byte("2026-02-28")); err != nil {
		t.Fatal(err)
	}
	b, err := d.MarshalText()
	if err != nil || string(b) != "2026-02-28" {
		t.Fatalf("MarshalText = %q, %v", b, err)
	}
	if _, err := (Date{}).MarshalText(); err == nil {
		t.Error("marshalling the zero Date must fail")
	}
}

// TestOutOfRangePrintsApart: arithmetic past 9999 prints every digit of
// the year, never four that Parse would read as another day, and InRange
// tells such dates from Parse's.
func TestOutOfRangePrintsApart(t *testing.T) {
	last := MustParse("9999-12-31")
	if !last.InRange() || !MustParse("1900-01-01").InRange() || (Date{}).InRange() {
		t.Fatal("InRange is wrong at the ends of the range")
	}
	tests := []struct {
		d    Date
		want string
	}{
		{last.AddMonths(3), "+10000-03-31"},
		{last.AddDays(1), "+10000-01-01"},
		{Of(0, 3, 31), "0000-03-31"},
		{Of(-1, 1, 1), "-1-01-01"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		if tt.d.InRange() {
			t.Errorf("%s is in range", tt.d)
		}
		if _, err := Parse(tt.d.String()); err == nil {
			t.Errorf("Parse(%q) accepted", tt.d)
		}
	}
	// Every day Parse accepts, at the ends and across leap days, prints
	// back as itself.
	for _, s := range []string{"1900-01-01", "1900-02-28", "2000-02-29", "2024-02-29", "9996-02-29", "9999-12-31"} {
		if got := MustParse(s).String(); got != s {
			t.Errorf("%s prints as %s", s, got)
		}
	}
}
