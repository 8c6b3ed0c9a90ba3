package main

import (
	"bytes"
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// TestLitestreamReplicaRestores replicates a live database with the shipped
// Litestream configuration, writes (and checkpoints) while it runs, and
// restores the replica into a new file that must equal the original.
func TestLitestreamReplicaRestores(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Litestream: skipped with -short")
	}
	bin, err := exec.LookPath("litestream")
	if err != nil {
		t.Skip("litestream is not on PATH: install it to run this test (see .ci/run)")
	}
	config, err := filepath.Abs(filepath.Join("deploy", "litestream.yml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "timeline.db") // where the shipped configuration looks
	store := newShippedDB(t, live)

	var logs bytes.Buffer
	litestream := func(command string, args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{command, "-config", config}, args...)...)
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = &logs, &logs
		return cmd
	}
	repl := litestream("replicate")
	if err := repl.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			repl.Process.Kill()
			repl.Wait()
		}
	}()

	// Wait for the first snapshot, so that the writes below reach the
	// replica as changes on top of it.
	replica := filepath.Join(dir, "timeline-replica")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if entries, _ := os.ReadDir(replica); len(entries) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no replica after 20s:\n%s", logs.String())
		}
	}

	// Writes while Litestream runs, over a few of its sync intervals, with
	// one of the server's own checkpoints among them.
	for n := range 60 {
		e := opsEvent("replicated", n)
		if err := store.CreateEvent(ctx, &e, timeline.Change{Author: "test"}); err != nil {
			t.Fatal(err)
		}
		if n == 30 {
			if _, _, err := store.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(40 * time.Millisecond)
	}
	last := opsEvent("replicated", 59).Slug
	want := tableCounts(t, live)

	// On SIGTERM Litestream syncs what it has not sent yet, then exits.
	time.Sleep(1500 * time.Millisecond) // past one sync-interval
	if err := repl.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- repl.Wait() }()
	select {
	case err := <-done:
		stopped = true
		if err != nil {
			t.Logf("litestream replicate exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("litestream replicate did not stop within 20s:\n%s", logs.String())
	}

	files := 0
	filepath.WalkDir(replica, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	t.Logf("the replica holds %d files", files)

	restored := filepath.Join(dir, "restored.db")
	if err := litestream("restore", "-o", restored, "./timeline.db").Run(); err != nil {
		t.Fatalf("litestream restore: %v\n%s", err, logs.String())
	}
	if err := timeline.Verify(ctx, restored); err != nil {
		t.Fatal(err)
	}
	// Litestream keeps two tables of its own in the live database.
	got := tableCounts(t, restored)
	for _, m := range []map[string]int{got, want} {
		maps.DeleteFunc(m, func(name string, _ int) bool { return strings.HasPrefix(name, "_litestream_") })
	}
	if !maps.Equal(got, want) {
		t.Errorf("restored %v, want %v\nlitestream:\n%s", got, want, logs.String())
	}
	r, err := timeline.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if e, err := r.GetEvent(ctx, last); err != nil || len(e.Sources) != 1 || len(e.Actors) != 1 {
		t.Errorf("the last replicated event: %+v, %v", e, err)
	}
}
