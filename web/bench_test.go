package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// BenchmarkChronologyPage renders chronology pages of 50 events from the
// database in $TIMELINE_BENCH_DB (make bench makes one of 1,000,000
// synthetic events). "uncached" gives each request a new URL, so the page
// cache never answers; "cached" repeats one URL.
func BenchmarkChronologyPage(b *testing.B) {
	path := os.Getenv("TIMELINE_BENCH_DB")
	if path == "" {
		b.Skip("set TIMELINE_BENCH_DB to a database file (make bench does) to run the page benchmarks")
	}
	store, err := timeline.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	srv := NewServer(Config{Store: store, Logger: quietLogger()})
	tests := []struct {
		name, url string
		partial   bool
		cached    bool
	}{
		{"first-page", "/events", false, false},
		{"filtered", "/events?from=1990&to=2005-06&category=summit&category=sanctions&sig=2", false, false},
		{"filtered-htmx-partial", "/events?from=1990&to=2005-06&category=summit&category=sanctions&sig=2", true, false},
		{"search-rare", "/events?q=zanzibar", false, false},
		{"event-page", "/events/synth-500000", false, false},
		{"filtered-cached", "/events?from=1990&to=2005-06&category=summit&category=sanctions&sig=2", false, true},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				url := tt.url
				if !tt.cached {
					i++
					sep := "?"
					if len(url) > 7 && url[:8] == "/events?" {
						sep = "&"
					}
					url += fmt.Sprintf("%sbench=%d", sep, i)
				}
				req := httptest.NewRequest(http.MethodGet, url, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				if tt.partial {
					req.Header.Set("HX-Request", "true")
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", url, rec.Code)
				}
			}
		})
	}
}
