package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// damagedShippedDB writes the shipped dataset to a new file, compacts it
// and folds its write-ahead log in, and overwrites 16 KiB in the middle of
// it. Compacted, the middle holds pages in use: loading the dataset leaves
// free pages, whose content no check reads, and the middle of the file
// was once some of those.
func damagedShippedDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "damaged.db")
	store := newShippedDB(t, path)
	store.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var free int
	for _, q := range []string{"VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.QueryRow("PRAGMA freelist_count").Scan(&free); err != nil || free != 0 {
		t.Fatalf("compacted database: %d free pages (%v), want none", free, err)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 4096))
	if _, err := f.WriteAt(junk, fi.Size()/2-8192); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckCommand(t *testing.T) {
	sound := filepath.Join(t.TempDir(), "sound.db")
	newShippedDB(t, sound).Close()
	out, _, err := runCmd(t, "", "check", "--db", sound)
	if err != nil || !strings.Contains(out, ": ok") {
		t.Errorf("check of a sound database: got %q, %v, want ok", out, err)
	}

	damaged := damagedShippedDB(t)
	out, _, err = runCmd(t, "", "check", "--db", damaged)
	if err == nil {
		t.Fatalf("check of a damaged database: got no error, want one; printed %q", out)
	}
	for _, want := range []string{"timeline restore --db " + damaged} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("check's error %q does not name %q", err, want)
		}
	}
	if out == "" {
		t.Errorf("check of a damaged database printed nothing, want its problems")
	}

	if _, _, err := runCmd(t, "", "check", "--db", filepath.Join(t.TempDir(), "typo.db")); err == nil || !strings.Contains(err.Error(), "typo.db") {
		t.Errorf("check of a missing file: got %v, want an error naming it", err)
	}
}

func TestServeRefusesADamagedDatabase(t *testing.T) {
	damaged := damagedShippedDB(t)
	_, _, err := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--db", damaged)
	if err == nil {
		t.Fatal("serve on a damaged database started; want a refusal")
	}
	for _, want := range []string{damaged, "timeline check", "timeline restore", "--read-only"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("serve's refusal %q does not name %q", err, want)
		}
	}
}

func TestErrorsReadOnce(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0", "--db", garbage},
		{"export", "--format", "json", "--db", garbage},
		{"check", "--db", garbage},
	} {
		_, _, err := runCmd(t, "", args...)
		if err == nil {
			t.Errorf("%s on a file of garbage: no error", args[0])
			continue
		}
		msg := err.Error()
		if strings.Count(msg, "timeline:") > 1 || strings.Contains(msg, "timeline: timeline:") {
			t.Errorf("%s: the error repeats its prefix: %q", args[0], msg)
		}
		if !strings.Contains(msg, garbage) {
			t.Errorf("%s: the error %q does not name the file", args[0], msg)
		}
	}
}

func TestFaultWatchLogsAFullDiskOnceAMinuteAndItsEnd(t *testing.T) {
	ctx := context.Background()
	store, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var mu sync.Mutex
	clock := time.Now().UTC()
	store.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return clock })
	size, err := store.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.LimitSize(ctx, size); err != nil {
		t.Fatal(err)
	}
	e := opsEvent("full", 1)
	e.Actors = []timeline.EventActor{{Actor: timeline.Actor{Slug: "japan", Name: "Japan", Kind: "state", Country: "JP"}, Role: "party"}}
	e.Body = strings.Repeat("Text that needs new pages. ", 600)
	if err := store.CreateEvent(ctx, &e, timeline.Change{Author: "test"}); !errors.Is(err, timeline.ErrStorageFull) {
		t.Fatalf("create on a full disk: got %v, want ErrStorageFull", err)
	}
	logs := &bytes.Buffer{}
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&logMu, logs}, nil))
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); faultWatch(wctx, store, 5*time.Millisecond, log) }()
	read := func() string { logMu.Lock(); defer logMu.Unlock(); return logs.String() }
	time.Sleep(100 * time.Millisecond) // many ticks: still one line
	if n := strings.Count(read(), "disk full"); n != 1 {
		t.Errorf("log lines about the full disk within a minute: got %d, want 1:\n%s", n, read())
	}
	if err := store.LimitSize(ctx, 0); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	clock = clock.Add(time.Minute)
	mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(read(), "writes resumed") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done
	if !strings.Contains(read(), "writes resumed") {
		t.Errorf("the log does not say that writes resumed:\n%s", read())
	}
	if err := store.CreateEvent(ctx, &e, timeline.Change{Author: "test"}); err != nil {
		t.Errorf("create after space returned: %v", err)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// serveInProcess runs `timeline serve` with args on a free port until the
// test ends and returns its address once /readyz answers at all.
func serveInProcess(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errs bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr}, args...), func(string) string { return "" }, strings.NewReader(""), &lockedWriter{new(sync.Mutex), &out}, &lockedWriter{new(sync.Mutex), &errs})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	for range 200 {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return "http://" + addr
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("serve did not start")
	return ""
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeReadOnlyOnADamagedDatabaseIsDegraded(t *testing.T) {
	base := serveInProcess(t, "--read-only", "--db", damagedShippedDB(t))
	if st, body := httpGet(t, base+"/readyz"); st != 503 || !strings.Contains(body, "degraded") {
		t.Errorf("/readyz of a read-only server on a damaged file: got %d %q, want 503 degraded", st, body)
	}
	// Pages that do not touch the damaged pages are still served.
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	served := 0
	for _, e := range ds.Events {
		if st, _ := httpGet(t, base+"/events/"+e.Slug); st == 200 {
			served++
		}
	}
	if served == 0 {
		t.Errorf("no event page of the damaged file was served; want those it can still read")
	}
	t.Logf("%d of %d event pages served from the damaged file", served, len(ds.Events))
}

func TestServeReadOnlyFromAReadOnlyDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a read-only disk needs a read-only bind mount, which needs root")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "live.db")
	store := newShippedDB(t, src)
	pubDir := filepath.Join(dir, "pub")
	os.Mkdir(pubDir, 0o755)
	if err := store.Backup(context.Background(), filepath.Join(pubDir, "timeline.db")); err != nil {
		t.Fatal(err)
	}
	store.Close()
	ro := t.TempDir()
	if err := exec.Command("mount", "--bind", pubDir, ro).Run(); err != nil {
		t.Skipf("cannot bind-mount here: %v", err)
	}
	t.Cleanup(func() { exec.Command("umount", ro).Run() })
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", ro).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(ro, "probe"), nil, 0o644); err == nil {
		t.Fatal("the read-only mount took a write")
	}
	base := serveInProcess(t, "--read-only", "--db", filepath.Join(ro, "timeline.db"))
	if st, body := httpGet(t, base+"/readyz"); st != 200 {
		t.Errorf("/readyz: got %d %q, want 200", st, body)
	}
	if st, body := httpGet(t, base+"/events/2002-09-17-north-korea-admits-abductions"); st != 200 || !strings.Contains(body, "2002") {
		t.Errorf("an event page from a read-only disk: got %d, want 200", st)
	}
}
