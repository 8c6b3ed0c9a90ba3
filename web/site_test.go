package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/timeline"
)

// TestBuildSite builds the shipped dataset's site, crawls it as files and
// over HTTP (python3 -m http.server) for broken links, then rebuilds: an
// unchanged store rewrites nothing and removes what is no longer part of
// the site; after one edited event, exactly the files whose bytes changed
// are rewritten.
func TestBuildSite(t *testing.T) {
	env := newTestEnv(t, withShippedData(), withFixedClock())
	out := t.TempDir()
	ctx := context.Background()
	cfg := Config{Store: env.store, Logger: quietLogger(), Now: testClock}
	r, err := BuildSite(ctx, cfg, out, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first build: %+v", r)
	if r.Written != r.Files || r.Pages < 500 || len(r.Skipped) > 0 {
		t.Fatalf("first build: %+v", r)
	}
	for _, f := range []string{"index.html", "about/index.html", "feed.atom", "sitemap.xml", "events.csv", "events.json",
		"events/from-2002_to-2002/index.html", "from-2002_to-2002/events.ics", "timeline/index.html", "story/index.html",
		"eras/index.html", "actors/index.html", "tags/index.html", "static/app.css", "static-site/index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	pages := crawlSiteFiles(t, out)
	if pages < r.Pages { // the note page too
		t.Errorf("the crawl from index.html reached %d pages, the build wrote %d", pages, r.Pages+1)
	}
	crawlSiteHTTP(t, out)

	// A file an earlier build wrote that the site no longer holds.
	stale := filepath.Join(out, "events", "gone-event", "index.html")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("<p>an event since deleted</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := BuildSite(ctx, cfg, out, "")
	if err != nil {
		t.Fatal(err)
	}
	if again.Written != 0 || again.Unchanged != r.Files || again.Files != r.Files || again.Removed != 1 {
		t.Fatalf("rebuild of an unchanged store: %+v, want 0 written, %d unchanged, 1 removed", again, r.Files)
	}
	if _, err := os.Stat(filepath.Dir(stale)); !os.IsNotExist(err) {
		t.Errorf("the stale file's directory is still there: %v", err)
	}

	const slug = "2002-09-17-north-korea-admits-abductions"
	e, err := env.store.GetEvent(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	e.Summary += " Edited for the rebuild test."
	if err := env.store.UpdateEvent(ctx, slug, &e, timeline.Change{Author: "test", Summary: "rebuild"}); err != nil {
		t.Fatal(err)
	}
	before, beforeSums := modTimes(t, out), siteSums(t, out)
	time.Sleep(10 * time.Millisecond) // modification times must be able to differ
	third, err := BuildSite(ctx, cfg, out, "")
	if err != nil {
		t.Fatal(err)
	}
	after, afterSums := modTimes(t, out), siteSums(t, out)
	var written []string
	for f, m := range after {
		if !m.Equal(before[f]) {
			written = append(written, f)
			if afterSums[f] == beforeSums[f] {
				t.Errorf("%s was rewritten with the bytes it had", f)
			}
		}
	}
	t.Logf("after one edit: %+v; written: %d", third, len(written))
	if third.Written != len(written) || third.Written == 0 || third.Written >= r.Files ||
		third.Written+third.Unchanged != third.Files || third.Removed != 0 {
		t.Fatalf("after one edit: %+v, %d files changed on disk", third, len(written))
	}
	wrote := strings.Join(written, "\n")
	if !strings.Contains(wrote, "events/"+slug+"/index.html") || !strings.Contains(wrote, "events.csv") {
		t.Errorf("the edited event's page or the export was not rewritten: %s", wrote)
	}
	// Pages cite the data's latest moment and exports its version, so they
	// change with any edit; the assets and the plain data of other years
	// do not.
	if strings.Contains(wrote, "static/app.css") || strings.Contains(wrote, "from-1955_to-1955/events.csv") {
		t.Errorf("files that do not show the edit were rewritten: %s", wrote)
	}
}

func modTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(f string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, f)
		m[filepath.ToSlash(rel)] = fi.ModTime()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// siteSums returns the SHA-256 of every file under dir.
func siteSums(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	m := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(f string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, f)
		m[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var siteLink = regexp.MustCompile(`\s(?:href|src|action)="([^"]*)"`)

// siteLinks returns the internal (relative) links of an HTML page.
func siteLinks(body string) []string {
	var out []string
	for _, m := range siteLink.FindAllStringSubmatch(body, -1) {
		l := html.UnescapeString(m[1])
		if l == "" || strings.HasPrefix(l, "#") || strings.Contains(l, ":") || strings.HasPrefix(l, "//") {
			continue // fragments, other sites, mailto:, data:
		}
		if strings.HasPrefix(l, "/") {
			out = append(out, "ABSOLUTE:"+l) // the copy must not link to the server's root
			continue
		}
		out = append(out, l)
	}
	return out
}

// crawlSiteFiles follows every relative link from index.html as files and
// returns how many HTML pages it reached.
func crawlSiteFiles(t *testing.T, dir string) int {
	t.Helper()
	seen := map[string]bool{"index.html": true}
	queue := []string{"index.html"}
	pages, broken := 0, 0
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, l := range siteLinks(string(b)) {
			if strings.HasPrefix(l, "ABSOLUTE:") {
				t.Errorf("%s links to %s", p, l)
				continue
			}
			l, _, _ = strings.Cut(l, "#")
			l, _, _ = strings.Cut(l, "?")
			target := path.Clean(path.Join(path.Dir(p), l))
			if strings.HasPrefix(target, "../") {
				t.Errorf("%s links outside the site: %s", p, l)
				continue
			}
			if fi, err := os.Stat(filepath.Join(dir, target)); err != nil || fi.IsDir() {
				if broken++; broken < 20 {
					t.Errorf("%s: broken link %s", p, l)
				}
				continue
			}
			if !seen[target] {
				seen[target] = true
				queue = append(queue, target)
			}
		}
	}
	if broken > 0 {
		t.Errorf("%d broken links", broken)
	}
	return pages
}

// crawlSiteHTTP serves dir with python3 -m http.server and follows every
// link from / over HTTP.
func crawlSiteHTTP(t *testing.T, dir string) {
	t.Helper()
	base := servePython(t, dir)
	if base == "" {
		return
	}
	start, _ := url.Parse(base)
	seen := map[string]bool{start.String(): true}
	queue := []*url.URL{start}
	broken := 0
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp, err := http.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			if broken++; broken < 20 {
				t.Errorf("GET %s: %d", u, resp.StatusCode)
			}
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, l := range siteLinks(string(body)) {
			ref, err := url.Parse(l)
			if err != nil {
				t.Errorf("%s: bad link %q", u, l)
				continue
			}
			next := u.ResolveReference(ref)
			next.Fragment = ""
			if !seen[next.String()] {
				seen[next.String()] = true
				queue = append(queue, next)
			}
		}
	}
	if broken > 0 {
		t.Errorf("%d broken links over HTTP", broken)
	}
	t.Logf("http.server crawl: %d URLs", len(seen))
}

// servePython serves dir with python3 -m http.server on a free port for
// the test's lifetime and returns its address ("" without python3).
func servePython(t *testing.T, dir string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 not found: the checks over http.server are skipped")
		return ""
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(py, "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir, fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	for i := 0; ; i++ {
		resp, err := http.Get(base)
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 200 {
			t.Fatalf("python3 -m http.server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base
}

// TestBrowserSiteSearch opens the static copy's search page from file://
// and over HTTP, types a query and follows a result.
func TestBrowserSiteSearch(t *testing.T) {
	ctx := newBrowser(t)
	env := newTestEnv(t, withDataset(fixture()), withFixedClock())
	out := t.TempDir()
	if _, err := BuildSite(context.Background(), Config{Store: env.store, Logger: quietLogger(), Now: testClock}, out, ""); err != nil {
		t.Fatal(err)
	}
	bases := []string{"file://" + filepath.ToSlash(out) + "/"}
	if base := servePython(t, out); base != "" {
		bases = append(bases, base)
	}
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(step, sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	for _, base := range bases {
		do(base+": type a query",
			chromedp.Navigate(base+"index.html"),
			chromedp.Navigate(base+"search/index.html"),
			chromedp.WaitVisible(chromedp.CSS(`#site-q`)),
			chromedp.SendKeys(chromedp.CSS(`#site-q`), "koizumi summit"),
			chromedp.WaitVisible(chromedp.CSS(`#site-results li a`)),
		)
		status, results := text(base, `#site-status`), text(base, `#site-results`)
		if !strings.Contains(status, "2 events match") || !strings.Contains(results, "Second Koizumi–Kim summit") || strings.Contains(results, "Five abductees") {
			t.Errorf("%s: status %q, results %q", base, status, results)
		}
		do(base+": a query in the address",
			chromedp.Navigate(base+"search/index.html?q="+url.QueryEscape("拉致")),
			chromedp.WaitVisible(chromedp.CSS(`#site-results li a`)),
		)
		results = text(base, `#site-results`)
		if !strings.Contains(results, "Abduction of Yokota Megumi") || !strings.Contains(results, "Five abductees return") {
			t.Errorf("%s: results for 拉致: %q", base, results)
		}
		do(base+": follow the first result",
			chromedp.Click(chromedp.CSS(`#site-results li a`)),
			chromedp.WaitVisible(chromedp.CSS(`h1`)),
		)
		if h1 := text(base, `h1`); !strings.Contains(h1, "Abduction of Yokota Megumi") && !strings.Contains(h1, "Five abductees return") {
			t.Errorf("%s: the first result opened a page headed %q", base, h1)
		}
	}
}
