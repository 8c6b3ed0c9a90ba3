package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// eventFields lists an event's fields as text, in form order, for
// comparing two versions field by field.
func eventFields(e timeline.Event) []views.FieldDiff {
	var actors, sources, related []string
	for _, a := range e.Actors {
		actors = append(actors, joinNonEmpty(" — ", a.Slug, a.Role))
	}
	for _, s := range e.Sources {
		sources = append(sources, joinNonEmpty(" — ", s.Publisher, s.Title, s.URL, s.Date.String(), s.Language, s.Note))
	}
	for _, r := range e.Related {
		related = append(related, r.Relation+" "+r.Slug)
	}
	sig := ""
	if e.Significance != 0 {
		sig = strconv.Itoa(e.Significance)
	}
	return []views.FieldDiff{
		{Field: "start", Label: "Start date", Old: e.Start.String()},
		{Field: "end", Label: "End date", Old: e.End.String()},
		{Field: "title", Label: "Title", Old: e.Title},
		{Field: "title_ja", Label: "Japanese title", Old: e.TitleJA},
		{Field: "title_ko", Label: "Korean title", Old: e.TitleKO},
		{Field: "summary", Label: "Summary", Old: e.Summary},
		{Field: "summary_ja", Label: "Japanese summary", Old: e.SummaryJA},
		{Field: "summary_ko", Label: "Korean summary", Old: e.SummaryKO},
		{Field: "body", Label: "Body", Old: e.Body},
		{Field: "category", Label: "Category", Old: string(e.Category)},
		{Field: "significance", Label: "Significance", Old: sig},
		{Field: "location", Label: "Location", Old: e.Location},
		{Field: "location_ja", Label: "Japanese location", Old: e.LocationJA},
		{Field: "location_ko", Label: "Korean location", Old: e.LocationKO},
		{Field: "actors", Label: "Actors", Old: strings.Join(actors, "\n")},
		{Field: "tags", Label: "Tags", Old: strings.Join(e.Tags, ", ")},
		{Field: "sources", Label: "Sources", Old: strings.Join(sources, "\n")},
		{Field: "related", Label: "Related events", Old: strings.Join(related, "\n")},
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// diffEvents compares two versions field by field and returns the fields
// that differ: Old is a's value, New b's, each marked word by word.
func diffEvents(a, b timeline.Event) []views.FieldDiff {
	var out []views.FieldDiff
	for i, f := range eventFields(b) {
		d := eventFields(a)[i]
		if d.Old == f.Old {
			continue
		}
		d.New, d.Changed = f.Old, true
		d.OldParts, d.NewParts = wordDiff(d.Old, d.New)
		out = append(out, d)
	}
	return out
}

// formatWhen writes a revision time for readers, in UTC.
func formatWhen(l *locales.Localizer, t time.Time) string {
	if l.Lang == "en" {
		return t.UTC().Format("2 January 2006 15:04 UTC")
	}
	return l.Date(timeline.DateOf(t.UTC())) + " " + t.UTC().Format("15:04") + " UTC"
}

// revisionRow is a revision as history lists it: its author under their
// public name, and a link to the event's page as it stood just after it.
func revisionRow(l *locales.Localizer, slug string, r timeline.Revision) views.RevisionRow {
	return views.RevisionRow{Version: r.Version, Action: r.Action, Author: r.Editor, When: formatWhen(l, r.CreatedAt), Summary: r.Summary,
		Correction: r.Correction, AsOf: views.EventURL(slug) + "?" + url.Values{"as_of": {timeline.FormatAsOf(r.CreatedAt)}}.Encode()}
}

// GET /events/:slug/history: every revision of the event, newest first,
// deleted events included; public, with restore buttons for editors.
func (s *Server) handleHistory(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	e, err := s.store.GetEventAny(ctx, slug)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(ctx, slug)
	if err != nil {
		return err
	}
	m := views.HistoryView{Head: views.Head{Title: localizer(c).T("hist.title", views.EventTitle(localizer(c), e).Text)}, Event: e, Deleted: e.DeletedAt != nil}
	_, m.Editor = currentUser(c)
	for _, r := range revs {
		m.Revisions = append(m.Revisions, revisionRow(localizer(c), slug, r))
	}
	return render(c, http.StatusOK, views.HistoryPage(m))
}

// GET /events/:slug/history/:version[?from=N]: one version, and what it
// changed from the version before, or from version N; public, with a
// restore button for editors.
func (s *Server) handleRevision(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	v, err := strconv.Atoi(c.Param("version"))
	if err != nil || v < 1 {
		return echo.ErrNotFound
	}
	e, err := s.store.GetEventAny(ctx, slug)
	if err != nil {
		return err
	}
	rev, err := s.store.Revision(ctx, slug, v)
	if err != nil {
		return err
	}
	var prev timeline.Event
	from := 0
	if f := c.QueryParam("from"); f != "" {
		if from, err = strconv.Atoi(f); err != nil || from < 1 || from > e.Version || from == v {
			return newClientError(http.StatusBadRequest, "from: must be the number of another version of this event, from 1 to "+strconv.Itoa(e.Version),
				map[string]string{"from": "must be another version, from 1 to " + strconv.Itoa(e.Version)})
		}
		p, err := s.store.Revision(ctx, slug, from)
		if err != nil {
			return err
		}
		prev = p.Event
	} else if v > 1 {
		p, err := s.store.Revision(ctx, slug, v-1)
		if err != nil && !errors.Is(err, timeline.ErrNotFound) {
			return err
		}
		prev = p.Event
	}
	m := views.RevisionView{
		Head:    views.Head{Title: localizer(c).T("hist.version", v) + rev.Event.Title},
		Slug:    slug,
		Current: e.Version,
		Deleted: e.DeletedAt != nil,
		Rev:     revisionRow(localizer(c), slug, rev),
		Event:   rev.Event,
		From:    from,
		Diffs:   diffEvents(prev, rev.Event),
	}
	m.AsOf = m.Rev.AsOf
	_, m.Editor = currentUser(c)
	return render(c, http.StatusOK, views.RevisionPage(m))
}

// POST /events/:slug/restore: makes an old version current again, as a
// new revision (form fields: from, the version to restore; version, the
// current version the editor saw). A deleted event comes back.
func (s *Server) handleRestore(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	version, err := formVersion(form)
	if err != nil {
		return err
	}
	from, err := strconv.Atoi(form.Get("from"))
	if err != nil || from < 1 {
		return echo.NewHTTPError(http.StatusBadRequest, "from: must be the number of the version to restore")
	}
	u, _ := currentUser(c)
	slug := c.Param("slug")
	_, err = s.store.RestoreEvent(c.Request().Context(), slug, from, version, timeline.Change{Author: u.Name})
	var ve *timeline.ValidationError
	switch {
	case errors.Is(err, timeline.ErrConflict):
		return echo.NewHTTPError(http.StatusConflict, "The event changed since you opened its history, so nothing was restored. Open the history again to see the new version.")
	case errors.As(err, &ve):
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Version "+strconv.Itoa(from)+" cannot be restored as it is: "+ve.Error()+". Edit the current version instead.")
	case err != nil:
		return err
	}
	return redirect(c, http.StatusSeeOther, views.EventURL(slug))
}

// changesPage is how many changes /changes lists at a time.
const changesPage = 100

// GET /changes[?since=MOMENT[&cursor=…]]: the chronology's changes, public.
// Without since, the latest, newest first; with since (the forms of
// as_of), every change after that moment, oldest first, page by page.
func (s *Server) handleChanges(c echo.Context) error {
	ctx := c.Request().Context()
	l := localizer(c)
	m := views.ChangesView{Head: views.Head{Title: l.T("changes.title")}}
	var changes []timeline.ChangeRecord
	if raw := strings.TrimSpace(c.QueryParam("since")); raw != "" {
		since, err := timeline.ParseAsOf(raw)
		if ve, ok := errors.AsType[*timeline.ValidationError](err); ok {
			return newClientError(http.StatusBadRequest, "since: "+ve.Problems["as_of"], map[string]string{"since": ve.Problems["as_of"]})
		}
		m.Since, m.SinceParam = l.Moment(since), timeline.FormatAsOf(since)
		m.Head.Title = l.T("changes.title_since", m.Since)
		// Changes lists from a moment inclusive; "since" means after it.
		page, err := s.store.Changes(ctx, since.Add(time.Microsecond), c.QueryParam("cursor"), changesPage)
		if err != nil {
			return err
		}
		changes = page.Changes
		if page.Next != "" {
			m.Next = "/changes?" + url.Values{"since": {m.SinceParam}, "cursor": {page.Next}}.Encode()
		}
	} else {
		if c.QueryParam("cursor") != "" {
			const rule = "continues the changes since a moment: give since with it"
			return newClientError(http.StatusBadRequest, "cursor: "+rule, map[string]string{"cursor": rule})
		}
		var err error
		if changes, err = s.store.RecentChanges(ctx, changesPage); err != nil {
			return err
		}
	}
	for _, ch := range changes {
		asOf := views.EventURL(ch.Slug) + "?" + url.Values{"as_of": {timeline.FormatAsOf(ch.Time)}}.Encode()
		if ch.Action == "delete" {
			asOf = views.EventURL(ch.Slug) + "/history" // gone at that moment
		}
		m.Rows = append(m.Rows, views.ChangeRow{
			Slug: ch.Slug, Title: views.PointTitle(l, timeline.Point{Title: ch.Title, TitleJA: ch.TitleJA, TitleKO: ch.TitleKO}), Version: ch.Version, Action: ch.Action, Author: ch.Author, Summary: ch.Summary,
			When:       formatWhen(l, ch.Time),
			VersionURL: views.EventURL(ch.Slug) + "/history/" + strconv.Itoa(ch.Version),
			AsOf:       asOf,
		})
	}
	return render(c, http.StatusOK, views.ChangesPage(m))
}
