package timeline

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testEvent returns a valid event with the given start and title.
func testEvent(start, title string) Event {
	return Event{
		Start:        MustDate(start),
		Title:        title,
		Summary:      "Summary of " + title,
		Category:     "negotiation",
		Significance: 2,
		Actors:       []EventActor{{Actor: Actor{Slug: "japan", Name: "Japan", NameJA: "日本", Kind: "state", Country: "JP"}, Role: "party"}},
		Sources:      []Source{{Publisher: "Ministry of Foreign Affairs of Japan", Title: "Diplomatic Bluebook", Language: "en"}},
		Tags:         []string{"test"},
	}
}

func mustCreate(t *testing.T, s *Store, e Event) Event {
	t.Helper()
	if err := s.CreateEvent(context.Background(), &e, Change{Author: "test"}); err != nil {
		t.Fatalf("create %q: %v", e.Title, err)
	}
	return e
}

func slugsOf(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Slug
	}
	return out
}

func list(t *testing.T, s *Store, f Filter) []string {
	t.Helper()
	var out []string
	err := s.EachEvent(context.Background(), f, func(e Event) error {
		out = append(out, e.Slug)
		return nil
	})
	if err != nil {
		t.Fatalf("list %+v: %v", f, err)
	}
	return out
}

func TestCreateGetUpdateConflict(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	e := testEvent("2014-05", "Stockholm agreement")
	e.TitleJA = "ストックホルム合意"
	e.Related = nil
	e = mustCreate(t, s, e)
	if e.Slug != "2014-05-stockholm-agreement" {
		t.Errorf("slug = %q, want one made from date and title", e.Slug)
	}
	got, err := s.GetEvent(ctx, e.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayDate() != "May 2014" || got.Version != 1 || got.Actors[0].NameJA != "日本" || got.Sources[0].Publisher == "" {
		t.Errorf("got %+v", got)
	}
	stale := got
	got.Summary = "Changed"
	if err := s.UpdateEvent(ctx, got.Slug, &got, Change{Author: "a"}); err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 {
		t.Errorf("version after update = %d, want 2", got.Version)
	}
	stale.Summary = "Stale change"
	err = s.UpdateEvent(ctx, stale.Slug, &stale, Change{Author: "b"})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("stale update: got %v, want ErrConflict", err)
	}
	again, _ := s.GetEvent(ctx, e.Slug)
	if again.Summary != "Changed" {
		t.Errorf("stale update overwrote: %q", again.Summary)
	}
	if _, err := s.GetEvent(ctx, "no-such-event"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteEvent(ctx, e.Slug, 2, Change{Author: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetEvent(ctx, e.Slug); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted event still visible: %v", err)
	}
	revs, err := s.Revisions(ctx, e.Slug)
	if err != nil || len(revs) != 3 || revs[0].Action != "delete" {
		t.Fatalf("revisions = %+v, %v", revs, err)
	}
	restored, err := s.RestoreEvent(ctx, e.Slug, 1, 3, Change{Author: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if restored.Version != 4 || restored.Summary != "Summary of Stockholm agreement" {
		t.Errorf("restored = v%d %q", restored.Version, restored.Summary)
	}
	if _, err := s.GetEvent(ctx, e.Slug); err != nil {
		t.Errorf("restored event not visible: %v", err)
	}
}

// Saving an event as it is stored (an edit form sent without a change, a
// PUT of what a GET returned) writes nothing, as an unchanged import does:
// no revision saying "no field differs", and the data version, so ETags
// and the citations that name it, stay as they were.
func TestUnchangedUpdateWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	e := mustCreate(t, s, testEvent("2014-05", "Stockholm agreement"))
	got, err := s.GetEvent(ctx, e.Slug)
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same := got
	if err := s.UpdateEvent(ctx, same.Slug, &same, Change{Author: "a", Summary: "nothing"}); err != nil {
		t.Fatal(err)
	}
	if same.Version != 1 {
		t.Errorf("version after an unchanged update = %d, want 1", same.Version)
	}
	if after, _ := s.DataVersion(ctx); after != before {
		t.Errorf("data version after an unchanged update = %d, want %d", after, before)
	}
	if revs, _ := s.Revisions(ctx, e.Slug); len(revs) != 1 {
		t.Errorf("revisions after an unchanged update = %d, want 1", len(revs))
	}
	// A stale unchanged update is still a conflict, and a change still writes.
	got.Summary = "Changed"
	if err := s.UpdateEvent(ctx, got.Slug, &got, Change{Author: "a"}); err != nil || got.Version != 2 {
		t.Fatalf("update: version %d, %v; want 2", got.Version, err)
	}
	stale := same
	if err := s.UpdateEvent(ctx, stale.Slug, &stale, Change{Author: "a"}); !errors.Is(err, ErrConflict) {
		t.Errorf("stale unchanged update: got %v, want ErrConflict", err)
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	s := newTestStore(t)
	e := Event{Title: strings.Repeat("x", 201), Category: "party", Significance: 9,
		Sources: []Source{{URL: "javascript:alert(1)", Language: "fr"}}, Related: []Relation{{Slug: "nope", Relation: "likes"}}}
	err := s.CreateEvent(context.Background(), &e, Change{})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want *ValidationError", err)
	}
	for _, f := range []string{"slug", "title", "summary", "start", "category", "significance", "sources[0].publisher", "sources[0].title", "sources[0].url", "sources[0].language", "related[0].relation"} {
		if ve.Problems[f] == "" {
			t.Errorf("no problem reported for %s (got %v)", f, ve.Problems)
		}
	}
	// References are checked by the store, naming the field.
	e = testEvent("2002-09-17", "Summit")
	e.Related = []Relation{{Slug: "missing-event", Relation: "follows"}}
	e.Actors = append(e.Actors, EventActor{Actor: Actor{Slug: "nobody"}, Role: "x"})
	err = s.CreateEvent(context.Background(), &e, Change{})
	if !errors.As(err, &ve) || ve.Problems["related[0].slug"] == "" || ve.Problems["actors[1].slug"] == "" {
		t.Fatalf("got %v, want problems for related[0].slug and actors[1].slug", err)
	}
	if n, _ := s.Count(context.Background(), Filter{}); n != 0 {
		t.Errorf("a refused create left %d events", n)
	}
}

func TestRangeOverlap(t *testing.T) {
	s := newTestStore(t)
	for _, e := range []Event{
		testEvent("2008", "Year event"),
		testEvent("2008-06", "Month event"),
		testEvent("2008-06-30", "Day event end of June"),
		testEvent("2008-07-01", "Day event start of July"),
		testEvent("2007-12-31", "Day before"),
	} {
		mustCreate(t, s, e)
	}
	span := testEvent("2007-11", "Span into 2008")
	span.End = MustDate("2008-01")
	mustCreate(t, s, span)
	tests := []struct {
		from, to string
		want     []string
	}{
		{"2008-06", "2008-06", []string{"2008-year-event", "2008-06-month-event", "2008-06-30-day-event-end-of-june"}},
		{"2008-07-01", "", []string{"2008-year-event", "2008-07-01-day-event-start-of-july"}},
		{"", "2007", []string{"2007-11-span-into-2008", "2007-12-31-day-before"}},
		{"2008-01-15", "2008-01-15", []string{"2007-11-span-into-2008", "2008-year-event"}},
		{"2008-02", "2008-05", []string{"2008-year-event"}},
		{"2008-06-30", "2008-06-30", []string{"2008-year-event", "2008-06-month-event", "2008-06-30-day-event-end-of-june"}},
		{"2009", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.from+".."+tt.to, func(t *testing.T) {
			var f Filter
			if tt.from != "" {
				f.From = MustDate(tt.from)
			}
			if tt.to != "" {
				f.To = MustDate(tt.to)
			}
			if got := list(t, s, f); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMixedPrecisionSort(t *testing.T) {
	s := newTestStore(t)
	for _, e := range []Event{
		testEvent("2014-05-26", "B day"),
		testEvent("2014-05-01", "A day"),
		testEvent("2014-05", "Month"),
		testEvent("2014", "Year"),
		testEvent("2013-12-31", "Earlier"),
	} {
		mustCreate(t, s, e)
	}
	want := []string{"2013-12-31-earlier", "2014-year", "2014-05-month", "2014-05-01-a-day", "2014-05-26-b-day"}
	if got := list(t, s, Filter{}); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestFilters(t *testing.T) {
	s := newTestStore(t)
	mk := func(start, title string, cat Category, sig int, actors []string, tags []string) {
		e := testEvent(start, title)
		e.Category, e.Significance, e.Tags = cat, sig, tags
		e.Actors = nil
		for _, a := range actors {
			e.Actors = append(e.Actors, EventActor{Actor: Actor{Slug: a, Name: a, Kind: "person"}, Role: "r"})
		}
		mustCreate(t, s, e)
	}
	mk("2002-09-17", "Koizumi visits Pyongyang", "summit", 3, []string{"koizumi", "kim-jong-il"}, []string{"summits", "abductions"})
	mk("2004-05-22", "Second summit", "summit", 3, []string{"koizumi"}, []string{"summits"})
	mk("2006-10-09", "Nuclear test", "nuclear", 3, []string{"kim-jong-il"}, []string{"nuclear-tests"})
	mk("2006-10-13", "Japan sanctions", "sanctions", 2, []string{"abe"}, []string{"sanctions"})
	mk("2014-05-29", "Stockholm agreement", "agreement", 3, []string{"abe", "ihara"}, []string{"abductions"})
	mk("1978-07", "Abductions of a couple", "abduction", 2, nil, []string{"abductions"})
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"category", Filter{Categories: []Category{"summit"}}, []string{"2002-09-17-koizumi-visits-pyongyang", "2004-05-22-second-summit"}},
		{"two categories OR", Filter{Categories: []Category{"nuclear", "sanctions"}}, []string{"2006-10-09-nuclear-test", "2006-10-13-japan-sanctions"}},
		{"actor", Filter{Actors: []string{"kim-jong-il"}}, []string{"2002-09-17-koizumi-visits-pyongyang", "2006-10-09-nuclear-test"}},
		{"two actors AND", Filter{Actors: []string{"koizumi", "kim-jong-il"}}, []string{"2002-09-17-koizumi-visits-pyongyang"}},
		{"tag", Filter{Tags: []string{"abductions"}}, []string{"1978-07-abductions-of-a-couple", "2002-09-17-koizumi-visits-pyongyang", "2014-05-29-stockholm-agreement"}},
		{"two tags AND", Filter{Tags: []string{"abductions", "summits"}}, []string{"2002-09-17-koizumi-visits-pyongyang"}},
		{"significance", Filter{MinSignificance: 3, From: MustDate("2005")}, []string{"2006-10-09-nuclear-test", "2014-05-29-stockholm-agreement"}},
		{"text", Filter{Query: "stockholm"}, []string{"2014-05-29-stockholm-agreement"}},
		{"text prefix", Filter{Query: "stock"}, []string{"2014-05-29-stockholm-agreement"}},
		{"combined", Filter{From: MustDate("2000"), To: MustDate("2006"), Categories: []Category{"summit", "sanctions"}, Actors: []string{"koizumi"}, Tags: []string{"summits"}, MinSignificance: 3, Query: "second"}, []string{"2004-05-22-second-summit"}},
		{"actor and category", Filter{Actors: []string{"abe"}, Categories: []Category{"agreement"}}, []string{"2014-05-29-stockholm-agreement"}},
		{"unknown actor", Filter{Actors: []string{"nobody"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := list(t, s, tt.f); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			n, err := s.Count(context.Background(), tt.f)
			if err != nil || n != len(tt.want) {
				t.Errorf("Count = %d, %v; want %d", n, err, len(tt.want))
			}
		})
	}
}

// TestResolveFilter: parameters become a filter, and every problem, an
// unknown actor's included, is reported at once, keyed by parameter.
func TestResolveFilter(t *testing.T) {
	s := newTestStore(t)
	mustCreate(t, s, testEvent("2002", "Koizumi visits Pyongyang")) // names the actor "japan"
	for _, tt := range []struct {
		name     string
		query    string
		want     Filter
		problems []string
	}{
		{"empty", "", Filter{}, nil},
		{"everything", "from=2002&to=2014-05&category=summit&category=summit&actor=japan&tag=Test&sig=2&q=+拉致+",
			Filter{From: MustDate("2002"), To: MustDate("2014-05"), Categories: []Category{"summit"}, Actors: []string{"japan"},
				Tags: []string{"test"}, MinSignificance: 2, Query: "拉致"}, nil},
		{"a tag no event has", "tag=test&tag=abduction", Filter{Tags: []string{"test", "abduction"}}, []string{"tag"}},
		{"unknown actor", "actor=japan&actor=nobody", Filter{Actors: []string{"japan", "nobody"}}, []string{"actor"}},
		{"all at once", "from=2014-13&to=2001&category=war&sig=9&actor=nobody", Filter{To: MustDate("2001"), MinSignificance: 9, Actors: []string{"nobody"}},
			[]string{"actor", "category", "from", "sig"}},
		{"a bad slug is not looked up", "actor=Not+A+Slug", Filter{}, []string{"actor"}},
		{"to before from", "from=2014&to=2002", Filter{From: MustDate("2014"), To: MustDate("2002")}, []string{"to"}},
		{"one parameter twice", "from=2002&from=2003&to=2004&to=2004&sig=2&sig=&q=a&q=b", Filter{From: MustDate("2002"), To: MustDate("2004"), MinSignificance: 2, Query: "a"},
			[]string{"from", "q"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.ResolveFilter(context.Background(), v)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("filter: got %+v, want %+v", got, tt.want)
			}
			var fields []string
			if ve, ok := errors.AsType[*ValidationError](err); ok {
				fields = ve.Fields()
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fields, tt.problems) {
				t.Errorf("problems: got %v (%v), want %v", fields, err, tt.problems)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	s := newTestStore(t)
	e := testEvent("2002-09-17", "Koizumi–Kim summit and the Pyongyang Declaration")
	e.TitleJA = "日朝首脳会談と日朝平壌宣言"
	e.Summary = "North Korea admitted the abductions (拉致) of Japanese citizens."
	mustCreate(t, s, e)
	e = testEvent("2014-05-29", "Stockholm agreement")
	e.TitleJA = "ストックホルム合意"
	e.TitleKO = "스톡홀름 합의"
	mustCreate(t, s, e)
	e = testEvent("1977-11-15", "Abduction of Yokota Megumi")
	e.TitleJA = "横田めぐみさん拉致"
	mustCreate(t, s, e)
	tests := []struct {
		q    string
		want []string
	}{
		{"stockholm", []string{"2014-05-29-stockholm-agreement"}},
		{"Pyongyang declaration", []string{"2002-09-17-koizumi-kim-summit-and-the-pyongyang-declaration"}},
		{"拉致", []string{"1977-11-15-abduction-of-yokota-megumi", "2002-09-17-koizumi-kim-summit-and-the-pyongyang-declaration"}},
		{"ストックホルム", []string{"2014-05-29-stockholm-agreement"}},
		{"平壌宣言", []string{"2002-09-17-koizumi-kim-summit-and-the-pyongyang-declaration"}},
		{"めぐみ", []string{"1977-11-15-abduction-of-yokota-megumi"}},
		{"합의", []string{"2014-05-29-stockholm-agreement"}},
		{"横", []string{"1977-11-15-abduction-of-yokota-megumi"}},
		{"宣平", nil},
		{"megumi 拉致", []string{"1977-11-15-abduction-of-yokota-megumi"}},
		{`"`, nil},
		{`"stockholm`, []string{"2014-05-29-stockholm-agreement"}},
		{"NEAR(stockholm", []string{"2014-05-29-stockholm-agreement"}},
		{"stockholm AND OR NOT", []string{"2014-05-29-stockholm-agreement"}},
		{"*", nil},
		{"stock*", []string{"2014-05-29-stockholm-agreement"}},
		{"title:stockholm", nil},
		{"'; DROP TABLE events; --", nil},
		{"{title} : x", nil},
		{"^stockholm", []string{"2014-05-29-stockholm-agreement"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			if got := list(t, s, Filter{Query: tt.q}); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if _, err := s.ListEvents(context.Background(), Filter{Query: tt.q}, PageRequest{Sort: SortRelevance}); err != nil {
				t.Errorf("relevance sort: %v", err)
			}
		})
	}
}

func TestKeysetPagesNeverSkipOrRepeat(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	var ds Dataset
	for i := range 1000 {
		// Many events share a date and several share a title.
		start := fmt.Sprintf("%04d-%02d-%02d", 2000+i%7, 1+i%3, 1+i%2)
		if i%10 == 0 {
			start = fmt.Sprintf("%04d", 2000+i%7)
		}
		e := testEvent(start, fmt.Sprintf("Event %d", i%13))
		e.Slug = fmt.Sprintf("event-%d", i)
		e.Title = fmt.Sprintf("Event %d", i%13)
		ds.Events = append(ds.Events, e)
	}
	// Titles repeat on the same date: make each (date, title) unique for
	// the import rule by suffixing the slug number.
	for i := range ds.Events {
		ds.Events[i].Title = fmt.Sprintf("%s #%d", ds.Events[i].Title, i%50)
	}
	if _, err := s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	all := list(t, s, Filter{})
	if len(all) != 1000 {
		t.Fatalf("got %d events, want 1000", len(all))
	}
	for _, limit := range []int{1, 7, 50, 333} {
		var fwd []string
		var cursors []string
		pr := PageRequest{Limit: limit}
		for {
			p, err := s.ListEvents(ctx, Filter{}, pr)
			if err != nil {
				t.Fatal(err)
			}
			fwd = append(fwd, slugsOf(p.Events)...)
			cursors = append(cursors, p.Prev)
			if p.Next == "" {
				break
			}
			pr.Cursor = p.Next
		}
		if !slices.Equal(fwd, all) {
			t.Fatalf("limit %d: forward pages differ from the whole list", limit)
		}
		// And backwards from the last page.
		p, err := s.ListEvents(ctx, Filter{}, PageRequest{Limit: limit, Cursor: pr.Cursor})
		if err != nil {
			t.Fatal(err)
		}
		back := slugsOf(p.Events)
		for p.Prev != "" {
			p, err = s.ListEvents(ctx, Filter{}, PageRequest{Limit: limit, Cursor: p.Prev})
			if err != nil {
				t.Fatal(err)
			}
			back = append(slugsOf(p.Events), back...)
		}
		if limit > 1 && !slices.Equal(back, all[len(all)-len(back):]) || len(back) == 0 {
			t.Fatalf("limit %d: backward pages differ", limit)
		}
		if len(back) != len(all) && pr.Cursor != "" {
			t.Fatalf("limit %d: backward paging reached %d of %d", limit, len(back), len(all))
		}
	}
	if _, err := s.ListEvents(ctx, Filter{}, PageRequest{Cursor: "garbage!"}); err == nil {
		t.Error("a bad cursor was accepted")
	}
}

func TestFacets(t *testing.T) {
	s := newTestStore(t)
	for i, c := range []Category{"summit", "summit", "nuclear", "sanctions"} {
		e := testEvent(fmt.Sprintf("%d", 2000+i%2), fmt.Sprintf("E%d", i))
		e.Category = c
		mustCreate(t, s, e)
	}
	f, err := s.Facets(context.Background(), Filter{Categories: []Category{"summit"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Total != 2 {
		t.Errorf("total = %d, want 2", f.Total)
	}
	counts := map[string]int{}
	for _, c := range f.Categories {
		counts[c.Value] = c.N
	}
	if counts["summit"] != 2 || counts["nuclear"] != 1 || counts["sanctions"] != 1 {
		t.Errorf("category counts ignore-own-filter = %v", counts)
	}
	if len(f.Years) != 2 || f.Years[0].Year != 2000 || f.Years[0].Total != 1 || f.Years[1].ByCategory["summit"] != 1 {
		t.Errorf("years = %+v", f.Years)
	}
	if len(f.Actors) != 1 || f.Actors[0].N != 2 || len(f.Tags) != 1 || f.Tags[0].N != 2 {
		t.Errorf("actors %v tags %v", f.Actors, f.Tags)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	var ds Dataset
	for i := range 100 {
		ds.Events = append(ds.Events, testEvent("1990", fmt.Sprintf("Event %d", i)))
	}
	ds.Events[10].Title = ""
	ds.Events[50].Start = Date{}
	ds.Events[90].Related = []Relation{{Slug: "not-there", Relation: "follows"}}
	_, err := s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want *ImportError", err)
	}
	recs := map[string]bool{}
	for _, p := range ie.Problems {
		recs[p.Record] = true
	}
	// Events 11 and 51 fail validation; event 91's link to an event that
	// is nowhere is left out with a warning, which does not refuse the
	// import.
	if !recs["event 11"] || !recs["event 51"] {
		t.Errorf("problems %v do not name events 11 and 51", ie.Problems)
	}
	if n, _ := s.Count(ctx, Filter{}); n != 0 {
		t.Fatalf("refused import left %d events", n)
	}
	ds.Events[10].Title = "Event 10"
	ds.Events[50].Start = MustDate("1990")
	rep, err := s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{DryRun: true})
	if err != nil || len(rep.Warnings) != 1 || rep.Warnings[0].Record != "event 91" || rep.Warnings[0].Field != "related" {
		t.Fatalf("got %+v, %v; want one warning for event 91's link", rep.Warnings, err)
	}
	ds.Events[90].Related = nil
	rep, err = s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{DryRun: true})
	if err != nil || rep.Created != 100 {
		t.Fatalf("dry run = %+v, %v", rep, err)
	}
	if n, _ := s.Count(ctx, Filter{}); n != 0 {
		t.Fatalf("dry run wrote %d events", n)
	}
	if rep, err = s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{}); err != nil || rep.Created != 100 {
		t.Fatalf("import = %+v, %v", rep, err)
	}
	if rep, err = s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{}); err != nil || rep.Unchanged != 100 {
		t.Fatalf("re-import = %+v, %v", rep, err)
	}
	// Unchanged events with links import again without touching the links.
	ds.Events[1].Related = []Relation{{Slug: ds.Events[0].Slug, Relation: "follows"}}
	if rep, err = s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{}); err != nil || rep.Updated != 1 {
		t.Fatalf("import with a link = %+v, %v", rep, err)
	}
	if rep, err = s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{}); err != nil || rep.Unchanged != 100 {
		t.Fatalf("re-import with a link = %+v, %v", rep, err)
	}
}

func TestLoadDatasetOnce(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	ds := Dataset{Events: []Event{testEvent("2002", "One")}}
	for i, want := range []bool{true, false} {
		loaded, err := s.LoadDatasetOnce(ctx, ds)
		if err != nil || loaded != want {
			t.Fatalf("load %d: got %v, %v; want %v", i, loaded, err, want)
		}
	}
	if n, _ := s.Count(ctx, Filter{}); n != 1 {
		t.Errorf("got %d events, want 1", n)
	}
}

// TestSearchStrategiesAgree runs every search both ways: collecting the
// matches first (rare terms) and testing events one by one with prefixes
// expanded (common terms).
func TestSearchStrategiesAgree(t *testing.T) {
	s := newTestStore(t)
	for i, title := range []string{"Stockholm agreement", "Stockholm talks", "Stocks and shares", "Japan sanctions", "Japanese delegation", "Café meeting"} {
		e := testEvent(fmt.Sprintf("%d", 2000+i), title)
		e.TitleJA = []string{"ストックホルム合意", "拉致問題", "拉致", "制裁", "代表団", "会談"}[i]
		mustCreate(t, s, e)
	}
	queries := []string{"stock", "stockholm", "japan", "japanese", "拉致", "拉", "ストック", "cafe", "café", "stockholm talks", "zzz", `"japan`, "NEAR(japan"}
	old := commonTerm
	t.Cleanup(func() { commonTerm = old })
	for _, q := range queries {
		commonTerm = old
		rare := list(t, s, Filter{Query: q})
		commonTerm = 0
		common := list(t, s, Filter{Query: q})
		if !slices.Equal(rare, common) {
			t.Errorf("%q: collected %v, walked %v", q, rare, common)
		}
	}
}

// TestFacetTablesFollowWrites checks that the counts kept by triggers (used
// when nothing is filtered) equal counts made from the events themselves,
// through creates, updates, deletes and restores.
func TestFacetTablesFollowWrites(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	check := func(step string) {
		t.Helper()
		kept, err := s.Facets(ctx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		counted, err := s.Facets(ctx, Filter{From: MustDate("1000")}) // everything, but counted
		if err != nil {
			t.Fatal(err)
		}
		if kept.Total != counted.Total || fmt.Sprint(kept.Years) != fmt.Sprint(counted.Years) ||
			fmt.Sprint(kept.Categories) != fmt.Sprint(counted.Categories) || fmt.Sprint(kept.Actors) != fmt.Sprint(counted.Actors) ||
			fmt.Sprint(kept.Tags) != fmt.Sprint(counted.Tags) {
			t.Errorf("%s: kept %+v\ncounted %+v", step, kept, counted)
		}
		if n, _ := s.Count(ctx, Filter{}); n != counted.Total {
			t.Errorf("%s: Count = %d, want %d", step, n, counted.Total)
		}
	}
	a := mustCreate(t, s, testEvent("2001", "A"))
	b := testEvent("2002-05", "B")
	b.Category = "summit"
	b.Tags = []string{"x", "y"}
	b = mustCreate(t, s, b)
	check("created")
	b.Category, b.Start, b.Tags = "nuclear", MustDate("2003"), []string{"y", "z"}
	b.Actors = append(b.Actors, EventActor{Actor: Actor{Slug: "kim", Name: "Kim", Kind: "person"}, Role: "r"})
	if err := s.UpdateEvent(ctx, b.Slug, &b, Change{}); err != nil {
		t.Fatal(err)
	}
	check("updated")
	if err := s.DeleteEvent(ctx, a.Slug, a.Version, Change{}); err != nil {
		t.Fatal(err)
	}
	check("deleted")
	if _, err := s.RestoreEvent(ctx, a.Slug, 1, a.Version+1, Change{}); err != nil {
		t.Fatal(err)
	}
	check("restored")
	if err := s.BulkLoad(ctx, testBulkLoad(300)); err != nil {
		t.Fatal(err)
	}
	check("bulk loaded")
	if loaded, err := s.LoadDatasetOnce(ctx, Dataset{Events: []Event{testEvent("1999", "Shipped")}}); err != nil || loaded {
		t.Errorf("a synthetic database took the shipped dataset: %v, %v", loaded, err)
	}
}

// TestReadOnlyReplica opens a database as a read-only replica beside the
// primary that writes it: the replica reads the primary's writes, refuses
// its own, and changes nothing on disk.
func TestReadOnlyReplica(t *testing.T) {
	ctx := context.Background()
	primary := newTestStore(t)
	mustCreate(t, primary, testEvent("2002-09-17", "Summit"))
	replica, err := Open(ctx, primary.Path(), ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	if !replica.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	v1, _ := replica.DataVersion(ctx)
	if got := list(t, replica, Filter{}); len(got) != 1 {
		t.Fatalf("replica lists %v", got)
	}
	e := testEvent("2014-05-29", "Stockholm agreement")
	if err := replica.CreateEvent(ctx, &e, Change{}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("write to the replica: got %v, want ErrReadOnly", err)
	}
	if _, err := replica.LoadDatasetOnce(ctx, Dataset{Events: []Event{testEvent("1999", "X")}}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("dataset load on the replica: got %v, want ErrReadOnly", err)
	}
	mustCreate(t, primary, testEvent("2014-05-29", "Stockholm agreement"))
	if got := list(t, replica, Filter{}); len(got) != 2 {
		t.Errorf("replica does not see the primary's write: %v", got)
	}
	if v2, _ := replica.DataVersion(ctx); v2 == v1 {
		t.Error("the replica's data version did not move with the primary's write")
	}
	// A database that was never migrated is refused, not silently used.
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "new.db"), ReadOnly()); err == nil {
		t.Error("a read-only open of a database without the schema succeeded")
	}
}

// TestLongEventsInRanges: an event spanning years is found by a range that
// starts long after it began, in every list shape (one category, several,
// none), and in order with short events.
func TestLongEventsInRanges(t *testing.T) {
	s := newTestStore(t)
	long := testEvent("1983-11", "Crew detained")
	long.End = MustDate("1990-10")
	long.Category = "incident"
	mustCreate(t, s, long)
	for _, e := range []Event{testEvent("1989-12-31", "Short before"), testEvent("1990-01", "Short in"), testEvent("1990-06-01", "Day in")} {
		e.Category = "incident"
		mustCreate(t, s, e)
	}
	other := testEvent("1990-03", "Other category")
	mustCreate(t, s, other)
	want := []string{"1983-11-crew-detained", "1990-01-short-in", "1990-03-other-category", "1990-06-01-day-in"}
	for _, f := range []Filter{
		{From: MustDate("1990")},
		{From: MustDate("1990"), Categories: []Category{"incident", "negotiation"}},
	} {
		if got := list(t, s, f); !slices.Equal(got, want) {
			t.Errorf("%+v: got %v, want %v", f.Categories, got, want)
		}
	}
	if got := list(t, s, Filter{From: MustDate("1990"), Categories: []Category{"incident"}}); !slices.Equal(got, []string{want[0], want[1], want[3]}) {
		t.Errorf("one category: got %v", got)
	}
	// Paged one by one, both ways.
	var fwd []string
	pr := PageRequest{Limit: 1}
	for {
		p, err := s.ListEvents(context.Background(), Filter{From: MustDate("1990")}, pr)
		if err != nil {
			t.Fatal(err)
		}
		fwd = append(fwd, slugsOf(p.Events)...)
		if p.Next == "" {
			break
		}
		pr.Cursor = p.Next
	}
	if !slices.Equal(fwd, want) {
		t.Errorf("paged: got %v", fwd)
	}
}

// TestValidationErrorsAreFresh: the errors for a bad cursor and a search
// too broad to count are new values each time, so that a caller changing
// one (a page adding its own problems) changes no other request's.
func TestValidationErrorsAreFresh(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	mustCreate(t, s, testEvent("2002", "Japan summit"))
	old := commonTerm
	t.Cleanup(func() { commonTerm = old })
	commonTerm = 0
	for _, tt := range []struct {
		name     string
		sentinel error
		field    string
		call     func() error
	}{
		{"bad cursor", ErrBadCursor, "cursor", func() error {
			_, err := s.ListEvents(ctx, Filter{}, PageRequest{Cursor: "not-a-cursor"})
			return err
		}},
		{"too broad", ErrTooBroad, "q", func() error {
			_, err := s.Facets(ctx, Filter{Query: "japan"})
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			first, ok := errors.AsType[*ValidationError](tt.call())
			if !ok {
				t.Fatalf("got no *ValidationError")
			}
			want := first.Problems[tt.field]
			first.Problems[tt.field] = "changed by a caller"
			first.Problems["other"] = "added by a caller"
			err := tt.call()
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("got %v, want it to wrap %v", err, tt.sentinel)
			}
			second, _ := errors.AsType[*ValidationError](err)
			if got := second.Problems[tt.field]; got != want || len(second.Problems) != 1 {
				t.Errorf("second error: got %v, want only %s: %q", second.Problems, tt.field, want)
			}
		})
	}
}

// testBulkLoad makes n plain events over 1950–2019, naming two of three
// actors, for a bulk load.
func testBulkLoad(n int) BulkLoad {
	var base int64
	return BulkLoad{
		Actors: func(b int64) []Actor {
			base = b
			var out []Actor
			for i := range 3 {
				out = append(out, Actor{Slug: fmt.Sprintf("bulk-%d-%d", base, i), Name: fmt.Sprintf("Bulk %d", i), Kind: "person"})
			}
			return out
		},
		Events: n,
		Event: func(id int64) Event {
			e := testEvent(fmt.Sprintf("%d-%02d", 1950+id%70, 1+id%12), fmt.Sprintf("Bulk event %d", id))
			e.Slug = fmt.Sprintf("bulk-event-%d", id)
			e.Category = Categories[id%int64(len(Categories))]
			e.Tags = []string{fmt.Sprintf("bulk-tag-%d", id%5)}
			e.Actors = []EventActor{{Actor: Actor{Slug: fmt.Sprintf("bulk-%d-%d", base, id%3)}, Role: "participant"},
				{Actor: Actor{Slug: fmt.Sprintf("bulk-%d-%d", base, (id+1)%3)}, Role: "host"}}
			return e
		},
	}
}
