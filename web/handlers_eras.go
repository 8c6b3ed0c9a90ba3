package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// GET /eras: every era, in time order, each with its page.
func (s *Server) handleEraIndex(c echo.Context) error {
	eras, err := s.st(c.Request().Context()).ListEras(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ErasPage(views.ErasView{Head: views.Head{Title: localizer(c).T("nav.eras"), Description: localizer(c).T("eras.description")}, Eras: eras}))
}

// GET /eras/:slug: an era's description, its events as a chronology (the
// era's dates fixed by the path, every other filter as on /events) and its
// timeline.
func (s *Server) handleEraShow(c echo.Context) error {
	slug := c.Param("slug")
	if !timeline.ValidSlug(slug) {
		return echo.ErrNotFound
	}
	era, err := s.st(c.Request().Context()).GetEra(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	l := localizer(c)
	name := views.EraName(l, era)
	m := views.Chronology{
		Head:        views.Head{Title: name.Text, Description: views.Truncate(era.Description, 200)},
		Base:        views.EraURL(era.Slug),
		Fixed:       []string{"from=" + era.Start.String(), "to=" + era.End.String()},
		Heading:     name.Text,
		HeadingLang: name.Lang,
		Era:         era,
	}
	if l.Lang == "en" {
		m.HeadingJA = era.NameJA
	} else {
		m.Head.Description = l.T("era.description", name.Text, l.Span(era.Start, era.End))
	}
	return s.renderChronology(c, m)
}

// erasOf returns the eras that any day of e falls in.
func erasOf(eras []timeline.Era, e timeline.Event) []timeline.Era {
	var out []timeline.Era
	for _, r := range eras {
		if r.Overlaps(e.Earliest(), e.Latest()) {
			out = append(out, r)
		}
	}
	return out
}
