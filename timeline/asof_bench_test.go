package timeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

var (
	asOfBenchOnce sync.Once
	asOfBenchPath string
	asOfBenchErr  error
)

// asOfEdits bounds the events the as_of benchmark edits, an hour after
// loading them: the changes a past moment undoes.
const asOfEdits = 1000

// asOfBenchDB returns the path of a database of benchEvents synthetic
// events with a creation revision each (synth --revisions); made once and
// kept in
// $TIMELINE_ASOF_BENCH_DB or the user cache folder.
func asOfBenchDB(b *testing.B) string {
	b.Helper()
	asOfBenchOnce.Do(func() {
		asOfBenchPath = os.Getenv("TIMELINE_ASOF_BENCH_DB")
		if asOfBenchPath == "" {
			dir, err := os.UserCacheDir()
			if err != nil {
				dir = os.TempDir()
			}
			asOfBenchPath = filepath.Join(dir, "japan-dprk-timeline", "bench-1m-asof.db")
		}
		if _, err := os.Stat(asOfBenchPath); os.IsNotExist(err) {
			if asOfBenchErr = os.MkdirAll(filepath.Dir(asOfBenchPath), 0o755); asOfBenchErr != nil {
				return
			}
			s, err := timeline.Open(context.Background(), asOfBenchPath)
			if err != nil {
				asOfBenchErr = err
				return
			}
			asOfBenchErr = synth.Fill(context.Background(), s, synth.Options{Events: benchEvents, Seed: 1, Revisions: true})
			s.Close()
		}
	})
	if asOfBenchErr != nil {
		b.Fatal(asOfBenchErr)
	}
	return asOfBenchPath
}

// openAsOfBench opens the database and makes its edits when they are not
// made yet; it returns the store, a moment between the load and the edits,
// and an edited event's slug.
func openAsOfBench(b *testing.B) (*timeline.Store, time.Time, string) {
	b.Helper()
	ctx := context.Background()
	s, err := timeline.Open(ctx, asOfBenchDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	first, err := s.StateAt(ctx, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	loaded := first.First
	mid := loaded.Add(30 * time.Minute)
	// The edited events are those with the rare word (about one in ten
	// thousand); their second version is the edit.
	page, err := s.ListEvents(ctx, timeline.Filter{Query: "zanzibar"}, timeline.PageRequest{Limit: asOfEdits})
	if err != nil {
		b.Fatal(err)
	}
	if len(page.Events) == 0 {
		b.Fatal("no event to edit")
	}
	slug := page.Events[0].Slug
	edited, err := s.Revisions(ctx, slug)
	if err != nil {
		b.Fatal(err)
	}
	if len(edited) == 1 {
		s.SetClock(func() time.Time { return loaded.Add(time.Hour) })
		for _, e := range page.Events {
			e.Title = "Retitled: " + e.Title
			if err := s.UpdateEvent(ctx, e.Slug, &e, timeline.Change{Author: "bench", Summary: "retitled"}); err != nil {
				b.Fatal(err)
			}
		}
		s.SetClock(func() time.Time { return time.Now().UTC() })
		fmt.Fprintf(os.Stderr, "edited %d events of %s\n", len(page.Events), asOfBenchPath)
	}
	return s, mid, slug
}

// BenchmarkAsOf measures the chronology as of a moment before the edits
// at a million events: the state (counts by the revisions' time index),
// one event (one seek), every event (the plain query behind a rebuild)
// and the whole rebuild into a new database (Snapshot).
func BenchmarkAsOf(b *testing.B) {
	s, mid, slug := openAsOfBench(b)
	ctx := context.Background()
	b.Run("state-at", func(b *testing.B) {
		for b.Loop() {
			if a, err := s.StateAt(ctx, mid); err != nil || a.Current() {
				b.Fatalf("%+v, %v", a, err)
			}
		}
	})
	b.Run("event-at", func(b *testing.B) {
		for b.Loop() {
			e, err := s.EventAt(ctx, slug, mid)
			if err != nil || e.Version != 1 {
				b.Fatalf("%s: version %d, %v", slug, e.Version, err)
			}
		}
	})
	b.Run("each-event-at", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := s.EachEventAt(ctx, mid, func(timeline.Event) error { n++; return nil }); err != nil || n != benchEvents {
				b.Fatalf("%d events, %v", n, err)
			}
		}
	})
	b.Run("snapshot", func(b *testing.B) {
		dir := b.TempDir()
		i := 0
		for b.Loop() {
			i++
			snap, err := s.Snapshot(ctx, mid, filepath.Join(dir, fmt.Sprintf("snap-%d.db", i)))
			if err != nil {
				b.Fatal(err)
			}
			n, err := snap.Count(ctx, timeline.Filter{})
			snap.Close()
			if err != nil || n != benchEvents {
				b.Fatalf("%d events, %v", n, err)
			}
		}
	})
}
