package views

import (
	"math"
	"strconv"
	"time"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// Strip is a compact timeline of a story: every step a mark on a true time
// axis, linking to that step, with the current one marked. Like the
// overview, it is drawn in percentages across (units of StripWidth) and
// pixels down, so that it fits any column without stretching its text.
type Strip struct {
	Marks   []StripMark
	Ticks   []Tick
	Current StripMark // the step being read
	Summary string    // the drawing in words
	// Around is set when the view has too many events to draw, and the
	// strip shows those around the current one only.
	Around bool
}

// StripMark is one event on a Strip.
type StripMark struct {
	Step     int // 1-based step number; 0 for events around a window
	Slug     string
	Href     string
	Title    string // "17 September 2002: Koizumi–Kim summit"
	Lang     string // the language of the event's title
	X, W     float64
	Y        float64 // the middle of its row
	Dot      bool    // a day without an end: a dot rather than a bar
	Category timeline.Category
	Current  bool
	Date     string // "17 September 2002"
}

// Anchor keeps a label over the mark inside the drawing: it starts at
// marks near the left edge and ends at marks near the right one.
func (m StripMark) Anchor() string {
	switch c := m.X + m.W/2; {
	case c < StripWidth*0.12:
		return "start"
	case c > StripWidth*0.88:
		return "end"
	}
	return "middle"
}

// Strip geometry, in units across and pixels down.
const (
	StripWidth  = 1000.0
	StripHeight = 74.0
	stripAxis   = 52.0
	stripRow    = 11.0 // rows of marks stack upwards from the axis
	stripRows   = 3
	stripGap    = 9.0 // the least distance between marks of a row
)

// NewStrip lays out points (in chronological order) on a strip, marking
// current. href gives a point's link; first is the step number of the
// first point (0 when the points are not numbered steps).
func NewStrip(l *locales.Localizer, points []timeline.Point, current string, first int, around bool, href func(slug string) string) Strip {
	s := Strip{Around: around}
	if len(points) == 0 {
		return s
	}
	lo, hi := points[0].Start.Earliest(), points[0].Start.Latest()
	for _, p := range points {
		lo = min(lo, p.Start.Earliest())
		hi = max(hi, endOf(p).Latest())
	}
	a, b := fracYear(lo), fracYear(hi.AddDays(1))
	if b-a < 60/365.25 { // at least two months across
		mid := (a + b) / 2
		a, b = mid-30/365.25, mid+30/365.25
	}
	pad := (b - a) * 0.03
	a, b = a-pad, b+pad
	x := func(t float64) float64 { return (t - a) / (b - a) * StripWidth }
	rowEnd := make([]float64, stripRows)
	for i := range rowEnd {
		rowEnd[i] = math.Inf(-1)
	}
	for i, p := range points {
		x0, x1 := x(fracYear(p.Start.Earliest())), x(fracYear(endOf(p).Latest().AddDays(1)))
		date := l.Span(p.Start, p.End)
		title := PointTitle(l, p)
		m := StripMark{Slug: p.Slug, Href: href(p.Slug), Title: date + l.T("event.colon") + title.Text, Lang: title.Lang, Date: date,
			X: x0, W: x1 - x0, Category: p.Category, Current: p.Slug == current}
		if first > 0 {
			m.Step = first + i
		}
		if m.W < 4 {
			m.X, m.W, m.Dot = (x0+x1)/2, 0, true
		}
		left, right := m.X, m.X+m.W
		row := 0
		for r := range rowEnd {
			if rowEnd[r]+stripGap <= left {
				row = r
				break
			}
			if rowEnd[r] < rowEnd[row] {
				row = r
			}
		}
		rowEnd[row] = max(rowEnd[row], right)
		m.Y = stripAxis - 7 - float64(row)*stripRow
		if m.Current {
			s.Current = m
		}
		s.Marks = append(s.Marks, m)
	}
	s.Ticks = stripTicks(a, b, x)
	span := l.Span(points[0].Start, endOf(points[len(points)-1]))
	s.Summary = l.T("strip.summary", l.T("n.events", len(points)), span)
	if around {
		s.Summary = l.T("strip.summary_around", l.T("n.events", len(points)), span)
	}
	return s
}

// endOf is the last date a point covers.
func endOf(p timeline.Point) timeline.Date {
	if p.End.IsZero() {
		return p.Start
	}
	return p.End
}

// stripTicks labels years, or months when the strip spans under three
// years, at most about eight of them.
func stripTicks(a, b float64, x func(float64) float64) []Tick {
	var out []Tick
	if b-a >= 3 {
		step := tickStep(int(b - a))
		for y := int(math.Ceil(a)); float64(y) <= b; y++ {
			if y%step == 0 {
				out = append(out, Tick{X: x(float64(y)), Text: strconv.Itoa(y)})
			}
		}
		return out
	}
	months := int((b - a) * 12)
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12} {
		step = s
		if months/s <= 7 {
			break
		}
	}
	y, m := int(a), int((a-math.Floor(a))*12)+1
	for {
		m++
		if m > 12 {
			y, m = y+1, 1
		}
		t := float64(y) + float64(m-1)/12
		if t > b {
			return out
		}
		if (m-1)%step == 0 {
			text := time.Month(m).String()[:3]
			if m == 1 || len(out) == 0 {
				text += " " + strconv.Itoa(y)
			}
			out = append(out, Tick{X: x(t), Text: text})
		}
	}
}

// SX turns a position in strip units into a percentage of the width.
func SX(v float64) string { return strconv.FormatFloat(v/StripWidth*100, 'f', 2, 64) + "%" }

// PointOf is the little of an event that a drawing needs.
func PointOf(e timeline.Event) timeline.Point {
	return timeline.Point{Slug: e.Slug, Title: e.Title, Start: e.Start, End: e.End, Category: e.Category, Significance: e.Significance}
}
