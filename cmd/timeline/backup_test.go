package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// opsEvent returns a valid event numbered n, naming a shipped actor.
func opsEvent(prefix string, n int) timeline.Event {
	return timeline.Event{
		Slug:         fmt.Sprintf("%s-%d", prefix, n),
		Start:        timeline.MustDate("2031-04-01"),
		Title:        fmt.Sprintf("Operations test event %s %d", prefix, n),
		Summary:      "Written while the database was being copied.",
		Category:     "negotiation",
		Significance: 1,
		Actors:       []timeline.EventActor{{Actor: timeline.Actor{Slug: "abe-shinzo"}, Role: "host"}},
		Sources:      []timeline.Source{{Publisher: "Test wire", Title: "Officials meet"}},
		Tags:         []string{"ops-test"},
	}
}

// newShippedDB makes a database file holding the shipped dataset.
func newShippedDB(t *testing.T, path string) *timeline.Store {
	t.Helper()
	ctx := context.Background()
	store, err := timeline.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadDatasetOnce(ctx, ds); err != nil {
		t.Fatal(err)
	}
	return store
}

// tableCounts counts the rows of every table of the database at path, as
// one snapshot. FTS shadow tables are left out: their rows are index
// segments, which merges may reduce.
func tableCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.Query(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite%'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, name := range names {
		var n int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM "` + name + `"`).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		counts[name] = n
	}
	return counts
}

func TestBackupWhileWritingThenRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	store := newShippedDB(t, live)

	// A writer that keeps creating events until the backup is done.
	var created atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			e := opsEvent("backup", n)
			if err := store.CreateEvent(ctx, &e, timeline.Change{Author: "test"}); err != nil {
				writeErr = err
				return
			}
			created.Add(1)
			time.Sleep(time.Millisecond) // a busy site, not a bulk load
		}
	})
	for created.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}

	before := tableCounts(t, live)
	dest := filepath.Join(dir, "backups", "copy.db")
	if err := os.Mkdir(filepath.Dir(dest), 0o755); err != nil {
		t.Fatal(err)
	}
	atStart := created.Load()
	out, _, err := runCmd(t, "", "backup", "--db", live, dest)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "backed up") {
		t.Errorf("backup output %q", out)
	}
	after := tableCounts(t, live)
	atEnd := created.Load()
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("a write failed during the backup: %v", writeErr)
	}
	if atEnd == atStart {
		t.Fatalf("no write landed while the backup ran: the test shows nothing (created %d)", atEnd)
	}

	if err := timeline.Verify(ctx, dest); err != nil {
		t.Fatal(err)
	}
	copied := tableCounts(t, dest)
	if !maps.Equal(keys(copied), keys(before)) {
		t.Fatalf("tables in the copy %v, in the live database %v", keys(copied), keys(before))
	}
	for name, n := range copied {
		if n < before[name] || n > after[name] {
			t.Errorf("table %s: %d rows in the copy, want between %d (before the backup) and %d (after)", name, n, before[name], after[name])
		}
	}
	t.Logf("events: %d before the backup, %d in the copy, %d after", before["events"], copied["events"], after["events"])

	// DEST exists: refused without --force, replaced with it.
	if _, _, err := runCmd(t, "", "backup", "--db", live, dest); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("backup over an existing file: got %v, want a refusal naming --force", err)
	}
	if _, _, err := runCmd(t, "", "backup", "--db", live, "--force", dest); err != nil {
		t.Errorf("backup --force: %v", err)
	}
	// The writer has stopped: the new copy holds everything.
	if forced, final := tableCounts(t, dest), tableCounts(t, live); !maps.Equal(forced, final) {
		t.Errorf("after backup --force: %v, want the live database's %v", forced, final)
	}
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("backup folder holds %v, want only copy.db", entries)
	}

	// A change after the backup, which the restore must undo.
	extra := opsEvent("after-backup", 1)
	if err := store.CreateEvent(ctx, &extra, timeline.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	// Restore is refused while the database is open, as a running server
	// has it, and done once it is closed.
	_, _, err = runCmd(t, "", "restore", "--db", live, dest)
	if err == nil || !strings.Contains(err.Error(), "stop the server first") {
		t.Fatalf("restore over an open database: got %v, want a refusal", err)
	}
	store.Close()
	if _, _, err := runCmd(t, "", "restore", "--db", live, dest); err != nil {
		t.Fatal(err)
	}
	if err := timeline.Verify(ctx, live); err != nil {
		t.Fatal(err)
	}
	if got, want := tableCounts(t, live), tableCounts(t, dest); !maps.Equal(got, want) {
		t.Errorf("after restore: %v, want the backup's %v", got, want)
	}
	restored, err := timeline.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if _, err := restored.GetEvent(ctx, extra.Slug); err == nil {
		t.Errorf("%s, written after the backup, survived the restore", extra.Slug)
	}
	if _, err := restored.GetEvent(ctx, "backup-0"); err != nil {
		t.Errorf("backup-0, written before the backup: %v", err)
	}
}

func TestBackupAndRestoreRefuseBadArguments(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	newShippedDB(t, live).Close()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("plain text\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"backup without DEST", []string{"backup", "--db", live}, true, "DEST"},
		{"backup of a missing database", []string{"backup", "--db", filepath.Join(dir, "none.db"), filepath.Join(dir, "x.db")}, false, "no database at " + filepath.Join(dir, "none.db")},
		{"restore without SRC", []string{"restore", "--db", live}, true, "SRC"},
		{"restore from itself", []string{"restore", "--db", live, live}, true, "itself"},
		{"restore from a text file", []string{"restore", "--db", live, notDB}, false, "not a readable SQLite database"},
		{"restore from a missing file", []string{"restore", "--db", live, filepath.Join(dir, "none.db")}, false, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if _, ok := err.(usageError); ok != tt.usage {
				t.Errorf("usage error: got %v, want %v", ok, tt.usage)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("a failed backup created the missing database")
	}
	if err := timeline.Verify(context.Background(), live); err != nil {
		t.Errorf("the refused restores harmed the database: %v", err)
	}
}

// keys returns the set of a map's keys.
func keys(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k := range m {
		out[k] = 0
	}
	return out
}
