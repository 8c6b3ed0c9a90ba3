package timeline

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSourcesByEventMigration: migration 0018 moves the sources into
// their events' order without losing one, even two at the same position
// (which the old table allowed), and keeps each event's order.
func TestSourcesByEventMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e := testEvent("2002-09-17", "Summit")
	e.Sources = []Source{
		{Publisher: "Ministry of Foreign Affairs of Japan", Title: "Japan-DPRK Pyongyang Declaration", Language: "en"},
		{Publisher: "Kyodo News", Title: "Koizumi in Pyongyang", Language: "en", URL: "https://example.org/k"},
	}
	e = mustCreate(t, s, e)
	other := mustCreate(t, s, testEvent("2014-05-29", "Stockholm agreement"))
	// The table as it was before 0018, with a third source of the summit
	// at the second's position, added last.
	for _, q := range []string{
		`CREATE TABLE sources_old (
			id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE, position INTEGER NOT NULL,
			publisher TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
			language TEXT NOT NULL, note TEXT NOT NULL DEFAULT '') STRICT`,
		`INSERT INTO sources_old (event_id, position, publisher, title, url, date, language, note)
			SELECT event_id, position, publisher, title, url, date, language, note FROM sources ORDER BY event_id DESC, position`,
		`INSERT INTO sources_old (event_id, position, publisher, title, language)
			SELECT id, 1, 'Asahi Shimbun', 'A later report', 'ja' FROM events WHERE slug = '` + e.Slug + `'`,
		`DROP TABLE sources`,
		`ALTER TABLE sources_old RENAME TO sources`,
		`CREATE INDEX sources_event ON sources (event_id, position)`,
		`DELETE FROM schema_migrations WHERE name = 'migrations/0018_sources_by_event.sql'`,
	} {
		if _, err := s.write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetEvent(ctx, e.Slug)
	if err != nil {
		t.Fatal(err)
	}
	want := append(e.Sources[:2:2], Source{Publisher: "Asahi Shimbun", Title: "A later report", Language: "ja"})
	if !reflect.DeepEqual(got.Sources, want) {
		t.Errorf("summit's sources after the migration:\n got %v\nwant %v", got.Sources, want)
	}
	if o, err := s.GetEvent(ctx, other.Slug); err != nil || !reflect.DeepEqual(o.Sources, other.Sources) {
		t.Errorf("other's sources after the migration: %v, %v; want %v", o.Sources, err, other.Sources)
	}
	var withoutRowid int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_index_list('sources') WHERE origin = 'pk'`).Scan(&withoutRowid); err != nil || withoutRowid != 1 {
		t.Errorf("sources' primary key index: %d, %v; want the table keyed by (event_id, position)", withoutRowid, err)
	}
}
