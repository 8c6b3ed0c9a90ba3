package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// cmdBackup writes a consistent copy of the database while a server may
// keep serving and writing.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "timeline backup [--db PATH] [--force] DEST",
		"Copies the database, live, to the new file DEST (--force replaces DEST); the server keeps serving.", stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file to copy")
	force := fs.Bool("force", false, "replace DEST when it exists")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.usage(stderr)
		return usageError{"backup: give one DEST file"}
	}
	dest := fs.Arg(0)
	if err := requireDB("backup", *dbPath); err != nil {
		return err // Open would create an empty database
	}
	if fi, err := os.Stat(dest); err == nil {
		if !*force {
			return fmt.Errorf("backup: %s already exists (use --force to replace it)", dest)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("backup: %s is not a regular file", dest)
		}
	}
	store, err := timeline.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	target := dest
	if *force {
		// Back up beside DEST, then rename over it: the old copy stays
		// whole until the new one is complete.
		f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.new")
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		target = f.Name()
		f.Close()
		os.Remove(target) // Backup wants a name that does not exist
		defer os.Remove(target)
	}
	if err := store.Backup(ctx, target); err != nil {
		return err
	}
	if target != dest {
		if err := os.Rename(target, dest); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := timeline.Verify(ctx, dest); err != nil {
		return fmt.Errorf("backup: the copy does not verify: %w", err)
	}
	fi, err := os.Stat(dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes, %s)\n", *dbPath, dest, fi.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdRestore replaces the database with a checked copy. The server must
// be stopped: restore refuses while anything has the database open.
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", "timeline restore [--db PATH] SRC",
		"Checks the backup SRC, then replaces the database with it (or creates it, to restore on a new machine).\nStop the server first.", stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file to replace")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.usage(stderr)
		return usageError{"restore: give one SRC file"}
	}
	src := fs.Arg(0)
	if same, err := sameFile(src, *dbPath); err == nil && same {
		return usageError{"restore: SRC is the database itself"}
	}
	if err := timeline.Restore(ctx, src, *dbPath); err != nil {
		if errors.Is(err, timeline.ErrInUse) {
			return fmt.Errorf("restore: %s is open in another process (a running timeline serve?): stop the server first, then run restore again", *dbPath)
		}
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", *dbPath, src)
	return nil
}

// sameFile reports whether the paths name one existing file.
func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// checkpointInterval is how often serve checkpoints the write-ahead log.
const checkpointInterval = 30 * time.Second

// checkpointLoop checkpoints the store at once and then every interval
// until ctx ends, so that the write-ahead log stays bounded however busy
// the readers are. Failures are logged: the next round tries again.
func checkpointLoop(ctx context.Context, store *timeline.Store, interval time.Duration, log *slog.Logger) {
	wait := interval
	for {
		pages, done, err := store.Checkpoint(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			// Back off while it fails (a full disk fails every checkpoint):
			// twice the wait each time, up to ten intervals.
			wait = min(wait*2, 10*interval)
			log.Warn("checkpoint failed; trying again later", "err", timeline.Classify(err), "next_in", wait)
		case err == nil && done < pages:
			wait = interval
			log.Debug("checkpoint incomplete: readers hold older snapshots", "wal_pages", pages, "checkpointed", done)
		default:
			wait = interval
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
