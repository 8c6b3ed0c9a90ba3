package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"golang.org/x/term"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// synthMemoryLimit is the soft limit of synth's Go heap. What it holds
// throughout is the counts it gathers (about 20 MB) and the events on
// their way into the database; with the collector's default headroom the
// process passes 150 MB at a million events, and with this limit stays
// near 135 at a few per cent more CPU.
const synthMemoryLimit = 64 << 20

// cmdSynth fills a database with synthetic events for benchmarks and load
// tests: timeline synth --db PATH --events N [--seed S] [--revisions].
func cmdSynth(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if getenv("GOMEMLIMIT") == "" { // GOMEMLIMIT, when set, wins
		debug.SetMemoryLimit(synthMemoryLimit)
	}
	fs := newFlags("synth", "timeline synth --db PATH [--events N] [--seed S] [--revisions] [--phases]",
		"Fills a scratch database with synthetic events, for benchmarks and load tests. The database is created when missing.", stdout, stderr)
	dbPath := fs.String("db", "", "SQLite database file to fill (created when missing; use a scratch file, never the real chronology)")
	n := fs.Int("events", 100000, "how many events to write")
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same events")
	phases := fs.Bool("phases", false, "print how long each phase of the load took, to standard error")
	revisions := fs.Bool("revisions", false, "record a creation revision (a snapshot) for each event, as a real chronology has, to measure as_of")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("synth: unexpected argument %q", fs.Arg(0))}
	}
	if *dbPath == "" {
		return usageError{"synth: --db is required"}
	}
	if *n < 1 || *n > 50_000_000 {
		return usageError{"synth: --events must be from 1 to 50000000"}
	}
	store, err := timeline.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	var progress func(int)
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		progress = func(done int) { fmt.Fprintf(stderr, "\r%d of %d events", done, *n) }
	}
	var phase func(string, time.Duration)
	if *phases {
		phase = func(name string, took time.Duration) {
			if progress != nil {
				fmt.Fprintln(stderr)
				progress = nil // the progress line is done
			}
			fmt.Fprintf(stderr, "%s: %v\n", name, took.Round(10*time.Millisecond))
		}
	}
	if err := synth.Fill(ctx, store, synth.Options{Events: *n, Seed: *seed, Progress: progress, Revisions: *revisions, Phase: phase}); err != nil {
		return err
	}
	if progress != nil {
		fmt.Fprintln(stderr)
	}
	fmt.Fprintf(stdout, "wrote %d synthetic events to %s in %v\n", *n, *dbPath, time.Since(start).Round(100*time.Millisecond))
	return nil
}
