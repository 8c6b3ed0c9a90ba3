package timeline

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestDateWordsCoverOverlaps: for any event and any range of at most
// maxRangeYears years, an event overlapping the range has one of the words
// the range asks for, so that ANDing them with a search loses nothing; and
// an event years away from the range has none, unless it spans more than
// maxLongYears (lopen, asked by every range).
func TestDateWordsCoverOverlaps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	day := func(y int) Day {
		m := 1 + r.IntN(12)
		d := 1 + r.IntN(daysIn(y, m))
		if r.IntN(4) == 0 { // the edges of months and years, where off-by-ones show
			d = []int{1, daysIn(y, m)}[r.IntN(2)]
		}
		return Day(y*10000 + m*100 + d)
	}
	span := func(lo Day) Day {
		switch r.IntN(5) {
		case 0:
			return lo // one day
		case 1:
			return lo.AddDays(r.IntN(40)) // into the next month
		case 2:
			return lo.AddDays(300 + r.IntN(130)) // about a year, either side of the split
		case 3:
			return Day((int(lo)/10000+1+r.IntN(30))*10000 + 1231) // years
		default:
			return Date{Open: true}.Latest() // open end
		}
	}
	checked := 0
	for range 200000 {
		lo := day(1990 + r.IntN(40))
		hi := span(lo)
		if r.IntN(20) == 0 {
			lo = Date{Open: true}.Earliest() // open start
		}
		from := day(1990 + r.IntN(40))
		to := from.AddDays(r.IntN(800))
		if r.IntN(3) == 0 {
			to = Day((int(from)/10000+r.IntN(maxRangeYears))*10000 + 1231)
		}
		expr := rangeExpr(from, to)
		if expr == "" {
			continue
		}
		asked := map[string]bool{}
		for _, w := range strings.Fields(strings.NewReplacer("keys : (", "", ")", "", " OR ", " ").Replace(expr)) {
			asked[w] = true
		}
		has := false
		for _, w := range strings.Fields(dateWords(lo, hi)) {
			has = has || asked[w]
		}
		overlaps := hi >= from && lo <= to
		if overlaps && !has {
			t.Fatalf("event %d–%d overlaps %d–%d but has none of its words:\n%s\n%s", lo, hi, from, to, dateWords(lo, hi), expr)
		}
		far := int(hi)/10000 < int(from)/10000 || int(lo)/10000 > int(to)/10000
		if has && far && dateWords(lo, hi) != "lopen" { // lopen is in every range
			t.Fatalf("event %d–%d, years away from %d–%d, has one of its words", lo, hi, from, to)
		}
		checked++
	}
	if checked < 100000 {
		t.Fatalf("only %d cases checked", checked)
	}
}

func TestDateWords(t *testing.T) {
	for _, tt := range []struct {
		lo, hi Day
		want   string
	}{
		{20020917, 20020917, "y2002 m200209"},
		{20141128, 20150203, "y2014 y2015 m201411 m201412 m201501 m201502"},
		{19590101, 19841231, "l1959 l1960 l1961 l1962 l1963 l1964 l1965 l1966 l1967 l1968 l1969 l1970 l1971 l1972 l1973 l1974 l1975 l1976 l1977 l1978 l1979 l1980 l1981 l1982 l1983 l1984"},
		{10000101, 20141231, "lopen"},
	} {
		if got := dateWords(tt.lo, tt.hi); got != tt.want {
			t.Errorf("dateWords(%d, %d) = %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
	for _, tt := range []struct {
		from, to Day
		want     string
	}{
		{20030512, 20030611, "keys : (m200305 OR m200306 OR l2003 OR lopen)"},
		{20010314, 20030313, "keys : (m200103 OR m200104 OR m200105 OR m200106 OR m200107 OR m200108 OR m200109 OR m200110 OR m200111 OR m200112 OR l2001 OR y2002 OR l2002 OR m200301 OR m200302 OR m200303 OR l2003 OR lopen)"},
		{19770101, 20031231, ""}, // 27 years: y words
		{19500101, 20031231, ""}, // past maxRangeYears
	} {
		got := rangeExpr(tt.from, tt.to)
		if tt.want == "" {
			if tt.to/10000-tt.from/10000 < maxRangeYears && !strings.Contains(got, "y1977 OR l1977 OR y1978") {
				t.Errorf("rangeExpr(%d, %d) = %q, want whole years", tt.from, tt.to, got)
			} else if tt.to/10000-tt.from/10000 >= maxRangeYears && got != "" {
				t.Errorf("rangeExpr(%d, %d) = %q, want none", tt.from, tt.to, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("rangeExpr(%d, %d) =\n%q, want\n%q", tt.from, tt.to, got, tt.want)
		}
	}
}
