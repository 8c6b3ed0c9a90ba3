package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web"
)

// openStore opens the database and, when it is new, loads the shipped
// dataset into it (once: a marker in the database records it).
func openStore(ctx context.Context, path string, log *slog.Logger, opts ...timeline.Option) (*timeline.Store, error) {
	aliases, err := searchAliases()
	if err != nil {
		return nil, err
	}
	store, err := timeline.Open(ctx, path, append(opts, aliases)...)
	if err != nil {
		return nil, err
	}
	ds, err := data.Load()
	if err != nil {
		store.Close()
		return nil, err
	}
	loaded, err := store.LoadDatasetOnce(ctx, ds)
	if err != nil {
		store.Close()
		return nil, err
	}
	if loaded {
		log.Info("loaded the shipped dataset", "events", len(ds.Events), "actors", len(ds.Actors), "eras", len(ds.Eras))
	}
	if err := syncShipped(ctx, store, log); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// searchAliases is the Open option that lets search find an event by a
// term in any language (data/aliases.json).
func searchAliases() (timeline.Option, error) {
	groups, err := data.Aliases()
	if err != nil {
		return nil, err
	}
	return timeline.WithAliases(groups), nil
}

// syncShipped brings the database's verification record up to the shipped
// one (data/verification/*.tsv) when they differ, so that each release's
// checks show on the event pages without a reload of the events, and adds
// the shipped redirects of renamed slugs (data/redirects.json), so that
// cited permalinks keep working.
func syncShipped(ctx context.Context, store *timeline.Store, log *slog.Logger) error {
	rs, err := data.Redirects()
	if err != nil {
		return err
	}
	if n, err := store.AddRedirects(ctx, rs); err != nil {
		return err
	} else if n > 0 {
		log.Info("redirects of renamed slugs added", "redirects", n)
	}
	checks, err := data.Checks()
	if err != nil {
		return err
	}
	written, skipped, err := store.SyncChecks(ctx, checks)
	if err != nil {
		return err
	}
	if written {
		log.Info("verification record updated", "checks", len(checks)-skipped, "of_events_not_here", skipped)
	}
	return nil
}

// serveMemoryLimit is the Go heap the server aims to stay within.
const serveMemoryLimit = 64 << 20

// serveCacheKiB is each database connection's page cache: the reader pool
// has several, and the operating system caches the file as well.
const serveCacheKiB = 4000

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "timeline serve [flags]",
		"Serves the site. A database that does not exist yet is created, with the shipped dataset.", stdout, stderr)
	addr := fs.String("addr", envOr(getenv, "TIMELINE_ADDR", "127.0.0.1:8080"), "address to listen on, HOST:PORT (TIMELINE_ADDR sets the default)")
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file, created when missing (TIMELINE_DB sets the default)")
	baseURL := fs.String("base-url", getenv("TIMELINE_BASE_URL"), "public address of the site, for every absolute URL (default: http:// and the --addr listened on)")
	checkpointEvery := fs.Duration("checkpoint-interval", checkpointInterval, "how often to checkpoint the SQLite write-ahead log; 0 turns it off (when Litestream does it)")
	readOnly := fs.Bool("read-only", false, "serve a replica: open the database read-only (no migrations, no dataset load, no checkpoints), send writes and sign-in to --primary")
	primary := fs.String("primary", getenv("TIMELINE_PRIMARY"), "with --read-only: the primary's address, where writes and sign-in are redirected (without it they get 503)")
	filesDir := fs.String("files", "", "a folder to serve read-only under /files/ (downloads, or a load test's static ceiling)")
	logFormat := fs.String("log-format", envOr(getenv, "TIMELINE_LOG_FORMAT", "text"), "log format: text or json")
	queryTimeout := fs.Duration("query-timeout", 3*time.Second, "longest a list, search or count may run before the page asks to narrow it")
	startCheck := fs.Duration("start-check", 10*time.Second, "longest the start-up integrity check (PRAGMA quick_check) may run; 0 skips it")
	secureCookies := fs.Bool("secure-cookies", false, "mark the session cookie Secure (set when a proxy serves the site over HTTPS)")
	var trustedProxies []string
	fs.Func("trusted-proxy", "IP or CIDR of a reverse proxy whose X-Forwarded-For is believed (repeatable)", func(v string) error {
		if _, err := web.ParseTrustedProxy(v); err != nil {
			return err
		}
		trustedProxies = append(trustedProxies, v)
		return nil
	})
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve: unexpected argument %q", fs.Arg(0))}
	}
	// A soft limit on the Go heap keeps the process small under load (the
	// collector works harder near it); GOMEMLIMIT, when set, wins.
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	var log *slog.Logger
	switch *logFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(stderr, nil))
	case "json":
		log = slog.New(slog.NewJSONHandler(stderr, nil))
	default:
		return usageError{fmt.Sprintf("serve: --log-format must be text or json, not %q", *logFormat)}
	}
	if *queryTimeout <= 0 {
		return usageError{"serve: --query-timeout must be positive"}
	}
	if *baseURL != "" {
		if u, err := url.Parse(*baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return usageError{fmt.Sprintf("serve: --base-url must be an absolute http or https URL such as https://timeline.example, not %q", *baseURL)}
		}
	}
	if *primary != "" && !*readOnly {
		return usageError{"serve: --primary goes with --read-only"}
	}
	var store *timeline.Store
	var err error
	if *readOnly {
		var aliases timeline.Option
		if aliases, err = searchAliases(); err != nil {
			return err
		}
		store, err = timeline.Open(ctx, *dbPath, timeline.WithCacheSize(serveCacheKiB), timeline.ReadOnly(), aliases)
	} else {
		store, err = openStore(ctx, *dbPath, log, timeline.WithCacheSize(serveCacheKiB))
	}
	if errors.Is(err, timeline.ErrCorrupt) && !*readOnly {
		// Bringing the shipped dataset or verification record up to date
		// may meet the damage before the start-up check does: refuse as it
		// would.
		return fmt.Errorf("serve: %s is damaged (%v). Run `timeline check --db %s` to see every problem, then restore the last good backup with `timeline restore --db %s BACKUP`; or serve what can still be read with --read-only", *dbPath, err, *dbPath, *dbPath)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	if store.Immutable() {
		log.Warn("the database lies on a read-only disk: opened as an immutable file (changes made to it meanwhile will not be seen)", "db", *dbPath)
	}
	if err := startupCheck(ctx, store, *startCheck, *readOnly, log); err != nil {
		return err
	}
	// Watch the disk: while a full disk pauses writes, probe now and then
	// for space and say so once a minute.
	watchCtx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan struct{})
	go func() { defer close(watchDone); faultWatch(watchCtx, store, faultProbeEvery, log) }()
	defer func() { stopWatch(); <-watchDone }()
	// Checkpoint the write-ahead log now and then; stopped before the store
	// closes (deferred calls run last-in first-out). A replica leaves that
	// to whoever writes its file.
	if *checkpointEvery > 0 && !*readOnly {
		cpCtx, stopCheckpoints := context.WithCancel(ctx)
		cpDone := make(chan struct{})
		go func() { defer close(cpDone); checkpointLoop(cpCtx, store, *checkpointEvery, log) }()
		defer func() { stopCheckpoints(); <-cpDone }()
	}

	ln, err := net.Listen("tcp", *addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("serve: %s is already in use (another timeline serve?): choose a free address with --addr HOST:PORT or TIMELINE_ADDR", *addr)
	}
	if err != nil {
		return fmt.Errorf("serve: listen on %s (set --addr or TIMELINE_ADDR): %w", *addr, err)
	}
	base := *baseURL
	if base == "" {
		base = baseURLOf(ln.Addr())
	}
	srv := web.NewServer(web.Config{Store: store, Logger: log, BaseURL: base, SecureCookies: *secureCookies, TrustedProxies: trustedProxies, QueryTimeout: *queryTimeout, FilesDir: *filesDir, PrimaryURL: *primary})
	defer srv.Close() // removes the chronologies of past moments it rebuilt (as_of)
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Pages must be written within a minute; exports extend their own
		// deadline chunk by chunk.
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
	}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "db", *dbPath)
	fmt.Fprintf(stdout, "serving http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURLOf is the base URL of a server listening on addr, used when no
// --base-url is given: its own address, with localhost for a wildcard
// host. Absolute URLs never come from requests.
func baseURLOf(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
