package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
)

// Cache lifetimes of public responses: short, so that a correction shows
// within a minute, and revalidated cheaply with ETag and Last-Modified.
const (
	publicCacheControl = "public, max-age=60, stale-while-revalidate=600"
	pageCacheBytes     = 8 << 20 // the most the in-memory page cache holds (the caches share a 64 MiB heap)
	pageCacheEntryMax  = 2 << 20 // the largest page it keeps
)

// Whether httpCache keeps rendered pages in memory.
const (
	keepPages = true  // pages and API reads
	streamed  = false // exports: written as they are read, never kept
)

// httpCache gives public GET and HEAD responses validators (a weak ETag
// made of the data version, the day and the representation; Last-Modified
// from the last write) and a short public cache lifetime, and answers
// matching conditional requests with 304. With keep it also keeps rendered
// pages in memory, keyed by URL and data version, so that a spike of
// identical requests renders once. A signed-in user's responses get none of
// this: they are private (loadSession).
func (s *Server) httpCache(keep bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.Method != http.MethodGet && req.Method != http.MethodHead {
				return next(c)
			}
			if _, signedIn := currentUser(c); signedIn {
				return next(c)
			}
			version, modified, err := s.store.DataStamp(req.Context())
			if err != nil {
				return next(c)
			}
			// The request's reads take this as their data version.
			req = req.WithContext(timeline.ReadingAt(req.Context(), s.store, version, modified))
			c.SetRequest(req)
			variant := "f"
			if isPartial(c) {
				variant = "p"
			}
			enc := negotiateEncoding(req.Header.Get("Accept-Encoding"))
			// The language is part of the representation: /ja/events and
			// /events share a route and a RequestURI, not a page.
			etag := fmt.Sprintf(`W/"%d-%s-%s%s-%s"`, version, s.cfg.Now().UTC().Format("20060102"), variant, enc, localizer(c).Lang)
			h := c.Response().Header()
			h.Set("ETag", etag)
			h.Set("Last-Modified", modified.Format(http.TimeFormat))
			h.Set("Cache-Control", publicCacheControl)
			if notModified(req, etag, modified) {
				return c.NoContent(http.StatusNotModified)
			}
			if !keep || req.Method != http.MethodGet {
				return next(c)
			}
			return s.servePage(c, next, version, etag+" "+req.URL.RequestURI())
		}
	}
}

// servePage answers from the page cache, or renders the page once however
// many ask for it at the same moment and keeps it when it may be kept.
func (s *Server) servePage(c echo.Context, next echo.HandlerFunc, version int64, key string) error {
	h := c.Response().Header()
	if e, ok := s.pages.get(version, key); ok {
		h.Set("X-Cache", "hit")
		return e.writeTo(c)
	}
	h.Set("X-Cache", "miss")
	ran := false
	v, err, _ := s.flight.Do(key, func() (any, error) {
		ran = true
		return record(c, next)
	})
	if !ran { // another request rendered it
		if e, ok := v.(*pageEntry); ok && err == nil && e.cacheable() {
			return e.writeTo(c)
		}
		return next(c)
	}
	if err != nil {
		return err
	}
	e := v.(*pageEntry)
	if e.cacheable() {
		s.pages.put(version, key, e)
	}
	return e.writeTo(c)
}

// noStore marks a response as never to be stored by any cache (editors'
// pages and forms).
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "private, no-store")
		return next(c)
	}
}

// notModified applies RFC 9110's rules: If-None-Match wins over
// If-Modified-Since.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil {
		return !modified.Truncate(time.Second).After(ims)
	}
	return false
}

// pageEntry is a recorded response.
type pageEntry struct {
	status int
	header http.Header
	body   []byte
}

func (e *pageEntry) cacheable() bool {
	ct := e.header.Get("Content-Type")
	return e.status == http.StatusOK && len(e.body) <= pageCacheEntryMax && e.header.Get("Set-Cookie") == "" &&
		!strings.Contains(e.header.Get("Cache-Control"), "no-store") &&
		(strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "image/svg+xml") || strings.HasPrefix(ct, "application/atom+xml"))
}

func (e *pageEntry) writeTo(c echo.Context) error {
	h := c.Response().Header()
	for k, vs := range e.header {
		if k == "Vary" {
			for _, v := range vs {
				h.Add(k, v)
			}
			continue
		}
		h[k] = vs
	}
	c.Response().WriteHeader(e.status)
	_, err := c.Response().Write(e.body)
	return err
}

// recorder keeps what a handler writes.
type recorder struct {
	header http.Header
	status int
	body   *bytes.Buffer
}

// recordBuffers keeps the buffers responses are recorded into: a page's
// entry takes a copy of its exact size, so that neither the doubling of a
// new buffer nor its unused capacity (up to half of it, kept with the page
// in the cache) costs the collector.
var recordBuffers = make(bufferList, 8)

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) Flush() {}

// record runs the handler into a recorder. The response's own headers
// (set by earlier middleware) stay where they are; the entry holds only
// what the handler added. An error is returned as it is, for the error
// handler; nothing is recorded then.
func record(c echo.Context, next echo.HandlerFunc) (*pageEntry, error) {
	res := c.Response()
	real := res.Writer
	rec := &recorder{header: http.Header{}, body: recordBuffers.get()}
	defer recordBuffers.put(rec.body)
	for _, k := range []string{"ETag", "Last-Modified", "Cache-Control"} {
		rec.header[k] = real.Header()[k]
	}
	res.Writer = rec
	err := next(c)
	res.Writer = real
	// The handler's writes went to the recorder: let the real response be
	// written again.
	res.Committed, res.Size = false, 0
	if err != nil {
		return nil, err
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &pageEntry{status: rec.status, header: rec.header, body: bytes.Clone(rec.body.Bytes())}, nil
}

// newPageCache holds rendered public pages, up to pageCacheBytes.
func newPageCache() *versionedLRU[*pageEntry] {
	return newVersionedLRU(pageCacheBytes, func(key string, e *pageEntry) int { return len(key) + len(e.body) })
}
