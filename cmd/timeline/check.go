package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/japan-dprk/timeline/timeline"
)

const checkUsage = `Usage:
  timeline check [--db PATH]   check the database: SQLite's integrity and foreign-key checks, the
                               full-text index, and the chronology's own rules; exits 1 on any problem`

// cmdCheck runs every check there is on a database and prints what it
// found. It changes nothing.
func cmdCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, checkUsage); fs.PrintDefaults() }
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file to check")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, checkUsage)
		return usageError{"check: takes no arguments (name the database with --db)"}
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("check: --db %s: %w", *dbPath, err)
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
