package views

import (
	"fmt"
	"math"
	"time"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// Unit is the step a timeline window moves and is written in: whole years,
// months or days.
type Unit int

// Window units, coarse to fine.
const (
	UnitYear Unit = iota
	UnitMonth
	UnitDay
)

// Window is the stretch of time a timeline draws: Count units from Start.
// It is written as the filter's from and to at the unit's precision
// (from=2014-01&to=2016-06 is 30 months), so that every window is a
// permalink and the events drawn are exactly those the filter selects.
type Window struct {
	Unit  Unit
	Start timeline.Date // at the unit's precision
	Count int           // ≥ 1
}

// WindowOf is the window a filter's from and to describe, at the finer of
// their precisions; a missing end is taken from lo or hi (the span of the
// events in view).
func WindowOf(from, to timeline.Date, lo, hi timeline.Day) Window {
	a, b := from.Earliest(), to.Latest()
	if from.IsZero() {
		a = lo
	}
	if to.IsZero() {
		b = hi
	}
	if b < a {
		b = a
	}
	unit := UnitYear
	for _, d := range []timeline.Date{from, to} {
		switch d.Precision() {
		case timeline.PrecisionMonth:
			unit = max(unit, UnitMonth)
		case timeline.PrecisionDay:
			unit = UnitDay
		}
	}
	return windowBetween(unit, a, b)
}

// windowBetween is the smallest window of unit holding days a to b.
func windowBetween(unit Unit, a, b timeline.Day) Window {
	da, db := a.Date(), b.Date()
	switch unit {
	case UnitYear:
		return Window{UnitYear, timeline.Date{Year: da.Year}, db.Year - da.Year + 1}
	case UnitMonth:
		return Window{UnitMonth, timeline.Date{Year: da.Year, Month: da.Month}, monthIndex(db) - monthIndex(da) + 1}
	}
	return Window{UnitDay, da, dayNum(b) - dayNum(a) + 1}
}

func monthIndex(d timeline.Date) int { return d.Year*12 + d.Month - 1 }

func monthAt(i int) timeline.Date { return timeline.Date{Year: i / 12, Month: i%12 + 1} }

// dayNum counts days from a fixed origin, so that days subtract.
func dayNum(d timeline.Day) int {
	t := time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, time.UTC)
	return int(t.Unix() / 86400)
}

func dayAt(n int) timeline.Day {
	t := time.Unix(int64(n)*86400, 0).UTC()
	return timeline.Day(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// Lo and Hi are the first and last day of the window.
func (w Window) Lo() timeline.Day { return w.Start.Earliest() }

// Hi is the last day of the window.
func (w Window) Hi() timeline.Day {
	switch w.Unit {
	case UnitYear:
		return timeline.Date{Year: w.Start.Year + w.Count - 1}.Latest()
	case UnitMonth:
		return monthAt(monthIndex(w.Start) + w.Count - 1).Latest()
	}
	return dayAt(dayNum(w.Start.Earliest()) + w.Count - 1)
}

// From and To are the window as filter values.
func (w Window) From() timeline.Date { return w.Start }

// To is the last unit of the window, as a filter value.
func (w Window) To() timeline.Date {
	switch w.Unit {
	case UnitYear:
		return timeline.Date{Year: w.Start.Year + w.Count - 1}
	case UnitMonth:
		return monthAt(monthIndex(w.Start) + w.Count - 1)
	}
	return w.Hi().Date()
}

// Days is the window's length in days.
func (w Window) Days() int { return dayNum(w.Hi()) - dayNum(w.Lo()) + 1 }

// Label names the window in words: "2014–2016", "January 2014 – June 2016".
func (w Window) Label() string {
	if w.Unit == UnitYear && w.Count == 1 {
		return fmt.Sprint(w.Start.Year)
	}
	return timeline.FormatSpan(w.From(), w.To())
}

// LabelIn names the window in l's language: "2014年〜2016年".
func (w Window) LabelIn(l *locales.Localizer) string {
	if w.Unit == UnitYear && w.Count == 1 {
		return l.Date(timeline.Date{Year: w.Start.Year})
	}
	return l.Span(w.From(), w.To())
}

// clampYears keeps a window inside the years a date may have.
func (w Window) clamp() Window {
	lo, hi := timeline.Date{Year: timeline.MinYear}.Earliest(), timeline.Date{Year: timeline.MaxYear}.Latest()
	if w.Lo() < lo {
		return windowBetween(w.Unit, lo, lo).withCount(w.Count)
	}
	if w.Hi() > hi {
		return w.shift(-1 - dayNum(w.Hi()) + dayNum(hi))
	}
	return w
}

func (w Window) withCount(n int) Window { w.Count = n; return w }

// shift moves the window by n days, rounded to its unit.
func (w Window) shift(days int) Window {
	switch w.Unit {
	case UnitYear:
		w.Start.Year += int(math.Round(float64(days) / 365.25))
	case UnitMonth:
		w.Start = monthAt(monthIndex(w.Start) + int(math.Round(float64(days)/30.44)))
	default:
		w.Start = dayAt(dayNum(w.Start.Earliest()) + days).Date()
	}
	return w
}

// around is the window of about days days centred on day c, in the unit
// that suits its length: years from three years up, months from two
// months, days below.
func around(c int, days int) Window {
	days = max(days, 7)
	switch {
	case days >= 3*365:
		n := max(3, int(math.Round(float64(days)/365.25)))
		first := dayAt(c).Date().Year - n/2
		if n%2 == 0 && dayAt(c).Date().Month < 7 {
			first--
		}
		return Window{UnitYear, timeline.Date{Year: first}, n}.clamp()
	case days >= 60:
		n := max(2, int(math.Round(float64(days)/30.44)))
		ci := monthIndex(dayAt(c).Date())
		return Window{UnitMonth, monthAt(ci - n/2), n}.clamp()
	}
	return Window{UnitDay, dayAt(c - days/2).Date(), days}.clamp()
}

func (w Window) center() int { return (dayNum(w.Lo()) + dayNum(w.Hi())) / 2 }

// ZoomIn is the window half as long with the same middle.
func (w Window) ZoomIn() Window {
	if w.Unit == UnitYear && w.Count >= 6 {
		n := (w.Count + 1) / 2
		return Window{UnitYear, timeline.Date{Year: w.Start.Year + (w.Count-n)/2}, n}
	}
	return around(w.center(), w.Days()/2)
}

// ZoomOut is the window twice as long with the same middle.
func (w Window) ZoomOut() Window {
	if w.Unit == UnitYear {
		return Window{UnitYear, timeline.Date{Year: w.Start.Year - (w.Count+1)/2}, w.Count * 2}.clamp()
	}
	return around(w.center(), w.Days()*2)
}

// Earlier and Later move the window by half its length.
func (w Window) Earlier() Window { return w.move(-1) }

// Later moves the window forward by half its length.
func (w Window) Later() Window { return w.move(1) }

func (w Window) move(sign int) Window {
	step := max(1, w.Count/2)
	switch w.Unit {
	case UnitYear:
		w.Start.Year += sign * step
	case UnitMonth:
		w.Start = monthAt(monthIndex(w.Start) + sign*step)
	default:
		w.Start = dayAt(dayNum(w.Start.Earliest()) + sign*step).Date()
	}
	return w.clamp()
}

// CenteredOn is the window of the same length with its middle in year y.
func (w Window) CenteredOn(y int) Window {
	c := dayNum(timeline.Day(y*10000 + 701))
	if w.Unit == UnitYear {
		return Window{UnitYear, timeline.Date{Year: y - (w.Count-1)/2}, w.Count}.clamp()
	}
	return around(c, w.Days())
}

// Around is the window of about days days centred on day c, in the unit
// that suits its length.
func Around(c timeline.Day, days int) Window { return around(dayNum(c), days) }

// Covering is the window that shows days a to b, in a unit that suits its
// length.
func Covering(a, b timeline.Day) Window {
	days := dayNum(b) - dayNum(a) + 1
	switch {
	case days >= 3*365:
		return windowBetween(UnitYear, a, b)
	case days >= 60:
		return windowBetween(UnitMonth, a, b)
	}
	return windowBetween(UnitDay, a, b)
}
