package views

import (
	"fmt"
	"math"
	"strconv"

	"github.com/japan-dprk/timeline/timeline"
)

// CategoryColors gives each category a colour, chosen to stay apart from
// one another and to keep 3:1 contrast against the white page.
var CategoryColors = map[timeline.Category]string{
	"summit":            "#1f4e9c",
	"negotiation":       "#2f7fb8",
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
	Name   string // the label drawn in the band; "" when the band is too narrow for it
	Title  string
	LabelY float64
}

// newBand labels a band only when its name fits (at about 5.5 units a
// character); the full name is always in its title.
func newBand(i int, a, b float64, e timeline.Era) Band {
	name := e.Name
	if float64(len([]rune(name)))*5.5 > b-a-4 {
		name = ""
	}
	return Band{X: a, W: b - a, Name: name, Title: e.Name + ", " + timeline.FormatSpan(e.Start, e.End, false), LabelY: 11 + float64(i%2)*12}
}

// Tick is an axis label.
type Tick struct {
	X    float64
	Text string
}

// Overview is the drawn count of events per year for a filter.
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
func NewOverview(base string, f timeline.Filter, fixed []string, years []timeline.YearCount, eras []timeline.Era) Overview {
	o := Overview{Width: 1000, Height: 200, PlotTop: 28, PlotBottom: 176, Years: years}
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
		label := fmt.Sprintf("%d: %s", y.Year, Plural(y.Total, "event", "events"))
		sep := " ("
		for _, c := range timeline.Categories {
			k := y.ByCategory[c]
			if k == 0 {
				continue
			}
			h := float64(k) * scale
			top -= h
			bar.Segments = append(bar.Segments, BarSegment{Y: top, H: h, Color: CategoryColors[c]})
			label += fmt.Sprintf("%s%s %d", sep, c.Label(), k)
			sep = ", "
		}
		bar.Label = label + ")"
		o.Bars = append(o.Bars, bar)
	}
	x0 := func(d timeline.Day) float64 { return (fracYear(d) - float64(first)) * slot }
	for i, e := range eras {
		a, b := math.Max(x0(e.Start.Earliest()), 0), math.Min(x0(e.End.Latest()+1), o.Width)
		if b <= a {
			continue
		}
		o.Bands = append(o.Bands, newBand(i, a, b, e))
	}
	step := tickStep(n)
	for y := first; y <= last; y++ {
		if y%step == 0 || (n <= 3) {
			o.Ticks = append(o.Ticks, Tick{X: float64(y-first)*slot + slot/2, Text: strconv.Itoa(y)})
		}
	}
	o.Summary = fmt.Sprintf("Bar chart: %s from %d to %d, most in one year %d.", Plural(total, "event", "events"), first, last, o.Max)
	return o
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

// Lane is one category's row in the swimlane view.
type Lane struct {
	Category timeline.Category
	Label    string
	Y        float64
	Color    string
	Marks    []Mark
	Count    int
}

// Mark is one event (a dot for a day, a bar for a month, year or range) or,
// when crowded, one year's count in a lane.
type Mark struct {
	Href  string
	Title string
	X, W  float64
	R     float64 // radius for dots and aggregates; 0 for spans
	Faint bool    // a year-precision or approximate span: drawn lighter
}

// Swimlane is the drawn view: one lane per category on a true time axis.
type Swimlane struct {
	Width, Height, Left, Top float64
	Lanes                    []Lane
	Bands                    []Band
	Ticks                    []Tick
	Aggregated               bool
	Summary                  string
}

// SwimlaneMaxPoints is how many events the swimlane draws one by one;
// above it, it draws counts per year.
const SwimlaneMaxPoints = 600

// NewSwimlane draws points (when not crowded) or per-year counts per
// category (when crowded, from years).
func NewSwimlane(base string, f timeline.Filter, fixed []string, points []timeline.Point, crowded bool, years []timeline.YearCount, eras []timeline.Era) Swimlane {
	s := Swimlane{Width: 1000, Left: 150, Top: 30, Aggregated: crowded}
	laneH := 30.0
	var lo, hi float64
	if crowded {
		if len(years) > 0 {
			lo, hi = float64(years[0].Year), float64(years[len(years)-1].Year+1)
		}
	} else if len(points) > 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, p := range points {
			lo = math.Min(lo, fracYear(p.Start.Earliest()))
			end := p.Start
			if !p.End.IsZero() {
				end = p.End
			}
			hi = math.Max(hi, fracYear(end.Latest()+1))
		}
	}
	lo, hi = math.Floor(lo), math.Ceil(hi)
	if hi-lo < 1 {
		hi = lo + 1
	}
	plotW := s.Width - s.Left - 10
	x := func(t float64) float64 { return s.Left + (t-lo)/(hi-lo)*plotW }
	idx := map[timeline.Category]int{}
	for i, c := range timeline.Categories {
		idx[c] = i
		s.Lanes = append(s.Lanes, Lane{Category: c, Label: c.Label(), Y: s.Top + float64(i)*laneH, Color: CategoryColors[c]})
	}
	total := 0
	if crowded {
		maxN := 1
		for _, y := range years {
			for _, n := range y.ByCategory {
				maxN = max(maxN, n)
			}
		}
		for _, y := range years {
			for c, n := range y.ByCategory {
				l := &s.Lanes[idx[c]]
				g := YearRange(f, y.Year)
				g.Categories = []timeline.Category{c}
				l.Marks = append(l.Marks, Mark{
					Href: ListURL(base, g, fixed), Title: fmt.Sprintf("%s, %d: %s", c.Label(), y.Year, Plural(n, "event", "events")),
					X: x(float64(y.Year) + 0.5), R: 2 + 10*math.Sqrt(float64(n)/float64(maxN)),
				})
				l.Count += n
				total += n
			}
		}
	} else {
		for _, p := range points {
			l := &s.Lanes[idx[p.Category]]
			end := p.Start
			if !p.End.IsZero() {
				end = p.End
			}
			a, b := x(fracYear(p.Start.Earliest())), x(fracYear(end.Latest()+1))
			m := Mark{Href: EventURL(p.Slug), Title: timeline.FormatSpan(p.Start, p.End, p.Approximate) + ": " + p.Title, X: a, W: b - a, Faint: p.Approximate || p.Start.Precision() == timeline.PrecisionYear}
			if p.End.IsZero() && p.Start.Precision() == timeline.PrecisionDay || m.W < 4 {
				m.X, m.W, m.R = (a+b)/2, 0, 3+float64(p.Significance)
			}
			l.Marks = append(l.Marks, m)
			l.Count++
			total++
		}
	}
	s.Height = s.Top + float64(len(s.Lanes))*laneH + 24
	for i, e := range eras {
		a := math.Max(x(fracYear(e.Start.Earliest())), s.Left)
		b := math.Min(x(fracYear(e.End.Latest()+1)), s.Width-10)
		if b <= a {
			continue
		}
		s.Bands = append(s.Bands, newBand(i, a, b, e))
	}
	span := int(hi - lo)
	step := tickStep(span)
	for y := int(lo); y <= int(hi); y++ {
		if y%step == 0 {
			s.Ticks = append(s.Ticks, Tick{X: x(float64(y)), Text: strconv.Itoa(y)})
		}
	}
	if crowded {
		s.Summary = fmt.Sprintf("Swimlane chart of %s by category and year (counts per year, as there are too many to draw one by one).", Plural(total, "event", "events"))
	} else {
		s.Summary = fmt.Sprintf("Swimlane chart of %s by category on a time axis from %d to %d.", Plural(total, "event", "events"), int(lo), int(hi))
	}
	return s
}
