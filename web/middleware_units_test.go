package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// Small table tests of the middlewares' pure helpers, and of single
// middlewares run on a recorder (after golink's golink_test.go).

func TestNegotiateEncoding(t *testing.T) {
	for _, tt := range []struct{ accept, want string }{
		{"", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0.5, gzip", "br"},
		{"gzip;q=0", ""},
		{"identity", ""},
		{" GZIP ", ""}, // names are matched as sent
	} {
		if got := negotiateEncoding(tt.accept); got != tt.want {
			t.Errorf("negotiateEncoding(%q): got %q, want %q", tt.accept, got, tt.want)
		}
	}
}

func TestIsCompressible(t *testing.T) {
	for _, tt := range []struct {
		contentType string
		want        bool
	}{
		{"text/html; charset=UTF-8", true},
		{"application/json", true},
		{"application/atom+xml; charset=utf-8", true},
		{"image/svg+xml", true},
		{"image/png", false},
		{"application/octet-stream", false},
		{"", false},
	} {
		if got := isCompressible(tt.contentType); got != tt.want {
			t.Errorf("isCompressible(%q): got %v, want %v", tt.contentType, got, tt.want)
		}
	}
}

func TestNotModified(t *testing.T) {
	modified := time.Date(2026, 11, 26, 12, 0, 0, 500, time.UTC)
	etag := `W/"7-20261126-fgzip"`
	for _, tt := range []struct {
		name    string
		headers map[string]string
		want    bool
	}{
		{"no validators", nil, false},
		{"same etag", map[string]string{"If-None-Match": etag}, true},
		{"strong form of the weak etag", map[string]string{"If-None-Match": `"7-20261126-fgzip"`}, true},
		{"one of several", map[string]string{"If-None-Match": `"x", ` + etag}, true},
		{"star", map[string]string{"If-None-Match": "*"}, true},
		{"other etag", map[string]string{"If-None-Match": `W/"6-20261126-fgzip"`}, false},
		{"etag wins over date", map[string]string{"If-None-Match": `"x"`, "If-Modified-Since": modified.Format(http.TimeFormat)}, false},
		{"not modified since", map[string]string{"If-Modified-Since": modified.Format(http.TimeFormat)}, true},
		{"modified since", map[string]string{"If-Modified-Since": modified.Add(-time.Hour).Format(http.TimeFormat)}, false},
		{"bad date", map[string]string{"If-Modified-Since": "yesterday"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/events", nil)
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			if got := notModified(r, etag, modified); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPageEntryCacheable(t *testing.T) {
	html := http.Header{"Content-Type": {"text/html; charset=UTF-8"}}
	for _, tt := range []struct {
		name  string
		entry pageEntry
		want  bool
	}{
		{"a page", pageEntry{status: 200, header: html, body: []byte("<p>")}, true},
		{"an error", pageEntry{status: 404, header: html}, false},
		{"too large", pageEntry{status: 200, header: html, body: make([]byte, pageCacheEntryMax+1)}, false},
		{"sets a cookie", pageEntry{status: 200, header: http.Header{"Content-Type": {"text/html"}, "Set-Cookie": {"a=b"}}}, false},
		{"no-store", pageEntry{status: 200, header: http.Header{"Content-Type": {"text/html"}, "Cache-Control": {"private, no-store"}}}, false},
		{"a CSV file", pageEntry{status: 200, header: http.Header{"Content-Type": {"text/csv"}}}, false},
	} {
		if got := tt.entry.cacheable(); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestVersionedLRU(t *testing.T) {
	lru := newVersionedLRU(10, func(_ string, v string) int { return len(v) })
	lru.put(1, "a", "12345")
	lru.put(1, "b", "12345")
	if _, ok := lru.get(1, "a"); !ok { // a is now the most recent
		t.Fatal("a: got nothing, want it kept")
	}
	lru.put(1, "c", "1")
	if _, ok := lru.get(1, "b"); ok {
		t.Error("b: got it, want it evicted as least recently used")
	}
	if _, ok := lru.get(2, "a"); ok {
		t.Error("a at a newer version: got it, want nothing")
	}
	lru.put(2, "d", "1")
	if _, ok := lru.get(2, "a"); ok {
		t.Error("a after a newer version was stored: got it, want the cache emptied")
	}
	lru.put(1, "e", "1")
	if _, ok := lru.get(1, "e"); ok {
		t.Error("e at an older version: got it, want it refused")
	}
}

// runMiddleware runs m around a handler that answers 200 "ok" on a
// recorder, and returns the recorder and the middleware's error.
func runMiddleware(m echo.MiddlewareFunc, r *http.Request) (*httptest.ResponseRecorder, error) {
	e := echo.New()
	w := httptest.NewRecorder()
	c := e.NewContext(r, w)
	err := m(func(c echo.Context) error { return c.String(http.StatusOK, "ok") })(c)
	return w, err
}

func TestHeaderMiddlewares(t *testing.T) {
	for _, tt := range []struct {
		name   string
		m      echo.MiddlewareFunc
		header string
		want   string
	}{
		{"noStore", noStore, "Cache-Control", "private, no-store"},
		{"securityHeaders CSP", securityHeaders, "Content-Security-Policy", contentSecurityPolicy},
		{"securityHeaders frames", securityHeaders, "X-Frame-Options", "DENY"},
		{"securityHeaders sniffing", securityHeaders, "X-Content-Type-Options", "nosniff"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, err := runMiddleware(tt.m, httptest.NewRequest(http.MethodGet, "/", nil))
			if err != nil {
				t.Fatal(err)
			}
			if got := w.Header().Get(tt.header); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestLimitBody(t *testing.T) {
	for _, tt := range []struct {
		name   string
		size   int
		length bool // send Content-Length
		want   int  // 0: the handler ran
	}{
		{"under", 10, true, 0},
		{"over, said by its length", 11, true, http.StatusRequestEntityTooLarge},
		{"over, found by reading", 11, false, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/events", strings.NewReader(strings.Repeat("x", tt.size)))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if !tt.length {
				r.ContentLength = -1
			}
			m := limitBody(10)
			e := echo.New()
			c := e.NewContext(r, httptest.NewRecorder())
			err := m(func(c echo.Context) error {
				_, err := c.FormParams() // reads the body
				return err
			})(c)
			got := 0
			if he, ok := err.(*echo.HTTPError); ok {
				got = he.Code
			} else if err != nil {
				t.Fatalf("got error %v", err)
			}
			if got != tt.want {
				t.Errorf("status: got %d, want %d (0: handled)", got, tt.want)
			}
		})
	}
}
