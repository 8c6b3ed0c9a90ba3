package timeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// benchEvents is the size of the benchmark database.
const benchEvents = 1_000_000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchDB returns the path of a database of benchEvents synthetic events,
// made once (about a minute) and kept in $TIMELINE_BENCH_DB or the user
// cache folder, never in the repository.
func benchDB(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		benchPath = os.Getenv("TIMELINE_BENCH_DB")
		if benchPath == "" {
			dir, err := os.UserCacheDir()
			if err != nil {
				dir = os.TempDir()
			}
			benchPath = filepath.Join(dir, "japan-dprk-timeline", "bench-1m-v2.db")
		}
		if _, err := os.Stat(benchPath); err == nil {
			return
		}
		if err := os.MkdirAll(filepath.Dir(benchPath), 0o755); err != nil {
			benchErr = err
			return
		}
		tmp := benchPath + ".part"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
		start := time.Now()
		s, err := timeline.Open(context.Background(), tmp)
		if err != nil {
			benchErr = err
			return
		}
		err = synth.Fill(context.Background(), s, synth.Options{Events: benchEvents, Seed: 1})
		if err == nil {
			_, _, err = s.Checkpoint(context.Background())
		}
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			benchErr = err
			return
		}
		fmt.Fprintf(os.Stderr, "generated %d events into %s in %v\n", benchEvents, benchPath, time.Since(start).Round(time.Second))
		benchErr = os.Rename(tmp, benchPath)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

func openBench(b *testing.B) *timeline.Store {
	b.Helper()
	s, err := timeline.Open(context.Background(), benchDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkListEvents(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	deep, err := s.ListEvents(ctx, timeline.Filter{}, timeline.PageRequest{At: 19850601, Limit: 50})
	if err != nil || deep.Next == "" {
		b.Fatalf("deep cursor: %v", err)
	}
	tests := []struct {
		name string
		f    timeline.Filter
		pr   timeline.PageRequest
	}{
		{"first-page", timeline.Filter{}, timeline.PageRequest{Limit: 50}},
		{"filtered-page", timeline.Filter{From: timeline.MustDate("1990"), To: timeline.MustDate("2005-06"), Categories: []timeline.Category{"summit", "sanctions"}, MinSignificance: 2}, timeline.PageRequest{Limit: 50}},
		{"tag-filter", timeline.Filter{Tags: []string{"topic-7"}}, timeline.PageRequest{Limit: 50}},
		{"actor-filter", timeline.Filter{Actors: []string{"synth-actor-0-1500"}}, timeline.PageRequest{Limit: 50}},
		{"deep-keyset-page", timeline.Filter{}, timeline.PageRequest{Cursor: deep.Next, Limit: 50}},
		{"search-rare", timeline.Filter{Query: "zanzibar"}, timeline.PageRequest{Limit: 50}},
		{"search-common", timeline.Filter{Query: "japan"}, timeline.PageRequest{Limit: 50}},
		{"search-japanese", timeline.Filter{Query: "拉致"}, timeline.PageRequest{Limit: 50}},
		{"search-rare-relevance", timeline.Filter{Query: "zanzibar"}, timeline.PageRequest{Limit: 50, Sort: timeline.SortRelevance}},
		{"month", timeline.Filter{From: timeline.MustDate("2003-05"), To: timeline.MustDate("2003-05")}, timeline.PageRequest{Limit: 50}},
		{"two-years-tag", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002"), Tags: []string{"sanctions"}}, timeline.PageRequest{Limit: 50}},
		{"two-years-actor", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002"), Actors: []string{"synth-actor-0-7"}}, timeline.PageRequest{Limit: 50}},
		{"two-years-search", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002"), Query: "kamu"}, timeline.PageRequest{Limit: 50}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListEvents(ctx, tt.f, tt.pr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFacets(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	tests := []struct {
		name string
		f    timeline.Filter
	}{
		{"all", timeline.Filter{}},
		{"decade-and-category", timeline.Filter{From: timeline.MustDate("1990"), To: timeline.MustDate("1999"), Categories: []timeline.Category{"summit"}}},
		{"month", timeline.Filter{From: timeline.MustDate("2003-05"), To: timeline.MustDate("2003-05")}},
		{"days", timeline.Filter{From: timeline.MustDate("2003-05-12"), To: timeline.MustDate("2003-06-20")}},
		{"two-years", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002")}},
		{"two-years-from-a-day", timeline.Filter{From: timeline.MustDate("2001-03-14"), To: timeline.MustDate("2003-03-13")}},
		{"two-years-category", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002"), Categories: []timeline.Category{"summit"}}},
		{"two-years-actor", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002"), Actors: []string{"synth-actor-0-7"}}},
		{"two-years-tag", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002"), Tags: []string{"sanctions"}}},
		{"two-years-search", timeline.Filter{From: timeline.MustDate("2001"), To: timeline.MustDate("2002"), Query: "kamu"}},
		{"search-common", timeline.Filter{Query: "japan"}},
		{"search-rare", timeline.Filter{Query: "zanzibar"}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				// A search too common to count is refused: that is its cost.
				if _, err := s.Facets(ctx, tt.f); err != nil && !errors.Is(err, timeline.ErrTooBroad) {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuckets counts a drawn timeline's window per month or year:
// the whole span, a decade and a year, unfiltered and filtered.
func BenchmarkBuckets(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	tests := []struct {
		name    string
		f       timeline.Filter
		byMonth bool
	}{
		{"all-by-year", timeline.Filter{}, false},
		{"decade-by-year", timeline.Filter{From: timeline.MustDate("1990"), To: timeline.MustDate("1999")}, false},
		{"five-years-by-month", timeline.Filter{From: timeline.MustDate("2000"), To: timeline.MustDate("2004")}, true},
		{"year-by-month", timeline.Filter{From: timeline.MustDate("2014"), To: timeline.MustDate("2014")}, true},
		{"all-summits-by-year", timeline.Filter{Categories: []timeline.Category{"summit"}}, false},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Buckets(ctx, tt.f, tt.byMonth); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchAliases searches the 1,000,000-event database for alias
// terms, each an OR of its group's members in three languages: the first
// page and the count a search page shows, with and without the aliases.
func BenchmarkSearchAliases(b *testing.B) {
	groups, err := data.Aliases()
	if err != nil {
		b.Fatal(err)
	}
	plain := openBench(b)
	s, err := timeline.Open(context.Background(), benchDB(b), timeline.WithAliases(groups))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	for _, q := range []string{"six-party talks", "6자회담", "拉致", "납치", "abduction", "repatriation", "북송사업", "拉致 制裁"} {
		for _, st := range []struct {
			name string
			s    *timeline.Store
		}{{"aliases", s}, {"plain", plain}} {
			b.Run(q+"/"+st.name, func(b *testing.B) {
				f := timeline.Filter{Query: q}
				for b.Loop() {
					if _, err := st.s.ListEvents(ctx, f, timeline.PageRequest{Limit: 50}); err != nil {
						b.Fatal(err)
					}
					if _, err := st.s.Facets(ctx, f); err != nil && !errors.Is(err, timeline.ErrTooBroad) {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
