package web

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
)

// The static copy's note page and sitemap (site.go).

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
