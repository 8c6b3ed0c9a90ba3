package web

import (
	"bytes"
	"html"
	"iter"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The static copy's links (site.go): finding the attributes that hold
// URLs, rewriting them to files of the copy, and deciding which URLs the
// copy holds.

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

func siteLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

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
