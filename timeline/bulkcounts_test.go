package timeline_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// BulkLoad adds the counts of the events it writes to the count tables
// itself (gathered as it makes them); they must be exactly what grouping
// every event in SQL gives, for a first load and for one onto a database
// that already has events.
func TestBulkLoadCountsMatchARebuild(t *testing.T) {
	ctx := context.Background()
	s, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i, seed := range []uint64{5, 6} {
		if err := synth.Fill(ctx, s, synth.Options{Events: 3000, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		got, err := s.CountTables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RebuildCounts(ctx); err != nil {
			t.Fatal(err)
		}
		want, err := s.CountTables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for table, w := range want {
			if got[table] != w {
				t.Errorf("load %d: %s differs from a rebuild:\n got %.300s\nwant %.300s", i+1, table, got[table], w)
			}
		}
	}
}

// BulkLoad writes the search index its own way (the rows of a batch last,
// one to a statement, merged once at the end); it must hold exactly what
// writing each event one at a time puts there, for a first load and for
// one onto a database that already has events.
func TestBulkLoadSearchIndexMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	s, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i, seed := range []uint64{7, 8} {
		if err := synth.Fill(ctx, s, synth.Options{Events: 1500, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		got, want, err := s.SearchIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want == "" || got != want {
			t.Errorf("load %d: the search index differs from one written event by event (%d and %d bytes):\n got %.300s\nwant %.300s", i+1, len(got), len(want), got, want)
		}
	}
}

// The batches' statements run without the caller's cancellation, so
// BulkLoad must check it between batches: a load cancelled after its
// first batch stops there.
func TestBulkLoadStopsWhenCancelled(t *testing.T) {
	s, err := timeline.Open(context.Background(), filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var batches []int
	err = synth.Fill(ctx, s, synth.Options{Events: 20000, Seed: 3, Progress: func(done int) {
		batches = append(batches, done)
		cancel()
	}})
	if !errors.Is(err, context.Canceled) || len(batches) != 1 {
		t.Errorf("got %v after batches %v, want context.Canceled after one", err, batches)
	}
}
