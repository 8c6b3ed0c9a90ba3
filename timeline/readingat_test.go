package timeline_test

import (
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// TestReadingAt: under ReadingAt, the store it names gives back the stamp
// given there without reading; another store (a past moment's, say) reads
// its own.
func TestReadingAt(t *testing.T) {
	a, b := openShipped(t), openShipped(t)
	v, modified, err := a.DataStamp(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	bv, _, err := b.DataStamp(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	at := modified.Add(time.Hour)
	ctx := timeline.ReadingAt(t.Context(), a, v+100, at)
	if got, gotAt, err := a.DataStamp(ctx); err != nil || got != v+100 || !gotAt.Equal(at) {
		t.Errorf("a.DataStamp under ReadingAt(a) = %d, %v, %v; want %d, %v", got, gotAt, err, v+100, at)
	}
	if got, err := a.DataVersion(ctx); err != nil || got != v+100 {
		t.Errorf("a.DataVersion under ReadingAt(a) = %d, %v; want %d", got, err, v+100)
	}
	if got, err := b.DataVersion(ctx); err != nil || got != bv {
		t.Errorf("b.DataVersion under ReadingAt(a) = %d, %v; want its own %d", got, err, bv)
	}
	if got, err := a.DataVersion(t.Context()); err != nil || got != v {
		t.Errorf("a.DataVersion without ReadingAt = %d, %v; want %d", got, err, v)
	}
}
