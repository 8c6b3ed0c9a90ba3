package web

import (
	"context"
	"slices"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// The event page's context: the events of the months either side of the
// event, at most contextAround before it and as many after.
const (
	contextMonths = 6
	contextAround = 6
	contextPoints = 200 // beyond this, the months are read as the events just around
)

// eventContext returns the events around e, e among them, and the months
// they span.
func (s *Server) eventContext(ctx context.Context, e timeline.Event) (views.EventContext, error) {
	p := views.PointOf(e)
	first, last := startOf(p), endOf(p)
	if !p.Start.Open && !e.End.IsZero() && !e.End.Open && e.End.Earliest() >= first.Earliest()+20000 {
		last = e.Start.Latest().Date() // a long event: the months around its start
	}
	c := views.EventContext{Current: e.Slug}
	window := timeline.Filter{From: addMonths(first, -contextMonths), To: addMonths(last, contextMonths)}
	points, crowded, err := s.st(ctx).Points(ctx, window, contextPoints)
	if err != nil {
		return c, err
	}
	if crowded {
		around, err := s.st(ctx).EventsAround(ctx, timeline.Filter{}, e, contextAround, contextAround)
		if err != nil {
			return c, err
		}
		points = points[:0]
		for _, a := range around {
			points = append(points, views.PointOf(a))
		}
	}
	at := slices.IndexFunc(points, func(p timeline.Point) bool { return p.Slug == e.Slug })
	if at < 0 {
		at = 0
		for at < len(points) && pointBefore(points[at], e) {
			at++
		}
		points = slices.Insert(points, at, views.PointOf(e))
	}
	lo, hi := max(0, at-contextAround), min(len(points), at+contextAround+1)
	c.Items = points[lo:hi]
	c.From, c.To = window.From, window.To
	if lo > 0 || crowded {
		c.From = laterMonth(window.From, startOf(c.Items[0]))
	}
	if hi < len(points) || crowded {
		c.To = earlierMonth(window.To, endOf(c.Items[len(c.Items)-1]))
	}
	if crowded {
		c.From, c.To = monthOf(startOf(c.Items[0]), false), monthOf(endOf(c.Items[len(c.Items)-1]), true)
	}
	if len(c.Items) > 1 {
		// The months drawn small by the timeline component, this event
		// selected; the list below stays as its text.
		in, err := s.timelineInput(ctx, TimelineRequest{Base: "/timeline", Filter: timeline.Filter{From: c.From, To: c.To},
			Width: views.MiniTimelineWidth, Mini: true, Selected: e.Slug})
		if err != nil {
			return c, err
		}
		t := views.NewTimeline(in)
		c.Drawing = &t
	}
	return c, nil
}

// pointBefore reports whether p comes before e in the list order.
func pointBefore(p timeline.Point, e timeline.Event) bool {
	return chronoBefore(timeline.Event{Start: p.Start, Title: p.Title}, e)
}

// startOf is the first day a point's dates name: its start's, or its
// end's when the start is open (..).
func startOf(p timeline.Point) timeline.Date {
	if p.Start.Open {
		return p.End.Earliest().Date()
	}
	return p.Start.Earliest().Date()
}

// endOf is the last day a point's dates name: its end's, or its start's
// when it has no end or an open one (the context shows months, not the
// centuries an open end may run).
func endOf(p timeline.Point) timeline.Date {
	if p.End.IsZero() || p.End.Open {
		return p.Start.Latest().Date()
	}
	return p.End.Latest().Date()
}

// monthOf is d's month; for a year, its first month (or its last, when
// end is set).
func monthOf(d timeline.Date, end bool) timeline.Date {
	if d.Month == 0 {
		if end {
			return timeline.Date{Year: d.Year, Month: 12}
		}
		return timeline.Date{Year: d.Year, Month: 1}
	}
	return timeline.Date{Year: d.Year, Month: d.Month}
}

// laterMonth is the later of the month from and the month d starts in.
func laterMonth(from, d timeline.Date) timeline.Date {
	if m := monthOf(d, false); m.Earliest() > from.Earliest() {
		return m
	}
	return from
}

// earlierMonth is the earlier of the month to and the month d ends in.
func earlierMonth(to, d timeline.Date) timeline.Date {
	if m := monthOf(d, true); m.Latest() < to.Latest() {
		return m
	}
	return to
}

// addMonths returns the month n months after d's month (a year-precision
// date counts from January, or December going forward).
func addMonths(d timeline.Date, n int) timeline.Date {
	m := d.Month
	if m == 0 {
		m = 1
		if n > 0 {
			m = 12
		}
	}
	i := d.Year*12 + m - 1 + n
	return timeline.Date{Year: i / 12, Month: i%12 + 1}
}
