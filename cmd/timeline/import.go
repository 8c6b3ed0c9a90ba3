package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
)

// cmdImport reads events from a file (or standard input) and writes them,
// all or nothing: every problem is reported with its line or record, and
// nothing is written if there is any. A dry run lists what it would do to
// each event; warnings (links left out) are listed either way.
// importMemoryLimit is the Go heap an import aims to stay within: a
// 20 MiB file is read whole, and the events kept are at most
// timeline.MaxImportEvents.
const importMemoryLimit = 48 << 20

func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("import", "timeline import [flags] FILE|-",
		"Imports the events of FILE (- for standard input) into the database, all or nothing: every problem is\nreported with its line or record, and nothing is written if there is any. The database must exist.", stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file, which must exist (TIMELINE_DB sets the default)")
	format := fs.String("format", "", "json, csv or timelinejs (default: told from the file)")
	dry := fs.Bool("dry-run", false, "check everything and list what would change, event by event, writing nothing")
	user := fs.String("user", "import", "author of the revisions the import makes")
	defCat := fs.String("default-category", "", "category for rows whose category (CSV category, TimelineJS Group) is missing or not ours")
	defSig := fs.Int("default-significance", 0, "significance (1–3) of new events from rows without one (TimelineJS)")
	srcPub := fs.String("source-publisher", "", "with --source-title: the source of new events from rows naming none (TimelineJS)")
	srcTitle := fs.String("source-title", "", "with --source-publisher: that source's title")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"import: give one FILE to import, or - for standard input"}
	}
	switch *format {
	case "", "json", "csv", "timelinejs":
	default:
		return usageError{fmt.Sprintf("import: --format %q is not one of json, csv, timelinejs", *format)}
	}
	opt := timeline.ImportFileOptions{DryRun: *dry, Change: timeline.Change{Author: *user, Summary: "import of " + fs.Arg(0)},
		DefaultCategory: timeline.Category(*defCat), DefaultSignificance: *defSig, SourcePublisher: *srcPub, SourceTitle: *srcTitle}
	if err := opt.Check(); err != nil {
		return usageError{"import: " + err.Error()}
	}
	if *user == "" {
		return usageError{"import: --user must not be empty"}
	}
	// A soft limit on the Go heap, as serve has: the collector works
	// harder rather than let a large or hostile file double the memory.
	// GOMEMLIMIT, when set, wins.
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(importMemoryLimit)
	}
	var r io.Reader = stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		r = f
	}
	if err := requireDB("import", *dbPath); err != nil {
		return err
	}
	in, err := export.Read(r, *format)
	if err != nil {
		return fmt.Errorf("import %s: %w", fs.Arg(0), err)
	}
	store, err := openStore(ctx, *dbPath, slog.New(slog.NewTextHandler(stderr, nil)), timeline.WithCacheSize(serveCacheKiB))
	if err != nil {
		return err
	}
	defer store.Close()
	// On a terminal, a large import shows how far it has got.
	if total := len(in.Dataset.Events); isTerminal(stderr) && total >= importProgressMin {
		verb := "imported"
		if *dry {
			verb = "checked"
		}
		opt.Progress = func(done, total int) { fmt.Fprintf(stderr, "\r%s %d of %d events", verb, done, total) }
		defer fmt.Fprintln(stderr)
	}
	rep, err := store.ImportFile(ctx, in, opt)
	var ie *timeline.ImportError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Fprintln(stderr, p.String())
		}
		total := max(ie.Total, len(ie.Problems))
		if more := total - len(ie.Problems); more > 0 {
			fmt.Fprintf(stderr, "… and %d more problem(s): fix these first\n", more)
		}
		return fmt.Errorf("import %s refused, nothing written: %d problem(s)", fs.Arg(0), total)
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", fs.Arg(0), err)
	}
	for _, l := range export.ReportLines(rep) {
		if *dry || strings.HasPrefix(l, "warning: ") {
			fmt.Fprintln(stdout, l)
		}
	}
	fmt.Fprintln(stdout, export.ReportText(rep, *dry))
	return nil
}

// importProgressMin is the number of events from which an import on a
// terminal shows its progress.
const importProgressMin = 1000
