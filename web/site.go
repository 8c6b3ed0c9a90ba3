package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"iter"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
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

// siteAttr is an attribute written name="value" in a page, as offsets:
// from start (the white space before the name) to end (after the closing
// quote), the name from name to eq (the equals sign).
type siteAttr struct{ start, name, eq, end int }

func (a siteAttr) value(body []byte) []byte { return body[a.eq+2 : a.end-1] }

// siteAttrs finds, in order and without overlap, what the regular
// expression (\s)([a-zA-Z][a-zA-Z0-9:-]*)="([^"]*)" matches: attribute
// values that may be URLs (href, src, action, hx-get and friends). It
// looks for =" and checks the name before it: the expression took over
// half the build's CPU, this a few percent (TestSiteAttrsMatchRegexp
// holds the two together).
func siteAttrs(body []byte) iter.Seq[siteAttr] {
	return func(yield func(siteAttr) bool) {
		at := 0
		for {
			i := bytes.Index(body[at:], []byte(`="`))
			if i < 0 {
				return
			}
			eq := at + i
			// The name never reaches back into the previous match, which
			// ends with a quote.
			name := eq
			for name > 0 && siteNameByte(body[name-1]) {
				name--
			}
			at = eq + 1
			if name == eq || name == 0 || !siteLetter(body[name]) || !siteSpace(body[name-1]) {
				continue
			}
			j := bytes.IndexByte(body[eq+2:], '"')
			if j < 0 {
				return
			}
			a := siteAttr{start: name - 1, name: name, eq: eq, end: eq + 2 + j + 1}
			if !yield(a) {
				return
			}
			at = a.end
		}
	}
}

func siteLetter(c byte) bool   { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func siteNameByte(c byte) bool { return siteLetter(c) || '0' <= c && c <= '9' || c == ':' || c == '-' }

// siteSpace is \s of Go's regular expressions.
func siteSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// siteServerScripts are the scripts that ask the server for new drawings
// (the timeline's zoom and pan by wheel and keys): the copy leaves them
// out, and its timeline moves by its links, as it does without scripts.
var siteServerScripts = regexp.MustCompile(`<script[^>]*\ssrc="/static/timeline\.js[^"]*"[^>]*></script>`)

// siteAlternates are a page's links to its Japanese and Korean versions,
// which the copy does not hold (they are on the live site).
var siteAlternates = regexp.MustCompile(`<link rel="alternate" hreflang="[a-z-]+" href="[^"]*">`)

var siteURLAttrs = []string{"href", "src", "action", "poster", "formaction"}

// rewriteHTML rewrites the internal links of the page at u (file p),
// queueing what they point at.
func (b *siteBuilder) rewriteHTML(u *url.URL, p string, body []byte) []byte {
	body = siteServerScripts.ReplaceAll(body, nil)
	body = siteAlternates.ReplaceAll(body, nil)
	out := make([]byte, 0, len(body)+len(body)/8)
	last := 0 // body up to last is in out
	for a := range siteAttrs(body) {
		name := strings.ToLower(string(body[a.name:a.eq]))
		if strings.HasPrefix(name, "hx-") {
			// The static copy has no server to ask: htmx requests are
			// dropped, and the plain links and forms do the work.
			out = append(out, body[last:a.start]...)
			last = a.end
			continue
		}
		if !slices.Contains(siteURLAttrs, name) {
			continue
		}
		link, ok := b.link(u, p, html.UnescapeString(string(a.value(body))), name == "action")
		if !ok {
			continue
		}
		out = append(out, body[last:a.eq]...)
		out = append(out, `="`...)
		out = append(out, html.EscapeString(link)...)
		out = append(out, '"')
		last = a.end
	}
	return append(out, body[last:]...)
}

var siteCSSURL = regexp.MustCompile(`url\(\s*["']?(/[^"')]+)["']?\s*\)`)

func (b *siteBuilder) rewriteCSS(p string, body []byte) []byte {
	u := &url.URL{Path: "/static/"}
	return siteCSSURL.ReplaceAllFunc(body, func(m []byte) []byte {
		val := string(siteCSSURL.FindSubmatch(m)[1])
		link, ok := b.link(u, p, val, false)
		if !ok {
			return m
		}
		return []byte(`url("` + link + `")`)
	})
}

// link maps the link val found on the page at u (file p) to its place in
// the copy; ok is false for links that are not internal (other sites,
// fragments, data: URLs), which are kept as they are.
func (b *siteBuilder) link(u *url.URL, p, val string, form bool) (string, bool) {
	if val == "" || strings.HasPrefix(val, "#") {
		return "", false
	}
	if b.base != "" && (val == b.base || strings.HasPrefix(val, b.base+"/") || strings.HasPrefix(val, b.base+"?")) {
		val = strings.TrimPrefix(val, b.base)
		if val == "" {
			val = "/"
		}
	}
	ref, err := url.Parse(val)
	if err != nil || ref.Scheme != "" || ref.Host != "" || strings.HasPrefix(val, "//") {
		return "", false
	}
	t := u.ResolveReference(ref)
	frag := t.Fragment
	t.Fragment, t.RawFragment = "", ""
	target, ok := siteAccept(t, b.windows, b.years)
	if form && (t.Path == "/events" || t.Path == "/timeline") {
		target, ok, form, frag = &url.URL{Path: siteSearch}, true, false, ""
	}
	if form || !ok {
		target = &url.URL{Path: siteNote}
		frag = ""
	} else {
		if target.Path != siteSearch {
			b.enqueue(target)
		}
	}
	to := sitePath(target, !strings.Contains(path.Base(target.Path), "."))
	out := b.href(p, to)
	if frag != "" {
		out += "#" + frag
	}
	return out, true
}

// href is the link from the file from to the file to.
func (b *siteBuilder) href(from, to string) string {
	if b.linkBase != "" {
		return b.linkBase + "/" + strings.TrimSuffix(to, "index.html")
	}
	rel, err := filepath.Rel(filepath.Dir(filepath.FromSlash(from)), filepath.FromSlash(to))
	if err != nil {
		return to
	}
	return filepath.ToSlash(rel)
}

var (
	siteSlug    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	siteDenied  = []string{"/login", "/logout", "/corrections", "/admin", "/import", "/api/v1/", "/healthz", "/readyz", "/files/", "/events/new", "/static-site", "/lang", "/ja", "/ko"}
	siteListing = regexp.MustCompile(`^/(events|actors/[^/]+|tags/[^/]+|eras/[^/]+)$`)
)

// siteAccept says whether the copy holds the page at u, and under which
// canonical URL; a timeline's or story's link to one event goes to the
// event's page. windows are the timeline windows of the standard zooms,
// years those with events: the copy holds each year's page, timeline,
// story and exports, each era's pages by year, and the first page of
// each category; combinations of filters are left to the live site.
func siteAccept(u *url.URL, windows, years map[string]bool) (*url.URL, bool) {
	p := u.Path
	if p != "/" {
		p = strings.TrimSuffix(p, "/")
	}
	if p == "/api/v1/openapi.json" {
		return &url.URL{Path: p}, true
	}
	for _, d := range siteDenied {
		if p == d || strings.HasPrefix(p, d+"/") || strings.HasPrefix(d, "/api/") && strings.HasPrefix(p, d) {
			return nil, false
		}
	}
	if segs := strings.Split(p, "/"); len(segs) > 3 || (len(segs) == 3 && segs[1] != "static" && segs[1] != "events" && segs[1] != "actors" && segs[1] != "tags" && segs[1] != "eras") {
		return nil, false // /events/X/correct, /events/X/edit…
	}
	q := u.Query()
	if strings.HasPrefix(p, "/static/") {
		return &url.URL{Path: p}, true // the fingerprint is the file's own
	}
	if sel := q.Get("sel"); p == "/timeline" && siteSlug.MatchString(sel) {
		return &url.URL{Path: "/events/" + sel}, true
	}
	for _, k := range []string{"at", "thread"} {
		if v := q.Get(k); p == "/story" && siteSlug.MatchString(v) {
			return &url.URL{Path: "/events/" + v}, true
		}
	}
	canon := &url.URL{Path: p}
	if len(q) == 0 {
		return canon, true
	}
	cursor := q.Get("cursor")
	if cursor != "" {
		if !siteListing.MatchString(p) || len(q["cursor"]) != 1 {
			return nil, false
		}
		q.Del("cursor")
	}
	ok := false
	switch {
	case len(q) == 0:
		ok = true
	case len(q) == 1 && len(q["year"]) == 1 && years[q.Get("year")]:
		ok = p == "/events" || strings.HasPrefix(p, "/eras/")
	case len(q) == 2 && len(q["from"]) == 1 && len(q["to"]) == 1:
		from, to := q.Get("from"), q.Get("to")
		ok = from == to && years[from] && !strings.HasPrefix(p, "/actors/") && !strings.HasPrefix(p, "/tags/") ||
			p == "/timeline" && cursor == "" && windows[q.Encode()]
	case len(q) == 1 && len(q["category"]) == 1 && siteSlug.MatchString(q.Get("category")):
		ok = p == "/events"
	case len(q) == 1 && len(q["era"]) == 1 && siteSlug.MatchString(q.Get("era")):
		ok = p == "/events"
	}
	if !ok {
		return nil, false
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	canon.RawQuery = q.Encode()
	return canon, true
}

// sitePath is the file of URL u in the copy: /events/x is
// events/x/index.html, /events.csv is events.csv, and a query becomes a
// directory of its own, sorted by key (/events?from=2002&to=2002 is
// events/from-2002_to-2002/index.html, /events.csv?from=2002&to=2002 is
// from-2002_to-2002/events.csv). page says whether u is an HTML page.
func sitePath(u *url.URL, page bool) string {
	p := strings.Trim(u.Path, "/")
	q := siteQuerySeg(u.Query())
	if strings.HasPrefix(p, "static/") {
		q = ""
	}
	if page {
		return path.Join(p, q, "index.html")
	}
	return path.Join(path.Dir(p), q, path.Base(p))
}

var siteUnsafe = regexp.MustCompile(`[^a-zA-Z0-9.-]+`)

func siteQuerySeg(q url.Values) string {
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range q[k] {
			s := siteUnsafe.ReplaceAllString(v, "-")
			if s != v || len(s) > 40 {
				sum := sha256.Sum256([]byte(v))
				s = hex.EncodeToString(sum[:6])
			}
			parts = append(parts, siteUnsafe.ReplaceAllString(k, "-")+"-"+s)
		}
	}
	return strings.Join(parts, "_")
}

// notePage explains what the static copy leaves to the live site.
func (b *siteBuilder) notePage() []byte {
	p := sitePath(&url.URL{Path: siteNote}, true)
	css := b.href(p, "static/app.css")
	home := b.href(p, "index.html")
	years := b.href(p, "events/index.html")
	return fmt.Appendf(nil, `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not in the static copy · Japan–DPRK diplomacy timeline</title>
<link rel="stylesheet" href="%s"></head>
<body><main id="main">
<h1>Not in the static copy</h1>
<p>This is a static copy of the chronology. It holds every event, year, era, actor and tag page, the
timeline and story views, the exports of the whole chronology and of each year, and the Atom feed.
Searching with any text, combining filters, correcting an event, signing in and editing need the live
site, which runs <code>timeline serve</code>; so do the Japanese and Korean interfaces
(<span lang="ja">日本語</span>, <span lang="ko">한국어</span>): the copy is in English.</p>
<p><a href="%s">The chronology</a> · <a href="%s">All events</a> · <a href="%s">Search, and the events by year</a></p>
</main></body></html>
`, html.EscapeString(css), html.EscapeString(home), html.EscapeString(years), html.EscapeString(b.href(p, "search/index.html")))
}

// searchPage writes the search page and its index: every event's titles,
// summary, date and link, as a script that sets a global (so that it
// loads from file:// too), searched by static/sitesearch.js. Without
// JavaScript the page says so and lists the years.
func (b *siteBuilder) searchPage() error {
	const page = "search/index.html"
	var dump struct {
		Events []struct {
			Slug    string `json:"slug"`
			Start   string `json:"start"`
			Title   string `json:"title"`
			TitleJA string `json:"title_ja"`
			TitleKO string `json:"title_ko"`
			Summary string `json:"summary"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b.events, &dump); err != nil {
		return fmt.Errorf("build-site: the search index needs events.json: %w", err)
	}
	type entry struct {
		Title   string `json:"title"`
		TitleJA string `json:"title_ja,omitempty"`
		TitleKO string `json:"title_ko,omitempty"`
		Summary string `json:"summary"`
		Date    string `json:"date"`
		URL     string `json:"url"`
	}
	entries := make([]entry, 0, len(dump.Events))
	for _, e := range dump.Events {
		to := sitePath(&url.URL{Path: "/events/" + e.Slug}, true)
		if !b.files[to] {
			continue
		}
		entries = append(entries, entry{e.Title, e.TitleJA, e.TitleKO, e.Summary, e.Start, b.href(page, to)})
	}
	idx, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	if err := b.put("search/index.js", slices.Concat([]byte("window.timelineSearchIndex = "), idx, []byte(";\n")), false); err != nil {
		return err
	}
	var years strings.Builder
	for _, y := range slices.Sorted(maps.Keys(b.years)) {
		fmt.Fprintf(&years, `<li><a href="%s">%s</a></li>`, html.EscapeString(b.href(page, sitePath(&url.URL{Path: "/events", RawQuery: "from=" + y + "&to=" + y}, true))), y)
	}
	body := fmt.Appendf(nil, `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Search · Japan–DPRK diplomacy timeline</title>
<link rel="stylesheet" href="%s"></head>
<body><main id="main">
<h1>Search the chronology</h1>
<p><a href="%s">The chronology</a></p>
<form id="site-search" role="search" action="index.html" method="get">
<label for="site-q">Words in an event's title (English, Japanese or Korean) or summary</label>
<input id="site-q" type="search" name="q" data-testid="site-q">
<button type="submit">Search</button>
</form>
<noscript><p>Searching this static copy needs JavaScript. Browse the events by year below, or search
with any filter on the live site.</p></noscript>
<p id="site-status" role="status" data-testid="site-status"></p>
<ol id="site-results" data-testid="site-results"></ol>
<h2>Events by year</h2>
<ul class="years">%s</ul>
</main>
<script src="index.js"></script>
<script src="%s"></script>
</body></html>
`, html.EscapeString(b.href(page, "static/app.css")), html.EscapeString(b.href(page, "index.html")), years.String(), html.EscapeString(b.href(page, "static/sitesearch.js")))
	return b.put(page, body, true)
}

// sitemap lists every page under the base URL.
func (b *siteBuilder) sitemap() []byte {
	base := b.linkBase
	if base == "" {
		base = b.base
	}
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range slices.Sorted(slices.Values(b.pages)) {
		fmt.Fprintf(&buf, "<url><loc>%s/%s</loc></url>\n", html.EscapeString(base), html.EscapeString(strings.TrimSuffix(p, "index.html")))
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// put writes body as the file p of the site, unless the file already
// holds exactly these bytes, and counts it. Once written, a file's bytes
// are not kept: what the rest of the build needs is its path.
func (b *siteBuilder) put(p string, body []byte, page bool) error {
	b.mu.Lock()
	if b.files[p] {
		b.mu.Unlock()
		return fmt.Errorf("build-site: two URLs make the file %s", p)
	}
	b.files[p] = true
	b.report.Files++
	b.report.Bytes += int64(len(body))
	if page {
		b.report.Pages++
		b.pages = append(b.pages, p)
	}
	b.mu.Unlock()
	f := filepath.Join(b.out, filepath.FromSlash(p))
	same, err := sameBytes(f, body)
	if err != nil {
		return err
	}
	if !same {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(f, body, 0o644); err != nil {
			return err
		}
	}
	b.mu.Lock()
	if same {
		b.report.Unchanged++
	} else {
		b.report.Written++
	}
	b.mu.Unlock()
	return nil
}

// sameBytes says whether the file f exists and holds exactly body.
func sameBytes(f string, body []byte) (bool, error) {
	fi, err := os.Stat(f)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(body)) {
		return false, err
	}
	old, err := os.ReadFile(f)
	if err != nil {
		return false, err
	}
	return bytes.Equal(old, body), nil
}

// removeStale removes the files under out that this build did not make
// (what an earlier build wrote and the site no longer holds), and the
// directories that leaves empty.
func (b *siteBuilder) removeStale() error {
	var dirs []string
	err := filepath.WalkDir(b.out, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if f != b.out {
				dirs = append(dirs, f)
			}
			return nil
		}
		rel, err := filepath.Rel(b.out, f)
		if err != nil {
			return err
		}
		if b.files[filepath.ToSlash(rel)] {
			return nil
		}
		b.report.Removed++
		return os.Remove(f)
	})
	if err != nil {
		return err
	}
	// Deepest first, so that a directory whose subdirectories were all
	// stale is empty when its turn comes.
	for _, d := range slices.Backward(dirs) {
		if entries, err := os.ReadDir(d); err == nil && len(entries) == 0 {
			if err := os.Remove(d); err != nil {
				return err
			}
		}
	}
	return nil
}
