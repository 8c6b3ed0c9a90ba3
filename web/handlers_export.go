package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// exportFlushEvery is how many events go out between flushes of a
// streamed export, so that the first bytes leave at once and the client
// sees steady progress.
const exportFlushEvery = 250

// exportChunkDeadline is how long one chunk of an export may take to send.
const exportChunkDeadline = 30 * time.Second

// exportLinks lists the downloads of the view that f selects, one per
// format, then its citations and its sources' bibliography, with the same
// filter.
func exportLinks(l *locales.Localizer, f timeline.Filter) []views.Link {
	q := f.Values().Encode()
	out := make([]views.Link, len(export.Formats))
	for i, fm := range export.Formats {
		href := "/events" + fm.Ext()
		if q != "" {
			href += "?" + q
		}
		out[i] = views.Link{Href: href, Text: fm.Label()}
		if fm == export.CSV {
			out[i].Text = l.T("export.csv")
		}
	}
	if q != "" {
		q = "?" + q
	}
	for _, fm := range export.CiteFormats {
		out = append(out, views.Link{Href: "/events" + fm.Ext() + q, Text: l.T("export.citations", fm.Label())})
	}
	for _, fm := range export.CiteFormats {
		out = append(out, views.Link{Href: "/sources" + fm.Ext() + q, Text: l.T("export.sources", fm.Label())})
	}
	return out
}

// exportMeta describes the export of the view f selects, made now.
func (s *Server) exportMeta(ctx context.Context, f timeline.Filter) (export.Meta, error) {
	m := export.Meta{Filter: f, Generated: s.cfg.Now().UTC(), BaseURL: s.cfg.BaseURL}
	if a := asOfOf(ctx); a != nil {
		m.AsOf = a.At
	}
	var err error
	// The data version is the server's: a past chronology has none of its
	// own, and its moment (AsOf) says which it is.
	if m.Version, err = s.store.DataVersion(ctx); err != nil {
		return m, err
	}
	if m.Count, err = s.st(ctx).Count(ctx, f); err != nil {
		return m, err
	}
	if m.Eras, err = s.st(ctx).ListEras(ctx); err != nil {
		return m, err
	}
	return m, nil
}

// asciiHeader keeps a header value to printable ASCII (the dash of the
// dataset's name becomes a hyphen), since clients read header bytes
// beyond ASCII as Latin-1.
func asciiHeader(s string) string {
	s = strings.ReplaceAll(s, "–", "-")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}

// GET /events.csv, /events.json, /events.ics, /events.md and
// /events.timelinejs.json: the chronology a filter selects (the query
// parameters of /events) as a file, streamed event by event. A bad
// parameter is a plain-text 400 naming it. The CSV's citation travels in
// the X-Citation header (CSV has no place for it); every format sends it.
func (s *Server) handleExport(f export.Format) echo.HandlerFunc {
	return s.streamExport(f.ContentType(), false, f.Slim(), func(flt timeline.Filter) string { return export.FileName(flt, f) }, f.Write)
}

// GET /events.bib, /events.ris and /events.csl.json: a citation of every
// event of the view, in BibTeX, RIS or CSL-JSON; and /sources.bib,
// /sources.ris, /sources.csl.json: every source the view's events cite,
// once. Same parameters, errors and streaming as the other exports.
func (s *Server) handleCiteExport(f export.CiteFormat, sources bool) echo.HandlerFunc {
	name := func(flt timeline.Filter) string { return export.FileNameExt(flt, f.Ext()) }
	write := func(w io.Writer, m export.Meta, evs export.Events) error {
		return export.WriteEventCitations(w, f, m, evs)
	}
	if sources {
		name = func(flt timeline.Filter) string { return export.FileNameExt(flt, "-sources"+f.Ext()) }
		write = func(w io.Writer, m export.Meta, evs export.Events) error {
			return export.WriteSourceCitations(w, f, m, evs)
		}
	}
	return s.streamExport(f.ContentType(), true, false, name, write)
}

// streamExport answers an export: the filter read as /events reads it,
// then the file written by write as the events are read, chunk by chunk.
// A citation (cite) names the moment it cites, now when no as_of was
// asked for, so that its addresses keep showing what was cited. A slim
// export reads only what a spreadsheet row shows (timeline.EachOptions).
func (s *Server) streamExport(contentType string, cite, slim bool, fileName func(timeline.Filter) string,
	write func(io.Writer, export.Meta, export.Events) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		flt, err := s.st(ctx).ResolveFilter(ctx, c.QueryParams())
		if err == nil {
			err = s.st(ctx).CheckSearch(ctx, flt)
		}
		if err != nil {
			return err // in plain text (the exports group's errorsAs)
		}
		// Counting, like every query of the export, has the query time
		// budget: too slow, and the client gets 503 before any byte.
		qctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
		m, err := s.exportMeta(qctx, flt)
		if err == nil && cite {
			m.AsOf, err = s.citeTime(qctx)
		}
		if l := localizer(c); l.Lang != "en" && err == nil {
			// The citation line in the reader's language, citing the view
			// they read.
			view := l.Path("/events")
			v := flt.Values()
			if !m.AsOf.IsZero() {
				v.Set("as_of", timeline.FormatAsOf(m.AsOf))
			}
			if q := v.Encode(); q != "" {
				view += "?" + q
			}
			retrieved := l.Date(timeline.DateOf(m.Generated.UTC()))
			m.CiteAs = l.T("export.cite_as")
			if m.AsOf.IsZero() {
				m.CiteLine = l.T("export.citation", l.T("site.name"), m.Version, l.Abs(view), retrieved, export.LicenseName, export.LicenseURL)
			} else {
				m.CiteLine = l.T("export.citation_as_of", l.T("site.name"), l.Moment(m.AsOf), l.Abs(view), retrieved, export.LicenseName, export.LicenseURL)
			}
		}
		cancel()
		if err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, contentType)
		h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": fileName(flt)}))
		english := m
		english.CiteLine = "" // headers are ASCII: the English line
		setCitationHeaders(h, english.Citation(), m.Version)
		// The server's write timeout is for pages: a long export extends its
		// deadline with every chunk instead of being cut off.
		rc := http.NewResponseController(c.Response())
		rc.SetWriteDeadline(time.Now().Add(exportChunkDeadline))
		c.Response().WriteHeader(http.StatusOK)
		bw := bufio.NewWriterSize(c.Response(), 32<<10)
		n := 0
		events := func(yield func(timeline.Event) error) error {
			// Chunk by chunk, each chunk's query within the query time
			// budget (timeline.EachOptions); the request's context ends
			// when the client goes away, and so does the export, at the
			// next event.
			o := timeline.EachOptions{Budget: s.cfg.QueryTimeout, Slim: slim}
			return s.st(ctx).EachEventWith(ctx, flt, o, func(e timeline.Event) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := yield(e); err != nil {
					return err
				}
				if n++; n%exportFlushEvery == 0 {
					if err := bw.Flush(); err != nil {
						return err
					}
					c.Response().Flush()
					rc.SetWriteDeadline(time.Now().Add(exportChunkDeadline))
				}
				return nil
			})
		}
		err = write(bw, m, events)
		if err == nil {
			err = bw.Flush()
		}
		switch {
		case err == nil:
		case ctx.Err() != nil:
			s.log.Info("export stopped: the client went away", "path", c.Request().URL.String(), "events", n)
		default:
			// The status is sent: the client sees a cut file, the log why.
			s.log.Error("export cut short", "path", c.Request().URL.String(), "events", n, "err", err)
		}
		return nil
	}
}

// setCitationHeaders sends the citation, the data version and the licence
// with a file: X-Citation (for CSV, which has no place for it),
// X-Data-Version and a Link with rel="license" (RFC 8288, RFC 4946).
func setCitationHeaders(h http.Header, citation string, version int64) {
	h.Set("X-Citation", asciiHeader(citation))
	h.Set("X-Data-Version", fmt.Sprint(version))
	h.Set("Link", "<"+export.LicenseURL+`>; rel="license"`)
}

// GET /events/{slug}.bib, .ris and .csl.json: the event's citation, with
// its permalink, version and today as the access date.
func (s *Server) handleEventCitation(c echo.Context, slug string, f export.CiteFormat) error {
	ctx := c.Request().Context()
	e, err := s.st(ctx).GetEvent(ctx, slug)
	if errors.Is(err, timeline.ErrNotFound) {
		if rerr := s.redirectRenamed(c, slug, f.Ext()); !errors.Is(rerr, timeline.ErrNotFound) {
			return rerr
		}
	}
	if err != nil {
		return err
	}
	m := export.Meta{BaseURL: s.cfg.BaseURL, Generated: s.cfg.Now().UTC(), Count: 1}
	if m.Version, err = s.store.DataVersion(ctx); err != nil {
		return err
	}
	m.AsOf = eventCiteTime(ctx, e)
	var buf bytes.Buffer
	if err := export.WriteEventCitations(&buf, f, m, export.Slice([]timeline.Event{e})); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": e.Slug + f.Ext()}))
	setCitationHeaders(h, export.Chicago(e, m).String(), m.Version)
	return c.Blob(http.StatusOK, f.ContentType(), buf.Bytes())
}

// feedSize is how many changes the Atom feed holds.
const feedSize = 50

// GET /feed.atom: the latest creations, updates, deletions and restores of
// events as an Atom feed (RFC 4287), newest first.
func (s *Server) handleFeed(c echo.Context) error {
	changes, err := s.store.RecentChanges(c.Request().Context(), feedSize)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteAtom(&buf, s.baseURL(c), views.SiteName, s.cfg.Now(), changes); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", buf.Bytes())
}
