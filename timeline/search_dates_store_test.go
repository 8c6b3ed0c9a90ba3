package timeline_test

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestSearchDatesMigration: a database whose search index predates the
// keys column (migrations 0014 and 0015) opens with the index made anew
// from its events, equal to one written event by event, and searches,
// actors and tags with a date range find what the plain query finds.
func TestSearchDatesMigration(t *testing.T) {
	ctx := context.Background()
	path := shippedFile(t)
	// Back to the index of before: three columns and the old rows gone.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE events_fts_vocab`, `DROP TABLE events_fts`,
		`CREATE VIRTUAL TABLE events_fts USING fts5 (title, words, grams, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`,
		`CREATE VIRTUAL TABLE events_fts_vocab USING fts5vocab (events_fts, 'row')`,
		`DELETE FROM schema_migrations WHERE name IN ('migrations/0014_search_dates.sql', 'migrations/0015_search_keys.sql')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err := timeline.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, want, err := s.SearchIndexes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want == "" || got != want {
		t.Errorf("the migrated search index differs from one written event by event (%d and %d bytes)", len(got), len(want))
	}
	for _, q := range []string{"q=abduction&from=1977&to=1983", "q=stockholm&from=2014-05&to=2014-07", "q=拉致&from=2002-09-17&to=2002-09-17", "q=talks&from=1991", "q=summit&from=2000", "q=missile&to=1999-06",
		"actor=abe-shinzo&from=2006-09&to=2007-09", "tag=normalization-talks&tag=abductions&from=1991&to=2008", "actor=japan&actor=chongryon&q=ship&from=1959&to=1984", "tag=missiles&from=2017-08-29"} {
		v, _ := url.ParseQuery(q)
		f, err := s.ResolveFilter(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.NaiveList(ctx, f, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.ListEvents(ctx, f, timeline.PageRequest{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range p.Events {
			got = append(got, e.Slug)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
}
