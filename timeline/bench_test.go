package timeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// benchEvents is the size of the benchmark database.
const benchEvents = 1_000_000

// synthBenchEvents is how many events BenchmarkSynthesize writes.
var synthBenchEvents = 100_000

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
		s, err := Open(context.Background(), tmp)
		if err != nil {
			benchErr = err
			return
		}
		err = s.Synthesize(context.Background(), SynthOptions{Events: benchEvents, Seed: 1})
		if err == nil {
			_, err = s.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
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

func openBench(b *testing.B) *Store {
	b.Helper()
	s, err := Open(context.Background(), benchDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkListEvents(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	deep, err := s.ListEvents(ctx, Filter{}, PageRequest{At: 19850601, Limit: 50})
	if err != nil || deep.Next == "" {
		b.Fatalf("deep cursor: %v", err)
	}
	tests := []struct {
		name string
		f    Filter
		pr   PageRequest
	}{
		{"first-page", Filter{}, PageRequest{Limit: 50}},
		{"filtered-page", Filter{From: MustDate("1990"), To: MustDate("2005-06"), Categories: []Category{"summit", "sanctions"}, MinSignificance: 2}, PageRequest{Limit: 50}},
		{"tag-filter", Filter{Tags: []string{"topic-7"}}, PageRequest{Limit: 50}},
		{"actor-filter", Filter{Actors: []string{"synth-actor-0-1500"}}, PageRequest{Limit: 50}},
		{"deep-keyset-page", Filter{}, PageRequest{Cursor: deep.Next, Limit: 50}},
		{"search-rare", Filter{Query: "zanzibar"}, PageRequest{Limit: 50}},
		{"search-common", Filter{Query: "japan"}, PageRequest{Limit: 50}},
		{"search-japanese", Filter{Query: "拉致"}, PageRequest{Limit: 50}},
		{"search-rare-relevance", Filter{Query: "zanzibar"}, PageRequest{Limit: 50, Sort: SortRelevance}},
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
		f    Filter
	}{
		{"all", Filter{}},
		{"decade-and-category", Filter{From: MustDate("1990"), To: MustDate("1999"), Categories: []Category{"summit"}}},
		{"search-common", Filter{Query: "japan"}},
		{"search-rare", Filter{Query: "zanzibar"}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Facets(ctx, tt.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSynthesize(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "synth.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Synthesize(context.Background(), SynthOptions{Events: synthBenchEvents, Seed: 2}); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	b.ReportMetric(float64(synthBenchEvents), "events/op")
}
