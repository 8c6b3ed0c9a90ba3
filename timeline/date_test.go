package timeline

import (
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in        string
		prec      Precision
		earliest  Day
		latest    Day
		formatted string
	}{
		{"1977", PrecisionYear, 19770101, 19771231, "1977"},
		{"1977-11", PrecisionMonth, 19771101, 19771130, "November 1977"},
		{"1977-11-15", PrecisionDay, 19771115, 19771115, "15 November 1977"},
		{"2016-02", PrecisionMonth, 20160201, 20160229, "February 2016"},
		{"2014-02", PrecisionMonth, 20140201, 20140228, "February 2014"},
		{"1000", PrecisionYear, 10000101, 10001231, "1000"},
		{"2999-12-31", PrecisionDay, 29991231, 29991231, "31 December 2999"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if d.Precision() != tt.prec || d.Earliest() != tt.earliest || d.Latest() != tt.latest {
				t.Errorf("got %v %d..%d, want %v %d..%d", d.Precision(), d.Earliest(), d.Latest(), tt.prec, tt.earliest, tt.latest)
			}
			if got := d.Format(); got != tt.formatted {
				t.Errorf("Format() = %q, want %q", got, tt.formatted)
			}
			if d.String() != tt.in {
				t.Errorf("String() = %q, want %q", d.String(), tt.in)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	tests := []struct{ in, wantInMsg string }{
		{"2014-13", "months must be 01–12"},
		{"2014-02-30", "February 2014 has days 01–28"},
		{"2015-02-29", "has days 01–28"},
		{"14", "YYYY"},
		{"2014/05", "YYYY-MM"},
		{"", "empty"},
		{"0999", "years must be 1000–2999"},
		{"3000", "years must be 1000–2999"},
		{"2014-5", "YYYY-MM"},
		{"2014-05-01-02", "YYYY-MM-DD"},
		{" 2014", "YYYY"},
		{"２０１４", "YYYY"},
		{"2014-00", "months must be"},
		{"2014-05-00", "has days"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseDate(tt.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = nil error, want one", tt.in)
			}
			if !strings.Contains(err.Error(), tt.wantInMsg) {
				t.Errorf("error %q does not name the rule %q", err, tt.wantInMsg)
			}
		})
	}
}

func TestFormatSpan(t *testing.T) {
	tests := []struct {
		start, end string
		approx     bool
		want       string
	}{
		{"1977-11-15", "", false, "15 November 1977"},
		{"1980", "", true, "c. 1980"},
		{"1977-11", "", true, "c. November 1977"},
		{"2014-05-26", "2014-05-28", false, "26–28 May 2014"},
		{"2014-05-30", "2014-06-02", false, "30 May – 2 June 2014"},
		{"2014-05", "2016-02", false, "May 2014 – February 2016"},
		{"2014-05", "2014-07", false, "May – July 2014"},
		{"1977", "1983", false, "1977–1983"},
		{"2013-12-31", "2014-01-02", false, "31 December 2013 – 2 January 2014"},
		{"2014-05-26", "2014-05-26", false, "26 May 2014"},
		{"1959-12", "1984", true, "c. December 1959 – 1984"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			var end Date
			if tt.end != "" {
				end = MustDate(tt.end)
			}
			start := MustDate(tt.start)
			if tt.approx {
				start, end = start.WithQual(QualApproximate), end.WithQual(QualApproximate)
			}
			if got := FormatSpan(start, end); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzParseDate checks that whatever ParseDate accepts round-trips exactly,
// has earliest <= latest within its own year, and formats without a
// panic; its seeds run in every `go test`.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1977", "1977-11", "1977-11-15", "2014-13", "2014-02-30", "14", "2014/05", "", "2000-02-29", "1900-02-29", "-001", "9999-99-99", "２０１４", "2014-05-26\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error for %q", s)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if d.Earliest() > d.Latest() {
			t.Fatalf("%q: earliest %d after latest %d", s, d.Earliest(), d.Latest())
		}
		if d.Earliest().Date().Year != d.Year || d.Latest().Date().Year != d.Year {
			t.Fatalf("%q: bounds leave the year", s)
		}
		if d.Format() == "" {
			t.Fatalf("%q: empty Format", s)
		}
		again, err := ParseDate(d.Earliest().Date().String())
		if err != nil || again.Earliest() != d.Earliest() {
			t.Fatalf("%q: earliest day %d does not parse back: %v", s, d.Earliest(), err)
		}
	})
}
