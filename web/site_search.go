package web

import (
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// The static copy's search (site.go), which needs no server.

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
