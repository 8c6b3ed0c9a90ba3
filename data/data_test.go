package data

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// loaded imports the shipped dataset into a new database through the
// store's own rules: every record valid (dates, precisions, end not before
// start, a source with publisher and title, known categories), unique
// slugs, every actor and related slug resolving, no two events with the
// same date and title. Import refuses the whole set if any rule fails.
func loaded(t *testing.T) (timeline.Dataset, *timeline.Store) {
	t.Helper()
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := timeline.Open(context.Background(), filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Import(context.Background(), ds, timeline.Change{Author: "test"}, timeline.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return ds, s
}

func TestDatasetIsValidAndBigEnough(t *testing.T) {
	ds, s := loaded(t)
	ctx := context.Background()
	n, err := s.Count(ctx, timeline.Filter{})
	if err != nil || n != len(ds.Events) || n < 150 {
		t.Errorf("stored %d of %d events (%v); the chronology needs at least 150", n, len(ds.Events), err)
	}
	if len(ds.Eras) < 8 {
		t.Errorf("%d eras, want at least 8", len(ds.Eras))
	}
	used := map[string]bool{}
	for _, e := range ds.Events {
		if len(e.Actors) == 0 {
			t.Errorf("%s lists no actor", e.Slug)
		}
		for _, a := range e.Actors {
			used[a.Slug] = true
			if a.Role == "" {
				t.Errorf("%s: actor %s has no role", e.Slug, a.Slug)
			}
		}
		if e.TitleJA == "" || e.TitleKO == "" {
			t.Errorf("%s lacks a title in Japanese or Korean (title_ja %q, title_ko %q)", e.Slug, e.TitleJA, e.TitleKO)
		}
		if e.Start.Year < 1945 || e.Start.Year > 2025 {
			t.Errorf("%s starts in %d, outside 1945–2025", e.Slug, e.Start.Year)
		}
		for i, src := range e.Sources {
			if src.Publisher == "" || src.Title == "" {
				t.Errorf("%s: source %d lacks publisher or title", e.Slug, i)
			}
		}
	}
	if len(used) < 40 {
		t.Errorf("%d actors take part in events, want at least 40", len(used))
	}
	for _, a := range ds.Actors {
		if a.NameJA == "" {
			t.Errorf("actor %s has no Japanese name", a.Slug)
		}
		if a.NameKO == "" {
			t.Errorf("actor %s has no Korean name", a.Slug)
		}
	}
}

// TestDatasetThreads checks that the main threads of the story are linked,
// so that a reader can follow them from either end.
func TestDatasetThreads(t *testing.T) {
	_, s := loaded(t)
	ctx := context.Background()
	links := []struct{ from, relation, to string }{
		{"return-of-five-abductees-2002", "follows", "koizumi-kim-summit-2002"},
		{"koizumi-kim-summit-2004", "follows", "return-of-five-abductees-2002"},
		{"megumi-remains-dispute-2004", "follows", "koizumi-kim-summit-2004"},
		{"stockholm-talks-2014", "follows", "re-investigation-pledge-2008"},
		{"special-investigation-committee-2014", "implements", "stockholm-agreement-2014"},
		{"committee-dissolved-2016", "reverses", "special-investigation-committee-2014"},
	}
	for _, l := range links {
		e, err := s.GetEvent(ctx, l.from)
		if err != nil {
			t.Errorf("%s: %v", l.from, err)
			continue
		}
		if !slices.ContainsFunc(e.Related, func(r timeline.Relation) bool { return r.Slug == l.to && r.Relation == l.relation }) {
			t.Errorf("%s does not %s %s (has %v)", l.from, l.relation, l.to, e.Related)
		}
	}
	for _, test := range []string{"nuclear-test-2006", "nuclear-test-2009", "nuclear-test-2013", "nuclear-test-january-2016", "nuclear-test-september-2016", "nuclear-test-2017"} {
		back, err := s.Backlinks(ctx, test)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(back, func(r timeline.Relation) bool { return r.Relation == "responds-to" }) {
			t.Errorf("nothing responds to %s", test)
		}
	}
}

// TestDatasetSearch checks that researchers find the core events by the
// words they would type, in English and Japanese.
func TestDatasetSearch(t *testing.T) {
	_, s := loaded(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"拉致", []string{"abduction-of-yokota-megumi-1977", "return-of-five-abductees-2002"}},
		{"ストックホルム", []string{"stockholm-talks-2014", "stockholm-agreement-2014"}},
		{"Stockholm", []string{"stockholm-talks-2014", "stockholm-agreement-2014", "special-investigation-committee-2014"}},
		{"平壌宣言", []string{"pyongyang-declaration-2002"}},
		{"Fukuda", []string{"fukuda-resignation-2008"}},
		{"Mangyongbong", []string{"stockholm-agreement-2014"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			var got []string
			err := s.EachEvent(context.Background(), timeline.Filter{Query: tt.q}, func(e timeline.Event) error {
				got = append(got, e.Slug)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("search %q misses %s (found %d events)", tt.q, w, len(got))
				}
			}
		})
	}
}
