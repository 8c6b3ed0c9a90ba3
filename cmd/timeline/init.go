package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// cmdInit creates a database: with the shipped dataset, or with the schema
// alone (--empty), for instance to import a file into an empty database.
func cmdInit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("init", "timeline init [--db PATH] [--empty]",
		"Creates the database PATH with the shipped dataset, or with the schema alone (--empty).\nRefuses a PATH that exists.", stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file to create")
	empty := fs.Bool("empty", false, "create the schema only, without the shipped dataset")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("init: unexpected argument %q (the database is named with --db)", fs.Arg(0))}
	}
	if _, err := os.Lstat(*dbPath); err == nil {
		return fmt.Errorf("init: %s already exists", *dbPath)
	}
	store, err := timeline.Open(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	ok := false
	defer func() {
		store.Close()
		if !ok { // leave no half-made database behind
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(*dbPath + suffix)
			}
		}
	}()
	ds := timeline.Dataset{}
	if !*empty {
		if ds, err = data.Load(); err != nil {
			return err
		}
	}
	// Loading an empty dataset marks the database loaded all the same, so
	// that no later command fills an --empty database behind its owner's back.
	if _, err := store.LoadDatasetOnce(ctx, ds); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if !*empty {
		if err := syncShipped(ctx, store, slog.New(slog.DiscardHandler)); err != nil {
			return fmt.Errorf("init: %w", err)
		}
	}
	ok = true
	if *empty {
		fmt.Fprintf(stdout, "created %s (empty)\n", *dbPath)
	} else {
		fmt.Fprintf(stdout, "created %s with the shipped dataset: %d events, %d actors, %d eras\n", *dbPath, len(ds.Events), len(ds.Actors), len(ds.Eras))
	}
	return nil
}
