package timeline

import (
	"strings"
	"testing"
)

func TestParseEDTF(t *testing.T) {
	tests := []struct {
		in              string
		prec            Precision
		earliest, latst Day
		en, ja, ko      string
	}{
		{"1977-11-15", PrecisionDay, 19771115, 19771115, "15 November 1977", "1977年11月15日", "1977년 11월 15일"},
		{"1977-11~", PrecisionMonth, 19771101, 19771130, "c. November 1977", "1977年11月頃", "1977년 11월경"},
		{"2014-05?", PrecisionMonth, 20140501, 20140531, "May 2014 (uncertain)", "2014年5月（不確実）", "2014년 5월(불확실)"},
		{"1977-11%", PrecisionMonth, 19771101, 19771130, "c. November 1977 (uncertain)", "1977年11月頃（不確実）", "1977년 11월경(불확실)"},
		{"198X", PrecisionYear, 19800101, 19891231, "the 1980s", "1980年代", "1980년대"},
		{"19XX", PrecisionYear, 19000101, 19991231, "the 20th century", "20世紀", "20세기"},
		{"20XX", PrecisionYear, 20000101, 20991231, "the 21st century", "21世紀", "21세기"},
		{"198X~", PrecisionYear, 19800101, 19891231, "c. the 1980s", "1980年代頃", "1980년대경"},
		{"2014-XX", PrecisionYear, 20140101, 20141231, "2014 (month unknown)", "2014年（月不明）", "2014년(월 미상)"},
		{"2014-05-XX", PrecisionMonth, 20140501, 20140531, "May 2014 (day unknown)", "2014年5月（日不明）", "2014년 5월(일 미상)"},
		{"2014-XX-XX?", PrecisionYear, 20140101, 20141231, "2014 (month and day unknown, uncertain)", "2014年（月日不明・不確実）", "2014년(월일 미상, 불확실)"},
		{"2016-02-29~", PrecisionDay, 20160229, 20160229, "c. 29 February 2016", "2016年2月29日頃", "2016년 2월 29일경"},
		{"1000", PrecisionYear, 10000101, 10001231, "1000", "1000年", "1000년"},
		{"29XX", PrecisionYear, 29000101, 29991231, "the 30th century", "30世紀", "30세기"},
		{"..", PrecisionNone, 10000101, 29991231, "open", "未定", "미정"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseEDTF(tt.in)
			if err != nil {
				t.Fatalf("ParseEDTF(%q): %v", tt.in, err)
			}
			if d.Precision() != tt.prec || d.Earliest() != tt.earliest || d.Latest() != tt.latst {
				t.Errorf("got %v %d..%d, want %v %d..%d", d.Precision(), d.Earliest(), d.Latest(), tt.prec, tt.earliest, tt.latst)
			}
			if got := d.String(); got != tt.in {
				t.Errorf("String() = %q, want %q", got, tt.in)
			}
			for _, c := range []struct{ lang, want string }{{"en", tt.en}, {"ja", tt.ja}, {"ko", tt.ko}} {
				if got := d.FormatIn(DateStyle{Lang: c.lang}); got != c.want {
					t.Errorf("FormatIn(%s) = %q, want %q", c.lang, got, c.want)
				}
			}
			if d.IsZero() {
				t.Errorf("IsZero() for %q", tt.in)
			}
		})
	}
}

func TestParseEDTFPlainAgreesWithParseDate(t *testing.T) {
	for _, s := range []string{"1977", "1977-11", "1977-11-15", "2000-02-29"} {
		a, errA := ParseEDTF(s)
		b, errB := ParseDate(s)
		if errA != nil || errB != nil || a != b || !a.IsPlain() {
			t.Errorf("%q: ParseEDTF %+v %v, ParseDate %+v %v", s, a, errA, b, errB)
		}
	}
}

func TestParseEDTFRejects(t *testing.T) {
	tests := []struct{ in, wantInMsg string }{
		{"", "empty"},
		{"2014-13?", "months must be 01–12"},
		{"2015-02-29~", "February 2015 has days 01–28"},
		{"1XXX", "at most two"},
		{"XXXX", "at most two"},
		{"198X-05", "takes no month or day"},
		{"2014-XX-05", "needs a known month"},
		{"2014-05??", "EDTF"},
		{"?2014", "EDTF"},
		{"2014~?", "EDTF"},
		{"0999~", "years must be 1000–2999"},
		{"09XX", "years must be 1000–2999"},
		{"3000?", "years must be 1000–2999"},
		{"2014-21", "months must be"},   // a season (level 1) is refused
		{"Y170000002", "EDTF"},          // a long year
		{"2014-05-01T10:00:00", "EDTF"}, // a time
		{"198x", "EDTF"},
		{"2014-X5", "EDTF"},
		{"...", "EDTF"},
		{"..~", "EDTF"},
		{"2014/2015", "EDTF"}, // an interval is two dates, not one
		{"-2014", "EDTF"},
		{"{2014,2015}", "EDTF"},
		{"2014-5~", "EDTF"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseEDTF(tt.in)
			if err == nil {
				t.Fatalf("ParseEDTF(%q) = nil error, want one", tt.in)
			}
			if !strings.Contains(err.Error(), tt.wantInMsg) {
				t.Errorf("error %q does not name the rule %q", err, tt.wantInMsg)
			}
		})
	}
}

func TestParseInterval(t *testing.T) {
	tests := []struct{ in, start, end, en, wantErr string }{
		{in: "2019-06/..", start: "2019-06", end: "..", en: "June 2019 onwards"},
		{in: "../1950", start: "..", end: "1950", en: "until 1950"},
		{in: "../1950~", start: "..", end: "1950~", en: "until c. 1950"},
		{in: "1959-12~/1984~", start: "1959-12~", end: "1984~", en: "c. December 1959 – 1984"},
		{in: "1959?/1984", start: "1959?", end: "1984", en: "1959 (uncertain) – 1984"},
		{in: "1980/1989?", start: "1980", end: "1989?", en: "1980 – 1989 (uncertain)"},
		{in: "2014-05-26?/2014-05-28?", start: "2014-05-26?", end: "2014-05-28?", en: "26–28 May 2014 (uncertain)"},
		{in: "198X/199X", start: "198X", end: "199X", en: "the 1980s – the 1990s"},
		{in: "1977-11~", start: "1977-11~", en: "c. November 1977"},
		{in: "2019-06/", wantErr: "write .. for an open end"},
		{in: "/1950", wantErr: "write .. for an open end"},
		{in: "../..", wantErr: "both ends are open"},
		{in: "1990/1980", wantErr: "the end is before the start"},
		{in: "198X/1985", start: "198X", end: "1985", en: "the 1980s – 1985"},
		{in: "1990/1980/1970", wantErr: "EDTF"},
		{in: "..", wantErr: "needs an end"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			start, end, err := ParseInterval(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseInterval(%q) error %v, want one naming %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseInterval(%q): %v", tt.in, err)
			}
			if start.String() != tt.start || end.String() != tt.end {
				t.Errorf("got %q, %q; want %q, %q", start, end, tt.start, tt.end)
			}
			if got := Interval(start, end); got != tt.in {
				t.Errorf("Interval = %q, want %q", got, tt.in)
			}
			if got := FormatSpan(start, end); got != tt.en {
				t.Errorf("FormatSpan = %q, want %q", got, tt.en)
			}
		})
	}
}

func TestFormatSpanInEDTF(t *testing.T) {
	ja, ko := DateStyle{Lang: "ja"}, DateStyle{Lang: "ko"}
	tests := []struct {
		st         DateStyle
		start, end string
		want       string
	}{
		{ja, "2019-06", "..", "2019年6月〜"},
		{ko, "2019-06", "..", "2019년 6월~"},
		{ja, "..", "1950", "〜1950年"},
		{ko, "..", "1950", "~1950년"},
		{ja, "1959-12~", "1984~", "1959年12月〜1984年頃"},
		{ko, "1959-12~", "1984~", "1959년 12월~1984년경"},
		{ja, "2014-05-26?", "2014-05-28?", "2014年5月26日〜28日（不確実）"},
		{ko, "2014-05-26?", "2014-05-28?", "2014년 5월 26~28일(불확실)"},
		{ja, "1959?", "1984", "1959年（不確実）〜1984年"},
		{ko, "198X", "1985", "1980년대~1985년"},
		{ja, "1980~", "1989~", "1980年代頃"},
		{DateStyle{Lang: "ja", Era: true}, "198X", "", "1980年代"},
		{DateStyle{Lang: "ja", Era: true}, "2002-09~", "", "2002年（平成14年）9月頃"},
	}
	for _, tt := range tests {
		t.Run(tt.st.Lang+" "+tt.start+"/"+tt.end, func(t *testing.T) {
			start := mustEDTF(t, tt.start)
			var end Date
			if tt.end != "" {
				end = mustEDTF(t, tt.end)
			}
			if got := FormatSpanIn(tt.st, start, end); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func mustEDTF(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseEDTF(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// FuzzParseEDTF checks that whatever ParseEDTF accepts is written back
// exactly as it was read (the grammar has one spelling per date), reads
// the same again, bounds a non-empty range of days within the years it
// names, and is said in words in every language; and that an accepted
// interval is written back as read. Its seeds (below and in
// testdata/fuzz/FuzzParseEDTF) run in every `go test`.
func FuzzParseEDTF(f *testing.F) {
	for _, s := range []string{
		"1977", "1977-11~", "2014-05?", "1977-11%", "198X", "19XX", "2014-XX", "2014-05-XX", "2014-XX-XX%",
		"..", "2019-06/..", "../1950", "1959~/1984~", "2019-06/", "/..", "1XXX", "198X-05", "2014-XX-05",
		"2014-05??", "~", "?", "", "2014-02-29~", "2016-02-29?", "X", "XX-XX", "0000", "9999%", "2014-00-XX",
		"２０１４~", "2014-05-26\x00?", "1977-11~/1977-11~", "../..", "2014-05-01T10:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if start, end, err := ParseInterval(s); err == nil {
			if got := Interval(start, end); got != s {
				t.Fatalf("ParseInterval(%q) writes back as %q", s, got)
			}
			if FormatSpan(start, end) == "" || FormatSpanIn(DateStyle{Lang: "ja"}, start, end) == "" {
				t.Fatalf("%q: a span without words", s)
			}
		} else if err.Error() == "" {
			t.Fatalf("empty error for interval %q", s)
		}
		d, err := ParseEDTF(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error for %q", s)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseEDTF(%q).String() = %q", s, d.String())
		}
		again, err := ParseEDTF(d.String())
		if err != nil || again != d {
			t.Fatalf("%q reads back as %+v, %v; want %+v", s, again, err, d)
		}
		if d.Earliest() > d.Latest() {
			t.Fatalf("%q: earliest %d after latest %d", s, d.Earliest(), d.Latest())
		}
		if y := d.Earliest().Date().Year; y < MinYear || (!d.Open && y != d.Year) {
			t.Fatalf("%q: earliest day %d outside its years", s, d.Earliest())
		}
		if y := d.Latest().Date().Year; y > MaxYear {
			t.Fatalf("%q: latest day %d outside the years", s, d.Latest())
		}
		for _, lang := range []string{"en", "ja", "ko"} {
			if d.FormatIn(DateStyle{Lang: lang, Era: true}) == "" {
				t.Fatalf("%q: no words in %s", s, lang)
			}
		}
		if d.IsPlain() {
			if p, err := ParseDate(s); err != nil || p != d {
				t.Fatalf("%q is plain but ParseDate gives %+v, %v", s, p, err)
			}
		}
	})
}
