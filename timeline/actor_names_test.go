package timeline

import (
	"context"
	"reflect"
	"testing"
)

// TestActorNames: a list's cards and counts name their actors (in English,
// Japanese and Korean) from the store's actors by id as they would from
// the table: a new actor is named
// at once, also by a request reading at the version before it was written
// (whose kept actors lack it), and a store with more actors than it keeps
// gives the same pages.
func TestActorNames(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	for _, d := range []string{"2002-09-17", "2004-05-22", "2014-05-29"} {
		mustCreate(t, s, testEvent(d, "Talks of "+d))
	}
	f := Filter{From: MustDate("2000"), To: MustDate("2020")}
	type view struct {
		Actors [][]EventActor
		Counts []Count
	}
	read := func(ctx context.Context) view {
		t.Helper()
		page, err := s.ListEvents(ctx, f, PageRequest{Cards: true})
		if err != nil {
			t.Fatal(err)
		}
		fs, err := s.Facets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var v view
		for _, e := range page.Events {
			v.Actors = append(v.Actors, e.Actors)
		}
		v.Counts = fs.Actors
		return v
	}
	old, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	atOld := ReadingAt(ctx, s, old, s.now())
	before := read(atOld) // keeps the actors as of old

	e := testEvent("2010-03-01", "A new envoy's visit")
	kim := Actor{Slug: "new-envoy", Name: "A New Envoy", NameJA: "新特使", Kind: "person", Country: "KP"}
	e.Actors = append(e.Actors, EventActor{Actor: kim, Role: "visitor"})
	mustCreate(t, s, e)

	wantNew := []EventActor{{Actor: Actor{Slug: "japan", Name: "Japan", NameJA: "日本", Kind: "state", Country: "JP"}, Role: "party"}, {Actor: kim, Role: "visitor"}}
	for _, tt := range []struct {
		name string
		ctx  context.Context
	}{
		{"at the version before the write", atOld}, // first: the kept actors are old's
		{"now", ctx},
	} {
		v := read(tt.ctx)
		if len(v.Actors) != 4 || !reflect.DeepEqual(v.Actors[2], wantNew) {
			t.Errorf("%s: cards' actors %v; want the third card's %v", tt.name, v.Actors, wantNew)
		}
		if !hasCount(v.Counts, Count{Value: "new-envoy", Label: "A New Envoy", LabelJA: "新特使", N: 1}) {
			t.Errorf("%s: actor counts %v lack the new envoy", tt.name, v.Counts)
		}
	}
	if len(before.Actors) != 3 {
		t.Errorf("before the write: %d cards, want 3", len(before.Actors))
	}

	// Too many actors to keep: the same view, from the table.
	kept := read(ctx)
	defer func(n int) { maxActorNames = n }(maxActorNames)
	maxActorNames = 1
	mustCreate(t, s, testEvent("1990-01-01", "Outside the range")) // a new version: read again
	if got := read(ctx); !reflect.DeepEqual(got, kept) {
		t.Errorf("with too many actors to keep:\n got %v\nwant %v", got, kept)
	}
	if byID, err := s.actorsByID(ctx); err != nil || byID != nil {
		t.Errorf("actorsByID with 2 actors and room for 1 = %v, %v; want none kept", byID, err)
	}
}

func hasCount(cs []Count, c Count) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}
