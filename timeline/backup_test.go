package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestBackupWritesAVerifiedCopyAndNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	for i := range 3 {
		mustCreate(t, s, testEvent("2002-09-17", fmt.Sprintf("Backup event %d", i)))
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "copy.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if err := Verify(ctx, dest); err != nil {
		t.Fatalf("the copy does not verify: %v", err)
	}
	if err := s.Backup(ctx, dest); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: got %v, want an already-exists error", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("files in the backup folder: %v, want only copy.db (no temporary files left)", entries)
	}
	c, err := Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.Count(ctx, Filter{})
	if err != nil || n != 3 {
		t.Errorf("events in the copy: got %d, %v, want 3", n, err)
	}
}

func TestVerifyRejectsWhatIsNotATimeline(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 400)), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE things (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "missing.db"), "no such file"},
		{"text file", text, "not a readable SQLite database"},
		{"another schema", other, "no events table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(ctx, tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestRestoreRefusesAnOpenDatabaseThenReplacesIt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, err := Open(ctx, filepath.Join(dir, "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	want := mustCreate(t, src, testEvent("2014-05-29", "Stockholm agreement"))
	backup := filepath.Join(dir, "backup.db")
	if err := src.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	src.Close()

	live := filepath.Join(dir, "live.db")
	dst, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, dst, testEvent("1977-11-15", "Abduction of Yokota Megumi"))
	// The store is open and idle, as a server between requests is.
	if err := Restore(ctx, backup, live); !errors.Is(err, ErrInUse) {
		t.Fatalf("restore over an open database: got %v, want ErrInUse", err)
	}
	if n, err := dst.Count(ctx, Filter{}); err != nil || n != 1 {
		t.Fatalf("the refused restore changed the live database: %d events, %v", n, err)
	}
	dst.Close()

	if err := Restore(ctx, backup, live); err != nil {
		t.Fatal(err)
	}
	for _, leftover := range []string{live + ".tmp", live + "-wal", live + "-shm"} {
		if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s remains after the restore", filepath.Base(leftover))
		}
	}
	r, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	page, err := r.ListEvents(ctx, Filter{}, PageRequest{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 || page.Events[0].Slug != want.Slug || len(page.Events[0].Sources) != 1 {
		t.Errorf("restored events = %+v, want only %s", page.Events, want.Slug)
	}
	if err := Restore(ctx, filepath.Join(dir, "nothing.db"), live); err == nil {
		t.Error("restore from a missing file: want an error")
	}
}

func TestCheckpointKeepsTheWALSmallUnderConstantReads(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	wal := s.Path() + "-wal"
	walSize := func() int64 {
		t.Helper()
		fi, err := os.Stat(wal)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}

	// Readers that never pause, as a busy public site has.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var readErr error
	var mu sync.Mutex
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.ListEvents(ctx, Filter{}, PageRequest{Limit: 50}); err != nil {
					mu.Lock()
					readErr = err
					mu.Unlock()
					return
				}
			}
		})
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()

	// Large events, so that the log grows past WALSizeLimit.
	body := strings.Repeat("The talks resumed after a long pause. ", 500)
	var maxSize int64
	for i := range 60 {
		e := testEvent("2002-09-17", fmt.Sprintf("Heavy event %d", i))
		e.Body = body
		mustCreate(t, s, e)
		maxSize = max(maxSize, walSize())
	}
	if maxSize <= WALSizeLimit {
		t.Fatalf("the log reached only %d bytes: the test wrote too little to show anything", maxSize)
	}
	// The server checkpoints every 30 seconds; a reader on an old snapshot
	// may make one attempt give up, so allow a few.
	var pages, done, attempts int
	for attempts < 3 && (attempts == 0 || walSize() > WALSizeLimit) {
		var err error
		if pages, done, err = s.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		attempts++
	}
	t.Logf("log: largest %d bytes; %d checkpoint(s), the last copied %d of %d pages", maxSize, attempts, done, pages)
	mustCreate(t, s, testEvent("2002-09-18", "One write after the checkpoint"))
	if got := walSize(); got > WALSizeLimit {
		t.Errorf("log after checkpoints and a write: %d bytes, want at most %d", got, WALSizeLimit)
	}
	mu.Lock()
	defer mu.Unlock()
	if readErr != nil {
		t.Errorf("a reader failed: %v", readErr)
	}
}
