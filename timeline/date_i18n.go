package timeline

import (
	"strconv"
	"strings"
)

// DateStyle says how to write dates for readers of one language.
type DateStyle struct {
	Lang string // "ja", "ko", or anything else for English (Format, FormatSpan)
	// Era writes the Japanese era beside the Gregorian year, in Japanese
	// only: 2002年（平成14年）9月17日. Dates with no era (see
	// JapaneseEraYears) are written without one.
	Era bool
}

// FormatIn renders d for readers of st.Lang:
//
//	ja: 2002年9月17日, 2014年5月, 1978年; with Era, 2002年（平成14年）9月17日
//	ko: 2002년 9월 17일, 2014년 5월, 1978년
//
// and as Format does in English. What EDTF says of a date is written as
// Japanese and Korean readers write it: 1977年11月頃, 2014年5月（不確実）,
// 1980年代, 20世紀, 2014年（月不明）; 1977년 11월경, 2014년 5월(불확실),
// 1980년대, 20세기, 2014년(월 미상).
func (d Date) FormatIn(st DateStyle) string {
	switch st.Lang {
	case "ja", "ko":
		if d.Open {
			return map[string]string{"ja": "未定", "ko": "미정"}[st.Lang]
		}
		return qualify(st.Lang, cjkDate(st, d, true, true), d.Qual, unknownNotes(st.Lang, d))
	}
	return d.Format()
}

// FormatSpanIn renders an event's dates for readers of st.Lang, as
// FormatSpan does in English, never inventing a day, and writing no part
// of the end that the start already said:
//
//	ja: 2014年5月26日〜28日, 2014年5月〜2016年2月, 1980年頃, 1980年代
//	ko: 2014년 5월 26~28일, 2014년 5월~2016년 2월, 1980년경, 1980년대
//
// A span of year precision from a year ending in 0 to nine years later is
// written as its decade. A qualifier both dates share is said once; an
// open side is an open range (2019年6月〜, 〜1950年; 2019년 6월~,
// ~1950년). end may be empty; an end equal to start is not repeated.
func FormatSpanIn(st DateStyle, start, end Date) string {
	switch st.Lang {
	case "ja", "ko":
		return formatSpanIn(st.Lang, start, end, func(d Date) string { return d.FormatIn(st) },
			func(a, b Date) string { return cjkRange(st, a, b) })
	}
	return FormatSpan(start, end)
}

// cjkUnits are the year, month and day counters and the range sign.
func cjkUnits(lang string) (year, month, day, sep, to string) {
	if lang == "ko" {
		return "년", "월", "일", " ", "~"
	}
	return "年", "月", "日", "", "〜"
}

// cjkDate writes d, or its tail: with withYear false the year is left out
// (the range's start said it), and with withMonth false the month too.
func cjkDate(st DateStyle, d Date, withYear, withMonth bool) string {
	yu, mu, du, sep, _ := cjkUnits(st.Lang)
	var parts []string
	if withYear && d.YearX > 0 {
		// 1980年代, 20世紀; 1980년대, 20세기
		if d.YearX == 1 {
			parts = append(parts, strconv.Itoa(d.Year)+yu+map[string]string{"ja": "代", "ko": "대"}[st.Lang])
		} else {
			parts = append(parts, strconv.Itoa(d.Year/100+1)+map[string]string{"ja": "世紀", "ko": "세기"}[st.Lang])
		}
	} else if withYear && d.Year != 0 {
		y := strconv.Itoa(d.Year) + yu
		if st.Era && st.Lang == "ja" {
			var eras []string
			for _, e := range JapaneseEraYears(d) {
				eras = append(eras, e.String())
			}
			if len(eras) > 0 {
				y += "（" + strings.Join(eras, "・") + "）"
			}
		}
		parts = append(parts, y)
	}
	if withMonth && d.Month != 0 {
		parts = append(parts, strconv.Itoa(d.Month)+mu)
	}
	if d.Day != 0 {
		parts = append(parts, strconv.Itoa(d.Day)+du)
	}
	return strings.Join(parts, sep)
}

func cjkRange(st DateStyle, a, b Date) string {
	_, _, du, _, to := cjkUnits(st.Lang)
	if a.IsZero() {
		return ""
	}
	if b.IsZero() || a == b {
		return qualify(st.Lang, cjkDate(st, a, true, true), a.Qual, unknownNotes(st.Lang, a))
	}
	if !a.IsPlain() || !b.IsPlain() {
		_, _, _, _, to := cjkUnits(st.Lang)
		return a.FormatIn(st) + to + b.FormatIn(st)
	}
	pa, pb := a.Precision(), b.Precision()
	if pa == PrecisionYear && pb == PrecisionYear {
		if a.Year%10 == 0 && b.Year == a.Year+9 {
			if st.Lang == "ko" {
				return strconv.Itoa(a.Year) + "년대"
			}
			return strconv.Itoa(a.Year) + "年代"
		}
		return cjkDate(st, a, true, true) + to + cjkDate(st, b, true, true)
	}
	if pa == pb && a.Year == b.Year {
		if st.Lang == "ko" {
			// 2014년 5월 26~28일, 2014년 5~8월, 2014년 5월 26일~6월 2일
			if pa == PrecisionDay && a.Month == b.Month {
				return strings.TrimSuffix(cjkDate(st, a, true, true), du) + to + strconv.Itoa(b.Day) + du
			}
			if pa == PrecisionMonth {
				return strings.TrimSuffix(cjkDate(st, a, true, true), "월") + to + strconv.Itoa(b.Month) + "월"
			}
		}
		// 2014年5月26日〜28日, 2014年5月〜8月, 2014年5月26日〜6月2日
		return cjkDate(st, a, true, true) + to + cjkDate(st, b, false, pa != PrecisionDay || a.Month != b.Month)
	}
	return cjkDate(st, a, true, true) + to + cjkDate(st, b, true, true)
}
