package timeline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Event dates are written in the Extended Date/Time Format (EDTF, the
// Library of Congress profile of ISO 8601-2): level 0, YYYY, YYYY-MM and
// YYYY-MM-DD, and the parts of level 1 that suit a chronology:
//
//	2014-05?    uncertain (the sources are not sure of it)
//	1977-11~    approximate (about November 1977)
//	1977-11%    both
//	198X, 19XX  unspecified year digits (some year of the 1980s, of 1900–1999)
//	2014-XX     an unspecified month (some month of 2014), 2014-05-XX a day
//	..          an open end of an interval: 2019-06/.. (still going), ../1950
//
// Levels 1 and 2 have more (seasons, years beyond four digits, times,
// qualifiers on one component, sets); those are refused with the rule.
// The unknown end of level 1 (an empty side, "2019-06/") is refused too: an
// event's empty end already means it has none, so ".." says "open".

// Qualifier is an EDTF date's trailing qualifier.
type Qualifier uint8

// Qualifiers; QualBoth is Uncertain|Approximate, written %.
const (
	QualUncertain   Qualifier = 1 // ?
	QualApproximate Qualifier = 2 // ~
	QualBoth                  = QualUncertain | QualApproximate
)

// String returns "?", "~", "%" or "".
func (q Qualifier) String() string {
	switch q {
	case QualUncertain:
		return "?"
	case QualApproximate:
		return "~"
	case QualBoth:
		return "%"
	}
	return ""
}

// EDTFRule is the message given for a string that is not an event date.
const EDTFRule = "must be an EDTF date: YYYY, YYYY-MM or YYYY-MM-DD (years 1000–2999), " +
	"optionally followed by ? (uncertain), ~ (approximate) or % (both); unknown digits written X " +
	"(198X, 19XX, 2014-XX, 2014-05-XX); or .. for an open end"

// ParseEDTF parses one EDTF date as an event's start or end may hold it
// (see the list above). Any other text, including "", gives an error that
// names the rule broken. Plain dates parse as ParseDate parses them.
func ParseEDTF(s string) (Date, error) {
	if s == "" {
		return Date{}, fmt.Errorf("is empty: %s", EDTFRule)
	}
	if s == ".." {
		return Date{Open: true}, nil
	}
	body := s
	var q Qualifier
	switch s[len(s)-1] {
	case '?':
		q = QualUncertain
	case '~':
		q = QualApproximate
	case '%':
		q = QualBoth
	}
	if q != 0 {
		body = s[:len(s)-1]
	}
	parts := strings.Split(body, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}, fmt.Errorf("%q %s", s, EDTFRule)
	}
	var d Date
	// The year: four digits, or digits then one or two X.
	y := parts[0]
	digits := strings.TrimRight(y, "X")
	d.YearX = len(y) - len(digits)
	if d.YearX > 2 || !allDigits(digits) {
		if d.YearX > 2 && allDigits(digits) {
			return Date{}, fmt.Errorf("%q has %d unknown year digits: at most two (19XX)", s, d.YearX)
		}
		return Date{}, fmt.Errorf("%q %s", s, EDTFRule)
	}
	d.Year, _ = strconv.Atoi(digits + strings.Repeat("0", d.YearX))
	last := d.Year + pow10(d.YearX) - 1 // 1989 for 198X
	if d.Year < MinYear || last > MaxYear {
		return Date{}, fmt.Errorf("%q has year %s: years must be 1000–2999", s, y)
	}
	if d.YearX > 0 && len(parts) > 1 {
		return Date{}, fmt.Errorf("%q: a year with unknown digits (%s) takes no month or day", s, y)
	}
	if len(parts) > 1 {
		m := parts[1]
		switch {
		case m == "XX":
			d.MonthX = true
		case len(m) == 2 && allDigits(m):
			d.Month, _ = strconv.Atoi(m)
			if d.Month < 1 || d.Month > 12 {
				return Date{}, fmt.Errorf("%q has month %s: months must be 01–12", s, m)
			}
		default:
			return Date{}, fmt.Errorf("%q %s", s, EDTFRule)
		}
	}
	if len(parts) > 2 {
		dd := parts[2]
		switch {
		case dd == "XX":
			d.DayX = true
		case len(dd) == 2 && allDigits(dd):
			if d.MonthX {
				return Date{}, fmt.Errorf("%q: a day needs a known month (write %d-XX-XX)", s, d.Year)
			}
			d.Day, _ = strconv.Atoi(dd)
			if n := daysIn(d.Year, d.Month); d.Day < 1 || d.Day > n {
				return Date{}, fmt.Errorf("%q has day %s: %s has days 01–%02d", s, dd, Date{Year: d.Year, Month: d.Month}.Format(), n)
			}
		default:
			return Date{}, fmt.Errorf("%q %s", s, EDTFRule)
		}
	}
	d.Qual = q
	return d, nil
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// ErrUnknownEnd is returned for an interval with an empty side.
var ErrUnknownEnd = errors.New("an empty side of / (an unknown end) is not used here: write .. for an open end, or leave the end empty for an event without one")

// ParseInterval parses an EDTF interval "START/END" (each side a date as
// ParseEDTF reads it, or ".." for an open side) into an event's start and
// end. Both sides may not be open, and the end may not come before the
// start. A string without "/" is a start alone.
func ParseInterval(s string) (start, end Date, err error) {
	a, b, ok := strings.Cut(s, "/")
	if !ok {
		if start, err = ParseEDTF(s); err != nil {
			return Date{}, Date{}, err
		}
		if msg := CheckSpan(start, Date{}); msg != "" {
			return Date{}, Date{}, fmt.Errorf("%q: %s", s, msg)
		}
		return start, Date{}, nil
	}
	if a == "" || b == "" {
		return Date{}, Date{}, fmt.Errorf("%q: %w", s, ErrUnknownEnd)
	}
	if start, err = ParseEDTF(a); err != nil {
		return Date{}, Date{}, err
	}
	if end, err = ParseEDTF(b); err != nil {
		return Date{}, Date{}, err
	}
	if msg := CheckSpan(start, end); msg != "" {
		return Date{}, Date{}, fmt.Errorf("%q: %s", s, msg)
	}
	return start, end, nil
}

// CheckSpan returns the rule an event's start and end break, or "": the
// start is required, may be open only when an end is given, and two open
// sides say nothing; the end may not end before the start begins.
func CheckSpan(start, end Date) string {
	switch {
	case start.IsZero():
		return "a start is required"
	case start.Open && end.IsZero():
		return "an open start (..) needs an end"
	case start.Open && end.Open:
		return "both ends are open (..): give at least one date"
	case !start.Open && !end.IsZero() && !end.Open && end.Latest() < start.Earliest():
		return "the end is before the start"
	}
	return ""
}

// Interval returns the EDTF form of an event's dates: "1977-11~" alone,
// or "2019-06/.." and "1959~/1984~" for a span.
func Interval(start, end Date) string {
	if end.IsZero() {
		return start.String()
	}
	return start.String() + "/" + end.String()
}

// IsPlain reports whether d is a level-0 date (or empty): no qualifier,
// no unknown digits, not open. Filters, sources and eras take plain dates.
func (d Date) IsPlain() bool {
	return d.Qual == 0 && d.YearX == 0 && !d.MonthX && !d.DayX && !d.Open
}

// HTMLDate returns d as an HTML date string for a datetime attribute
// ("1977-11" for 1977-11~), or "" when it has none: unknown digits, an
// unknown month, an open side.
func (d Date) HTMLDate() string {
	if d.YearX > 0 || d.MonthX || d.Open {
		return ""
	}
	d.Qual, d.DayX = 0, false
	return d.String()
}

// Uncertain reports whether d is marked ? or %.
func (d Date) Uncertain() bool { return d.Qual&QualUncertain != 0 }

// Approximate reports whether d is marked ~ or %.
func (d Date) Approximate() bool { return d.Qual&QualApproximate != 0 }

// WithQual returns d with qualifier q added to the one it has.
func (d Date) WithQual(q Qualifier) Date {
	if d.IsZero() || d.Open {
		return d
	}
	d.Qual |= q
	return d
}

// edtfString writes the EDTF form of a date that is not plain.
func (d Date) edtfString() string {
	if d.Open {
		return ".."
	}
	var b strings.Builder
	y := fmt.Sprintf("%04d", d.Year)
	b.WriteString(y[:4-d.YearX])
	b.WriteString(strings.Repeat("X", d.YearX))
	switch {
	case d.MonthX:
		b.WriteString("-XX")
	case d.Month != 0:
		fmt.Fprintf(&b, "-%02d", d.Month)
	}
	switch {
	case d.DayX:
		b.WriteString("-XX")
	case d.Day != 0:
		fmt.Fprintf(&b, "-%02d", d.Day)
	}
	b.WriteString(d.Qual.String())
	return b.String()
}

// lastYear is the last year d can mean: 1989 for 198X.
func (d Date) lastYear() int { return d.Year + pow10(d.YearX) - 1 }

// ordinal writes n as an English ordinal: "20th", "21st".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// unknownNotes returns the note for d's unknown month or day, if any.
func unknownNotes(lang string, d Date) []string {
	var key string
	switch {
	case d.MonthX && d.DayX:
		key = "md"
	case d.MonthX:
		key = "m"
	case d.DayX:
		key = "d"
	default:
		return nil
	}
	words := map[string]map[string]string{
		"ja": {"md": "月日不明", "m": "月不明", "d": "日不明"},
		"ko": {"md": "월일 미상", "m": "월 미상", "d": "일 미상"},
		"en": {"md": "month and day unknown", "m": "month unknown", "d": "day unknown"},
	}
	if _, ok := words[lang]; !ok {
		lang = "en"
	}
	return []string{words[lang][key]}
}

// qualify writes core with qualifier q and notes in language lang:
//
//	en: c. November 1977, May 2014 (uncertain), c. 2014 (month unknown, uncertain)
//	ja: 1977年11月頃, 2014年5月（不確実）, 2014年頃（月不明・不確実）
//	ko: 1977년 11월경, 2014년 5월(불확실), 2014년경(월 미상, 불확실)
func qualify(lang, core string, q Qualifier, notes []string) string {
	if core == "" {
		return ""
	}
	if q&QualUncertain != 0 {
		switch lang {
		case "ja":
			notes = append(notes, "不確実")
		case "ko":
			notes = append(notes, "불확실")
		default:
			notes = append(notes, "uncertain")
		}
	}
	approx := q&QualApproximate != 0
	switch lang {
	case "ja":
		if approx {
			core += "頃"
		}
		if len(notes) > 0 {
			core += "（" + strings.Join(notes, "・") + "）"
		}
	case "ko":
		if approx {
			core += "경"
		}
		if len(notes) > 0 {
			core += "(" + strings.Join(notes, ", ") + ")"
		}
	default:
		if approx {
			core = "c. " + core
		}
		if len(notes) > 0 {
			core += " (" + strings.Join(notes, ", ") + ")"
		}
	}
	return core
}

// openSpan writes a span with an open side: "June 2019 onwards", "until
// 1950"; 2019年6月〜, 〜1950年; 2019년 6월~, ~1950년.
func openSpan(lang string, start, end Date, one func(Date) string) string {
	to := map[string]string{"ja": "〜", "ko": "~"}[lang]
	if start.Open {
		if to != "" {
			return to + one(end)
		}
		return "until " + one(end)
	}
	if to != "" {
		return one(start) + to
	}
	return one(start) + " onwards"
}
