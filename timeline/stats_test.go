package timeline_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// samples counts the planner's samples (sqlite_stat4) of the full-text
// index's shadow tables and of every other table in the file at path, and
// its statistics (sqlite_stat1).
func samples(t *testing.T, path string) (fts, other, stats int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT COUNT(*) FILTER (WHERE tbl LIKE 'events\_fts\_%' ESCAPE '\'), COUNT(*) FILTER (WHERE tbl NOT LIKE 'events\_fts\_%' ESCAPE '\'),
		(SELECT COUNT(*) FROM sqlite_stat1) FROM sqlite_stat4`).Scan(&fts, &other, &stats)
	if err != nil {
		t.Fatal(err)
	}
	return fts, other, stats
}

// TestNoPlannerSamples: the planner keeps statistics but no samples, which
// would make every search parse and plan FTS5's own statements again for
// each term, and every list or count of a new range be planned again
// (dropSamples) — neither after the shipped dataset's load, nor in a
// database analysed before the rule, once opened.
func TestNoPlannerSamples(t *testing.T) {
	ctx := context.Background()
	path := shippedFile(t)
	if fts, other, stats := samples(t, path); fts != 0 || other != 0 || stats == 0 {
		t.Fatalf("after loading the dataset: %d samples of the full-text tables and %d of others (want 0), %d statistics (want some)", fts, other, stats)
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
	if fts, other, _ := samples(t, path); fts == 0 || other == 0 {
		t.Fatal("a plain ANALYZE left no samples; the test cannot show the rule")
	}
	s, err := timeline.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fts, other, stats := samples(t, path); fts != 0 || other != 0 || stats == 0 {
		t.Fatalf("after opening an older database: %d samples of the full-text tables and %d of others (want 0), %d statistics (want some)", fts, other, stats)
	}
}
