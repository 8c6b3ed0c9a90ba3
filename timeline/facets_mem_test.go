package timeline_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"unsafe"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// TestFacetsKeepNoText: counts are kept in the server's cache for many
// filters, so they must not hold on to the text they were counted from
// (a group_concat of every event in range, hundreds of kilobytes at a
// million events): every category key is the shipped constant itself.
// (Tags are cloned likewise; a string does not tell whether it was.)
func TestFacetsKeepNoText(t *testing.T) {
	ctx := context.Background()
	s, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "facets.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := synth.Fill(ctx, s, synth.Options{Events: 3000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	date := func(v string) timeline.Date {
		d, err := timeline.ParseDate(v)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for name, f := range map[string]timeline.Filter{
		"everything":      {},
		"a month":         {From: date("1990-03-14"), To: date("1990-04-13")},
		"two years":       {From: date("1988-03-14"), To: date("1990-03-13")},
		"decades":         {From: date("1950-06-01"), To: date("1999-05-31")},
		"with a category": {From: date("1988-03-14"), To: date("1990-03-13"), Categories: []timeline.Category{"summit"}},
		"with a tag":      {From: date("1970"), To: date("1999"), Tags: []string{"sanctions"}},
		"with a search":   {From: date("1970"), To: date("1999"), Query: "kamu"},
	} {
		fc, err := s.Facets(ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fc.Total == 0 {
			t.Fatalf("%s: no events counted; the filter shows nothing", name)
		}
		for _, y := range fc.Years {
			for c := range y.ByCategory {
				i := slices.Index(timeline.Categories, c)
				if i < 0 || unsafe.StringData(string(c)) != unsafe.StringData(string(timeline.Categories[i])) {
					t.Errorf("%s: year %d: category %q is not the shipped constant", name, y.Year, c)
				}
			}
		}
	}
}
