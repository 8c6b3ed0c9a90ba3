package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/data"
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

// BenchmarkNewFilterPage renders chronology pages of filters no request
// asked before (so neither the page cache nor the counts cache answers):
// a two-year range starting on a new day each time, alone and with a
// category, an actor, a tag or a search (one word, and a new word each
// time as `make load` asks); and a month from a new day. The
// database is $TIMELINE_BENCH_DB's million events.
func BenchmarkNewFilterPage(b *testing.B) {
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
	// The i-th filter's first day: a week of 1950–2020, each request's far
	// from the last one's (7919 is prime to 3650), so that no cache of the
	// cards or pages shown a moment before answers the next page.
	day := func(i int) time.Time { return time.Date(1950, 1, 1+(i*7919%3650)*7, 0, 0, 0, 0, time.UTC) }
	twoYears := func(i int) string {
		d := day(i)
		return "from=" + d.Format(time.DateOnly) + "&to=" + d.AddDate(2, 0, -1).Format(time.DateOnly)
	}
	for _, tt := range []struct {
		name string
		url  func(i int) string
	}{
		{"range", func(i int) string { return "/events?" + twoYears(i) }},
		{"range-category", func(i int) string {
			return "/events?" + twoYears(i) + "&category=" + string(timeline.Categories[i%len(timeline.Categories)])
		}},
		{"range-actor", func(i int) string { return fmt.Sprintf("/events?%s&actor=synth-actor-0-%d", twoYears(i), i%200) }},
		{"range-tag", func(i int) string { return fmt.Sprintf("/events?%s&tag=topic-%d", twoYears(i), i%200) }},
		{"range-common-tag", func(i int) string { return "/events?" + twoYears(i) + "&tag=sanctions" }},
		{"range-search", func(i int) string { return "/events?" + twoYears(i) + "&q=kamu" }},
		{"range-search-words", func(i int) string { // as make load asks: a new two-syllable prefix
			return "/events?" + twoYears(i) + "&q=" + syllables[i%len(syllables)] + syllables[i/len(syllables)%len(syllables)]
		}},
		{"month", func(i int) string {
			d := day(i)
			return "/events?from=" + d.Format(time.DateOnly) + "&to=" + d.AddDate(0, 1, -1).Format(time.DateOnly)
		}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				benchGet(b, srv, tt.url(i))
			}
		})
	}
}

// syllables make the synthetic data's words (and load.lua's searches).
var syllables = []string{"ka", "ki", "mu", "ra", "to", "shi", "ta", "no", "ha", "yo", "mi", "sa", "ko", "jo", "un", "il", "nam", "song", "pak", "ri"}

// BenchmarkShippedBrowse renders chronology pages of the shipped dataset,
// each a range no request asked before: five years from a new day, as a
// reader moving through the chronology asks. Its cards come from the card
// cache once the dataset's have been shown.
func BenchmarkShippedBrowse(b *testing.B) {
	srv := shippedBenchServer(b)
	i := 0
	for b.Loop() {
		i++
		from := time.Date(1955, 1, 1+i%25000, 0, 0, 0, 0, time.UTC)
		url := "/events?from=" + from.Format(time.DateOnly) + "&to=" + from.AddDate(5, 0, 0).Format(time.DateOnly)
		benchGet(b, srv, url)
	}
}

// benchGet asks srv for url, compressed as browsers ask, and stops the
// benchmark unless it answers 200.
func benchGet(b *testing.B, srv *Server, url string) {
	req := httptest.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: status %d", url, rec.Code)
	}
}

// shippedBenchServer serves the shipped dataset from a new database.
func shippedBenchServer(b *testing.B) *Server {
	b.Helper()
	ds, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	store, err := timeline.Open(context.Background(), filepath.Join(b.TempDir(), "shipped.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if _, err := store.LoadDatasetOnce(context.Background(), ds); err != nil {
		b.Fatal(err)
	}
	return NewServer(Config{Store: store, Logger: quietLogger()})
}

// BenchmarkShippedSearch renders chronology pages of the shipped dataset,
// each a search no request asked before: a word of the dataset and a range
// of years, as `make load`'s shipped-search target asks.
func BenchmarkShippedSearch(b *testing.B) {
	srv := shippedBenchServer(b)
	words := []string{"abduction", "sanctions", "summit", "talks", "missile", "repatriation", "red+cross", "pyongyang", "koizumi",
		"declaration", "nuclear", "six-party", "stockholm", "remains", "ship", "chongryon", "kim", "abe", "visit", "meeting"}
	i := 0
	for b.Loop() {
		i++
		y := 1950 + i%70
		url := fmt.Sprintf("/events?q=%s&from=%d&to=%d", words[i%len(words)], y, y+1+(i/70)%40)
		benchGet(b, srv, url)
	}
}
