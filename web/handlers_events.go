package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
	"github.com/japan-dprk/timeline/web/views"
)

// listQuery is a chronology request read from the query string.
type listQuery struct {
	filter   timeline.Filter
	page     timeline.PageRequest
	input    url.Values
	problems map[string]string
}

// readListQuery reads the filter (timeline.ResolveFilter), cursor, sort and
// year, adding the fixed parameters the path implies. Every problem is
// collected, keyed by parameter; an error is a fault, not bad input.
func (s *Server) readListQuery(c echo.Context, fixed []string) (listQuery, error) {
	in := c.QueryParams()
	v := url.Values{}
	for k, vals := range in {
		v[k] = slices.Clone(vals)
	}
	for _, f := range fixed {
		k, val, _ := strings.Cut(f, "=")
		if k == "from" || k == "to" {
			// An era's dates: the query may narrow them, and an emptied
			// field falls back to them.
			if strings.TrimSpace(v.Get(k)) == "" {
				v.Set(k, val)
			}
			continue
		}
		if !slices.Contains(v[k], val) {
			v.Add(k, val)
		}
	}
	q := listQuery{input: v, problems: map[string]string{}}
	f, err := s.st(c.Request().Context()).ResolveFilter(c.Request().Context(), v)
	if ve, ok := errors.AsType[*timeline.ValidationError](err); ok {
		maps.Copy(q.problems, ve.Problems)
	} else if err != nil {
		return q, err
	}
	q.filter = f
	q.page.Cursor = v.Get("cursor")
	switch s := v.Get("sort"); s {
	case "", timeline.SortDate:
		q.page.Sort = timeline.SortDate
	case timeline.SortRelevance:
		q.page.Sort = s
	default:
		q.problems["sort"] = "must be date or relevance"
	}
	if y := v.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < timeline.MinYear || n > timeline.MaxYear {
			q.problems["year"] = "must be a year from 1000 to 2999"
		} else {
			q.page.At = timeline.Day(n*10000 + 101)
		}
	}
	return q, nil
}

// facetCacheBytes is about the most memory the filters' counts kept take.
// At a million events one filter's counts take 10–40 KB (a map of
// categories for each year), so a count of entries bounded nothing: 2,000
// of them could hold more than the server's whole heap limit, and the
// collector would run without pause.
const facetCacheBytes = 6 << 20

// facetsCost estimates the bytes f holds, with its key.
func facetsCost(key string, f timeline.Facets) int {
	// Measured at a million events: a Count with its strings and its
	// slice's spare room (32 bytes more since it carries an actor's
	// Japanese and Korean names), a year with its map.
	const count, yearCount, mapEntry, mapHeader = 96, 48, 64, 150
	n := 100 + len(key)
	for _, cs := range [][]timeline.Count{f.Categories, f.Actors, f.Tags} {
		for _, c := range cs {
			n += count + 2*(len(c.Value)+len(c.Label)) + len(c.LabelJA) + len(c.LabelKO)
		}
	}
	for _, y := range f.Years {
		n += yearCount + mapHeader + mapEntry*len(y.ByCategory)
	}
	return n
}

// facetsFor returns the counts for a filter, computed once per data
// version: every page of a filtered view (and its export links, and the
// overview) shares them, so paging costs only the page itself.
func (s *Server) facetsFor(ctx context.Context, f timeline.Filter) (timeline.Facets, error) {
	version, err := s.st(ctx).DataVersion(ctx)
	if err != nil {
		return timeline.Facets{}, err
	}
	return s.facetsAt(ctx, version, f)
}

// facetsAt is facetsFor at a data version the caller has read.
func (s *Server) facetsAt(ctx context.Context, version int64, f timeline.Filter) (timeline.Facets, error) {
	key := f.Values().Encode()
	if fc, ok := s.facets.get(version, key); ok {
		return fc, nil
	}
	// Requests for the same filter wait for one count instead of each
	// making its own.
	v, err, _ := s.flight.Do(fmt.Sprintf("facets %d %s", version, key), func() (any, error) {
		fc, err := s.st(ctx).Facets(ctx, f)
		if err == nil {
			s.facets.put(version, key, fc)
		}
		return fc, err
	})
	if err != nil {
		return timeline.Facets{}, err
	}
	return v.(timeline.Facets), nil
}

// erasCache keeps the eras of one chronology (the server's, or that of a
// past moment) at one data version: every chronology page draws them in
// its overview, and they change only with an edit.
type erasCache struct {
	mu      sync.Mutex
	store   *timeline.Store
	version int64
	eras    []timeline.Era
}

// erasAt returns the eras of the chronology ctx reads at version, read
// once per version. Callers must not modify the slice.
func (s *Server) erasAt(ctx context.Context, version int64) ([]timeline.Era, error) {
	st := s.st(ctx)
	c := &s.erasKept
	c.mu.Lock()
	if c.store == st && c.version == version && c.eras != nil {
		eras := c.eras
		c.mu.Unlock()
		return eras, nil
	}
	c.mu.Unlock()
	eras, err := st.ListEras(ctx)
	if err != nil {
		return nil, err
	}
	if eras == nil {
		eras = []timeline.Era{}
	}
	c.mu.Lock()
	c.store, c.version, c.eras = st, version, eras
	c.mu.Unlock()
	return eras, nil
}

// facetTimeout bounds the counts beside a list.
const facetTimeout = 1500 * time.Millisecond

// chronology builds the model of a chronology page (the index, an actor's
// or a tag's page) and the status to answer with: 400 when a filter is
// bad, 503 when the query ran out of time.
func (s *Server) chronology(c echo.Context, m views.Chronology) (views.Chronology, int, error) {
	ctx := c.Request().Context()
	q, err := s.readListQuery(c, m.Fixed)
	if err != nil {
		return m, 0, err
	}
	m.Filter, m.Input, m.Problems, m.Sort = q.filter, q.input, q.problems, q.page.Sort
	m.Terms = s.store.HighlightTerms(q.filter.Query)
	if len(m.Problems) > 0 {
		for _, c := range timeline.Categories {
			m.Facets.Categories = append(m.Facets.Categories, timeline.Count{Value: string(c), Label: c.Label()})
		}
		return m, http.StatusBadRequest, nil
	}
	qctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	// The cards show each event's actors and sources, not its tags or
	// related events: those are not read.
	pr := q.page
	pr.Cards = true
	// The cards come from the cache of the data version read here where
	// they can (views.ListedCard), and their events' actors and sources
	// are then not read. (A write between this and the list can at worst
	// show this one page a card as it was a moment before.)
	version, err := s.st(ctx).DataVersion(ctx)
	if err != nil {
		return m, 0, err
	}
	if s.cards != nil && views.AsOfFrom(ctx) == nil {
		cards := s.cardsAt(version, localizer(c))
		pr.Bare = cards.bare(q.page.Sort == timeline.SortRelevance)
		c.SetRequest(c.Request().WithContext(views.WithCardCache(ctx, cards)))
	}
	if m.Page, err = s.st(qctx).ListEvents(qctx, q.filter, pr); err != nil {
		return s.slowOrFail(m, err)
	}
	// Counting every match of a very common word can take longer than
	// listing a page of them: then the page lists without counts rather
	// than failing.
	fctx, fcancel := context.WithTimeout(ctx, min(s.cfg.QueryTimeout, facetTimeout))
	defer fcancel()
	if m.Facets, err = s.facetsAt(fctx, version, q.filter); errors.Is(err, context.DeadlineExceeded) || errors.Is(err, timeline.ErrTooBroad) {
		m.Uncounted = true
		m.Facets = timeline.Facets{}
		for _, c := range timeline.Categories {
			m.Facets.Categories = append(m.Facets.Categories, timeline.Count{Value: string(c), Label: c.Label(), N: -1})
		}
	} else if err != nil {
		return s.slowOrFail(m, err)
	}
	eras, err := s.erasAt(ctx, version)
	if err != nil {
		return m, 0, err
	}
	m.Overview = views.NewOverview(localizer(c), m.Base, q.filter, m.Fixed, m.Facets.Years, eras)
	if m.Era.Slug != "" {
		// An era's page draws its events with the timeline component over
		// the era's range (or the part of it the query keeps), its links
		// leading to /timeline.
		in, err := s.timelineInput(ctx, TimelineRequest{Base: "/timeline", Filter: q.filter, Width: views.EraTimelineWidth})
		switch {
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, timeline.ErrTooBroad):
			// The list is there; the drawing is left out.
		case err != nil:
			return m, 0, err
		default:
			t := views.NewTimeline(in)
			in.Width = views.EraTimelineNarrowWidth
			n := views.NewTimeline(in)
			m.Drawing, m.Narrow = &t, &n
		}
	}
	m.Head.Canonical = m.URL(q.filter)
	m.Head.Title = m.ViewTitle(localizer(c))
	m.Exports = exportLinks(localizer(c), m.Filter)
	desc := m.Lead
	if desc == "" {
		desc = m.Head.Description
	}
	if desc == "" {
		desc = localizer(c).T("home.description")
	}
	m.Head.JSONLD = datasetJSONLD(s.cfg.BaseURL, export.DatasetName+": "+m.Head.Title, desc, s.cfg.BaseURL+m.URL(q.filter), q.filter)
	return m, http.StatusOK, nil
}

func (s *Server) slowOrFail(m views.Chronology, err error) (views.Chronology, int, error) {
	if errors.Is(err, context.DeadlineExceeded) {
		m.Timeout = true
		for _, c := range timeline.Categories {
			m.Facets.Categories = append(m.Facets.Categories, timeline.Count{Value: string(c), Label: c.Label()})
		}
		return m, http.StatusServiceUnavailable, nil
	}
	var ve *timeline.ValidationError
	if errors.As(err, &ve) { // a bad cursor
		m.Problems = ve.Problems
		return m, http.StatusBadRequest, nil
	}
	return m, 0, err
}

// renderChronology answers with the whole page, or with only the part that
// changes when htmx asks for it. Either way the answer varies on HX-Request.
func (s *Server) renderChronology(c echo.Context, m views.Chronology) error {
	m.Head.Scripts = append(m.Head.Scripts, "browse.js")
	m, status, err := s.chronology(c, m)
	if err != nil {
		return err
	}
	c.Response().Header().Add("Vary", "HX-Request")
	if isPartial(c) {
		// htmx would push the form's raw query (empty fields and all): push
		// the view's permalink instead.
		here := m.URL(m.Filter, "cursor", m.Input.Get("cursor"), "sort", views.SortParam(m.Sort), "year", m.Input.Get("year"))
		if status == http.StatusOK {
			c.Response().Header().Set("HX-Push-Url", localizer(c).Path(here))
		} else {
			here = c.Request().URL.RequestURI()
		}
		return render(c, status, views.BrowseSwap(m, here))
	}
	return render(c, status, views.ChronologyPage(m))
}

// GET / and GET /events: the chronology, filtered by the query string.
func (s *Server) handleEventIndex(c echo.Context) error {
	l := localizer(c)
	return s.renderChronology(c, views.Chronology{
		Head:    views.Head{Title: l.T("nav.chronology"), Description: l.T("home.description")},
		Base:    "/events",
		Heading: l.T("home.heading"),
		Lead:    l.T("home.lead"),
	})
}

// GET /actors/:slug: one actor's events, with the same filters.
func (s *Server) handleActorShow(c echo.Context) error {
	slug := c.Param("slug")
	a, err := s.st(c.Request().Context()).GetActor(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	l := localizer(c)
	name := views.ActorName(l, a)
	m := views.Chronology{
		Head:        views.Head{Title: name.Text},
		Base:        views.ActorURL(a.Slug),
		Fixed:       []string{"actor=" + a.Slug},
		Heading:     name.Text,
		HeadingLang: name.Lang,
		Lead:        l.T("actor.lead", name.Text, views.KindLabel(l, a.Kind)),
	}
	if l.Lang == "en" {
		m.HeadingJA = a.NameJA
		m.Lead = fmt.Sprintf("Events in which %s took part (%s).", a.Name, a.Kind)
		if a.NameKO != "" {
			m.Lead = fmt.Sprintf("Events in which %s (%s) took part.", a.Name, a.NameKO)
		}
	}
	return s.renderChronology(c, m)
}

// GET /tags: every tag in use, with its number of events.
func (s *Server) handleTagIndex(c echo.Context) error {
	tags, err := s.st(c.Request().Context()).ListTags(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.TagsPage(views.TagsView{Head: views.Head{Title: localizer(c).T("nav.tags")}, Tags: tags}))
}

// GET /tags/:tag: the events with one tag, with the same filters.
func (s *Server) handleTagShow(c echo.Context) error {
	tag := c.Param("tag")
	if !timeline.ValidSlug(tag) {
		return echo.ErrNotFound
	}
	if err := s.st(c.Request().Context()).CheckTag(c.Request().Context(), tag); err != nil {
		return err
	}
	return s.renderChronology(c, views.Chronology{
		Head:    views.Head{Title: localizer(c).T("chip.tag", tag)},
		Base:    views.TagURL(tag),
		Fixed:   []string{"tag=" + tag},
		Heading: localizer(c).T("chip.tag", tag),
		Lead:    localizer(c).T("tag.lead", tag),
	})
}

// GET /events/:slug: one event, whole; /events/SLUG.bib, .ris and
// .csl.json: its citation.
func (s *Server) handleEventShow(c echo.Context) error {
	ctx := c.Request().Context()
	// A slug has no dot, so SLUG.bib is a citation, never a page.
	for _, f := range export.CiteFormats {
		if slug, ok := strings.CutSuffix(c.Param("slug"), f.Ext()); ok {
			return s.handleEventCitation(c, slug, f)
		}
	}
	e, err := s.st(ctx).GetEvent(ctx, c.Param("slug"))
	if a := asOfOf(ctx); a != nil && errors.Is(err, timeline.ErrNotFound) {
		return newClientError(http.StatusNotFound, fmt.Sprintf("No event %q was in the chronology as of %s (it may have been added since, or deleted before): leave as_of out to look for it now.", c.Param("slug"), export.AsOfWords(a.At)), nil)
	}
	if errors.Is(err, timeline.ErrNotFound) {
		if rerr := s.redirectRenamed(c, c.Param("slug"), ""); !errors.Is(rerr, timeline.ErrNotFound) {
			return rerr
		}
		return s.tombstone(c, c.Param("slug"))
	} else if err != nil {
		return err
	}
	l := localizer(c)
	m := views.EventView{Event: e, Notes: views.Annotate(e), Head: views.Head{Title: e.Title, Description: views.Truncate(e.Summary, 200)}}
	if l.Lang != "en" {
		// The summary is English: a description in the page's language
		// says what and when instead.
		m.Head.Title = views.EventTitle(l, e).Text
		m.Head.Description = l.T("event.description", views.EventTitle(l, e).Text, views.EventDate(l, e))
	}
	_, m.Editor = currentUser(c)
	if m.Backlinks, err = s.st(ctx).Backlinks(ctx, e.Slug); err != nil {
		return err
	}
	if m.Prev, m.Next, err = s.st(ctx).Neighbours(ctx, e); err != nil {
		return err
	}
	eras, err := s.st(ctx).ListEras(ctx)
	if err != nil {
		return err
	}
	m.Eras = erasOf(eras, e)
	if m.Checks, err = s.store.Checks(ctx, e.Slug); err != nil {
		return err
	}
	if len(e.Related) > 0 || len(m.Backlinks) > 0 {
		if m.Thread, err = s.st(ctx).Thread(ctx, e.Slug, threadDepth, threadMax); err != nil {
			return err
		}
	}
	for i, a := range e.Actors {
		if i == 6 {
			break
		}
		f := timeline.Filter{Actors: []string{a.Slug}}
		around, err := s.st(ctx).EventsAround(ctx, f, e, 2, 3)
		if err != nil {
			return err
		}
		if len(around) > 0 {
			n, err := s.st(ctx).Count(ctx, f)
			if err != nil {
				return err
			}
			m.Others = append(m.Others, views.ActorEvents{Actor: a, Events: around, More: n-1 > len(around)})
		}
	}
	if m.Context, err = s.eventContext(ctx, e); err != nil {
		return err
	}
	// The citation names the moment it cites, and its address carries
	// it, so that the cited URL keeps showing this version.
	cm := export.Meta{BaseURL: s.cfg.BaseURL, Generated: s.cfg.Now().UTC()}
	cm.AsOf = eventCiteTime(ctx, e)
	m.Permalink = s.baseURL(c) + views.EventURL(e.Slug)
	if a := asOfOf(ctx); a != nil {
		m.Permalink = cm.Permalink(e.Slug)
		if err := s.noteEventSince(ctx, e); err != nil {
			return err
		}
	}
	m.Head.Canonical = m.Permalink
	retrieved := l.Date(timeline.DateOf(s.cfg.Now()))
	if cm.AsOf.IsZero() {
		m.Citation = l.T("event.citation", views.EventTitle(l, e).Text, views.EventDate(l, e), l.T("site.name"), e.Version,
			l.Abs(l.Path(views.EventURL(e.Slug))), retrieved, export.LicenseName)
	} else {
		m.Citation = l.T("event.citation_as_of", views.EventTitle(l, e).Text, views.EventDate(l, e), l.T("site.name"), e.Version,
			l.Moment(cm.AsOf), l.Abs(l.Path(views.EventURL(e.Slug)))+"?"+url.Values{"as_of": {timeline.FormatAsOf(cm.AsOf)}}.Encode(), retrieved, export.LicenseName)
	}
	m.Chicago, m.APA = export.Chicago(e, cm), export.APA(e, cm)
	for _, f := range export.CiteFormats {
		m.CiteLinks = append(m.CiteLinks, views.Link{Href: views.EventURL(e.Slug) + f.Ext(), Text: f.Label()})
	}
	m.Head.Meta = eventMetaTags(e, cm.Permalink(e.Slug))
	m.Head.Scripts = append(m.Head.Scripts, "copy.js")
	m.Head.JSONLD = eventJSONLD(e, m.Permalink, s.cfg.BaseURL)
	return render(c, http.StatusOK, views.EventPage(m))
}

// redirectRenamed answers a slug that the event has left (it was renamed)
// with a permanent redirect to its new address, suffix (".bib") and query
// kept, so that cited permalinks keep working. It returns ErrNotFound when
// slug was never renamed.
func (s *Server) redirectRenamed(c echo.Context, slug, suffix string) error {
	to, err := s.st(c.Request().Context()).RedirectOf(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	target := views.EventURL(to) + suffix
	if q := c.Request().URL.RawQuery; q != "" {
		target += "?" + q
	}
	return redirect(c, http.StatusMovedPermanently, target)
}

// tombstone answers for a deleted event: 410 Gone, with its last title,
// the day of its deletion and a link to its history (a restore button for
// editors). An event that never was is a plain 404.
func (s *Server) tombstone(c echo.Context, slug string) error {
	e, err := s.st(c.Request().Context()).GetEventAny(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	if e.DeletedAt == nil {
		return echo.ErrNotFound // deleted and restored in between: no tombstone
	}
	m := views.TombstoneView{Head: views.Head{Title: localizer(c).T("tomb.title", e.Title)}, Slug: e.Slug, Title: e.Title,
		DeletedAt: *e.DeletedAt, From: e.Version - 1, Current: e.Version}
	_, m.Editor = currentUser(c)
	return render(c, http.StatusGone, views.TombstonePage(m))
}

// baseURL is the site's configured address (Config.BaseURL), the one
// source of every absolute URL: never the request's Host or forwarded
// headers, which anyone can forge and which the page cache would keep for
// every later reader.
func (s *Server) baseURL(echo.Context) string { return s.cfg.BaseURL }

// GET /actors: every actor, grouped by kind.
func (s *Server) handleActorIndex(c echo.Context) error {
	actors, err := s.st(c.Request().Context()).ListActors(c.Request().Context())
	if err != nil {
		return err
	}
	m := views.ActorsView{Head: views.Head{Title: localizer(c).T("nav.actors")}}
	for _, kind := range timeline.ActorKinds {
		g := views.ActorGroup{Kind: kind}
		for _, a := range actors {
			if a.Kind == kind {
				g.Actors = append(g.Actors, a)
			}
		}
		if len(g.Actors) > 0 {
			m.Groups = append(m.Groups, g)
		}
	}
	return render(c, http.StatusOK, views.ActorsPage(m))
}

// GET /about: what the chronology is and how to read it.
func (s *Server) handleAbout(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := s.st(ctx).Count(ctx, timeline.Filter{})
	if err != nil {
		return err
	}
	actors, err := s.st(ctx).ListActors(ctx)
	if err != nil {
		return err
	}
	eras, err := s.st(ctx).ListEras(ctx)
	if err != nil {
		return err
	}
	checks, err := s.store.CheckSummary(ctx)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AboutPage(views.AboutView{Head: views.Head{Title: localizer(c).T("nav.about")}, Events: n, Actors: len(actors), Eras: eras, Checks: checks}))
}
