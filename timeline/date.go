package timeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision int

// Precisions, ordered from coarse to fine, so that sorting by precision puts
// a year before a month before a day that begin on the same day.
const (
	PrecisionNone  Precision = 0
	PrecisionYear  Precision = 1
	PrecisionMonth Precision = 2
	PrecisionDay   Precision = 3
)

// String returns "year", "month" or "day".
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	}
	return "none"
}

// MinYear and MaxYear bound the years a Date may hold.
const (
	MinYear = 1000
	MaxYear = 2999
)

// Date is a calendar date known to year, month or day precision. The zero
// Date is empty ("no date"). A Date never has a time of day or a zone.
//
// An event's dates may also carry what EDTF level 1 says of them (see
// ParseEDTF): a qualifier, digits written X, or an open end. Earliest and
// Latest are then the widest reading: every day the date can mean.
type Date struct {
	Year  int // 1000–2999, or 0 for the empty date; the first year of 198X
	Month int // 1–12, or 0 when only the year is known
	Day   int // 1–31, or 0 when only the month or year is known

	YearX  int       // year digits written X: 1 for 198X, 2 for 19XX
	MonthX bool      // month written XX (2014-XX); Month is 0
	DayX   bool      // day written XX (2014-05-XX); Day is 0
	Qual   Qualifier // ? uncertain, ~ approximate, % both
	Open   bool      // ".." the open side of an interval; nothing else is set
}

// DateRule is the message given for a string that is not a partial date.
const DateRule = "must be a date written YYYY, YYYY-MM or YYYY-MM-DD (years 1000–2999)"

// ParseDate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD". Any other text,
// including "", gives an error that names the rule that was broken.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, fmt.Errorf("is empty: %s", DateRule)
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return Date{}, fmt.Errorf("%q %s", s, DateRule)
	}
	widths := []int{4, 2, 2}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if len(p) != widths[i] || !allDigits(p) {
			return Date{}, fmt.Errorf("%q %s", s, DateRule)
		}
		nums[i], _ = strconv.Atoi(p)
	}
	d := Date{Year: nums[0]}
	if d.Year < MinYear || d.Year > MaxYear {
		return Date{}, fmt.Errorf("%q has year %d: years must be 1000–2999", s, d.Year)
	}
	if len(nums) > 1 {
		d.Month = nums[1]
		if d.Month < 1 || d.Month > 12 {
			return Date{}, fmt.Errorf("%q has month %02d: months must be 01–12", s, d.Month)
		}
	}
	if len(nums) > 2 {
		d.Day = nums[2]
		if n := daysIn(d.Year, d.Month); d.Day < 1 || d.Day > n {
			return Date{}, fmt.Errorf("%q has day %02d: %s %d has days 01–%02d", s, d.Day, time.Month(d.Month), d.Year, n)
		}
	}
	return d, nil
}

// MustDate is ParseDate for literals known to be valid; it panics otherwise.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether d is the empty date (an open side is not empty).
func (d Date) IsZero() bool { return d.Year == 0 && !d.Open }

// Precision returns how much of d is known.
func (d Date) Precision() Precision {
	switch {
	case d.Year == 0:
		return PrecisionNone
	case d.Month == 0:
		return PrecisionYear
	case d.Day == 0:
		return PrecisionMonth
	}
	return PrecisionDay
}

// String returns the ISO form: "1977", "1977-11" or "1977-11-15"; "" when
// empty; the EDTF form for a date that is not plain ("1977-11~", "198X", "..").
func (d Date) String() string {
	if !d.IsPlain() {
		return d.edtfString()
	}
	p := d.Precision()
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		// Never for a valid date; written as Sprintf would.
		switch p {
		case PrecisionYear:
			return fmt.Sprintf("%04d", d.Year)
		case PrecisionMonth:
			return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
		case PrecisionDay:
			return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
		}
		return ""
	}
	// By hand, as fmt.Sprintf("%04d-%02d-%02d") would, in a tenth of the
	// time (an export writes two dates an event).
	var b [10]byte
	digits := func(at, v, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	digits(0, d.Year, 4)
	switch p {
	case PrecisionYear:
		return string(b[:4])
	case PrecisionMonth:
		b[4] = '-'
		digits(5, d.Month, 2)
		return string(b[:7])
	case PrecisionDay:
		b[4], b[7] = '-', '-'
		digits(5, d.Month, 2)
		digits(8, d.Day, 2)
		return string(b[:10])
	}
	return ""
}

// Earliest returns the first day d can mean, as a Day; for an open side,
// the first day of MinYear.
func (d Date) Earliest() Day {
	if d.Open {
		return Day(MinYear*10000 + 101)
	}
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return Day(d.Year*10000 + m*100 + day)
}

// Latest returns the last day d can mean, as a Day: 1989-12-31 for 198X;
// for an open side, the last day of MaxYear.
func (d Date) Latest() Day {
	if d.Open {
		return Day(MaxYear*10000 + 1231)
	}
	if d.YearX > 0 {
		return Day(d.lastYear()*10000 + 1231)
	}
	m, day := d.Month, d.Day
	if m == 0 {
		m = 12
	}
	if day == 0 {
		day = daysIn(d.Year, m)
	}
	return Day(d.Year*10000 + m*100 + day)
}

// Day is a calendar day written as the integer YYYYMMDD, so that days compare
// and sort as integers and index well in SQLite.
type Day int

// Date returns the day as a day-precision Date.
func (n Day) Date() Date {
	return Date{Year: int(n) / 10000, Month: int(n) / 100 % 100, Day: int(n) % 100}
}

// Format renders d for readers: "15 November 1977", "November 1977", "1977";
// with what EDTF says of it, "c. November 1977", "May 2014 (uncertain)",
// "the 1980s", "2014 (month unknown)"; an open side is "open".
func (d Date) Format() string {
	if d.Open {
		return "open"
	}
	return qualify("en", d.plainFormat(), d.Qual, unknownNotes("en", d))
}

// plainFormat is Format without the qualifier and notes.
func (d Date) plainFormat() string {
	switch d.YearX {
	case 1:
		return fmt.Sprintf("the %ds", d.Year)
	case 2:
		return "the " + ordinal(d.Year/100+1) + " century"
	}
	switch d.Precision() {
	case PrecisionYear:
		return strconv.Itoa(d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%s %d", time.Month(d.Month), d.Year)
	case PrecisionDay:
		return fmt.Sprintf("%d %s %d", d.Day, time.Month(d.Month), d.Year)
	}
	return ""
}

// MarshalText writes the ISO form, so a Date is a JSON string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the EDTF form (see ParseEDTF; Validate refuses
// what a field does not take); "" gives the empty date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseEDTF(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// FormatSpan renders an event's dates for readers, never inventing a day:
// "15 November 1977", "c. 1980", "26–28 May 2014", "May 2014 – February 2016",
// "1959–1984 (uncertain)", "June 2019 onwards", "until 1950". A qualifier
// both dates share is said once, for the span. end may be empty; an end
// equal to start is not repeated.
func FormatSpan(start, end Date) string {
	return formatSpanIn("en", start, end, Date.Format, formatRange)
}

// formatSpanIn writes a span in lang: with an open side, each date in its
// own words (one); when both dates share a qualifier, the range of the
// plain dates (rng) with the qualifier once; otherwise each date in its
// own words.
func formatSpanIn(lang string, start, end Date, one func(Date) string, rng func(a, b Date) string) string {
	if start.IsZero() {
		return ""
	}
	if start.Open || end.Open {
		return openSpan(lang, start, end, one)
	}
	if end.IsZero() || end == start {
		return one(start)
	}
	if start.Qual != end.Qual {
		return rng(start, end) // not both plain: each date is written whole
	}
	q := start.Qual
	start.Qual, end.Qual = 0, 0
	return qualify(lang, rng(start, end), q, nil)
}

// formatRange writes two dates as a range; dates that are not plain are
// written whole, each with its words.
func formatRange(a, b Date) string {
	if b.IsZero() || a == b {
		return a.Format()
	}
	if !a.IsPlain() || !b.IsPlain() {
		return a.Format() + " – " + b.Format()
	}
	pa, pb := a.Precision(), b.Precision()
	if pa == pb && a.Year == b.Year {
		switch pa {
		case PrecisionDay:
			if a.Month == b.Month {
				return fmt.Sprintf("%d–%d %s %d", a.Day, b.Day, time.Month(a.Month), a.Year)
			}
			return fmt.Sprintf("%d %s – %d %s %d", a.Day, time.Month(a.Month), b.Day, time.Month(b.Month), a.Year)
		case PrecisionMonth:
			return fmt.Sprintf("%s – %s %d", time.Month(a.Month), time.Month(b.Month), a.Year)
		}
	}
	if pa == PrecisionYear && pb == PrecisionYear {
		return fmt.Sprintf("%d–%d", a.Year, b.Year)
	}
	return a.Format() + " – " + b.Format()
}

// DateOf returns the calendar day of t (in t's location) as a Date.
func DateOf(t time.Time) Date {
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// AddDays returns the day n days after d (before, for negative n).
func (d Day) AddDays(n int) Day {
	t := time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
	return Day(t.Year()*10000 + int(t.Month())*100 + t.Day())
}
