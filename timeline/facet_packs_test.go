package timeline_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// TestPacksStaleOutsideTheStore: a write that does not go through the
// store (another program's SQL) leaves the packs it changes marked stale;
// until a write of the store rebuilds them, a month's counts come from the
// count tables, and they stay exact throughout.
func TestPacksStaleOutsideTheStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "synth.db")
	s, err := timeline.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := synth.Fill(ctx, s, synth.Options{Events: 600, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	// An event dated to the day, and the month from the tenth of its
	// month to the ninth of the next.
	var e timeline.Event
	for i := 1; e.Start.Day == 0; i++ {
		if e, err = s.GetEvent(ctx, fmt.Sprintf("synth-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	d := e.Start
	f := timeline.Filter{From: timeline.MustDate(fmt.Sprintf("%04d-%02d-10", d.Year, d.Month)),
		To: timeline.MustDate(fmt.Sprintf("%04d-%02d-09", d.Year+d.Month/12, d.Month%12+1))}
	if d.Day < 10 {
		f.From = timeline.MustDate(fmt.Sprintf("%04d-%02d-01", d.Year, d.Month))
		f.To = timeline.MustDate(fmt.Sprintf("%04d-%02d-20", d.Year, d.Month))
	}
	check := func(wantPacked bool) {
		t.Helper()
		counted, err := s.FacetsCounted(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if counted.Total == 0 {
			t.Fatalf("%v selects no event", f.Values())
		}
		got, err := s.Facets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(counted) {
			t.Errorf("Facets differ from the plain count:\n got %+v\nwant %+v", got, counted)
		}
		packed, ok, err := s.FacetsPacked(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if ok != wantPacked {
			t.Fatalf("packs answered: %v, want %v", ok, wantPacked)
		}
		if ok && fmt.Sprint(packed) != fmt.Sprint(counted) {
			t.Errorf("Facets from the packs differ from the plain count:\n got %+v\nwant %+v", packed, counted)
		}
	}
	check(true)

	// Another program changes the event's category and takes its tags
	// away.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE events SET category = CASE category WHEN 'legal' THEN 'summit' ELSE 'legal' END WHERE slug = ?`,
		`DELETE FROM event_tags WHERE event_id = (SELECT id FROM events WHERE slug = ?)`,
	} {
		if _, err := db.ExecContext(ctx, q, e.Slug); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.StalePacks(ctx); err != nil || n == 0 {
		t.Fatalf("%d packs stale (%v), want some", n, err)
	}
	check(false)

	// The store's next write, of any event, rebuilds them.
	other, err := s.GetEvent(ctx, "synth-600")
	if err != nil {
		t.Fatal(err)
	}
	other.Title += " (edited)"
	if err := s.UpdateEvent(ctx, other.Slug, &other, timeline.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.StalePacks(ctx); err != nil || n != 0 {
		t.Fatalf("%d packs stale (%v), want none", n, err)
	}
	check(true)
}

// TestPacksRebuiltAlike: after random edits, deletions, restorations and
// an import, each rebuilding its stale packs month by month from the count
// tables, the packs are byte for byte those of a whole rebuild in one pass
// over facet_events (what migration 0016 and BulkLoad do), and those of
// every month rebuilt as the writes do.
func TestPacksRebuiltAlike(t *testing.T) {
	ctx := context.Background()
	s, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := synth.Fill(ctx, s, synth.Options{Events: 2000, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	writeAtRandom(t, s, rand.New(rand.NewPCG(8, 9)))
	written, err := s.Packs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) < 1000 {
		t.Fatalf("%d packs, want more than 1,000 for 2,000 events", len(written))
	}
	for _, whole := range []bool{true, false} {
		if err := s.RebuildPacks(ctx, whole); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := s.Packs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range written {
			if rebuilt[k] != p {
				t.Errorf("whole %v: pack %d: got %q, want %q", whole, k, rebuilt[k], p)
			}
		}
		for k := range rebuilt {
			if _, ok := written[k]; !ok {
				t.Errorf("whole %v: pack %d is new", whole, k)
			}
		}
	}
}
