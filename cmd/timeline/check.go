package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/japan-dprk/timeline/timeline"
)

// cmdCheck runs every check there is on a database and prints what it
// found. It changes nothing.
func cmdCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "timeline check [--db PATH]",
		"Checks the database: SQLite's integrity and foreign-key checks, the full-text index, and the\nchronology's own rules. Prints every problem and exits 1 on any; changes nothing.", stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file to check")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.usage(stderr)
		return usageError{"check: takes no arguments (name the database with --db)"}
	}
	if err := requireDB("check", *dbPath); err != nil {
		return err
	}
	// Read-only: a check must never migrate, load or repair what it checks.
	store, err := timeline.Open(ctx, *dbPath, timeline.ReadOnly())
	if err != nil {
		if errors.Is(err, timeline.ErrCorrupt) {
			return err // it names the file and what to do
		}
		return fmt.Errorf("check: %s cannot be opened as a chronology (%w); restore the last good backup with `timeline restore --db %s BACKUP`", *dbPath, err, *dbPath)
	}
	defer store.Close()
	report, err := store.Check(ctx)
	if err != nil {
		return fmt.Errorf("check %s: %w", *dbPath, err)
	}
	if report.OK() {
		fmt.Fprintf(stdout, "%s: ok (integrity, foreign keys, full-text index, dates, links and events all sound)\n", *dbPath)
		return nil
	}
	for _, p := range report.Problems {
		fmt.Fprintf(stdout, "%s: %s\n", *dbPath, p)
	}
	return fmt.Errorf("check: %s has %d problem(s); restore the last good backup with `timeline restore --db %s BACKUP` (or a Litestream replica: see the README, \"When things go wrong\")", *dbPath, len(report.Problems), *dbPath)
}
