package timeline

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseAsOf(t *testing.T) {
	for _, tt := range []struct {
		in, want string // want "" means refused
	}{
		{"2026-11-29", "2026-11-29"},
		{"2026-11-29T23:59:59.999999Z", "2026-11-29"},
		{"2026-11-29T06:10", "2026-11-29T06:10:00Z"},
		{"2026-11-29T06:10:07", "2026-11-29T06:10:07Z"},
		{"2026-11-29T06:10:07Z", "2026-11-29T06:10:07Z"},
		{"2026-11-29T06:10:07.25Z", "2026-11-29T06:10:07.25Z"},
		{"2026-11-29T06:10:07+00:00", "2026-11-29T06:10:07Z"},
		{"2026-11-29T06:10:07+09:00", ""},
		{"2026-11", ""},
		{"2026-02-30", ""},
		{"yesterday", ""},
		{"", ""},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAsOf(tt.in)
			if tt.want == "" {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Problems["as_of"] == "" {
					t.Fatalf("ParseAsOf(%q) = %v, %v; want a problem keyed as_of", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := FormatAsOf(got); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
			if back, err := ParseAsOf(FormatAsOf(got)); err != nil || !back.Equal(got) {
				t.Errorf("FormatAsOf does not read back: %v, %v", back, err)
			}
		})
	}
}

// asOfFixture writes, a minute apart: A created (t1), B created (t2), A
// retitled (t3), B deleted (t4), C created (t5). It returns the times.
func asOfFixture(t *testing.T, s *Store) (a, b, c Event, at [6]time.Time) {
	t.Helper()
	ctx := context.Background()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return clock })
	step := func(i int) { clock = clock.Add(time.Minute); at[i] = clock }
	step(1)
	a = mustCreate(t, s, testEvent("2002-09-17", "Pyongyang summit"))
	step(2)
	b = testEvent("2004-05-22", "Second summit")
	b.Related = []Relation{{Slug: a.Slug, Relation: "follows"}}
	b = mustCreate(t, s, b)
	step(3)
	a.Title = "Pyongyang summit and declaration"
	if err := s.UpdateEvent(ctx, a.Slug, &a, Change{Author: "editor", Summary: "title"}); err != nil {
		t.Fatal(err)
	}
	step(4)
	if err := s.DeleteEvent(ctx, b.Slug, b.Version, Change{Author: "editor"}); err != nil {
		t.Fatal(err)
	}
	step(5)
	c = mustCreate(t, s, testEvent("2014-05-29", "Stockholm agreement"))
	clock = clock.Add(time.Hour)
	return a, b, c, at
}

func TestEventAtShowsOldTitleAndDeletedEvent(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	a, b, c, at := asOfFixture(t, s)
	half := 30 * time.Second

	for _, tt := range []struct {
		slug  string
		at    time.Time
		title string // "" means not there
	}{
		{a.Slug, at[1], "Pyongyang summit"},
		{a.Slug, at[3].Add(-time.Microsecond), "Pyongyang summit"},
		{a.Slug, at[3], "Pyongyang summit and declaration"},
		{b.Slug, at[1].Add(half), ""},
		{b.Slug, at[3].Add(half), "Second summit"},
		{b.Slug, at[4], ""},
		{c.Slug, at[4].Add(half), ""},
		{c.Slug, at[5], "Stockholm agreement"},
	} {
		e, err := s.EventAt(ctx, tt.slug, tt.at)
		switch {
		case tt.title == "" && !errors.Is(err, ErrNotFound):
			t.Errorf("%s at %s: got %q, %v; want ErrNotFound", tt.slug, FormatAsOf(tt.at), e.Title, err)
		case tt.title != "" && (err != nil || e.Title != tt.title):
			t.Errorf("%s at %s: got %q, %v; want %q", tt.slug, FormatAsOf(tt.at), e.Title, err, tt.title)
		}
	}
	old, err := s.EventAt(ctx, a.Slug, at[2])
	if err != nil {
		t.Fatal(err)
	}
	if old.Version != 1 || !old.UpdatedAt.Equal(at[1]) || old.DeletedAt != nil {
		t.Errorf("A at t2: version %d, updated %v, deleted %v; want version 1 updated at t1, live", old.Version, old.UpdatedAt, old.DeletedAt)
	}
}

func TestStateAt(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	if _, err := s.StateAt(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, ErrAsOf) {
		t.Errorf("empty history: got %v, want ErrAsOf", err)
	}
	_, _, _, at := asOfFixture(t, s)

	a, err := s.StateAt(ctx, at[3].Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if !a.State.Equal(at[3]) || a.Since != 2 || !a.First.Equal(at[1]) || a.Current() {
		t.Errorf("state at t3+30s = %+v; want state t3, 2 since, first t1", a)
	}
	if a, err := s.StateAt(ctx, at[5]); err != nil || !a.Current() {
		t.Errorf("state at t5 = %+v, %v; want current", a, err)
	}
	for name, when := range map[string]time.Time{"before the first revision": at[1].Add(-time.Second), "in the future": at[5].Add(2 * time.Hour)} {
		_, err := s.StateAt(ctx, when)
		var ve *ValidationError
		if !errors.Is(err, ErrAsOf) || !errors.As(err, &ve) || ve.Problems["as_of"] == "" {
			t.Errorf("%s: got %v, want a problem keyed as_of", name, err)
		}
	}
	now, err := s.AsOfNow(ctx)
	if err != nil || !now.State.Equal(at[5]) {
		t.Errorf("AsOfNow = %+v, %v; want state t5", now, err)
	}
	if got := (AsOf{State: at[5].Add(250 * time.Millisecond)}).CiteTime(); !got.Equal(at[5].Add(time.Second)) {
		t.Errorf("CiteTime rounds up to the second: got %v", got)
	}
}

func snapshotOf(t *testing.T, s *Store, at time.Time) *Store {
	t.Helper()
	snap, err := s.Snapshot(context.Background(), at, filepath.Join(t.TempDir(), "snap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { snap.Close() })
	return snap
}

func TestSnapshotAnswersAsThen(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	a, b, c, at := asOfFixture(t, s)

	snap := snapshotOf(t, s, at[3].Add(-time.Second))
	if got, want := list(t, snap, Filter{}), []string{a.Slug, b.Slug}; !slices.Equal(got, want) {
		t.Errorf("events at t3-1s = %v, want %v", got, want)
	}
	// The old title is what the search of then finds; the new one is not.
	if got := list(t, snap, Filter{Query: "summit"}); len(got) != 2 {
		t.Errorf("search summit = %v, want both", got)
	}
	if got := list(t, snap, Filter{Query: "declaration"}); len(got) != 0 {
		t.Errorf("search declaration = %v, want none (the word came later)", got)
	}
	got, err := snap.GetEvent(ctx, b.Slug)
	if err != nil {
		t.Fatalf("deleted-since event at t3-1s: %v", err)
	}
	if len(got.Related) != 1 || got.Related[0].Slug != a.Slug || len(got.Actors) != 1 || got.Version != 1 {
		t.Errorf("B at t3-1s = related %+v, actors %+v, version %d", got.Related, got.Actors, got.Version)
	}
	if f, err := snap.Facets(ctx, Filter{}); err != nil || f.Total != 2 {
		t.Errorf("facets at t3-1s: total %d, %v; want 2", f.Total, err)
	}
	if _, err := snap.GetEvent(ctx, c.Slug); !errors.Is(err, ErrNotFound) {
		t.Errorf("C before it was created: %v, want ErrNotFound", err)
	}
}

// The live store is the oracle of a snapshot taken now: after random
// creations, edits and deletions, both list the same events with the same
// titles, versions, actors and tags, and a snapshot at any earlier time
// lists what EachEventAt (the plain query) finds.
func TestSnapshotNowAgreesWithLiveStore(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
	r := rand.New(rand.NewPCG(7, 7))
	var live []Event
	var times []time.Time
	for i := range 60 {
		switch k := r.IntN(4); {
		case k < 2 || len(live) == 0:
			e := testEvent(fmt.Sprintf("%d-%02d", 1950+r.IntN(70), 1+r.IntN(12)), fmt.Sprintf("Event %d", i))
			if len(live) > 0 && r.IntN(2) == 0 {
				e.Related = []Relation{{Slug: live[r.IntN(len(live))].Slug, Relation: "follows"}}
			}
			live = append(live, mustCreate(t, s, e))
		case k == 2:
			j := r.IntN(len(live))
			live[j].Title = fmt.Sprintf("Event retitled at %d", i)
			live[j].Tags = append(live[j].Tags, fmt.Sprintf("t%d", i))
			if err := s.UpdateEvent(ctx, live[j].Slug, &live[j], Change{Author: "e"}); err != nil {
				t.Fatal(err)
			}
		default:
			// Only an event no live event links to can go: an edit of the
			// other would fail its check of links.
			j := r.IntN(len(live))
			if slices.ContainsFunc(live, func(e Event) bool { return len(e.Related) > 0 && e.Related[0].Slug == live[j].Slug }) {
				continue
			}
			if err := s.DeleteEvent(ctx, live[j].Slug, live[j].Version, Change{Author: "e"}); err != nil {
				t.Fatal(err)
			}
			live = slices.Delete(live, j, j+1)
		}
		times = append(times, clock)
	}
	describe := func(st *Store, f Filter) []string {
		var out []string
		if err := st.EachEvent(ctx, f, func(e Event) error {
			out = append(out, fmt.Sprintf("%s %q v%d %v %v %d", e.Slug, e.Title, e.Version, e.Tags, slugsOfActors(e), len(e.Sources)))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	snap := snapshotOf(t, s, clock)
	if got, want := describe(snap, Filter{}), describe(s, Filter{}); !slices.Equal(got, want) {
		t.Errorf("snapshot now:\n%q\nlive:\n%q", got, want)
	}
	f := Filter{Query: "retitled"}
	if got, want := describe(snap, f), describe(s, f); !slices.Equal(got, want) {
		t.Errorf("search in snapshot now = %q, live %q", got, want)
	}
	for _, when := range []time.Time{times[10], times[30], times[45]} {
		line := func(e Event) string {
			return fmt.Sprintf("%s %q v%d %v %v %d", e.Slug, e.Title, e.Version, e.Tags, slugsOfActors(e), len(e.Related))
		}
		var want []string
		if err := s.EachEventAt(ctx, when, func(e Event) error { want = append(want, line(e)); return nil }); err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := snapshotOf(t, s, when).EachEvent(ctx, Filter{}, func(e Event) error { got = append(got, line(e)); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("snapshot at %s = %q, plain query %q", FormatAsOf(when), got, want)
		}
	}
}

func slugsOfActors(e Event) []string {
	var out []string
	for _, a := range e.Actors {
		out = append(out, a.Slug+"/"+a.Role)
	}
	return out
}

func TestHistoryNamesEditorsPublicly(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	alice, err := s.CreateUser(ctx, "alice", RoleEditor, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "bob", RoleEditor, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "   ", "two\nlines", strings.Repeat("x", MaxDisplayName+1)} {
		var ve *ValidationError
		if err := s.SetDisplayName(ctx, "bob", bad); !errors.As(err, &ve) || ve.Problems["display_name"] == "" {
			t.Errorf("display name %q: got %v, want a display_name problem", bad, err)
		}
	}
	if err := s.SetDisplayName(ctx, "nobody", "N. Body"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: got %v, want ErrNotFound", err)
	}
	if err := s.SetDisplayName(ctx, "bob", "  B. Historian "); err != nil {
		t.Fatal(err)
	}
	e := testEvent("2002-09-17", "Pyongyang summit")
	if err := s.CreateEvent(ctx, &e, Change{Author: "alice"}); err != nil {
		t.Fatal(err)
	}
	for i, author := range []string{"bob", "import:bob", "import:carol", "dataset", "carol"} {
		e.Summary = fmt.Sprintf("Summary, version %d.", i+2)
		if err := s.UpdateEvent(ctx, e.Slug, &e, Change{Author: author}); err != nil {
			t.Fatal(err)
		}
	}
	revs, err := s.Revisions(ctx, e.Slug)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range slices.Backward(revs) {
		got = append(got, r.Editor)
	}
	want := []string{fmt.Sprintf("Editor %d", alice.ID), "B. Historian", "import by B. Historian", "import", "dataset", "an editor"}
	if !slices.Equal(got, want) {
		t.Errorf("editors = %q, want %q (never a sign-in name)", got, want)
	}
	if revs[0].Author != "carol" {
		t.Errorf("Author keeps the sign-in name for editors' pages: got %q", revs[0].Author)
	}
}

// A read-only replica answers as_of too: the copy is its own file.
func TestSnapshotOfAReplica(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	a, b, _, at := asOfFixture(t, s)
	replica, err := Open(ctx, s.Path(), ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	replica.SetClock(func() time.Time { return at[5].Add(time.Hour) })
	snap := snapshotOf(t, replica, at[2])
	if got, want := list(t, snap, Filter{}), []string{a.Slug, b.Slug}; !slices.Equal(got, want) {
		t.Errorf("replica's snapshot at t2 = %v, want %v", got, want)
	}
}
