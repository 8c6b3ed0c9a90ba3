package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
)

// progressEvery is how often a large export reports progress on a terminal.
const progressEvery = 5000

// cmdExport writes the events a filter selects in one format, to standard
// output or to a file (written whole or not at all).
// exportMemoryLimit is the Go heap an export aims to stay within.
const exportMemoryLimit = 24 << 20

// exportCacheKiB is the SQLite page cache of an export, which reads each
// page about once.
const exportCacheKiB = 2000

func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	// An export streams: what it holds at once is one chunk of events.
	// A soft memory limit makes the collector keep the process that small
	// however many events go out (GOMEMLIMIT, when set, wins).
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(exportMemoryLimit)
	}
	fs := newFlags("export", "timeline export [flags]",
		"Writes the events a filter selects (every event without one) in one format, to standard output or to --out FILE\n(written whole or not at all). The database must exist.", stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file, which must exist (TIMELINE_DB sets the default)")
	format := fs.String("format", "json", "csv, json, ics, md or timelinejs")
	out := fs.String("out", "", "file to write (default: standard output)")
	baseURL := fs.String("base-url", envOr(getenv, "TIMELINE_BASE_URL", "http://127.0.0.1:8080"), "the site's public address, for permalinks and the citation")
	q := url.Values{}
	for _, name := range []string{"from", "to", "certainty", "sig", "q"} {
		fs.Func(name, "filter: "+name+" (as on /events)", func(v string) error { q.Set(name, v); return nil })
	}
	for _, name := range []string{"category", "actor", "tag"} {
		fs.Func(name, "filter: "+name+" (repeatable)", func(v string) error { q.Add(name, v); return nil })
	}
	fs.Func("as-of", "the chronology as it stood at a moment, as ?as_of= reads it (YYYY-MM-DD, or a time in UTC)", func(v string) error { q.Set("as_of", v); return nil })
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("export: unexpected argument %q", fs.Arg(0))}
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return usageError{"export: --" + err.Error()}
	}
	if err := requireDB("export", *dbPath); err != nil {
		return err
	}
	store, err := openStore(ctx, *dbPath, slog.New(slog.NewTextHandler(stderr, nil)), timeline.WithCacheSize(exportCacheKiB))
	if err != nil {
		return err
	}
	defer store.Close()
	flt, err := store.ResolveFilter(ctx, q)
	if _, ok := errors.AsType[*timeline.ValidationError](err); ok {
		return usageError{"export: " + strings.ReplaceAll(flagProblems(err), "--as_of", "--as-of")}
	} else if err != nil {
		return err
	}
	m := export.Meta{Filter: flt, Generated: time.Now().UTC(), BaseURL: strings.TrimRight(*baseURL, "/"), AsOf: flt.AsOf}
	// The data version is the database's; the events may be those of a
	// past moment, read from a copy rolled back to it.
	if m.Version, err = store.DataVersion(ctx); err != nil {
		return err
	}
	if !flt.AsOf.IsZero() {
		past, cleanup, err := pastStore(ctx, store, flt.AsOf)
		if err != nil {
			return err
		}
		defer cleanup()
		store = past
	}
	if m.Count, err = store.Count(ctx, flt); err != nil {
		return err
	}
	if m.Eras, err = store.ListEras(ctx); err != nil {
		return err
	}
	progress := isTerminal(stderr) && m.Count >= progressEvery
	n := 0
	events := func(yield func(timeline.Event) error) error {
		return store.EachEventWith(ctx, flt, timeline.EachOptions{Slim: f.Slim()}, func(e timeline.Event) error {
			if err := yield(e); err != nil {
				return err
			}
			if n++; progress && n%progressEvery == 0 {
				fmt.Fprintf(stderr, "\rexported %d of %d events", n, m.Count)
			}
			return nil
		})
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := f.Write(bw, m, events); err != nil {
			return err
		}
		return bw.Flush()
	}
	if *out == "" {
		err = write(stdout)
	} else {
		err = writeFileAtomic(*out, write)
	}
	if progress {
		fmt.Fprintf(stderr, "\rexported %d of %d events\n", n, m.Count)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if f == export.CSV && *out != "" {
		fmt.Fprintln(stderr, "cite as:", m.Citation())
	}
	return nil
}

// writeFileAtomic writes path through a temporary file in the same folder,
// renamed into place only when write succeeds, so that a failed export
// leaves no half-written file. The file gets the mode a plain create would
// give it (0666 less the umask: 0644 usually), or the mode of the file it
// replaces.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	mode := os.FileMode(0o666)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	var tmp *os.File
	for range 100 {
		name := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"."+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		tmp = f
		break
	}
	if tmp == nil {
		return fmt.Errorf("no free temporary name beside %s", path)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// flagProblems writes a filter's problems as flags: "--from: …; --sig: …".
// pastStore returns the chronology as it stood at t: the store itself when
// nothing has changed since, else a copy rolled back to then in a
// temporary directory, which cleanup removes.
func pastStore(ctx context.Context, store *timeline.Store, t time.Time) (*timeline.Store, func(), error) {
	a, err := store.StateAt(ctx, t)
	if _, ok := errors.AsType[*timeline.ValidationError](err); ok {
		return nil, nil, usageError{"export: " + strings.ReplaceAll(flagProblems(err), "--as_of", "--as-of")}
	} else if err != nil {
		return nil, nil, err
	}
	if a.Current() {
		return store, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "timeline-asof-")
	if err != nil {
		return nil, nil, err
	}
	past, err := store.Snapshot(ctx, t, filepath.Join(dir, "asof.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return past, func() { past.Close(); os.RemoveAll(dir) }, nil
}

func flagProblems(err error) string {
	var ve *timeline.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	parts := make([]string, 0, len(ve.Problems))
	for _, k := range ve.Fields() {
		parts = append(parts, "--"+k+": "+ve.Problems[k])
	}
	return strings.Join(parts, "; ")
}

// isTerminal reports whether w is a terminal (for progress lines).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
