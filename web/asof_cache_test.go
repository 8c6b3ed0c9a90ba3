package web

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// The kept copies of past states: one build per state however many ask at
// once, at most snapshotEntries kept, and the files of a dropped copy
// removed once no reader holds it, and all of them on close.
func TestSnapshotsShareEvictAndRemove(t *testing.T) {
	ctx := context.Background()
	st, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return clock })
	var states []time.Time
	for i := range snapshotEntries + 2 {
		clock = clock.Add(time.Minute)
		e := authSeedEvent("2002-09-17", "Event "+string(rune('A'+i)))
		if err := st.CreateEvent(ctx, &e, timeline.Change{Author: "seed"}); err != nil {
			t.Fatal(err)
		}
		states = append(states, clock)
	}
	dir := t.TempDir()
	sn := newSnapshots(st, dir)
	files := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, "timeline-asof-*", "*.db"))
		return m
	}

	var wg sync.WaitGroup
	got := make([]*timeline.Store, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, release, err := sn.acquire(ctx, states[0])
			if err != nil {
				t.Error(err)
				return
			}
			defer release()
			got[i] = s
		}()
	}
	wg.Wait()
	for i, s := range got {
		if s != got[0] {
			t.Fatalf("reader %d got another copy", i)
		}
	}
	if n := len(files()); n != 1 {
		t.Fatalf("%d files for one state, want 1", n)
	}
	if n, err := got[0].Count(ctx, timeline.Filter{}); err != nil || n != 1 {
		t.Errorf("the copy at the first state holds %d events, %v; want 1", n, err)
	}

	// A reader holds the oldest while newer states push it out: its file
	// stays until it is released.
	held, release, err := sn.acquire(ctx, states[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states[1:] {
		_, rel, err := sn.acquire(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		rel()
	}
	if n := len(files()); n != snapshotEntries+1 {
		t.Errorf("%d files while a dropped copy is read, want %d", n, snapshotEntries+1)
	}
	if n, err := held.Count(ctx, timeline.Filter{}); err != nil || n != 1 {
		t.Errorf("the held copy: %d events, %v", n, err)
	}
	release()
	if n := len(files()); n != snapshotEntries {
		t.Errorf("%d files after its reader left, want %d", n, snapshotEntries)
	}
	sn.close()
	if n := len(files()); n != 0 {
		t.Errorf("%d files after close, want none", n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the temporary directory is left after close: %v", entries)
	}
}
