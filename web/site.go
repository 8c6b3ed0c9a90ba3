package web

import (
	"context"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
	"github.com/japan-dprk/timeline/web/static"
)

// A static copy of the public site (timeline build-site): every public
// page rendered through the real server in process, each URL written to
// a file, each internal link rewritten to the file's relative path (or
// under a base URL). What a static copy cannot do (arbitrary filters,
// forms, editing, signing in) links to one explanatory page instead.
//
// This file crawls: it renders each URL and queues the links it finds.
// site_links.go rewrites a page's links and says which URLs the copy
// holds, site_files.go where each URL's file goes and how files are
// written and removed, site_search.go the search page and its index,
// site_note.go the note page and the sitemap.

// SiteReport says what a build did.
type SiteReport struct {
	Files     int      // files the site is made of
	Pages     int      // of which HTML pages
	Written   int      // files written because their bytes changed (or are new)
	Unchanged int      // files left alone
	Removed   int      // files of an earlier build no longer part of the site
	Bytes     int64    // total size of the site
	Skipped   []string // URLs that did not answer 200 (links to them go to the note page)
}

// siteSearch is the search page of the copy (searchPage), where the
// chronology's filter forms go.
const siteSearch = "/search"

// siteNote is the page every link the static copy cannot follow goes to.
const siteNote = "/static-site"

// BuildSite renders the public site of cfg's store into out. linkBase,
// when set, is the address the copy will be served from: links are then
// absolute under it; otherwise they are relative, so that the copy also
// works from file://. Each file is written as soon as it is rendered, and
// only when its bytes changed; files of an earlier build that are no
// longer part of the site are removed once the crawl has finished, so a
// build that fails part way leaves the earlier copy's other files in
// place.
func BuildSite(ctx context.Context, cfg Config, out, linkBase string) (SiteReport, error) {
	linkBase = strings.TrimSuffix(linkBase, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
		if linkBase != "" {
			cfg.BaseURL = linkBase
		}
	}
	if cfg.Now == nil {
		// The copy is as of the data's last change: its exports say they
		// were generated then, so an unchanged store rebuilds to the same
		// bytes.
		_, modified, err := cfg.Store.DataStamp(ctx)
		if err != nil {
			return SiteReport{}, err
		}
		cfg.Now = func() time.Time { return modified }
	}
	srv := NewServer(cfg)
	defer srv.Close()
	b := &siteBuilder{
		srv:      srv,
		base:     strings.TrimSuffix(cfg.BaseURL, "/"),
		linkBase: linkBase,
		out:      out,
		files:    map[string]bool{},
		seen:     map[string]bool{},
		windows:  map[string]bool{},
		years:    map[string]bool{},
	}
	b.idle = sync.NewCond(&b.mu)
	counts, err := cfg.Store.YearCounts(ctx, timeline.Filter{})
	if err != nil {
		return SiteReport{}, err
	}
	for _, c := range counts {
		b.years[fmt.Sprintf("%04d", c.Year)] = true
	}
	if err := b.crawl(ctx); err != nil {
		return b.report, err
	}
	err = b.removeStale()
	return b.report, err
}

type siteBuilder struct {
	srv      *Server
	base     string // the server's base URL: absolute links under it are internal
	linkBase string
	out      string          // the directory the site is written to
	files    map[string]bool // site paths of the files written or kept
	pages    []string        // site paths of HTML pages, for the sitemap
	events   []byte          // events.json, which the search index is made from
	seen     map[string]bool // canonical URLs queued
	queue    []string
	windows  map[string]bool // timeline windows linked from /timeline: the standard zooms
	years    map[string]bool // the years that have events

	mu     sync.Mutex // guards files, pages, events, seen, queue and all below
	idle   *sync.Cond // a URL was queued or a worker finished
	busy   int        // workers rendering
	err    error      // the first file that could not be written ends the crawl
	report SiteReport
}

func (b *siteBuilder) crawl(ctx context.Context) error {
	// The standard zooms are the windows the whole timeline links to.
	if body, _, ok := b.render("/timeline"); ok {
		for a := range siteAttrs(body) {
			if u, err := url.Parse(html.UnescapeString(string(a.value(body)))); err == nil && u.Path == "/timeline" {
				q := u.Query()
				if len(q) == 2 && q.Has("from") && q.Has("to") {
					b.windows[u.RawQuery] = true
				}
			}
		}
	}
	seeds := []string{"/", "/events", "/about", "/actors", "/tags", "/eras", "/timeline", "/story", "/feed.atom", "/api"}
	for _, f := range export.Formats {
		seeds = append(seeds, "/events"+f.Ext())
	}
	for _, f := range export.CiteFormats {
		seeds = append(seeds, "/events"+f.Ext(), "/sources"+f.Ext())
	}
	entries, _ := fs.ReadDir(static.FS, ".")
	for _, e := range entries {
		seeds = append(seeds, "/static/"+e.Name())
	}
	for _, y := range slices.Sorted(maps.Keys(b.years)) {
		q := "?from=" + y + "&to=" + y
		seeds = append(seeds, "/events"+q, "/timeline"+q, "/story"+q)
		for _, f := range export.Formats {
			seeds = append(seeds, "/events"+f.Ext()+q)
		}
		for _, f := range export.CiteFormats {
			seeds = append(seeds, "/events"+f.Ext()+q, "/sources"+f.Ext()+q)
		}
	}
	for _, s := range seeds {
		u, _ := url.Parse(s)
		b.enqueue(u)
	}
	// Pages render in parallel, one worker per CPU: a worker takes a URL
	// from the queue, renders it and queues the links it finds; the crawl
	// ends when the queue is empty and no worker is busy.
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				b.mu.Lock()
				for len(b.queue) == 0 && b.busy > 0 {
					b.idle.Wait()
				}
				if len(b.queue) == 0 || ctx.Err() != nil || b.err != nil {
					b.idle.Broadcast()
					b.mu.Unlock()
					return
				}
				u := b.queue[0]
				b.queue = b.queue[1:]
				b.busy++
				b.mu.Unlock()
				err := b.crawlOne(u)
				b.mu.Lock()
				b.busy--
				if err != nil && b.err == nil {
					b.err = err
				}
				b.idle.Broadcast()
				b.mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.err != nil {
		return b.err
	}
	slices.Sort(b.report.Skipped)
	// The note page is no content of its own: the sitemap leaves it out.
	if err := b.put(sitePath(&url.URL{Path: siteNote}, true), b.notePage(), false); err != nil {
		return err
	}
	if err := b.searchPage(); err != nil {
		return err
	}
	return b.put("sitemap.xml", b.sitemap(), false)
}

// crawlOne renders u, rewrites its links (queueing what they point at)
// and writes the result.
func (b *siteBuilder) crawlOne(u string) error {
	body, ctype, ok := b.render(u)
	if !ok {
		b.mu.Lock()
		b.report.Skipped = append(b.report.Skipped, u)
		b.mu.Unlock()
		return nil
	}
	pu, _ := url.Parse(u)
	isPage := strings.HasPrefix(ctype, "text/html")
	p := sitePath(pu, isPage)
	switch {
	case isPage:
		body = b.rewriteHTML(pu, p, body)
	case strings.HasPrefix(ctype, "text/css"):
		body = b.rewriteCSS(p, body)
	case p == "events.json":
		b.mu.Lock()
		b.events = body
		b.mu.Unlock()
	}
	return b.put(p, body, isPage)
}

// render answers u through the server, as a GET without a session.
func (b *siteBuilder) render(u string) ([]byte, string, bool) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, u, nil)
	b.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, "", false
	}
	return rec.Body.Bytes(), rec.Header().Get("Content-Type"), true
}

// enqueue queues u (canonical) once and says where links to it go.
func (b *siteBuilder) enqueue(u *url.URL) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := u.String()
	if !b.seen[k] {
		b.seen[k] = true
		b.queue = append(b.queue, k)
		b.idle.Signal()
	}
}
