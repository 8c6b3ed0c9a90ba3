package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// eventForm builds the model of the event form.
func (s *Server) eventForm(c echo.Context, m views.EventForm) (views.EventForm, error) {
	actors, err := s.store.ListActors(c.Request().Context())
	if err != nil {
		return m, err
	}
	m.Actors = actors
	if m.New {
		m.Head = views.Head{Title: localizer(c).T("user.new_event")}
		m.Action = "/events"
	} else {
		m.Head = views.Head{Title: localizer(c).T("form.edit_title", m.In.Title)}
		m.Action = views.EventURL(m.Slug) + "/edit"
	}
	return m, nil
}

func (s *Server) renderEventForm(c echo.Context, status int, m views.EventForm) error {
	if len(m.In.Sources) == 0 { // every event needs one: always offer a row
		m.In.Sources = []views.SourceInput{{Language: "en"}}
	}
	m, err := s.eventForm(c, m)
	if err != nil {
		return err
	}
	return render(c, status, views.EventFormPage(m))
}

// storeProblems returns the field problems of a store error, if it is a
// *ValidationError.
func storeProblems(err error) (map[string]string, bool) {
	var ve *timeline.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems, true
	}
	return nil, false
}

// GET /events/new: an empty event form.
func (s *Server) handleEventNew(c echo.Context) error {
	in := views.EventInput{Significance: "2", Actors: []views.ActorInput{{}}, Sources: []views.SourceInput{{Language: "en"}}}
	return s.renderEventForm(c, http.StatusOK, views.EventForm{New: true, In: in})
}

// POST /events: creates an event, or shows the form again with every
// problem beside its field (422) and everything as typed.
func (s *Server) handleEventCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	in, op := readEventForm(form)
	m := views.EventForm{New: true, In: in}
	if op != opSave {
		return s.renderEventForm(c, http.StatusOK, m)
	}
	e, fp := toEvent(in)
	if m.Problems = checkEvent(&e, fp); len(m.Problems) > 0 {
		return s.renderEventForm(c, http.StatusUnprocessableEntity, m)
	}
	err = s.store.CreateEvent(c.Request().Context(), &e, timeline.Change{Author: u.Name, Summary: strings.TrimSpace(in.EditSummary)})
	if p, ok := storeProblems(err); ok {
		m.Problems = p
		return s.renderEventForm(c, http.StatusUnprocessableEntity, m)
	} else if errors.Is(err, timeline.ErrStorageFull) {
		return s.renderStorageFull(c, m)
	} else if err != nil {
		return err
	}
	return redirect(c, http.StatusSeeOther, views.EventURL(e.Slug))
}

// GET /events/:slug/edit: the form, filled with the current version.
func (s *Server) handleEventEdit(c echo.Context) error {
	e, err := s.store.GetEvent(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	corr, err := s.correctionFor(c, c.QueryParam("correction"), e.Slug)
	if err != nil {
		return err
	}
	if corr != nil && corr.Status != timeline.CorrectionOpen {
		return newClientError(http.StatusConflict, "Correction "+corr.Ref+" is already "+corr.Status+".", nil)
	}
	return s.renderEventForm(c, http.StatusOK, views.EventForm{Slug: e.Slug, Version: e.Version, In: inputFromEvent(e), Correction: corr})
}

// POST /events/:slug/edit: saves the edit if nobody saved a newer version
// meanwhile. Otherwise it answers 409 with both versions side by side and
// the analyst's own version in the form, ready to apply on top of the
// newer one: nothing is overwritten and nothing typed is lost.
func (s *Server) handleEventUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	current, err := s.store.GetEvent(ctx, slug)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	version, err := formVersion(form)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	in, op := readEventForm(form)
	in.Slug = slug
	m := views.EventForm{Slug: slug, Version: version, In: in}
	if m.Correction, err = s.correctionFor(c, form.Get("correction"), slug); err != nil {
		return err
	}
	change := timeline.Change{Author: u.Name, Summary: strings.TrimSpace(in.EditSummary)}
	if m.Correction != nil {
		change.Correction = m.Correction.Ref
	}
	if op != opSave {
		return s.renderEventForm(c, http.StatusOK, m)
	}
	e, fp := toEvent(in)
	e.Version = version
	if m.Problems = checkEvent(&e, fp); len(m.Problems) > 0 {
		return s.renderEventForm(c, http.StatusUnprocessableEntity, m)
	}
	err = s.store.UpdateEvent(ctx, slug, &e, change)
	switch p, ok := storeProblems(err); {
	case ok:
		m.Problems = p
		return s.renderEventForm(c, http.StatusUnprocessableEntity, m)
	case errors.Is(err, timeline.ErrConflict):
		return s.renderConflict(c, m, e)
	case errors.Is(err, timeline.ErrStorageFull):
		return s.renderStorageFull(c, m)
	case errors.Is(err, timeline.ErrNotFound):
		m.Problems = map[string]string{"version": "this event was deleted while you were editing: restore it from its history, then save again"}
		m.Version = current.Version
		return s.renderEventForm(c, http.StatusConflict, m)
	case err != nil:
		return err
	}
	return redirect(c, http.StatusSeeOther, views.EventURL(slug))
}

// renderStorageFull shows the form again, everything typed kept, with the
// full disk named at the top (507): nothing was saved.
// The operator hears of it from serve's fault watch, once a minute.
func (s *Server) renderStorageFull(c echo.Context, m views.EventForm) error {
	m.Alert = "The server's disk is full, so changes cannot be saved for now; reading still works. Everything you typed is kept below: try again later, or ask the site's operator to free space."
	return s.renderEventForm(c, http.StatusInsufficientStorage, m)
}

// renderConflict shows the newer saved version against the analyst's, and
// the form holding the analyst's version at the newer version number.
func (s *Server) renderConflict(c echo.Context, m views.EventForm, mine timeline.Event) error {
	ctx := c.Request().Context()
	theirs, err := s.store.GetEvent(ctx, m.Slug)
	if err != nil {
		return err
	}
	rev, err := s.store.Revision(ctx, m.Slug, theirs.Version)
	if err != nil {
		return err
	}
	m.Version = theirs.Version
	m.Conflict = &views.ConflictInfo{Version: theirs.Version, Author: rev.Author, When: formatWhen(localizer(c), rev.CreatedAt), Diffs: diffEvents(theirs, mine)}
	return s.renderEventForm(c, http.StatusConflict, m)
}

// GET /events/:slug/delete: asks before deleting.
func (s *Server) handleEventDeleteConfirm(c echo.Context) error {
	e, err := s.store.GetEvent(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.DeletePage(views.DeleteView{Head: views.Head{Title: localizer(c).T("delete.title", views.EventTitle(localizer(c), e).Text)}, Event: e}))
}

// POST /events/:slug/delete: hides the event (it stays in its history,
// restorable) and goes to its history.
func (s *Server) handleEventDelete(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	version, err := formVersion(form)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	summary := strings.TrimSpace(form.Get("edit_summary"))
	if msg := timeline.CheckText(summary, timeline.MaxShort, false); msg != "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "edit_summary: "+msg)
	}
	slug := c.Param("slug")
	err = s.store.DeleteEvent(c.Request().Context(), slug, version, timeline.Change{Author: u.Name, Summary: summary})
	if errors.Is(err, timeline.ErrConflict) {
		return echo.NewHTTPError(http.StatusConflict, "The event changed since you opened this page, so it was not deleted. Look at the new version first.")
	} else if err != nil {
		return err
	}
	return redirect(c, http.StatusSeeOther, views.EventURL(slug)+"/history")
}
