package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
)

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

// Compression levels are chosen for pages rendered per request, as nginx's
// gzip level 1 is: klauspost's gzip 1 and brotli 0 are the fastest of each
// that still matches strings (gzip's Huffman-only mode made pages three
// times the size). Against gzip 3 and brotli 1, measured on 29 November
// 2026 on the shipped dataset's 137 KB search page and a 76 KB month page at
// a million events: gzip 0.53–0.59 against 0.64–0.71 ms and 0.13–0.17
// against 0.26 ms, for 5.6% and 3.4% more bytes; brotli 0.40–0.54 against
// 0.72–0.76 ms and 0.16–0.19 against 0.25–0.26 ms, for 4.9% and 4.1% more.
// (klauspost's gzip 3 had taken half the CPU of the standard library's 6;
// brotli 4 took 4.5 ms to save another 4 KB.)
//
// The compressors are kept for reuse in free lists, not sync.Pools: every
// garbage collection empties a pool, and under a load of uncached pages one
// came every ten pages or so, each time costing a compressor's tables (a
// third of a megabyte) made afresh.
var (
	gzipWriters   = make(freeList[*gzip.Writer], 8)
	brotliWriters = make(freeList[*brotli.Writer], 8)
)

func newGzip() *gzip.Writer {
	w, _ := gzip.NewWriterLevel(io.Discard, 1)
	return w
}

func newBrotli() *brotli.Writer { return brotli.NewWriterLevel(io.Discard, 0) }

// freeList keeps up to cap(l) values for reuse. Unlike a sync.Pool, it
// keeps them through garbage collections.
type freeList[T any] chan T

// get returns a kept value, or a new one from make.
func (l freeList[T]) get(make func() T) T {
	select {
	case v := <-l:
		return v
	default:
		return make()
	}
}

// put keeps v, unless the list is full.
func (l freeList[T]) put(v T) {
	select {
	case l <- v:
	default:
	}
}

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
				w.br = brotliWriters.get(newBrotli)
				w.br.Reset(w.ResponseWriter)
			case "gzip":
				w.gz = gzipWriters.get(newGzip)
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
		brotliWriters.put(w.br)
	case w.gz != nil:
		err = w.gz.Close()
		w.gz.Reset(io.Discard)
		gzipWriters.put(w.gz)
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
