package timeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestStoryStepWalksAView(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	a := mustCreate(t, s, testEvent("2002-09-17", "Summit"))
	b := mustCreate(t, s, testEvent("2002-10", "Return"))
	other := testEvent("2003", "Elsewhere")
	other.Category = "missile"
	other = mustCreate(t, s, other)
	c := mustCreate(t, s, testEvent("2004-05-22", "Second summit"))
	f := Filter{Categories: []Category{"negotiation"}}

	first, err := s.StoryStep(ctx, f, "")
	if err != nil {
		t.Fatal(err)
	}
	if first.Event.Slug != a.Slug || first.Index != 0 || first.Total != 3 || first.Prev.Slug != "" || first.Next.Slug != b.Slug {
		t.Errorf("first step = %s #%d of %d, prev %q next %q; want %s #0 of 3, next %s", first.Event.Slug, first.Index, first.Total, first.Prev.Slug, first.Next.Slug, a.Slug, b.Slug)
	}
	if len(first.Event.Sources) == 0 || len(first.Event.Actors) == 0 {
		t.Errorf("the step's event comes without its sources or actors")
	}
	mid, err := s.StoryStep(ctx, f, b.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if mid.Index != 1 || mid.Prev.Slug != a.Slug || mid.Next.Slug != c.Slug {
		t.Errorf("middle step = #%d prev %q next %q, want #1 between %s and %s", mid.Index, mid.Prev.Slug, mid.Next.Slug, a.Slug, c.Slug)
	}
	last, err := s.StoryStep(ctx, f, c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if last.Index != 2 || last.Next.Slug != "" || last.Prev.Slug != b.Slug {
		t.Errorf("last step = #%d prev %q next %q", last.Index, last.Prev.Slug, last.Next.Slug)
	}
	for _, slug := range []string{other.Slug, "no-such-event"} {
		if _, err := s.StoryStep(ctx, f, slug); !errors.Is(err, ErrNotFound) {
			t.Errorf("step at %s: err = %v, want ErrNotFound", slug, err)
		}
	}
	if _, err := s.StoryStep(ctx, Filter{Query: "nothingmatches"}, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty view: err = %v, want ErrNotFound", err)
	}
}

func TestThreadFollowsLinksBothWays(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	link := func(e Event, to Event) Event {
		e.Related = []Relation{{Slug: to.Slug, Relation: "follows"}}
		return e
	}
	root := mustCreate(t, s, testEvent("2001", "Secret talks"))
	summit := mustCreate(t, s, link(testEvent("2002-09-17", "Summit"), root))
	five := mustCreate(t, s, link(testEvent("2002-10-15", "Return of five"), summit))
	second := mustCreate(t, s, link(testEvent("2004-05-22", "Second summit"), five))
	remains := mustCreate(t, s, link(testEvent("2004-12", "Remains dispute"), second))
	mustCreate(t, s, link(testEvent("2005", "Three links on"), remains))
	mustCreate(t, s, testEvent("2003", "Unlinked"))

	got, err := s.Thread(ctx, five.Slug, 2, 50)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{root.Slug, summit.Slug, five.Slug, second.Slug, remains.Slug}
	if !slices.Equal(slugsOf(got), want) {
		t.Errorf("thread = %v, want %v (two links each way, in date order)", slugsOf(got), want)
	}
	got, err = s.Thread(ctx, five.Slug, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(slugsOf(got), []string{summit.Slug, five.Slug, second.Slug}) {
		t.Errorf("thread capped at 3 = %v, want the event and its direct links", slugsOf(got))
	}
	if _, err := s.Thread(ctx, "no-such-event", 2, 50); !errors.Is(err, ErrNotFound) {
		t.Errorf("thread of a missing event: err = %v, want ErrNotFound", err)
	}
}

func TestGetEra(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	ds := Dataset{Eras: []Era{{Slug: "koizumi-summits", Name: "The Koizumi summits", Start: MustDate("2002-09"), End: MustDate("2004-05"), Description: "Two summits."}}}
	if _, err := s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := s.GetEra(ctx, "koizumi-summits")
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "The Koizumi summits" || r.Start.String() != "2002-09" || r.End.String() != "2004-05" || r.Description != "Two summits." {
		t.Errorf("era = %+v", r)
	}
	if !r.Overlaps(MustDate("2004").Earliest(), MustDate("2004").Latest()) || r.Overlaps(MustDate("2005").Earliest(), MustDate("2005").Latest()) {
		t.Errorf("Overlaps is wrong at the era's end")
	}
	if _, err := s.GetEra(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing era: err = %v, want ErrNotFound", err)
	}
}

// TestStoryPositionUnfiltered holds the unfiltered position, read from the
// year counts, to the plain list order, across years and after a delete.
func TestStoryPositionUnfiltered(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	for i, d := range []string{"1977", "1977-11", "1977-11-15", "1978-06", "2002-09-17", "2002", "2002-09-17", "2004-05-22", "2014-05"} {
		mustCreate(t, s, testEvent(d, fmt.Sprintf("Event %d", 9-i)))
	}
	gone := mustCreate(t, s, testEvent("2002-10", "Deleted"))
	if err := s.DeleteEvent(ctx, gone.Slug, gone.Version, Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	all := list(t, s, Filter{})
	for i, slug := range all {
		st, err := s.StoryStep(ctx, Filter{}, slug)
		if err != nil {
			t.Fatal(err)
		}
		if st.Index != i || st.Total != len(all) {
			t.Errorf("%s: step %d of %d, want %d of %d", slug, st.Index, st.Total, i, len(all))
		}
	}
}
