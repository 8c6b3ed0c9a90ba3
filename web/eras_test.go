package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestEraPages(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path     string
		status   int
		contains []string
		slugs    []string
	}{
		{"/eras", 200, []string{`href="/eras/koizumi-summits"`, "The Koizumi summits", "September 2002 – May 2004"}, nil},
		// The era's events, its dates, the link to its timeline, and its
		// events drawn over its range by the timeline component, whose
		// links lead to /timeline with the era's dates.
		{"/eras/koizumi-summits", 200, []string{"<h1>", "The Koizumi summits", `data-testid="era-span"`, `data-testid="era-timeline"`,
			`href="/timeline?from=2002-09&amp;to=2004-05"`, `data-testid="tl-window">September 2002 – May 2004<`, `href="/timeline?from=2002-09&amp;sel=summit-2002&amp;to=2004-05"`}, []string{"summit-2002", "return-of-five", "summit-2004"}},
		// Other filters narrow the era; its dates stay fixed when the
		// query leaves them out or empties them.
		{"/eras/koizumi-summits?category=summit", 200, []string{`href="/timeline?category=summit&amp;from=2002-09&amp;to=2004-05"`}, []string{"summit-2002", "summit-2004"}},
		{"/eras/koizumi-summits?from=&to=", 200, nil, []string{"summit-2002", "return-of-five", "summit-2004"}},
		{"/eras/koizumi-summits?from=2003", 200, nil, []string{"summit-2004"}},
		{"/eras/koizumi-summits?sig=7", 400, []string{`data-testid="problem-sig"`}, nil},
		{"/eras/no-such-era", 404, []string{`data-testid="error-page"`}, nil},
		{"/eras/Not%20A%20Slug", 404, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, _, body := ts.get(t, tt.path)
			if status != tt.status {
				t.Errorf("status %d, want %d", status, tt.status)
			}
			for _, want := range tt.contains {
				wantContains(t, fmt.Sprintf("lacks %q", want), body, want)
			}
			// The list (the drawing above it names the same events).
			list := body[max(0, strings.Index(body, `data-testid="event-list"`)):]
			if tt.slugs != nil && !slices.Equal(listedSlugs(list), tt.slugs) {
				t.Errorf("got %v, want %v", listedSlugs(list), tt.slugs)
			}
		})
	}
	// The era's own dates are not offered as filters to remove.
	_, _, body := ts.get(t, "/eras/koizumi-summits")
	wantLacks(t, "the era page offers to remove the era's own dates", body, "Remove filter From")
	wantLacks(t, "the era page offers to remove the era's own dates", body, "Remove filter To")
}

func TestEventPageNamesItsEra(t *testing.T) {
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/events/summit-2002")
	wantContains(t, "the 2002 summit does not say it is part of the Koizumi summits", body, `data-testid="part-of"`)
	wantContains(t, "the 2002 summit does not say it is part of the Koizumi summits", body, `<a href="/eras/koizumi-summits">The Koizumi summits</a>`)
	_, _, body = ts.get(t, "/events/sanctions-2006")
	wantLacks(t, "an event outside every era says it is part of one", body, `data-testid="part-of"`)
}

func TestChronologyViewsLinkToTheirTimeline(t *testing.T) {
	ts := newTestServer(t)
	for path, want := range map[string]string{
		"/": `href="/timeline"`,
		"/events?category=abduction&from=1977&to=1983": `href="/timeline?category=abduction&amp;from=1977&amp;to=1983"`,
		"/actors/abe-shinzo":                           `href="/timeline?actor=abe-shinzo"`,
		"/tags/summits?sig=3":                          `href="/timeline?sig=3&amp;tag=summits"`,
		"/events?q=" + "summit":                        `href="/timeline?q=summit"`,
	} {
		status, _, body := ts.get(t, path)
		if status != http.StatusOK {
			t.Errorf("%s: status %d", path, status)
		}
		i := strings.Index(body, `data-testid="on-timeline"`)
		if i < 0 || !strings.Contains(body[max(0, i-200):i], want) {
			t.Errorf("%s: the timeline link is not %s", path, want)
		}
	}
}

func TestPageTitleNamesTheFilter(t *testing.T) {
	ts := newTestServer(t)
	for path, want := range map[string]string{
		"/events": "<title>Chronology · ",
		"/events?category=abduction&from=1977&to=1983": "<title>Abduction, 1977–1983 · ",
		"/events?actor=kim-jong-il&sig=3":              "<title>Kim Jong Il, major events · ",
		"/actors/abe-shinzo":                           "<title>Abe Shinzo · ",
		"/actors/abe-shinzo?from=2010":                 "<title>From 2010 — Abe Shinzo · ",
		"/eras/koizumi-summits":                        "<title>The Koizumi summits · ",
		"/eras/koizumi-summits?category=summit":        "<title>Summit — The Koizumi summits · ",
		"/eras/koizumi-summits?from=2003":              "<title>From 2003 — The Koizumi summits · ",
		"/tags/summits?q=" + "pyongyang":               "<title>“pyongyang” — Tag: summits · ",
	} {
		_, _, body := ts.get(t, path)
		if !strings.Contains(body, want) {
			i := strings.Index(body, "<title>")
			t.Errorf("%s: title %q, want %q", path, body[i:i+80], want)
		}
	}
}
