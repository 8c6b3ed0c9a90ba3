package web

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// openAPIDoc describes the JSON API; a test checks that it and the routes
// agree.
//
//go:embed openapi.json
var openAPIDoc []byte

// APIMaxLimit is the largest page the API gives.
const APIMaxLimit = 500

// readAPIFilter reads the filter parameters (timeline.ResolveFilter);
// problems are a 400 naming each parameter.
func (s *Server) readAPIFilter(c echo.Context) (timeline.Filter, error) {
	return s.st(c.Request().Context()).ResolveFilter(c.Request().Context(), c.QueryParams())
}

// readLimit reads the limit parameter: 1 to max, def when absent.
func readLimit(c echo.Context, def, max int) (int, error) {
	s := c.QueryParam("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		msg := fmt.Sprintf("must be a whole number from 1 to %d", max)
		return 0, newClientError(http.StatusBadRequest, "limit "+msg, map[string]string{"limit": msg})
	}
	return n, nil
}

// apiEventPage is the answer of GET /api/v1/events.
type apiEventPage struct {
	Events     []timeline.Event `json:"events"`
	NextCursor *string          `json:"next_cursor"`
	Total      int              `json:"total"`
}

// GET /api/v1/events: one page of the events a filter selects, in
// chronological order (or by relevance with sort=relevance and q).
func (s *Server) handleAPIEvents(c echo.Context) error {
	f, err := s.readAPIFilter(c)
	if err != nil {
		return err
	}
	limit, err := readLimit(c, 50, APIMaxLimit)
	if err != nil {
		return err
	}
	pr := timeline.PageRequest{Limit: limit, Cursor: c.QueryParam("cursor"), Sort: timeline.SortDate}
	switch sort := c.QueryParam("sort"); sort {
	case "", timeline.SortDate:
	case timeline.SortRelevance:
		pr.Sort = sort
	default:
		return newClientError(http.StatusBadRequest, "sort must be date or relevance", map[string]string{"sort": "must be date or relevance"})
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.QueryTimeout)
	defer cancel()
	page, err := s.st(ctx).ListEvents(ctx, f, pr)
	if err != nil {
		return err
	}
	out := apiEventPage{Events: page.Events}
	if out.Events == nil {
		out.Events = []timeline.Event{}
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	if out.Total, err = s.st(ctx).Count(ctx, f); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// GET /api/v1/events/:slug: one event, whole.
func (s *Server) handleAPIEvent(c echo.Context) error {
	e, err := s.st(c.Request().Context()).GetEvent(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

// GET /api/v1/actors: every actor with its number of events.
func (s *Server) handleAPIActors(c echo.Context) error {
	actors, err := s.st(c.Request().Context()).ListActors(c.Request().Context())
	if err != nil {
		return err
	}
	if actors == nil {
		actors = []timeline.ActorSummary{}
	}
	return c.JSON(http.StatusOK, map[string]any{"actors": actors})
}

// GET /api/v1/actors/:slug: one actor with its number of events.
func (s *Server) handleAPIActor(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.st(ctx).GetActor(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	n, err := s.st(ctx).Count(ctx, timeline.Filter{Actors: []string{a.Slug}})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, timeline.ActorSummary{Actor: a, Events: n})
}

// GET /api/v1/eras: the named periods, in time order.
func (s *Server) handleAPIEras(c echo.Context) error {
	eras, err := s.st(c.Request().Context()).ListEras(c.Request().Context())
	if err != nil {
		return err
	}
	if eras == nil {
		eras = []timeline.Era{}
	}
	return c.JSON(http.StatusOK, map[string]any{"eras": eras})
}

type apiCount struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type apiYear struct {
	Year       int            `json:"year"`
	Total      int            `json:"total"`
	ByCategory map[string]int `json:"by_category"`
}

type apiFacets struct {
	Total      int        `json:"total"`
	Categories []apiCount `json:"categories"`
	Years      []apiYear  `json:"years"`
	Actors     []apiCount `json:"actors"`
	Tags       []apiCount `json:"tags"`
}

func apiCounts(in []timeline.Count) []apiCount {
	out := make([]apiCount, len(in))
	for i, c := range in {
		out[i] = apiCount{Value: c.Value, Label: c.Label, Count: c.N}
	}
	return out
}

// GET /api/v1/facets: counts for a filter, per category, year, actor and tag.
func (s *Server) handleAPIFacets(c echo.Context) error {
	f, err := s.readAPIFilter(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.QueryTimeout)
	defer cancel()
	fac, err := s.facetsFor(ctx, f)
	if err != nil {
		return err
	}
	out := apiFacets{Total: fac.Total, Categories: apiCounts(fac.Categories), Actors: apiCounts(fac.Actors), Tags: apiCounts(fac.Tags), Years: []apiYear{}}
	for _, y := range fac.Years {
		by := map[string]int{}
		for cat, n := range y.ByCategory {
			by[string(cat)] = n
		}
		out.Years = append(out.Years, apiYear{Year: y.Year, Total: y.Total, ByCategory: by})
	}
	return c.JSON(http.StatusOK, out)
}

// GET /api/v1/changes: creations, updates, deletions and restores since a
// time, oldest first, for mirrors.
func (s *Server) handleAPIChanges(c echo.Context) error {
	var since time.Time
	if v := c.QueryParam("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			msg := "must be an RFC 3339 time such as 2026-01-02T15:04:05Z"
			return newClientError(http.StatusBadRequest, "since "+msg, map[string]string{"since": msg})
		}
		since = t
	}
	limit, err := readLimit(c, 100, timeline.MaxChangesLimit)
	if err != nil {
		return err
	}
	page, err := s.store.Changes(c.Request().Context(), since, c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	out := struct {
		Changes    []timeline.ChangeRecord `json:"changes"`
		NextCursor *string                 `json:"next_cursor"`
	}{Changes: page.Changes}
	if out.Changes == nil {
		out.Changes = []timeline.ChangeRecord{}
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	return c.JSON(http.StatusOK, out)
}

// decodeEvent reads an event from a JSON request body, refusing unknown
// keys; a malformed body is a 400, an over-long one a 413.
func decodeEvent(c echo.Context) (timeline.Event, error) {
	var e timeline.Event
	if ct := c.Request().Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return e, newClientError(http.StatusUnsupportedMediaType, "send the event as application/json", nil)
	}
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return e, err // a 413 from the body limit, or a broken connection
	}
	// encoding/json would replace invalid UTF-8 and lone surrogates with
	// U+FFFD: refuse them instead, so that what is stored is what was sent.
	if !utf8.Valid(b) {
		return e, newClientError(http.StatusBadRequest, "the body is not valid UTF-8", map[string]string{"body": "must be valid UTF-8"})
	}
	if loneSurrogate(b) {
		return e, newClientError(http.StatusBadRequest, "the body escapes a lone UTF-16 surrogate (\\uD800–\\uDFFF without its pair)", map[string]string{"body": "must not escape a lone surrogate"})
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return e, newClientError(http.StatusBadRequest, "the body is not an event in the event JSON shape: "+err.Error(), nil)
	}
	if dec.More() {
		return e, newClientError(http.StatusBadRequest, "the body holds more than one JSON value", nil)
	}
	return e, nil
}

// loneSurrogate reports whether the JSON text b has a \\u escape of a
// UTF-16 surrogate that is not part of a high–low pair.
func loneSurrogate(b []byte) bool {
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
		return rune(n), err == nil
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := hex4(i)
		if !ok {
			i++ // an escaped character such as \\ or \"
			continue
		}
		switch {
		case r >= 0xD800 && r < 0xDC00:
			if lo, ok := hex4(i + 6); !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 11
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		default:
			i += 5
		}
	}
	return false
}

// apiChange is the revision record of an API write: its author is the
// token's user.
func apiChange(c echo.Context, summary string) timeline.Change {
	u, _ := currentUser(c)
	return timeline.Change{Author: u.Name, Summary: summary}
}

// writeFailed maps a store write error: invalid content is a 422.
func writeFailed(err error) error {
	var ve *timeline.ValidationError
	if errors.As(err, &ve) {
		return invalid(http.StatusUnprocessableEntity, ve)
	}
	return err
}

// POST /api/v1/events: create an event (201, with its Location).
func (s *Server) handleAPIEventCreate(c echo.Context) error {
	e, err := decodeEvent(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.store.CreateEvent(ctx, &e, apiChange(c, "created through the API")); err != nil {
		return writeFailed(err)
	}
	saved, err := s.store.GetEvent(ctx, e.Slug)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/v1/events/"+saved.Slug)
	return c.JSON(http.StatusCreated, saved)
}

// PUT /api/v1/events/:slug: replace an event; the body's version must be
// the stored one (409 otherwise).
func (s *Server) handleAPIEventUpdate(c echo.Context) error {
	e, err := decodeEvent(c)
	if err != nil {
		return err
	}
	if e.Version <= 0 {
		return newClientError(http.StatusUnprocessableEntity, "version is required: send the version you read, so that no one else's change is overwritten",
			map[string]string{"version": "is required: the version you read"})
	}
	ctx := c.Request().Context()
	slug := c.Param("slug")
	if err := s.store.UpdateEvent(ctx, slug, &e, apiChange(c, "updated through the API")); err != nil {
		return writeFailed(err)
	}
	saved, err := s.store.GetEvent(ctx, slug)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, saved)
}

// DELETE /api/v1/events/:slug?version=N: delete an event at version N
// (409 when it has changed since).
func (s *Server) handleAPIEventDelete(c echo.Context) error {
	v, err := strconv.Atoi(c.QueryParam("version"))
	if err != nil || v < 1 {
		return newClientError(http.StatusBadRequest, "version is required: the version you read, as ?version=N",
			map[string]string{"version": "is required: a whole number, the version you read"})
	}
	if err := s.store.DeleteEvent(c.Request().Context(), c.Param("slug"), v, apiChange(c, "deleted through the API")); err != nil {
		return writeFailed(err)
	}
	return c.NoContent(http.StatusNoContent)
}

// GET /api/v1/openapi.json: the API's OpenAPI 3 description.
func (s *Server) handleOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/json", openAPIDoc)
}

// GET /api: the API described for people.
func (s *Server) handleAPIDoc(c echo.Context) error {
	return render(c, http.StatusOK, views.APIPage(views.APIView{Head: views.Head{Title: localizer(c).T("api.heading")}, BaseURL: s.baseURL(c)}))
}
