package timeline_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

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
}

// randomFilter draws a filter from the synthetic data's vocabulary, with
// each part present about half the time or less.
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
func checkFacets(t *testing.T, s *timeline.Store, f timeline.Filter, total int) {
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
}

func head(s []string) []string { return s[:min(5, len(s))] }
