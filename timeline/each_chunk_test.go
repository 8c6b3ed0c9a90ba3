package timeline

import (
	"context"
	"testing"
	"time"
)

// TestNextChunk: a budgeted read sizes each chunk to take a third of the
// budget at the pace of the one before, growing at most twofold, within
// eachChunkFirst and eachChunk.
func TestNextChunk(t *testing.T) {
	const budget = 3 * time.Second
	for _, c := range []struct {
		n    int
		took time.Duration
		want int
	}{
		{40000, 600 * time.Millisecond, 66666},     // a third of the budget at 15 µs an event
		{5000, 10 * time.Millisecond, 10000},       // quick: twice as many, no more
		{80000, 500 * time.Millisecond, eachChunk}, // never past eachChunk
		{100000, 2 * time.Second, 50000},           // slow: fewer
		{10000, 10 * time.Second, eachChunkFirst},  // very slow: never under eachChunkFirst
		{5000, 0, 10000},                           // too quick to time
	} {
		if got := nextChunk(c.n, eachChunkFirst, c.took, budget); got != c.want {
			t.Errorf("after %d events in %v: %d, want %d", c.n, c.took, got, c.want)
		}
	}
	// A test's chunk (SetEachChunk) is the least, however slow.
	if got := nextChunk(7, 7, time.Hour, budget); got != 7 {
		t.Errorf("a chunk of 7 at least, after a slow one: %d", got)
	}
}

// SetEachHook sets a function that EachEvent calls before each chunk's
// query, with the query's context and the chunk's size (nil: none).
func (s *Store) SetEachHook(f func(ctx context.Context, n int)) { s.eachHook = f }
