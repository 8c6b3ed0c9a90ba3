package timeline_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// TestPlannerMatchesOracle is a property test: for random filters over a
// synthetic database, the optimised lists (keyset pages read forwards and
// backwards, jumps to a year, relevance order, the walk strategy for common
// words), counts, facets and points agree with the plain query
// (NaiveList, oracle_test.go). The store searches with the shipped aliases,
// so searches that expand into alias groups are held to the oracle too.
func TestPlannerMatchesOracle(t *testing.T) {
	ctx := context.Background()
	groups, err := data.Aliases()
	if err != nil {
		t.Fatal(err)
	}
	s, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "synth.db"), timeline.WithAliases(groups))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := synth.Fill(ctx, s, synth.Options{Events: 2000, Seed: 12}); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(12, 34))
	for i := range 80 {
		f := randomFilter(r)
		t.Run(fmt.Sprintf("%d %s", i, f.Values().Encode()), func(t *testing.T) {
			want, err := s.NaiveList(ctx, f, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			limit := []int{3, 20, 100, 500}[r.IntN(4)]
			if got := walk(t, s, f, timeline.PageRequest{Limit: limit}); !slices.Equal(got, want) {
				t.Errorf("pages of %d: got %d events %v, want %d %v", limit, len(got), head(got), len(want), head(want))
			}
			if f.Query != "" { // the same list with every search walked word by word
				restore := timeline.SetCommonTerm(0)
				got := walk(t, s, f, timeline.PageRequest{Limit: limit})
				restore()
				if !slices.Equal(got, want) {
					t.Errorf("walked search: got %d events %v, want %d %v", len(got), head(got), len(want), head(want))
				}
				rel, err := s.NaiveList(ctx, f, true, 0)
				if err != nil {
					t.Fatal(err)
				}
				if got := walk(t, s, f, timeline.PageRequest{Limit: limit, Sort: timeline.SortRelevance}); !slices.Equal(got, rel) {
					t.Errorf("by relevance: got %v, want %v", head(got), head(rel))
				}
			}
			throughKeys(t, s, f, limit, want)
			at := timeline.Day((1940+r.IntN(90))*10000 + 101)
			from, err := s.NaiveList(ctx, f, false, at)
			if err != nil {
				t.Fatal(err)
			}
			if got := firstPage(t, s, f, timeline.PageRequest{Limit: 20, At: at}); !slices.Equal(got, from[:min(20, len(from))]) {
				t.Errorf("jump to %d: got %v, want %v", at, got, from[:min(20, len(from))])
			}
			n, err := s.Count(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(want) {
				t.Errorf("Count: got %d, want %d", n, len(want))
			}
			points, more, err := s.Points(ctx, f, 100)
			if err != nil {
				t.Fatal(err)
			}
			var pointSlugs []string
			for _, p := range points {
				pointSlugs = append(pointSlugs, p.Slug)
			}
			if !slices.Equal(pointSlugs, want[:min(100, len(want))]) || more != (len(want) > 100) {
				t.Errorf("Points: got %v (more %v), want %v", head(pointSlugs), more, head(want[:min(100, len(want))]))
			}
			checkFacets(t, s, f, len(want))
		})
	}
	// The counts the triggers keep follow every kind of write: edits that
	// move events to other months and years and give them spans, change
	// their category, significance, actors and tags; deletions,
	// restorations and an import.
	writeAtRandom(t, s, r)
	// Every write rebuilt the packs it made stale before it committed.
	if n, err := s.StalePacks(ctx); err != nil || n != 0 {
		t.Fatalf("after the writes %d packs are stale (%v), want 0", n, err)
	}
	for i := range 40 {
		f := randomFilter(r)
		if i%2 == 0 && f.Query == "" { // dates alone, the month tables' whole answer
			f.Categories, f.Actors, f.Tags, f.MinSignificance = nil, nil, nil, 0
		}
		t.Run(fmt.Sprintf("after writes %d %s", i, f.Values().Encode()), func(t *testing.T) {
			want, err := s.NaiveList(ctx, f, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := s.Count(ctx, f); err != nil || n != len(want) {
				t.Errorf("Count: got %d (%v), want %d", n, err, len(want))
			}
			checkFacets(t, s, f, len(want))
			throughKeys(t, s, f, 500, want) // the keys follow edits too
		})
	}
	// Ranges from any day to any day, as readers type them: the month
	// tables sum the months at either end whole less what lies outside, or
	// count what lies inside, by the day of the month.
	// Each range starts or ends on a day some event starts or ends, where
	// being off by one day shows.
	eventDay := func(long bool) time.Time {
		for {
			e, err := s.GetEvent(ctx, fmt.Sprintf("synth-%d", 1+r.IntN(2000)))
			if errors.Is(err, timeline.ErrNotFound) || (long && e.Latest()-e.Earliest() <= 10000) {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			d := e.Earliest()
			if r.IntN(2) == 0 {
				d = e.Latest()
			}
			if d.Date().Year < 1900 || d.Date().Year > 2100 {
				continue
			}
			return time.Date(d.Date().Year, time.Month(d.Date().Month), d.Date().Day, 0, 0, 0, 0, time.UTC)
		}
	}
	// Some have an actor or a tag, counted from facet_events alone, and some
	// end on the day an event of more than a year ends, which that count
	// reads from its own index.
	packed := 0
	for i := range 80 {
		from := eventDay(false)
		to := from.AddDate(0, 0, []int{0, 5, 20, 29, 30, 40, 61, 400, 731}[r.IntN(9)])
		if i%2 == 0 {
			to = eventDay(i%4 == 0)
			from = to.AddDate(0, 0, -[]int{0, 5, 20, 29, 30, 40, 61, 400, 731}[r.IntN(9)])
		}
		f := timeline.Filter{From: timeline.MustDate(from.Format(time.DateOnly)), To: timeline.MustDate(to.Format(time.DateOnly))}
		if i%3 == 0 {
			f.Categories = []timeline.Category{timeline.Categories[r.IntN(len(timeline.Categories))]}
		}
		switch i % 5 {
		case 1:
			f.Tags = []string{[]string{"abductions", "sanctions", "summits", "topic-7"}[r.IntN(4)]}
		case 2:
			f.Actors = []string{fmt.Sprintf("synth-actor-0-%d", r.IntN(10))}
		}
		t.Run(fmt.Sprintf("days %d %s", i, f.Values().Encode()), func(t *testing.T) {
			want, err := s.NaiveList(ctx, f, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			if checkFacets(t, s, f, len(want)) {
				packed++
			}
		})
	}
	// Those without actors or tags (three in five) are read from the
	// packs.
	if packed < 40 {
		t.Errorf("the packs answered %d of 80 ranges, want 40 or more", packed)
	}
	for _, f := range []timeline.Filter{{Actors: []string{"synth-actor-0-3"}}, {Tags: []string{"sanctions"}}, {Tags: []string{"topic-7"}}} {
		want, err := s.NaiveList(ctx, f, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.Count(ctx, f); err != nil || n != len(want) {
			t.Errorf("Count %v: got %d (%v), want %d", f.Values(), n, err, len(want))
		}
	}
}

// writeAtRandom edits, deletes, restores and imports synthetic events.
func writeAtRandom(t *testing.T, s *timeline.Store, r *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	get := func() (timeline.Event, bool) {
		e, err := s.GetEvent(ctx, fmt.Sprintf("synth-%d", 1+r.IntN(2000)))
		if errors.Is(err, timeline.ErrNotFound) {
			return e, false
		} else if err != nil {
			t.Fatal(err)
		}
		return e, true
	}
	var deleted []timeline.Event
	for i := range 60 {
		e, ok := get()
		if !ok {
			continue
		}
		switch i % 4 {
		case 0: // new dates, often spanning months or years
			e.Start = timeline.Date{Year: 1945 + r.IntN(81)}
			if r.IntN(3) > 0 {
				e.Start.Month = 1 + r.IntN(12)
			}
			e.End = timeline.Date{}
			if r.IntN(2) == 0 {
				end := timeline.Date{Year: e.Start.Year + r.IntN(3), Month: 1 + r.IntN(12)}
				if end.Earliest() > e.Start.Latest() {
					e.End = end
				}
			}
		case 1:
			e.Category = timeline.Categories[r.IntN(len(timeline.Categories))]
			e.Significance = 1 + r.IntN(3)
		case 2: // other actors and tags
			other, ok := get()
			if !ok {
				continue
			}
			e.Actors = append(e.Actors[:1], other.Actors...)
			e.Actors = slices.CompactFunc(e.Actors, func(a, b timeline.EventActor) bool { return a.Actor.Slug == b.Actor.Slug })
			e.Tags = []string{"topic-7", []string{"sanctions", "abductions", "topic-150"}[r.IntN(3)]}
		case 3: // edited (so that it has a revision to restore), then deleted
			e.Title += " (edited)"
			if err := s.UpdateEvent(ctx, e.Slug, &e, timeline.Change{Author: "test"}); err != nil {
				t.Fatalf("update %s: %v", e.Slug, err)
			}
			if err := s.DeleteEvent(ctx, e.Slug, e.Version, timeline.Change{Author: "test"}); err != nil {
				t.Fatal(err)
			}
			deleted = append(deleted, e)
			continue
		}
		if err := s.UpdateEvent(ctx, e.Slug, &e, timeline.Change{Author: "test"}); err != nil {
			t.Fatalf("update %s: %v", e.Slug, err)
		}
	}
	for _, e := range deleted[:len(deleted)/2] {
		if _, err := s.RestoreEvent(ctx, e.Slug, e.Version, e.Version+1, timeline.Change{Author: "test"}); err != nil {
			t.Fatalf("restore %s: %v", e.Slug, err)
		}
	}
	var ds timeline.Dataset
	for i := range 10 {
		e, ok := get()
		if !ok {
			continue
		}
		if i%2 == 0 { // a new event, a year long, by the same actors
			e.Slug, e.Title = fmt.Sprintf("imported-%d", i), fmt.Sprintf("Imported %d", i)
			e.Start, e.End = timeline.Date{Year: 2001 + i}, timeline.Date{}
		} else {
			e.Start = timeline.Date{Year: e.Start.Year + 1, Month: 3}
			if !e.End.IsZero() && e.End.Latest() < e.Start.Earliest() {
				e.End = timeline.Date{} // an end the move left behind
			}
		}
		ds.Events = append(ds.Events, e)
	}
	if _, err := s.Import(ctx, ds, timeline.Change{Author: "import:test"}, timeline.ImportOptions{}); err != nil {
		t.Fatalf("import: %v", err)
	}
}

// randomFilter draws a filter from the synthetic data's vocabulary, with
// each part present about half the time or less.
// throughKeys holds the lists and counts of f read through the search
// index's keys (an actor, a tag or words within dates) to want: the
// synthetic actors, tags and words are in too few events to take that path
// by themselves.
func throughKeys(t *testing.T, s *timeline.Store, f timeline.Filter, limit int, want []string) {
	t.Helper()
	if len(f.Actors)+len(f.Tags) == 0 && f.Query == "" || f.From.IsZero() && f.To.IsZero() {
		return
	}
	restore := timeline.SetFewKeyEvents(0)
	defer restore()
	if got := walk(t, s, f, timeline.PageRequest{Limit: limit}); !slices.Equal(got, want) {
		t.Errorf("through the keys: got %d events %v, want %d %v", len(got), head(got), len(want), head(want))
	}
	checkFacets(t, s, f, len(want))
}

func randomFilter(r *rand.Rand) timeline.Filter {
	var f timeline.Filter
	if r.IntN(2) == 0 {
		f.From = randomDate(r)
	}
	if r.IntN(2) == 0 {
		f.To = randomDate(r)
		if !f.From.IsZero() && f.To.Latest() < f.From.Earliest() {
			f.From, f.To = f.To, f.From
		}
	}
	for range r.IntN(4) {
		if c := timeline.Categories[r.IntN(len(timeline.Categories))]; !slices.Contains(f.Categories, c) {
			f.Categories = append(f.Categories, c)
		}
	}
	for range r.IntN(3) / 2 {
		// Low-numbered actors are in many events, high-numbered in few.
		f.Actors = append(f.Actors, fmt.Sprintf("synth-actor-0-%d", r.IntN(40)))
	}
	for range r.IntN(3) / 2 {
		tags := []string{"abductions", "sanctions", "summits", "red-cross", "topic-7", "topic-150"}
		f.Tags = append(f.Tags, tags[r.IntN(len(tags))])
	}
	f.MinSignificance = []int{0, 0, 1, 2, 3}[r.IntN(5)]
	f.Certain = r.IntN(4) == 0
	if r.IntN(3) == 0 {
		queries := []string{"japan", "japan sanctions", "zanzibar", "stock", "summit", "tokyo", "ka", "拉致", "制裁", "북일", "the two sides", `"japan`, "NEAR(japan",
			"abduction", "납치 문제", "sanctions tokyo", "제재", "normalization talks", "拉致 japan"}
		f.Query = queries[r.IntN(len(queries))]
	}
	f.Actors = slices.Compact(f.Actors)
	f.Tags = slices.Compact(f.Tags)
	return f
}

func randomDate(r *rand.Rand) timeline.Date {
	d := timeline.Date{Year: 1940 + r.IntN(90)}
	if r.IntN(2) == 0 {
		d.Month = 1 + r.IntN(12)
		if r.IntN(2) == 0 {
			d.Day = 1 + r.IntN(28)
		}
	}
	return d
}

// walk reads every page forwards, then checks that reading back from the
// last page with Prev gives the same pages in reverse.
func walk(t *testing.T, s *timeline.Store, f timeline.Filter, pr timeline.PageRequest) []string {
	t.Helper()
	ctx := context.Background()
	var pages []timeline.Page
	for {
		p, err := s.ListEvents(ctx, f, pr)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
		if p.Next == "" || len(pages) > 3100 {
			break
		}
		pr.Cursor = p.Next
	}
	var out []string
	for _, p := range pages {
		out = append(out, slugs(p)...)
	}
	for i := len(pages) - 1; i > 0; i-- {
		pr.Cursor = pages[i].Prev
		back, err := s.ListEvents(ctx, f, pr)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(back), slugs(pages[i-1]); !slices.Equal(got, want) {
			t.Fatalf("page %d read backwards: got %v, want %v", i-1, got, want)
		}
	}
	return out
}

func firstPage(t *testing.T, s *timeline.Store, f timeline.Filter, pr timeline.PageRequest) []string {
	t.Helper()
	p, err := s.ListEvents(context.Background(), f, pr)
	if err != nil {
		t.Fatal(err)
	}
	return slugs(p)
}

func slugs(p timeline.Page) []string {
	out := []string{}
	for _, e := range p.Events {
		out = append(out, e.Slug)
	}
	return out
}

// checkFacets compares the facet counts with counts of the oracle's
// events: the total, each year's counts by category, and each category's
// count with the filter's own categories left out.
// checkFacets holds f's facets to the plain count, and reports whether the
// packs answered them.
func checkFacets(t *testing.T, s *timeline.Store, f timeline.Filter, total int) (packed bool) {
	t.Helper()
	ctx := context.Background()
	fc, err := s.Facets(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if fc.Total != total {
		t.Errorf("Facets.Total: got %d, want %d", fc.Total, total)
	}
	years, err := s.NaiveYearCounts(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]map[timeline.Category]int{}
	for _, y := range fc.Years {
		got[y.Year] = y.ByCategory
	}
	if fmt.Sprint(got) != fmt.Sprint(years) {
		t.Errorf("Facets.Years: got %v, want %v", got, years)
	}
	rest := f
	rest.Categories = nil
	byCategory, err := s.NaiveYearCounts(ctx, rest)
	if err != nil {
		t.Fatal(err)
	}
	want := map[timeline.Category]int{}
	for _, cs := range byCategory {
		for c, n := range cs {
			want[c] += n
		}
	}
	for _, c := range fc.Categories {
		if c.N != want[timeline.Category(c.Value)] {
			t.Errorf("Facets category %s: got %d, want %d", c.Value, c.N, want[timeline.Category(c.Value)])
		}
	}
	actors, tags, err := s.NaiveGroupCounts(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		name  string
		got   []timeline.Count
		want  map[string]int
		named []string
	}{{"actor", fc.Actors, actors, f.Actors}, {"tag", fc.Tags, tags, f.Tags}} {
		// Every count shown is exact, and none left out is larger than the
		// smallest shown (besides the values the filter names).
		shown := map[string]bool{}
		least := -1
		for _, c := range g.got {
			shown[c.Value] = true
			if c.N != g.want[c.Value] {
				t.Errorf("Facets %s %s: got %d, want %d", g.name, c.Value, c.N, g.want[c.Value])
			}
			if !slices.Contains(g.named, c.Value) && (least < 0 || c.N < least) {
				least = c.N
			}
		}
		for v, n := range g.want {
			if !shown[v] && (len(g.got) < timeline.FacetLimit || n > least) {
				t.Errorf("Facets %s %s (%d events) left out; the least shown has %d", g.name, v, n, least)
			}
		}
	}
	// The per-month tables, the packs and the plain count agree to the
	// letter.
	counted, err := s.FacetsCounted(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(fc) != fmt.Sprint(counted) {
		t.Errorf("Facets differ from the plain count:\n got %+v\nwant %+v", fc, counted)
	}
	if tables, ok, err := s.FacetsTables(ctx, f); err != nil {
		t.Fatal(err)
	} else if ok && fmt.Sprint(tables) != fmt.Sprint(counted) {
		t.Errorf("Facets from the month tables differ from the plain count:\n got %+v\nwant %+v", tables, counted)
	}
	fromPacks, ok, err := s.FacetsPacked(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if ok && fmt.Sprint(fromPacks) != fmt.Sprint(counted) {
		t.Errorf("Facets from the packs differ from the plain count:\n got %+v\nwant %+v", fromPacks, counted)
	}
	return ok
}

func head(s []string) []string { return s[:min(5, len(s))] }
