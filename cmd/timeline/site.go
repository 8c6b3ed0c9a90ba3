package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/japan-dprk/timeline/web"
)

// cmdBuildSite writes the static copy of the public site (web.BuildSite):
// every public page, the standard timeline zooms, the exports of the whole
// chronology and of each year, the feed and a sitemap. A rebuild writes
// only the files whose bytes changed.
func cmdBuildSite(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("build-site", "timeline build-site --out DIR [--db PATH] [--base-url URL]",
		"Writes a static copy of the public site into DIR, for any file host or CDN (it also works from file://).\nLinks are relative, or absolute under --base-url. A rebuild rewrites only the files that changed.", stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file, which must exist (TIMELINE_DB sets the default)")
	out := fs.String("out", "", "directory to write the site into (required)")
	baseURL := fs.String("base-url", "", "the address the copy is served from (default: relative links)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("build-site: unexpected argument %q", fs.Arg(0))}
	}
	if *out == "" {
		return usageError{"build-site: --out is required (the directory to write the site into)"}
	}
	if err := requireDB("build-site", *dbPath); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	store, err := openStore(ctx, *dbPath, log)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	r, err := web.BuildSite(ctx, web.Config{Store: store, Logger: slog.New(slog.DiscardHandler)}, *out, *baseURL)
	if err != nil {
		return err
	}
	for _, u := range r.Skipped {
		fmt.Fprintf(stderr, "build-site: %s did not answer 200; links to it go to the note page\n", u)
	}
	fmt.Fprintf(stdout, "%d files (%d pages, %.1f MB): %d files written, %d unchanged, %d removed, in %.1fs\n",
		r.Files, r.Pages, float64(r.Bytes)/1e6, r.Written, r.Unchanged, r.Removed, time.Since(start).Seconds())
	return nil
}
