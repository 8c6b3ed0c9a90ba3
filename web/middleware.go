package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"
)

// requestIDPattern is what an incoming X-Request-ID must look like to be
// kept (a proxy's ID); anything else is replaced.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestLog gives every request an ID (X-Request-ID) and logs it once it
// is answered, with its status, size and latency. Errors are rendered here,
// so the status logged is the one sent.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		id := c.Request().Header.Get("X-Request-ID")
		if !requestIDPattern.MatchString(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Response().Header().Set("X-Request-ID", id)
		if err := next(c); err != nil {
			c.Error(err)
		}
		res := c.Response()
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(c.Request().Context(), level, "request",
			slog.String("id", id),
			slog.String("method", c.Request().Method),
			slog.String("uri", c.Request().RequestURI),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("latency", time.Since(start)),
			slog.String("remote", c.RealIP()),
		)
		return nil
	}
}

// compressible lists the content types worth compressing.
var compressible = []string{"text/", "application/json", "image/svg+xml", "application/atom+xml", "application/javascript"}

func isCompressible(contentType string) bool {
	for _, p := range compressible {
		if strings.HasPrefix(contentType, p) {
			return true
		}
	}
	return false
}

// negotiateEncoding picks brotli, then gzip, from Accept-Encoding.
func negotiateEncoding(accept string) string {
	var gz bool
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") && !strings.Contains(params, "q=0.") {
			continue
		}
		switch strings.TrimSpace(name) {
		case "br":
			return "br"
		case "gzip":
			gz = true
		}
	}
	if gz {
		return "gzip"
	}
	return ""
}

// Compression levels are chosen for pages rendered per request: gzip 3 and
// brotli 1 take about 1.4 ms for a 150 KB chronology page and make it about
// 35 KB (brotli 4 took 4.5 ms to save another 4 KB).
var (
	gzipPool   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, 3); return w }}
	brotliPool = sync.Pool{New: func() any { return brotli.NewWriterLevel(io.Discard, 1) }}
)

// compressWriter compresses the body when the response's type is worth it,
// deciding when the header is written. It flushes through, so streamed
// exports stay streamed.
type compressWriter struct {
	http.ResponseWriter
	enc     string
	decided bool
	gz      *gzip.Writer
	br      *brotli.Writer
}

func (w *compressWriter) WriteHeader(code int) {
	if !w.decided {
		w.decided = true
		h := w.Header()
		if code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified &&
			h.Get("Content-Encoding") == "" && isCompressible(h.Get("Content-Type")) {
			h.Add("Vary", "Accept-Encoding")
			switch w.enc {
			case "br":
				w.br = brotliPool.Get().(*brotli.Writer)
				w.br.Reset(w.ResponseWriter)
			case "gzip":
				w.gz = gzipPool.Get().(*gzip.Writer)
				w.gz.Reset(w.ResponseWriter)
			}
			if w.enc != "" {
				h.Del("Content-Length")
				h.Set("Content-Encoding", w.enc)
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *compressWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	switch {
	case w.br != nil:
		return w.br.Write(b)
	case w.gz != nil:
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what is compressed so far to the client.
func (w *compressWriter) Flush() {
	switch {
	case w.br != nil:
		w.br.Flush()
	case w.gz != nil:
		w.gz.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection (write deadlines).
func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *compressWriter) close() error {
	var err error
	switch {
	case w.br != nil:
		err = w.br.Close()
		w.br.Reset(io.Discard)
		brotliPool.Put(w.br)
	case w.gz != nil:
		err = w.gz.Close()
		w.gz.Reset(io.Discard)
		gzipPool.Put(w.gz)
	}
	w.br, w.gz = nil, nil
	return err
}

// compress compresses responses with brotli or gzip, as the client accepts.
func compress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		cw := &compressWriter{ResponseWriter: res.Writer, enc: negotiateEncoding(c.Request().Header.Get("Accept-Encoding"))}
		res.Writer = cw
		err := next(c)
		res.Writer = cw.ResponseWriter
		if cerr := cw.close(); err == nil && cerr != nil && !errors.Is(cerr, http.ErrHandlerTimeout) {
			err = cerr
		}
		return err
	}
}

// Cache lifetimes of public responses: short, so that a correction shows
// within a minute, and revalidated cheaply with ETag and Last-Modified.
const (
	publicCacheControl = "public, max-age=60, stale-while-revalidate=600"
	pageCacheBytes     = 16 << 20 // the most the in-memory page cache holds
	pageCacheEntryMax  = 2 << 20  // the largest page it keeps
)

// conditional reports whether a public GET to path gets validators and
// 304s: not editors' pages (editorPage), not assets and probes, which have
// their own.
func conditional(path string) bool {
	if editorPage(path) {
		return false
	}
	for _, p := range []string{"/static/", "/files/", "/healthz", "/readyz", "/api/v1/openapi.json"} {
		if strings.HasPrefix(path, p) {
			return false
		}
	}
	return true
}

// memoized reports whether a public page is kept in the page cache:
// everything conditional but the streamed exports.
func memoized(path string) bool {
	return conditional(path) && !strings.HasPrefix(path, "/events.")
}

// httpCache serves public GET requests with validators (a weak ETag made
// of the data version, the day and the representation; Last-Modified from
// the last write), answers matching conditional requests with 304, and
// keeps rendered public pages in memory, keyed by URL and data version, so
// that a spike of identical requests renders once. Signed-in users'
// responses are never cached or shared.
func (s *Server) httpCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		path := req.URL.Path
		if (req.Method != http.MethodGet && req.Method != http.MethodHead) || !conditional(path) {
			return next(c)
		}
		if _, signedIn := currentUser(c); signedIn {
			return next(c)
		}
		version, modified, err := s.store.DataStamp(req.Context())
		if err != nil {
			return next(c)
		}
		variant := "f"
		if isPartial(c) {
			variant = "p"
		}
		enc := negotiateEncoding(req.Header.Get("Accept-Encoding"))
		etag := fmt.Sprintf(`W/"%d-%s-%s%s"`, version, s.cfg.Now().UTC().Format("20060102"), variant, enc)
		h := c.Response().Header()
		h.Set("ETag", etag)
		h.Set("Last-Modified", modified.Format(http.TimeFormat))
		h.Set("Cache-Control", publicCacheControl)
		if notModified(req, etag, modified) {
			return c.NoContent(http.StatusNotModified)
		}
		if !memoized(path) || req.Method == http.MethodHead {
			return next(c)
		}
		key := etag + " " + req.URL.RequestURI()
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
	body   bytes.Buffer
}

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
	rec := &recorder{header: http.Header{}}
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
	return &pageEntry{status: rec.status, header: rec.header, body: rec.body.Bytes()}, nil
}

// versionedLRU is a cost-bounded LRU of values computed for one data
// version; a newer version empties it, so nothing stale is ever served.
type versionedLRU[V any] struct {
	mu      sync.Mutex
	limit   int
	cost    func(key string, v V) int
	version int64
	used    int
	order   *list.List // front: most recently used
	entries map[string]*list.Element
}

type lruItem[V any] struct {
	key string
	val V
}

func newVersionedLRU[V any](limit int, cost func(string, V) int) *versionedLRU[V] {
	return &versionedLRU[V]{limit: limit, cost: cost, order: list.New(), entries: map[string]*list.Element{}}
}

func (p *versionedLRU[V]) get(version int64, key string) (V, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var zero V
	if version != p.version {
		return zero, false
	}
	el, ok := p.entries[key]
	if !ok {
		return zero, false
	}
	p.order.MoveToFront(el)
	return el.Value.(*lruItem[V]).val, true
}

func (p *versionedLRU[V]) put(version int64, key string, v V) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if version < p.version {
		return
	}
	if version > p.version {
		p.version, p.used = version, 0
		p.order.Init()
		clear(p.entries)
	}
	if _, ok := p.entries[key]; ok {
		return
	}
	p.entries[key] = p.order.PushFront(&lruItem[V]{key: key, val: v})
	p.used += p.cost(key, v)
	for p.used > p.limit && p.order.Len() > 0 {
		old := p.order.Remove(p.order.Back()).(*lruItem[V])
		delete(p.entries, old.key)
		p.used -= p.cost(old.key, old.val)
	}
}

// newPageCache holds rendered public pages, up to pageCacheBytes.
func newPageCache() *versionedLRU[*pageEntry] {
	return newVersionedLRU(pageCacheBytes, func(key string, e *pageEntry) int { return len(key) + len(e.body) })
}
