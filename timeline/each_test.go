package timeline_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// paged is the plain way of reading every event a filter selects, whole:
// ListEvents page by page (the oracle of EachEvent).
func paged(t *testing.T, s *timeline.Store, f timeline.Filter) []timeline.Event {
	t.Helper()
	var out []timeline.Event
	pr := timeline.PageRequest{Limit: 500}
	for {
		p, err := s.ListEvents(context.Background(), f, pr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Events...)
		if p.Next == "" {
			return out
		}
		pr.Cursor = p.Next
	}
}

func each(t *testing.T, s *timeline.Store, f timeline.Filter, o timeline.EachOptions) []timeline.Event {
	t.Helper()
	var out []timeline.Event
	if err := s.EachEventWith(context.Background(), f, o, func(e timeline.Event) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// slimmed is what a slim read gives of whole events (EachOptions.Slim).
func slimmed(evs []timeline.Event) []timeline.Event {
	out := make([]timeline.Event, len(evs))
	for i, e := range evs {
		out[i] = timeline.Event{Slug: e.Slug, Start: e.Start, End: e.End, Title: e.Title, TitleJA: e.TitleJA, TitleKO: e.TitleKO,
			Summary: e.Summary, SummaryJA: e.SummaryJA, SummaryKO: e.SummaryKO, Category: e.Category,
			Significance: e.Significance, Location: e.Location, LocationJA: e.LocationJA, LocationKO: e.LocationKO,
			Actors: []timeline.EventActor{}, Tags: e.Tags, Sources: []timeline.Source{}, Related: []timeline.Relation{}}
		for _, a := range e.Actors {
			out[i].Actors = append(out[i].Actors, timeline.EventActor{Actor: timeline.Actor{Slug: a.Slug}})
		}
		for _, s := range e.Sources {
			if s.URL != "" {
				out[i].Sources = append(out[i].Sources, timeline.Source{URL: s.URL})
			}
		}
	}
	return out
}

// sameEvents reports the first difference between two lists of events.
func sameEvents(t *testing.T, got, want []timeline.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d events, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("event %d: got %+v\nwant %+v", i, got[i], want[i])
			return
		}
	}
}

// TestEachEventMatchesPages: EachEvent, which reads chunks of events in
// id order and sorts them, gives the events ListEvents gives page by page,
// whole and in the same order (or, read slim, what a slim read keeps of
// them), at every chunk size (a chunk of one event, a few, more than
// there are, growing), for the shipped dataset (with actors' roles, dated
// sources and related events) and random filters over a synthetic one.
func TestEachEventMatchesPages(t *testing.T) {
	shipped := openShipped(t)
	filters := []timeline.Filter{
		{},
		{From: timeline.Date{Year: 2002}, To: timeline.Date{Year: 2004}},
		{Categories: []timeline.Category{"summit", "abduction"}},
		{Actors: []string{"koizumi-junichiro"}},
		{Tags: []string{"abductions"}},
		{Query: "abduction"},
		{Certain: true, From: timeline.Date{Year: 1990}},
	}
	for _, chunk := range []int{1, 7, 100000} {
		shipped.SetEachChunk(chunk)
		for _, f := range filters {
			t.Run(fmt.Sprintf("shipped chunk %d %s", chunk, f.Values().Encode()), func(t *testing.T) {
				want := paged(t, shipped, f)
				if len(want) == 0 {
					t.Fatal("the filter selects nothing: choose one that tests something")
				}
				sameEvents(t, each(t, shipped, f, timeline.EachOptions{}), want)
				sameEvents(t, each(t, shipped, f, timeline.EachOptions{Slim: true}), slimmed(want))
			})
		}
	}

	ctx := context.Background()
	s, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := synth.Fill(ctx, s, synth.Options{Events: 3000, Seed: 16}); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(16, 61))
	for i := range 30 {
		f := randomFilter(r)
		chunk := []int{1, 3, 250, 5000}[r.IntN(4)]
		t.Run(fmt.Sprintf("synth %d chunk %d %s", i, chunk, f.Values().Encode()), func(t *testing.T) {
			s.SetEachChunk(chunk)
			want := paged(t, s, f)
			sameEvents(t, each(t, s, f, timeline.EachOptions{}), want)
			sameEvents(t, each(t, s, f, timeline.EachOptions{Slim: true}), slimmed(want))
			// With a budget, the chunks grow (their queries are quick).
			sameEvents(t, each(t, s, f, timeline.EachOptions{Budget: time.Hour}), want)
		})
	}
}

// TestEachEventWithinBudget: a chunk that has not given its first event
// within the budget fails with context.DeadlineExceeded, and an error of
// fn stops the reading and comes back as it is.
func TestEachEventWithinBudget(t *testing.T) {
	s := openShipped(t)
	ctx := context.Background()
	err := s.EachEventWith(ctx, timeline.Filter{}, timeline.EachOptions{Budget: 1}, func(timeline.Event) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a budget of 1 ns: got %v, want context.DeadlineExceeded", err)
	}
	stop := errors.New("stop")
	n := 0
	err = s.EachEventWith(ctx, timeline.Filter{}, timeline.EachOptions{}, func(timeline.Event) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("fn failing at the third event: got %v after %d events, want stop after 3", err, n)
	}
}

// TestEachEventRereadsAChunkOverBudget: a chunk whose query has given no
// event within the budget (none of it has gone out) is read again, half
// as large, and the read goes on whole; the least chunk over the budget
// fails with context.DeadlineExceeded, as before.
func TestEachEventRereadsAChunkOverBudget(t *testing.T) {
	ctx := context.Background()
	s, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := synth.Fill(ctx, s, synth.Options{Events: 1000, Seed: 16}); err != nil {
		t.Fatal(err)
	}
	s.SetEachChunk(100) // the least; a quick chunk is followed by a larger one
	stalled := 0
	s.SetEachHook(func(qctx context.Context, n int) {
		if n > 100 && stalled < 2 {
			stalled++
			<-qctx.Done() // this chunk's query outlasts the budget
		}
	})
	want := paged(t, s, timeline.Filter{})
	sameEvents(t, each(t, s, timeline.Filter{}, timeline.EachOptions{Budget: 500 * time.Millisecond}), want)
	if stalled != 2 {
		t.Errorf("%d chunks stalled, want 2", stalled)
	}
	s.SetEachHook(func(qctx context.Context, n int) { <-qctx.Done() })
	err = s.EachEventWith(ctx, timeline.Filter{}, timeline.EachOptions{Budget: 50 * time.Millisecond}, func(timeline.Event) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("every chunk over the budget: got %v, want context.DeadlineExceeded", err)
	}
}
