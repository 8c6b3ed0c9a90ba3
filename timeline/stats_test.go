package timeline_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// ftsSamples counts the planner's samples (sqlite_stat4) of the full-text
// index's shadow tables and of the events table in the file at path.
func ftsSamples(t *testing.T, path string) (fts, events int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT COUNT(*) FILTER (WHERE tbl LIKE 'events\_fts\_%' ESCAPE '\'), COUNT(*) FILTER (WHERE tbl = 'events') FROM sqlite_stat4`).Scan(&fts, &events)
	if err != nil {
		t.Fatal(err)
	}
	return fts, events
}

// TestNoFullTextSamples: the planner keeps no samples of the full-text
// index's tables, which would make every search parse and plan FTS5's own
// statements again for each term (dropFTSSamples) — neither after the
// shipped dataset's load, nor in a database analysed before the rule, once
// opened.
func TestNoFullTextSamples(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stats.db")
	s, err := timeline.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadDatasetOnce(ctx, ds); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fts, events := ftsSamples(t, path); fts != 0 || events == 0 {
		t.Fatalf("after loading the dataset: %d samples of the full-text tables (want 0), %d of events (want some)", fts, events)
	}

	// An older database: a plain ANALYZE samples every table.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fts, _ := ftsSamples(t, path); fts == 0 {
		t.Fatal("a plain ANALYZE left no samples of the full-text tables; the test cannot show the rule")
	}
	s, err = timeline.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fts, events := ftsSamples(t, path); fts != 0 || events == 0 {
		t.Fatalf("after opening an older database: %d samples of the full-text tables (want 0), %d of events (want some)", fts, events)
	}
}
