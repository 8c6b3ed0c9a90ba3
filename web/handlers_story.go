package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// A thread runs two links back and two forward from its event, and holds
// at most threadMax events; a story's strip draws up to stripMax events,
// and beyond that the stripAround either side of the current one.
const (
	threadDepth = 2
	threadMax   = 40
	stripMax    = 300
	stripAround = 40
)

// GET /story: the events of a view (every list filter) or of an event's
// thread (thread=SLUG), one per screen; at=SLUG names the step, so every
// step is a permalink. A bad filter answers 400, a step that is not in the
// view 404.
func (s *Server) handleStory(c echo.Context) error {
	ctx := c.Request().Context()
	in := c.QueryParams()
	m := views.StoryView{Head: views.Head{Title: localizer(c).T("story.nav"), Scripts: []string{"story.js"}}, Problems: map[string]string{}}
	f, err := s.st(ctx).ResolveFilter(ctx, in)
	if ve, ok := errors.AsType[*timeline.ValidationError](err); ok {
		m.Problems = ve.Problems
	} else if err != nil {
		return err
	}
	at, thread := strings.TrimSpace(in.Get("at")), strings.TrimSpace(in.Get("thread"))
	if at != "" && !timeline.ValidSlug(at) {
		m.Problems["at"] = "must be the slug of an event in this story"
	}
	if _, ok := in["thread"]; ok {
		if !timeline.ValidSlug(thread) {
			m.Problems["thread"] = "must be the slug of an event"
		} else if !f.IsZero() {
			m.Problems["thread"] = "cannot be combined with filters: a thread is the chain of one event's links"
		}
	}
	if len(m.Problems) == 0 {
		// A search matching most of the chronology is no story: refused,
		// as the timeline refuses to draw it.
		err := s.st(ctx).CheckSearch(ctx, f)
		if ve, ok := errors.AsType[*timeline.ValidationError](err); ok {
			m.Problems = ve.Problems
		} else if err != nil {
			return err
		}
	}
	if len(m.Problems) > 0 {
		return render(c, http.StatusBadRequest, views.StoryPage(m))
	}
	qctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	var stepURL func(slug string) string
	if thread != "" {
		stepURL = func(slug string) string {
			return localizer(c).Path("/story?" + url.Values{"thread": {thread}, "at": {slug}}.Encode())
		}
		if err := s.threadStory(qctx, &m, thread, at, stepURL); err != nil {
			return err
		}
	} else {
		stepURL = func(slug string) string { return localizer(c).Path(views.ListURL("/story", f, nil, "at", slug)) }
		if err := s.viewStory(qctx, &m, f, at, stepURL); err != nil {
			return err
		}
		if m.Empty {
			return render(c, http.StatusOK, views.StoryPage(m))
		}
	}
	e := m.Step.Event
	if m.Step.Prev.Slug != "" {
		m.Prev = stepURL(m.Step.Prev.Slug)
	}
	if m.Step.Next.Slug != "" {
		m.Next = stepURL(m.Step.Next.Slug)
	}
	eras, err := s.st(ctx).ListEras(ctx)
	if err != nil {
		return err
	}
	m.Eras = erasOf(eras, e)
	m.Head.Title = e.Title + " — " + m.Title
	m.Head.Description = views.Truncate(e.Summary, 200)
	if l := localizer(c); l.Lang != "en" {
		title := views.EventTitle(l, e).Text
		m.Head.Title = title + " — " + m.Title
		m.Head.Description = l.T("event.description", title, views.EventDate(l, e))
	}
	m.Head.Canonical = s.baseURL(c) + stepURL(e.Slug)
	return render(c, http.StatusOK, views.StoryPage(m))
}

// viewStory fills m with the step at of the view f (its first when at is
// "").
func (s *Server) viewStory(ctx context.Context, m *views.StoryView, f timeline.Filter, at string, stepURL func(string) string) error {
	l := locales.From(ctx)
	actors, err := s.filterActors(ctx, f.Actors)
	if err != nil {
		return err
	}
	m.Title = views.DescribeFilter(l, f, func(slug string) string {
		if a, ok := actors[slug]; ok {
			return views.ActorName(l, a).Text
		}
		return slug
	})
	m.Back = views.Link{Href: views.ListURL("/events", f, nil), Text: l.T("story.back_list")}
	m.Timeline = views.ListURL("/timeline", f, nil)
	step, err := s.st(ctx).StoryStep(ctx, f, at)
	if errors.Is(err, timeline.ErrNotFound) && at == "" {
		m.Empty = true
		return nil
	} else if err != nil {
		return err
	}
	m.Step = step
	points, crowded, err := s.st(ctx).Points(ctx, f, stripMax)
	if err != nil {
		return err
	}
	first := 1
	if crowded {
		around, err := s.st(ctx).EventsAround(ctx, f, step.Event, stripAround, stripAround)
		if err != nil {
			return err
		}
		// The events around come without the current one: put it back
		// in its place.
		before := 0
		for before < len(around) && chronoBefore(around[before], step.Event) {
			before++
		}
		points = points[:0]
		for i, e := range around {
			if i == before {
				points = append(points, views.PointOf(step.Event))
			}
			points = append(points, views.PointOf(e))
		}
		if before == len(around) {
			points = append(points, views.PointOf(step.Event))
		}
		first = step.Index + 1 - before
		if step.Index < 0 { // too many to number
			first = 0
		}
	}
	m.Strip = views.NewStrip(l, points, step.Event.Slug, first, crowded, stepURL)
	return nil
}

// chronoBefore reports whether a comes before b in the list order.
func chronoBefore(a, b timeline.Event) bool {
	if a.Earliest() != b.Earliest() {
		return a.Earliest() < b.Earliest()
	}
	if a.Start.Precision() != b.Start.Precision() {
		return a.Start.Precision() < b.Start.Precision()
	}
	return a.Title < b.Title
}

// threadStory fills m with the step at of the thread of the event slug
// (its earliest event when at is "").
func (s *Server) threadStory(ctx context.Context, m *views.StoryView, slug, at string, stepURL func(string) string) error {
	evs, err := s.st(ctx).Thread(ctx, slug, threadDepth, threadMax)
	if err != nil {
		return err
	}
	if at == "" {
		at = evs[0].Slug
	}
	idx := -1
	points := make([]timeline.Point, len(evs))
	for i, e := range evs {
		points[i] = views.PointOf(e)
		if e.Slug == at {
			idx = i
		}
		if e.Slug == slug {
			m.Title = locales.From(ctx).T("story.thread_of", views.Truncate(views.EventTitle(locales.From(ctx), e).Text, 80))
		}
	}
	if idx < 0 {
		return echo.ErrNotFound
	}
	e, err := s.st(ctx).GetEvent(ctx, at)
	if err != nil {
		return err
	}
	m.Thread = true
	m.Back = views.Link{Href: views.EventURL(slug), Text: locales.From(ctx).T("story.back_event")}
	m.Step = timeline.Step{Event: e, Index: idx, Total: len(evs)}
	if idx > 0 {
		m.Step.Prev = evs[idx-1]
	}
	if idx+1 < len(evs) {
		m.Step.Next = evs[idx+1]
	}
	m.Strip = views.NewStrip(locales.From(ctx), points, at, 1, false, stepURL)
	return nil
}
