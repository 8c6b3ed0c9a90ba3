package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestSitePath(t *testing.T) {
	for _, tc := range []struct {
		url  string
		page bool
		want string
	}{
		{"/", true, "index.html"},
		{"/events", true, "events/index.html"},
		{"/events/2002-09-17-koizumi", true, "events/2002-09-17-koizumi/index.html"},
		{"/events?from=2002&to=2002", true, "events/from-2002_to-2002/index.html"},
		{"/events?to=2002&from=2002", true, "events/from-2002_to-2002/index.html"},
		{"/events?category=statement", true, "events/category-statement/index.html"},
		{"/eras/kishida-overtures?year=2024", true, "eras/kishida-overtures/year-2024/index.html"},
		{"/timeline?from=2023-05&to=2024-03", true, "timeline/from-2023-05_to-2024-03/index.html"},
		{"/events.csv", false, "events.csv"},
		{"/events.csl.json?from=2002&to=2002", false, "from-2002_to-2002/events.csl.json"},
		{"/events/2002-09-17-koizumi.bib", false, "events/2002-09-17-koizumi.bib"},
		{"/static/app.css?v=abc", false, "static/app.css"},
		{"/feed.atom", false, "feed.atom"},
		{"/events?cursor=eyJsIjoxOTgw%2B", true, "events/cursor-" + siteQuerySeg(url.Values{"cursor": {"eyJsIjoxOTgw+"}})[len("cursor-"):] + "/index.html"},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := sitePath(u, tc.page); got != tc.want {
			t.Errorf("sitePath(%s) = %s, want %s", tc.url, got, tc.want)
		}
	}
	// A value that is not safe in a file name becomes a short digest, so
	// two different cursors never share a file.
	a := siteQuerySeg(url.Values{"cursor": {"eyJsIjoxOTgw+"}})
	b := siteQuerySeg(url.Values{"cursor": {"eyJsIjoxOTgw/"}})
	if a == b || strings.ContainsAny(a, "+/=") {
		t.Errorf("cursor segments %q and %q", a, b)
	}
}
