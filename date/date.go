// Package date is the calendar date of the policy: a day with no time and no zone.
//
// The policy counts in calendar days and calendar months
// (docs/policy-reading.md I-1), so a date is a day number, not a time.Time:
// arithmetic is exact, comparison is an integer comparison, and nothing
// allocates.
package date

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date in the proleptic Gregorian calendar, counted in days
// from 1970-01-01. The zero Date is not a valid date: it means "no date".
type Date struct {
	// days counts from offsetDays before 1970-01-01, so that the zero value
	// lies far before any date Parse accepts and means "no date".
	days int32
}

// Layout is the only text form of a Date: ISO 8601 YYYY-MM-DD.
const Layout = "2006-01-02"

// ErrSyntax is wrapped by Parse errors for text that is not YYYY-MM-DD.
var ErrSyntax = errors.New("not a date of the form YYYY-MM-DD")

// ErrImpossible is wrapped by Parse errors for a well-formed but impossible
// date such as 2026-02-30.
var ErrImpossible = errors.New("no such day in the calendar")

// ErrRange is wrapped by Parse errors for a well-formed date outside the
// years MinYear to MaxYear.
var ErrRange = errors.New("not a year from 1900 to 9999")

// The years a date may be read in. Before 1900 nothing was sold that the
// policy could cover; after 9999 the text form YYYY-MM-DD has no room.
// Arithmetic may leave the range (9999-12-31 plus a month): such a date
// prints in ISO 8601's expanded form (+10000-01-31), which Parse refuses,
// so that no such date is ever stored where it could not be read back
// (InRange tells).
const (
	MinYear = 1900
	MaxYear = 9999
)

// Of returns the date of year, month and day. Out-of-range values are
// normalised the way time.Date does (Of(2026, 2, 30) is 2 March); use Parse to
// refuse them.
func Of(year int, month time.Month, day int) Date {
	return fromDays(daysFromCivil(year, int(month), day))
}

// FromTime returns t's date in t's location.
func FromTime(t time.Time) Date {
	y, m, d := t.Date()
	return Of(y, m, d)
}

// Parse reads YYYY-MM-DD. It refuses other layouts, a year outside MinYear to
// MaxYear (1900-9999) and impossible days, with an error wrapping ErrSyntax,
// ErrRange or ErrImpossible. Every date it accepts prints back as the same
// text.
func Parse(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	if y < MinYear || y > MaxYear {
		return Date{}, fmt.Errorf("%q: %w", s, ErrRange)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return Date{}, fmt.Errorf("%q: %w", s, ErrImpossible)
	}
	return fromDays(daysFromCivil(y, m, d)), nil
}

// MustParse is Parse for literals in tests and built-in data; it panics on a
// bad literal, which is a programming error, never input.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d.days == 0 }

// InRange reports whether d is a date Parse could have returned: not zero,
// in the years MinYear to MaxYear. Only such a date prints as YYYY-MM-DD
// and reads back as itself.
func (d Date) InRange() bool {
	if d.IsZero() {
		return false
	}
	y := d.Year()
	return y >= MinYear && y <= MaxYear
}

// Civil returns the year, month and day of d.
func (d Date) Civil() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(int(d.days) - offsetDays)
	return y, time.Month(m), dd
}

// AddDays returns d moved n calendar days.
func (d Date) AddDays(n int) Date { return Date{days: d.days + int32(n)} }

// AddMonths returns the same day number n months later; where the target month
// is shorter, its last day (docs/policy-reading.md I-1: 31 Jan + 3 months =
// 30 Apr).
func (d Date) AddMonths(n int) Date {
	y, m, day := civilFromDays(int(d.days) - offsetDays)
	total := y*12 + (m - 1) + n
	// Parse's dates are years 1900-9999, and months added are a policy's
	// (tens, not thousands), so total stays positive; the result may pass
	// 9999 (InRange).
	ny, nm := total/12, total%12+1
	if last := daysIn(ny, nm); day > last {
		day = last
	}
	return fromDays(daysFromCivil(ny, nm, day))
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.days < e.days }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.days > e.days }

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.days - d.days) }

// Max returns the later of d and e.
func Max(d, e Date) Date {
	if e.days > d.days {
		return e
	}
	return d
}

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var b [10]byte
	return string(d.AppendISO(b[:0]))
}

// AppendISO appends YYYY-MM-DD to b. A year outside 0-9999, which only
// arithmetic past the range of Parse makes, is written in ISO 8601's
// expanded form with its sign and every digit (+10000-03-31), never cut to
// four digits: Parse refuses it rather than reading another day.
func (d Date) AppendISO(b []byte) []byte {
	y, m, day := civilFromDays(int(d.days) - offsetDays)
	switch {
	case y > 9999:
		b = strconv.AppendInt(append(b, '+'), int64(y), 10)
	case y < 0:
		b = strconv.AppendInt(b, int64(y), 10)
	default:
		b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	}
	b = append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
	return b
}

// Format returns d in the layout of time.Time.Format, such as "2 Jan 2006".
func (d Date) Format(layout string) string {
	y, m, day := d.Civil()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Format(layout)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return nil, errors.New("date: cannot marshal the zero Date")
	}
	return d.AppendISO(make([]byte, 0, 10)), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

const offsetDays = 1 << 20 // about 2,870 years

func fromDays(days int) Date { return Date{days: int32(days + offsetDays)} }

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil and civilFromDays are Howard Hinnant's algorithms
// (http://howardhinnant.github.io/date_algorithms.html), exact for every
// Gregorian date and free of tables and time zones.
func daysFromCivil(y, m, d int) int {
	// Normalise out-of-range months and days the way time.Date does.
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		yy, mm, dd := t.Date()
		y, m, d = yy, int(mm), dd
	}
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (int, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// Year returns d's year.
func (d Date) Year() int {
	y, _, _ := d.Civil()
	return y
}
