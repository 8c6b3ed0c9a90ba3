package timeline

import (
	"fmt"
	"strconv"
	"strings"
)

// JapaneseEra is one era (元号) of the modern Japanese calendar.
type JapaneseEra struct {
	Name  string // 平成
	Abbr  string // H, the letter used in forms such as H14.9.17
	Start Day    // the first day of the era, in the Gregorian calendar
}

// gregorianReform is the first day Japan counted in the Gregorian calendar
// (明治6年1月1日; the day before was 明治5年12月2日 of the lunisolar
// calendar). Before it, the 明治 era's months and days are lunisolar ones
// that do not match Gregorian months, so only whole years are mapped:
// 明治N年 is the Gregorian year 1867+N for N = 1–5, the conventional
// correspondence. A Gregorian month or day before 1873 has no era, and an
// era date finer than a year before 明治6年 is refused. Years before 1868
// have no era.
const gregorianReform Day = 18730101

// japaneseEras holds the eras from 明治 on, oldest first. 明治's Start is
// its first Gregorian year (see gregorianReform); the others are the days
// their emperors acceded.
var japaneseEras = []JapaneseEra{
	{Name: "明治", Abbr: "M", Start: 18680101},
	{Name: "大正", Abbr: "T", Start: 19120730},
	{Name: "昭和", Abbr: "S", Start: 19261225},
	{Name: "平成", Abbr: "H", Start: 19890108},
	{Name: "令和", Abbr: "R", Start: 20190501},
}

// EraYear is a year of a Japanese era: 平成14年.
type EraYear struct {
	Era  JapaneseEra
	Year int // 1 is written 元年
}

// String returns the year as written: "平成14年", "令和元年".
func (y EraYear) String() string {
	if y.Year == 1 {
		return y.Era.Name + "元年"
	}
	return y.Era.Name + strconv.Itoa(y.Year) + "年"
}

// eraAt returns the index of the era in force on day n, or -1 before 明治.
func eraAt(n Day) int {
	for i := len(japaneseEras) - 1; i >= 0; i-- {
		if n >= japaneseEras[i].Start {
			return i
		}
	}
	return -1
}

// JapaneseEraYears returns the era years that d falls in, oldest first:
// one for most dates; two when d spans a change of era (1989 is 昭和64年
// and 平成元年; so is 1989-01); none for an empty date, a date before 1868,
// or a month or day before 1873 (see gregorianReform).
func JapaneseEraYears(d Date) []EraYear {
	if d.IsZero() {
		return nil
	}
	if d.Earliest() < gregorianReform && d.Precision() != PrecisionYear {
		return nil
	}
	first, last := eraAt(d.Earliest()), eraAt(d.Latest())
	if first < 0 {
		return nil
	}
	var out []EraYear
	for i := first; i <= last; i++ {
		e := japaneseEras[i]
		out = append(out, EraYear{Era: e, Year: d.Year - e.Start.Date().Year + 1})
	}
	return out
}

// EraDateRule is the message given for text that is neither an ISO partial
// date nor a Japanese era date.
const EraDateRule = "must be a date written YYYY, YYYY-MM or YYYY-MM-DD, or a Japanese era date such as 平成14年9月17日, 平成14年, 平成元年 or H14.9.17 (eras 明治 to 令和)"

// ParseDateOrEra parses an ISO partial date (see ParseDate) or a Japanese
// era date (see ParseEraDate).
func ParseDateOrEra(s string) (Date, error) {
	if s == "" {
		return Date{}, fmt.Errorf("is empty: %s", EraDateRule)
	}
	if isISOShape(s) {
		return ParseDate(s)
	}
	if !LooksLikeEraDate(s) {
		return Date{}, fmt.Errorf("%q %s", s, EraDateRule)
	}
	return ParseEraDate(s)
}

// isISOShape reports whether s is written only with ASCII digits and
// hyphens, the alphabet of ParseDate.
func isISOShape(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '-' {
			return false
		}
	}
	return true
}

// LooksLikeEraDate reports whether s begins with a Japanese era name,
// symbol or letter, after folding full-width forms: text to read with
// ParseEraDate rather than as an ISO or EDTF date.
func LooksLikeEraDate(s string) bool {
	_, _, ok := eraPrefix(foldWidth(strings.TrimSpace(s)))
	return ok
}

// ParseEraDate parses a Japanese era date into a partial Date:
//
//	平成14年9月17日, 平成14年9月, 平成14年, 平成元年, 令和6年
//	H14.9.17, H14.9, R6, S64.1.7 (also with / between the numbers)
//
// The era may be its name, its letter (either case) or its one-character
// symbol (㍻); digits may be full-width; 元 is year 1. It refuses a date
// that its era did not reach or had not yet begun, naming the era in force
// instead: 昭和64年1月8日 does not exist, since 平成 began that day.
func ParseEraDate(s string) (Date, error) {
	in := s
	s = foldWidth(strings.TrimSpace(s))
	bad := func() (Date, error) { return Date{}, fmt.Errorf("%q %s", in, EraDateRule) }
	era, rest, ok := eraPrefix(s)
	if !ok {
		return bad()
	}
	var nums []int
	if strings.HasSuffix(rest, "年") || strings.HasSuffix(rest, "月") || strings.HasSuffix(rest, "日") {
		// 14年, 14年9月, 14年9月17日
		for _, unit := range []string{"年", "月", "日"} {
			if rest == "" {
				break
			}
			i := strings.Index(rest, unit)
			if i < 0 {
				return bad()
			}
			n, ok := eraNumber(rest[:i], len(nums) == 0)
			if !ok {
				return bad()
			}
			nums = append(nums, n)
			rest = rest[i+len(unit):]
		}
		if rest != "" {
			return bad()
		}
	} else {
		// 14, 14.9, 14.9.17
		sep := "."
		if strings.Contains(rest, "/") {
			sep = "/"
		}
		parts := strings.Split(rest, sep)
		if len(parts) > 3 {
			return bad()
		}
		for i, p := range parts {
			n, ok := eraNumber(p, i == 0)
			if !ok {
				return bad()
			}
			nums = append(nums, n)
		}
	}
	e := japaneseEras[era]
	d := Date{Year: e.Start.Date().Year + nums[0] - 1}
	if len(nums) > 1 {
		d.Month = nums[1]
		if d.Month < 1 || d.Month > 12 {
			return Date{}, fmt.Errorf("%q has month %d: months must be 1–12", in, d.Month)
		}
	}
	if len(nums) > 2 {
		d.Day = nums[2]
		if n := daysIn(d.Year, d.Month); d.Day < 1 || d.Day > n {
			return Date{}, fmt.Errorf("%q has day %d: %d月 of %s has days 1–%d", in, d.Day, d.Month, EraYear{e, nums[0]}, n)
		}
	}
	if d.Precision() != PrecisionYear && d.Earliest() < gregorianReform {
		return Date{}, fmt.Errorf("%q is before 明治6年 (1873), when Japan adopted the Gregorian calendar: give the Gregorian date as YYYY-MM-DD, or the year alone", in)
	}
	if d.Latest() < e.Start {
		return Date{}, fmt.Errorf("%q does not exist: %s began on %s (%s)", in, e.Name, e.Start.Date(), formatEraDay(e.Start))
	}
	if era+1 < len(japaneseEras) {
		next := japaneseEras[era+1]
		if d.Earliest() >= next.Start {
			return Date{}, fmt.Errorf("%q does not exist: %s ended on %s, when %s began (%s): write %s", in, e.Name, next.Start.AddDays(-1).Date(), next.Name, formatEraDay(next.Start), FormatEraDate(d))
		}
	}
	if d.Year > MaxYear {
		return Date{}, fmt.Errorf("%q has year %d: years must be 1000–2999", in, d.Year)
	}
	return d, nil
}

// formatEraDay writes a day in its era: 平成元年1月8日.
func formatEraDay(n Day) string { return FormatEraDate(n.Date()) }

// FormatEraDate writes d in the era it falls in, the form ParseEraDate
// reads: 平成14年9月17日, 令和元年5月, 昭和53年. A year or month that spans a
// change of era is written in the later era (1989 → 平成元年). It returns
// "" for a date with no era (see JapaneseEraYears).
func FormatEraDate(d Date) string {
	y := JapaneseEraYears(d)
	if len(y) == 0 {
		return ""
	}
	s := y[len(y)-1].String()
	if d.Month != 0 {
		s += strconv.Itoa(d.Month) + "月"
	}
	if d.Day != 0 {
		s += strconv.Itoa(d.Day) + "日"
	}
	return s
}

// eraSymbols are the one-character era symbols of Unicode.
var eraSymbols = map[rune]int{'㍾': 0, '㍽': 1, '㍼': 2, '㍻': 3, '㋿': 4}

// eraPrefix splits s into its era (an index into japaneseEras) and the rest.
func eraPrefix(s string) (int, string, bool) {
	for i, e := range japaneseEras {
		if rest, ok := strings.CutPrefix(s, e.Name); ok {
			return i, rest, true
		}
	}
	for r, i := range eraSymbols {
		if rest, ok := strings.CutPrefix(s, string(r)); ok {
			return i, rest, true
		}
	}
	if s != "" {
		for i, e := range japaneseEras {
			if strings.EqualFold(s[:1], e.Abbr) {
				return i, s[1:], true
			}
		}
	}
	return 0, "", false
}

// eraNumber reads one or two ASCII digits, or 元 (1) when year is true.
func eraNumber(s string, year bool) (int, bool) {
	if year && s == "元" {
		return 1, true
	}
	if len(s) < 1 || len(s) > 2 || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1
}

// foldWidth turns full-width digits, Latin letters and the full stop,
// solidus and hyphen into their ASCII forms, as Japanese text often
// writes them (Ｈ１４．９．１７).
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '．', r == '／', r == '－':
			return r - 0xFEE0
		}
		return r
	}, s)
}
