package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// TimelineRequest is what a drawn timeline shows: a filter read with
// Store.ResolveFilter (whose from and
// to are the window when Window is zero), the drawing's size and lanes,
// and the selected event. Other pages build one to draw a timeline of
// their own (see views/tl.go).
type TimelineRequest struct {
	Base     string
	Filter   timeline.Filter
	Window   views.Window // zero: from the filter's from and to, else the span of its events
	Width    int
	Lanes    string
	Mini     bool
	Selected string // an event slug, or ""
}

// noSuchSelection is the problem of a sel naming no event.
func noSuchSelection() error {
	return &timeline.ValidationError{Problems: map[string]string{"sel": "must name an event of the chronology"}}
}

// timelineInput reads what a timeline drawing needs: the window, the
// events in it (or their counts per month or year when there are more than
// views.TimelineMaxItems), the eras, the span of the whole filter for the
// overview strip, and the selected event with its links. It returns a
// *timeline.ValidationError for a bad filter or selection, and
// timeline.ErrTooBroad for a search too common to count.
func (s *Server) timelineInput(ctx context.Context, r TimelineRequest) (views.TimelineInput, error) {
	in := views.TimelineInput{Base: r.Base, Width: r.Width, Lanes: r.Lanes, Mini: r.Mini, Loc: locales.From(ctx)}
	qctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	// The whole span: the filter without its dates, counted per year. When
	// counting takes too long the drawing goes without its overview strip.
	undated := r.Filter
	undated.From, undated.To = timeline.Date{}, timeline.Date{}
	yctx, ycancel := context.WithTimeout(ctx, min(s.cfg.QueryTimeout, facetTimeout))
	years, err := s.st(yctx).YearCounts(yctx, undated)
	ycancel()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return in, err
	}
	// An open start (..) counts in MinYear: the span begins with the first
	// year a date names, and such an event is drawn from the left edge.
	if len(years) > 1 && years[0].Year == timeline.MinYear {
		years = years[1:]
	}
	in.Years = years
	w := r.Window
	if w.Count == 0 {
		lo, hi := timeline.DateOf(s.cfg.Now()).Earliest(), timeline.DateOf(s.cfg.Now()).Earliest()
		if len(years) > 0 {
			lo = timeline.Date{Year: years[0].Year}.Earliest()
			hi = timeline.Date{Year: years[len(years)-1].Year}.Latest()
		}
		w = views.WindowOf(r.Filter.From, r.Filter.To, lo, hi)
	}
	in.Window = w
	f := r.Filter
	f.From, f.To = w.From(), w.To()
	in.Filter = f
	points, crowded, err := s.st(qctx).Points(qctx, f, views.TimelineMaxItems)
	if err != nil {
		return in, err
	}
	if !crowded {
		in.Points = points
		if in.Points == nil {
			in.Points = []timeline.Point{}
		}
		if r.Lanes == views.LanesActor {
			ids := make([]int64, len(points))
			for i, p := range points {
				ids[i] = p.ID
			}
			if in.Actors, in.Names, err = s.st(qctx).PointActors(qctx, ids); err != nil {
				return in, err
			}
		}
	} else {
		in.ByMonth = w.Days() <= 3*366
		if in.Buckets, err = s.st(qctx).Buckets(qctx, f, in.ByMonth); err != nil {
			return in, err
		}
		var tops []*timeline.Point
		for i := range in.Buckets {
			in.Total += in.Buckets[i].N
			if in.Buckets[i].Top.ID != 0 {
				tops = append(tops, &in.Buckets[i].Top)
			}
		}
		if err := s.st(qctx).FillPoints(qctx, tops); err != nil {
			return in, err
		}
	}
	if in.Eras, err = s.st(ctx).ListEras(ctx); err != nil {
		return in, err
	}
	if r.Selected != "" {
		e, err := s.st(ctx).GetEvent(ctx, r.Selected)
		if errors.Is(err, timeline.ErrNotFound) {
			return in, noSuchSelection()
		} else if err != nil {
			return in, err
		}
		in.Selected = &e
		if in.Incoming, err = s.st(ctx).Backlinks(ctx, e.Slug); err != nil {
			return in, err
		}
	}
	return in, nil
}

// GET /timeline: the drawn timeline of any filtered view, with zoom, pan,
// an overview strip and a selection panel; every state is a permalink.
func (s *Server) handleTimeline(c echo.Context) error {
	ctx := c.Request().Context()
	m := views.TimelineView{Chronology: views.Chronology{Head: views.Head{Title: localizer(c).T("nav.timeline")}, Base: "/events"}}
	q, err := s.readListQuery(c, nil)
	if err != nil {
		return err
	}
	m.Filter, m.Input, m.Problems = q.filter, q.input, q.problems
	r := TimelineRequest{Base: "/timeline", Filter: q.filter, Selected: q.input.Get("sel"), Lanes: q.input.Get("lanes")}
	switch r.Lanes {
	case "", views.LanesCategory, views.LanesActor, views.LanesNone:
	default:
		m.Problems["lanes"] = "must be category, actor or none"
	}
	if r.Selected != "" && !timeline.ValidSlug(r.Selected) {
		m.Problems["sel"] = "must be an event slug"
	}
	r.Width = views.DefaultTimelineWidth
	if r.Selected != "" {
		r.Width = views.DefaultTimelineWidthBeside
	}
	if w := q.input.Get("w"); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < views.MinTimelineWidth || n > views.MaxTimelineWidth {
			m.Problems["w"] = "must be a width in pixels from " + strconv.Itoa(views.MinTimelineWidth) + " to " + strconv.Itoa(views.MaxTimelineWidth)
		}
		r.Width = n
	}
	// Scripts zoom and pan by asking for a window of some days around a
	// day (at, days); the answer names the window as from and to.
	if at := q.input.Get("at"); at != "" {
		d, err := timeline.ParseDate(at)
		if err != nil {
			m.Problems["at"] = timeline.DateRule
		}
		days, derr := strconv.Atoi(q.input.Get("days"))
		if derr != nil || days < 1 || days > 2000*366 {
			m.Problems["days"] = "must be a number of days from 1 to 732000, with at"
		}
		if len(m.Problems) == 0 {
			r.Window = views.Around(d.Earliest(), days)
		}
	} else if q.input.Get("days") != "" {
		// Alone it was ignored: the whole span was drawn.
		m.Problems["days"] = "must be a number of days from 1 to 732000, with at"
	}
	status := http.StatusOK
	if len(m.Problems) == 0 {
		// The chips name the actors the filter names.
		var err error
		if m.Actors, err = s.filterActors(ctx, q.filter.Actors); err != nil {
			return err
		}
		in, err := s.timelineInput(ctx, r)
		var ve *timeline.ValidationError
		switch {
		case errors.As(err, &ve):
			m.Problems = ve.Problems
		case errors.Is(err, context.DeadlineExceeded):
			m.Timeout = true
			status = http.StatusServiceUnavailable
		case err != nil:
			return err
		default:
			m.Drawing = views.NewTimeline(in)
			m.Head.Title = localizer(c).T("tl.doc_title", in.Window.LabelIn(localizer(c)))
			m.Head.Canonical = views.TimelineURL("/timeline", in.Filter, in.Window, in.Lanes, "")
			m.Permalink = localizer(c).Path(views.TimelineURL("/timeline", in.Filter, in.Window, in.Lanes, r.Selected))
		}
	}
	if len(m.Problems) > 0 {
		status = http.StatusBadRequest
	}
	c.Response().Header().Add("Vary", "HX-Request")
	if isPartial(c) {
		if m.Permalink != "" {
			c.Response().Header().Set("HX-Push-Url", m.Permalink)
		}
		return render(c, status, views.TimelineRegion(m))
	}
	return render(c, status, views.TimelinePage(m))
}

// filterActors reads the actors a filter names, by slug, for the words
// that name them (a chip, a story's title): one row each. An actor gone
// since the filter was checked is left out, and named by its slug.
func (s *Server) filterActors(ctx context.Context, slugs []string) (map[string]timeline.Actor, error) {
	out := map[string]timeline.Actor{}
	for _, slug := range slugs {
		a, err := s.st(ctx).GetActor(ctx, slug)
		if errors.Is(err, timeline.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		out[slug] = a
	}
	return out, nil
}
