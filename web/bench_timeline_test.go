package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// benchTimelineServer serves a scratch database of n synthetic events.
func benchTimelineServer(b *testing.B, n int) *Server {
	b.Helper()
	store, err := timeline.Open(context.Background(), filepath.Join(b.TempDir(), "tl.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if err := synth.Fill(context.Background(), store, synth.Options{Events: n, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	return NewServer(Config{Store: store, Logger: quietLogger()})
}

// renderTimeline requests url (the callers make each one new, so the page
// cache never answers) and returns the size of the gzip-compressed page.
func renderTimeline(b *testing.B, srv *Server, url string) int {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: status %d: %.300s", url, rec.Code, rec.Body.String())
	}
	return rec.Body.Len()
}

// BenchmarkTimelinePage renders /timeline over a database of 2,000
// synthetic events: the whole span (2,000 events in view, counted per
// year), a stretch of about 300 events drawn one by one with labels, and
// the same as the htmx partial that zooming fetches. It reports the
// compressed size of the page.
func BenchmarkTimelinePage(b *testing.B) {
	srv := benchTimelineServer(b, 2000)
	tests := []struct{ name, url string }{
		{"2000-events-aggregated", "/timeline?w=1150"},
		{"300-events-labelled", "/timeline?from=1990&to=1999&w=1150"},
		{"100-events-actor-lanes", "/timeline?from=1990&to=1993&lanes=actor&w=1150"},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			size, i := 0, 0
			for b.Loop() {
				i++
				size = renderTimeline(b, srv, fmt.Sprintf("%s&bench=%d", tt.url, i))
			}
			b.ReportMetric(float64(size), "gzip-bytes")
		})
	}
}

// BenchmarkTimelineMillion renders windows over the 1,000,000-event
// database in $TIMELINE_BENCH_DB (make bench makes it): every view is
// aggregated.
func BenchmarkTimelineMillion(b *testing.B) {
	path := os.Getenv("TIMELINE_BENCH_DB")
	if path == "" {
		b.Skip("set TIMELINE_BENCH_DB to a database file (make bench does) to run the million-event timeline benchmarks")
	}
	store, err := timeline.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	srv := NewServer(Config{Store: store, Logger: quietLogger()})
	for _, tt := range []struct{ name, url string }{
		{"whole-span", "/timeline?w=1150"},
		{"decade", "/timeline?from=1990&to=1999&w=1150"},
		{"three-years-by-month", "/timeline?from=2000&to=2002&w=1150"},
		{"one-year-by-month", "/timeline?from=2014&to=2014&w=1150"},
		{"month", "/timeline?from=2014-05&to=2014-05&w=1150"},
		{"category-whole-span", "/timeline?category=summit&w=1150"},
		{"partial-zoom", "/timeline?at=2014-06-01&days=400&w=1150"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				renderTimeline(b, srv, fmt.Sprintf("%s&bench=%d", tt.url, i))
			}
		})
	}
}
