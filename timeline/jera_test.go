package timeline

import (
	"strings"
	"testing"
)

// TestEraBoundaries holds the last day of each era and the first of the
// next, both ways: the Gregorian day's era year, and the era date parsed.
func TestEraBoundaries(t *testing.T) {
	tests := []struct {
		day  string
		era  string // FormatEraDate
		abbr string // the same day abbreviated
	}{
		{"1873-01-01", "明治6年1月1日", "M6.1.1"},
		{"1912-07-29", "明治45年7月29日", "M45.7.29"},
		{"1912-07-30", "大正元年7月30日", "T1.7.30"},
		{"1926-12-24", "大正15年12月24日", "T15.12.24"},
		{"1926-12-25", "昭和元年12月25日", "S1.12.25"},
		{"1989-01-07", "昭和64年1月7日", "S64.1.7"},
		{"1989-01-08", "平成元年1月8日", "H1.1.8"},
		{"2019-04-30", "平成31年4月30日", "H31.4.30"},
		{"2019-05-01", "令和元年5月1日", "R1.5.1"},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			d := MustDate(tt.day)
			if got := FormatEraDate(d); got != tt.era {
				t.Errorf("FormatEraDate(%s) = %q, want %q", tt.day, got, tt.era)
			}
			for _, in := range []string{tt.era, tt.abbr} {
				got, err := ParseEraDate(in)
				if err != nil {
					t.Fatalf("ParseEraDate(%q): %v", in, err)
				}
				if got != d {
					t.Errorf("ParseEraDate(%q) = %s, want %s", in, got, d)
				}
			}
		})
	}
}

func TestParseEraDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"平成14年9月17日", "2002-09-17"},
		{"平成14年9月", "2002-09"},
		{"平成14年", "2002"},
		{"平成元年", "1989"},
		{"昭和64年", "1989"},
		{"昭和64年1月", "1989-01"},
		{"平成元年1月", "1989-01"},
		{"平成31年4月", "2019-04"},
		{"令和元年5月", "2019-05"},
		{"令和6年", "2024"},
		{"H14.9.17", "2002-09-17"},
		{"h14.9.17", "2002-09-17"},
		{"H14/9/17", "2002-09-17"},
		{"H14.9", "2002-09"},
		{"R6", "2024"},
		{"R元", "2019"},
		{"S64.1.7", "1989-01-07"},
		{"S53", "1978"},
		{"T1", "1912"},
		{"M1", "1868"},
		{"明治元年", "1868"},
		{"明治5年", "1872"},
		{"明治6年1月1日", "1873-01-01"},
		{"Ｈ１４．９．１７", "2002-09-17"},
		{"平成１４年９月１７日", "2002-09-17"},
		{"ｒ６", "2024"},
		{"㍻14年9月17日", "2002-09-17"},
		{"㋿元年", "2019"},
		{" 平成14年 ", "2002"},
		{"平成02年03月04日", "1990-03-04"},
		{"平成14", "2002"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseEraDate(tt.in)
			if err != nil {
				t.Fatalf("ParseEraDate(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseEraDate(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if got2, err := ParseDateOrEra(tt.in); err != nil || got2 != got {
				t.Errorf("ParseDateOrEra(%q) = %s, %v; want %s", tt.in, got2, err, got)
			}
		})
	}
}

func TestParseEraDateRefuses(t *testing.T) {
	tests := []struct{ in, wantInErr string }{
		{"昭和64年1月8日", "平成 began (平成元年1月8日)"},
		{"S64.1.8", "write 平成元年1月8日"},
		{"平成31年5月1日", "write 令和元年5月1日"},
		{"平成31年5月", "write 令和元年5月"},
		{"平成32年", "write 令和2年"},
		{"昭和65年", "write 平成2年"},
		{"明治46年", "write 大正2年"},
		{"大正元年7月29日", "大正 began on 1912-07-30"},
		{"平成元年1月7日", "平成 began on 1989-01-08"},
		{"明治45年7月30日", "write 大正元年7月30日"},
		{"明治5年12月2日", "before 明治6年"},
		{"明治元年9月", "before 明治6年"},
		{"平成14年13月", "months must be 1–12"},
		{"平成14年2月29日", "has days 1–28"},
		{"平成0年", "must be a date"},
		{"平成100年", "must be a date"},
		{"平成", "must be a date"},
		{"平成14年9日", "must be a date"},
		{"平成14年9月17日x", "must be a date"},
		{"H14.9.17.1", "must be a date"},
		{"H14..9", "must be a date"},
		{"H", "must be a date"},
		{"X14", "must be a date"},
		{"慶応3年", "must be a date"},
		{"元年", "must be a date"},
		{"H元.元", "must be a date"},
		{"H-1", "must be a date"},
		{"H14.9/17", "must be a date"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseEraDate(tt.in)
			if err == nil {
				t.Fatalf("ParseEraDate(%q) = %s, want an error", tt.in, d)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("error %q does not say %q", err, tt.wantInErr)
			}
		})
	}
}

func TestJapaneseEraYears(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2002-09-17", "平成14年"},
		{"2002", "平成14年"},
		{"1989", "昭和64年 平成元年"},
		{"1989-01", "昭和64年 平成元年"},
		{"1989-02", "平成元年"},
		{"2019", "平成31年 令和元年"},
		{"1926-12", "大正15年 昭和元年"},
		{"1912", "明治45年 大正元年"},
		{"1868", "明治元年"},
		{"1872", "明治5年"},
		{"1872-12-31", ""}, // a lunisolar-calendar year: no Gregorian day maps
		{"1867", ""},
		{"2026-11-29", "令和8年"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, y := range JapaneseEraYears(MustDate(tt.in)) {
				got = append(got, y.String())
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("JapaneseEraYears(%s) = %q, want %q", tt.in, s, tt.want)
			}
		})
	}
}

func TestParseDateOrEra(t *testing.T) {
	for in, want := range map[string]string{"2002": "2002", "2002-09-17": "2002-09-17", "平成14年": "2002"} {
		if d, err := ParseDateOrEra(in); err != nil || d.String() != want {
			t.Errorf("ParseDateOrEra(%q) = %s, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "2002-9", "two thousand", "昭和64年1月8日", "2002年"} {
		if d, err := ParseDateOrEra(in); err == nil {
			t.Errorf("ParseDateOrEra(%q) = %s, want an error", in, d)
		}
	}
}

// FuzzParseEraDate: the parser never panics, and whatever it accepts is a
// valid partial date inside its era that FormatEraDate writes back to a
// string the parser reads as the same date.
func FuzzParseEraDate(f *testing.F) {
	for _, s := range []string{"平成14年9月17日", "H14.9.17", "R6", "令和元年", "S64.1.7", "昭和64年1月8日", "Ｈ１４．９", "㍻1年", "M5", "明治6年1月1日", "T15/12/24"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseEraDate(s)
		if err != nil {
			return
		}
		if _, err := ParseDate(d.String()); err != nil {
			t.Fatalf("ParseEraDate(%q) = %+v, not a valid date: %v", s, d, err)
		}
		back := FormatEraDate(d)
		if back == "" {
			t.Fatalf("ParseEraDate(%q) = %s, which has no era", s, d)
		}
		d2, err := ParseEraDate(back)
		if err != nil || d2 != d {
			t.Fatalf("ParseEraDate(%q) = %s; FormatEraDate gives %q, which parses to %s, %v", s, d, back, d2, err)
		}
	})
}
