package views

import (
	"strings"
	"unicode"

	"github.com/japan-dprk/timeline/web/locales"
	"math"
	"sort"
	"strconv"

	"github.com/japan-dprk/timeline/timeline"
)

// CategoryColors gives each category a colour, chosen to stay apart from
// one another, to keep 3:1 contrast against the white page and 4.5:1
// against the white text of a category badge (app.css repeats them).
var CategoryColors = map[timeline.Category]string{
	"summit":            "#1f4e9c",
	"negotiation":       "#276fa5",
	"agreement":         "#127a5a",
	"statement":         "#6b6b6b",
	"sanctions":         "#a3431a",
	"abduction":         "#b0154a",
	"repatriation":      "#7a4f9e",
	"missile":           "#c2410c",
	"nuclear":           "#8a1c1c",
	"incident":          "#8a6d00",
	"humanitarian":      "#2e7d32",
	"domestic-politics": "#4a5a8a",
	"legal":             "#5d4037",
}

// Bar is one year's stacked bar in the overview.
type Bar struct {
	Year     int
	X, W     float64
	Href     string
	Label    string // "1977: 5 events (abduction 3, incident 2)"
	Segments []BarSegment
}

// BarSegment is one category's part of a bar.
type BarSegment struct {
	Y, H  float64
	Color string
}

// Band is an era drawn behind the bars or lanes.
type Band struct {
	X, W   float64
	Name   string // the label drawn above the band; "" when there is no room for it
	Title  string
	LabelY float64
	Lang   string // the language of the era's name
	era    string
}

// newBand makes the band of era e from a to b; labelBands names it.
func newBand(l *locales.Localizer, a, b float64, e timeline.Era) Band {
	n := EraName(l, e)
	return Band{X: a, W: b - a, Title: l.T("overview.band", n.Text, l.Span(e.Start, e.End)), era: n.Text, Lang: n.Lang}
}

// labelBands names the bands in up to two rows of labels above the plot.
// Eras overlap (the six-party talks run through the Koizumi summits), so a
// label may run past its own band, but never into another label of its
// row nor past right. Wider bands are labelled first, so that a short era
// does not take the room of a long one; a band whose name finds no room
// keeps it in its title only. perChar is the width of a character in
// chart units.
func labelBands(bands []Band, perChar, right float64) {
	order := make([]int, len(bands))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return bands[order[i]].W > bands[order[j]].W })
	type span struct{ a, b float64 }
	rows := make([][]span, 2)
	for _, i := range order {
		b := &bands[i]
		w := float64(textWidth(b.era))*perChar + 4
		if b.X+w > right {
			continue
		}
	rows:
		for r, taken := range rows {
			for _, t := range taken {
				if b.X < t.b && t.a < b.X+w+perChar {
					continue rows
				}
			}
			b.Name, b.LabelY = b.era, 11+float64(r)*12
			rows[r] = append(taken, span{b.X, b.X + w})
			break
		}
	}
}

// Tick is an axis label.
type Tick struct {
	X    float64
	Text string
}

// OverviewLabelWidth is the narrowest width, in CSS pixels, at which the
// overview shows its era labels; app.css hides them below it.
const OverviewLabelWidth = 640

// Overview is the drawn count of events per year for a filter. Its
// horizontal geometry is in units of Width, drawn as percentages of the
// chart's width (see Overview.X), so that the chart fills its column at any
// screen width without stretching its text.
type Overview struct {
	Width, Height, PlotTop, PlotBottom float64
	Bars                               []Bar
	Bands                              []Band
	Ticks                              []Tick
	Max                                int
	Summary                            string
	Years                              []timeline.YearCount
}

// NewOverview lays out bars for facet year counts, each linking to the
// filter narrowed to its year, with eras as bands.
func NewOverview(l *locales.Localizer, base string, f timeline.Filter, fixed []string, years []timeline.YearCount, eras []timeline.Era) Overview {
	o := Overview{Width: 1000, Height: 172, PlotTop: 28, PlotBottom: 150, Years: years}
	if len(years) == 0 {
		return o
	}
	first, last := years[0].Year, years[len(years)-1].Year
	n := last - first + 1
	slot := o.Width / float64(n)
	w := math.Min(slot*0.8, 60)
	for _, y := range years {
		o.Max = max(o.Max, y.Total)
	}
	scale := (o.PlotBottom - o.PlotTop) / float64(o.Max)
	total := 0
	for _, y := range years {
		total += y.Total
		x := float64(y.Year-first)*slot + (slot-w)/2
		bar := Bar{Year: y.Year, X: x, W: math.Max(w, 1), Href: ListURL(base, YearRange(f, y.Year), fixed)}
		top := o.PlotBottom
		var parts []string
		for _, c := range timeline.Categories {
			k := y.ByCategory[c]
			if k == 0 {
				continue
			}
			h := float64(k) * scale
			top -= h
			bar.Segments = append(bar.Segments, BarSegment{Y: top, H: h, Color: CategoryColors[c]})
			parts = append(parts, l.T("overview.bar_part", CategoryLabel(l, c), k))
		}
		bar.Label = l.T("overview.bar", Year(l, y.Year), l.T("n.events", y.Total), strings.Join(parts, l.T("list.comma")))
		o.Bars = append(o.Bars, bar)
	}
	x0 := func(d timeline.Day) float64 { return (fracYear(d) - float64(first)) * slot }
	for _, e := range eras {
		a, b := math.Max(x0(e.Start.Earliest()), 0), math.Min(x0(e.End.Latest()+1), o.Width)
		if b <= a {
			continue
		}
		o.Bands = append(o.Bands, newBand(l, a, b, e))
	}
	// The overview stretches to its column while its text keeps its size,
	// so labels are fitted for the narrowest column that shows them
	// (OverviewLabelWidth px; narrower, the stylesheet hides them): 10 px
	// type at about 6 px a character.
	labelBands(o.Bands, 6*o.Width/OverviewLabelWidth, o.Width)
	step := tickStep(n)
	for y := first; y <= last; y++ {
		if y%step == 0 || (n <= 3) {
			o.Ticks = append(o.Ticks, Tick{X: float64(y-first)*slot + slot/2, Text: strconv.Itoa(y)})
		}
	}
	o.Summary = l.T("overview.summary", l.T("n.events", total), Year(l, first), Year(l, last), o.Max)
	return o
}

// X turns a horizontal position in chart units into a percentage of the
// drawn width.
func (o Overview) X(v float64) string {
	return strconv.FormatFloat(v/o.Width*100, 'f', 2, 64) + "%"
}

func tickStep(years int) int {
	for _, s := range []int{1, 2, 5, 10, 20, 50, 100} {
		if years/s <= 12 {
			return s
		}
	}
	return 200
}

// fracYear turns a day into a year with a fraction, for a true time axis.
func fracYear(d timeline.Day) float64 {
	y, m, day := int(d)/10000, int(d)/100%100, int(d)%100
	return float64(y) + (float64(m-1)*30.44+float64(day-1))/365.25
}

// F formats a coordinate for SVG.
func F(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// textWidth is the width of s in characters, a wide (CJK) one counting two.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			n++
		}
	}
	return n
}
