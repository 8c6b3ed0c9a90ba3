package timeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fillDisk makes the database full: no page may be added to it (SQLite's
// max_page_count, the same error a full disk gives).
func fillDisk(t *testing.T, s *Store) (restore func()) {
	t.Helper()
	ctx := context.Background()
	size, err := s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LimitSize(ctx, size); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if err := s.LimitSize(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFullDiskPausesWritesAndResumesWithoutRestart(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	clock := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return clock })
	var acked []string
	for i := range 5 {
		e := mustCreate(t, s, testEvent("2002-09-17", fmt.Sprintf("Before the disk filled %d", i)))
		acked = append(acked, e.Slug)
	}
	freeSpace := fillDisk(t, s)

	big := testEvent("2004-05-22", "A write that does not fit")
	big.Body = strings.Repeat("Long text that needs new pages. ", 600)
	err := s.CreateEvent(ctx, &big, Change{Author: "test"})
	if !errors.Is(err, ErrStorageFull) {
		t.Fatalf("create on a full disk: got %v, want ErrStorageFull", err)
	}
	c := s.Condition()
	if !c.WritesPaused() || !c.FullSince.Equal(clock) {
		t.Errorf("condition after a full write: got %+v, want writes paused since %v", c, clock)
	}
	// Reads go on.
	if n, err := s.Count(ctx, Filter{}); err != nil || n != len(acked) {
		t.Errorf("count on a full disk: got %d, %v, want %d", n, err, len(acked))
	}
	// While full, the probe fails and the pause lasts.
	clock = clock.Add(probeInterval)
	if c := s.ProbeWrite(ctx); !c.WritesPaused() {
		t.Errorf("probe on a full disk: got %+v, want writes still paused", c)
	}
	// Space returns: the next probe (not before the interval) ends the pause.
	freeSpace()
	if c := s.ProbeWrite(ctx); !c.WritesPaused() {
		t.Errorf("probe within the interval: got %+v, want no probe yet (still paused)", c)
	}
	clock = clock.Add(probeInterval)
	if c := s.ProbeWrite(ctx); c.WritesPaused() {
		t.Errorf("probe after space returned: got %+v, want writes resumed", c)
	}
	if err := s.CreateEvent(ctx, &big, Change{Author: "test"}); err != nil {
		t.Fatalf("create after space returned: %v", err)
	}
	for _, slug := range append(acked, big.Slug) {
		if _, err := s.GetEvent(ctx, slug); err != nil {
			t.Errorf("acknowledged event %s: %v", slug, err)
		}
	}
	if r, err := s.Check(ctx); err != nil || !r.OK() {
		t.Errorf("check after the full disk: got %+v, %v, want a sound database", r, err)
	}
}

func TestSuccessfulWriteEndsThePause(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	mustCreate(t, s, testEvent("2002-09-17", "First"))
	freeSpace := fillDisk(t, s)
	e := testEvent("2002-09-18", "Second")
	e.Body = strings.Repeat("x", 19000)
	if err := s.CreateEvent(ctx, &e, Change{Author: "test"}); !errors.Is(err, ErrStorageFull) {
		t.Fatalf("got %v, want ErrStorageFull", err)
	}
	freeSpace()
	mustCreate(t, s, e)
	if c := s.Condition(); c.WritesPaused() {
		t.Errorf("condition after a successful write: got %+v, want not paused", c)
	}
}

// damage overwrites n bytes in the middle of the file at path.
func damage(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", n/4))
	if _, err := f.WriteAt(junk, fi.Size()/2-int64(n/2)); err != nil {
		t.Fatal(err)
	}
}

// damagedCopy makes a database with enough events to span many pages,
// checkpoints it into one file, and damages 16 KiB in its middle.
func damagedCopy(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "damaged.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ds := Dataset{}
	for i := range 300 {
		e := testEvent(fmt.Sprintf("19%02d-01-01", 50+i%50), fmt.Sprintf("Event number %d of the damaged file", i))
		e.Body = strings.Repeat(fmt.Sprintf("Paragraph %d. ", i), 60)
		ds.Events = append(ds.Events, e)
	}
	if _, err := s.Import(ctx, ds, Change{Author: "test"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	damage(t, path, 16<<10)
	return path
}

func TestCheckFindsADamagedFile(t *testing.T) {
	ctx := context.Background()
	path := damagedCopy(t)
	s, err := Open(ctx, path, ReadOnly())
	if err != nil {
		// Damage that reaches the schema is refused at open, named.
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("open of a damaged file: got %v, want ErrCorrupt or success", err)
		}
		return
	}
	defer s.Close()
	q, err := s.QuickCheck(ctx, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if q.OK() || len(q.Problems) == 0 {
		t.Errorf("quick check of a damaged file: got %+v, want problems", q)
	}
	if s.Condition().Corrupt == "" {
		t.Errorf("condition after a failed quick check: got %+v, want Corrupt set", s.Condition())
	}
	r, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() {
		t.Errorf("full check of a damaged file: got %+v, want problems", r)
	}
}

func TestQuickCheckOfASoundFile(t *testing.T) {
	s := newTestStore(t)
	mustCreate(t, s, testEvent("2002-09-17", "Sound"))
	r, err := s.QuickCheck(context.Background(), 10*time.Second)
	if err != nil || !r.OK() {
		t.Errorf("quick check: got %+v, %v, want ok", r, err)
	}
	if r, err := s.Check(context.Background()); err != nil || !r.OK() {
		t.Errorf("check: got %+v, %v, want ok", r, err)
	}
	if c := s.Condition(); c.Corrupt != "" || c.WritesPaused() {
		t.Errorf("condition: got %+v, want healthy", c)
	}
}

func TestCheckFindsBrokenRules(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	e := mustCreate(t, s, testEvent("2002-09-17", "Soon with a bad date"))
	if _, err := s.write.ExecContext(ctx, `UPDATE events SET start = '2002-13' WHERE slug = ?`, e.Slug); err != nil {
		t.Fatal(err)
	}
	r, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || !strings.Contains(strings.Join(r.Problems, "\n"), e.Slug) {
		t.Errorf("check: got %+v, want a problem naming %s", r.Problems, e.Slug)
	}
}

func TestClassify(t *testing.T) {
	plain := errors.New("something else")
	if got := Classify(plain); got != plain {
		t.Errorf("Classify(plain): got %v, want it unchanged", got)
	}
	if got := Classify(nil); got != nil {
		t.Errorf("Classify(nil): got %v, want nil", got)
	}
	wrapped := fmt.Errorf("x: %w", ErrStorageFull)
	if got := Classify(wrapped); got != wrapped {
		t.Errorf("Classify(already classified): got %v, want it unchanged", got)
	}
}

// TestReadOnlyDiskOpensImmutable opens a database whose folder and file
// cannot be written: as root, a read-only bind mount when the system
// allows one; otherwise file modes, which stop everyone but root.
func TestReadOnlyDiskOpensImmutable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	s, err := Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, testEvent("2002-09-17", "Published read-only"))
	pub := filepath.Join(dir, "ro", "timeline.db")
	if err := os.MkdirAll(filepath.Dir(pub), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, pub); err != nil {
		t.Fatal(err)
	}
	s.Close()
	roDir := readOnlyDir(t, filepath.Dir(pub))
	r, err := Open(ctx, filepath.Join(roDir, "timeline.db"), ReadOnly())
	if err != nil {
		t.Fatalf("open on a read-only disk: %v", err)
	}
	defer r.Close()
	if !r.Immutable() {
		t.Errorf("Immutable: got false, want true on a read-only disk")
	}
	if n, err := r.Count(ctx, Filter{}); err != nil || n != 1 {
		t.Errorf("count: got %d, %v, want 1", n, err)
	}
	if entries, _ := os.ReadDir(roDir); len(entries) != 1 {
		t.Errorf("files beside the database: %v, want none (no -wal or -shm)", entries)
	}
}

// readOnlyDir returns a read-only view of dir: a read-only bind mount when
// the test runs as root and may mount (unmounted at cleanup), else dir
// itself made read-only with file modes (which root would ignore, so root
// without mounts skips).
func readOnlyDir(t *testing.T, dir string) string {
	t.Helper()
	if os.Geteuid() == 0 {
		view := t.TempDir()
		if err := exec.Command("mount", "--bind", dir, view).Run(); err != nil {
			t.Skipf("running as root without permission to mount, so no read-only disk can be made: %v", err)
		}
		t.Cleanup(func() { exec.Command("umount", view).Run() })
		if out, err := exec.Command("mount", "-o", "remount,ro,bind", view).CombinedOutput(); err != nil {
			t.Skipf("cannot remount read-only: %v: %s", err, out)
		}
		return view
	}
	for _, p := range []string{filepath.Join(dir, "timeline.db"), dir} {
		if err := os.Chmod(p, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	return dir
}
