package web

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

var (
	tlYearRE  = regexp.MustCompile(`data-testid="tl-year">(\d+)<`)
	tlItemRE  = regexp.MustCompile(`data-slug="([^"]+)" aria-label="([^"]*)"`)
	tlHrefRE  = regexp.MustCompile(`<a href="([^"]+)"[^>]* data-tl-nav="([a-z]+)"`)
	tlLabelRE = regexp.MustCompile(`data-testid="tl-label" aria-hidden="true">([^<]*)<`)
)

// tlItems returns the drawn events' slugs and accessible names.
func tlItems(body string) map[string]string {
	out := map[string]string{}
	for _, m := range tlItemRE.FindAllStringSubmatch(body, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

func tlNav(t *testing.T, body string) map[string]url.Values {
	t.Helper()
	out := map[string]url.Values{}
	for _, m := range tlHrefRE.FindAllStringSubmatch(body, -1) {
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		if m[2] != "strip" {
			out[m[2]] = u.Query()
		} else if _, ok := out["strip"]; !ok {
			out["strip"] = u.Query()
		}
	}
	return out
}

func TestTimelineBadParameters(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct{ query, field string }{
		{"from=2014-13", "from"},
		{"to=20x4", "to"},
		{"sig=9", "sig"},
		{"category=weather", "category"},
		{"actor=nobody-at-all", "actor"},
		{"lanes=colour", "lanes"},
		{"w=10", "w"},
		{"sel=no-such-event", "sel"},
		{"sel=Not%20a%20slug", "sel"},
		{"at=2014-99&days=30", "at"},
		{"at=2014-01&days=0", "days"},
		{"days=30", "days"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, _, body := ts.get(t, "/timeline?"+tt.query)
			if status != 400 {
				t.Fatalf("status %d, want 400", status)
			}
			if !strings.Contains(body, "<strong>"+tt.field+"</strong>") {
				t.Errorf("the 400 does not name %q: %.300s", tt.field, body[strings.Index(body, "filter-errors"):])
			}
		})
	}
}

func TestTimelineDrawsExactlyTheWindow(t *testing.T) {
	ts := newTestServer(t)
	long := timeline.Event{Slug: "chongryon-case", Start: timeline.MustDate("2012-03"), End: timeline.MustDate("2015-02"), Title: "Court case over the Chongryon headquarters",
		Summary: "A long case.", Category: "legal", Significance: 2,
		Sources: []timeline.Source{{Publisher: "Asahi Shimbun", Title: "Ruling", Language: "ja"}}}
	if err := ts.store.CreateEvent(context.Background(), &long, timeline.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	status, _, body := ts.get(t, "/timeline?from=2014-01&to=2016-06")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	var years []string
	for _, m := range tlYearRE.FindAllStringSubmatch(body, -1) {
		years = append(years, m[1])
	}
	if !slices.Equal(years, []string{"2014", "2015", "2016"}) {
		t.Errorf("axis years %v, want 2014 to 2016 only", years)
	}
	items := tlItems(body)
	if len(items) != 3 || items["stockholm-talks"] == "" || items["stockholm-agreement"] == "" || items["chongryon-case"] == "" {
		t.Errorf("drawn %v, want the Stockholm talks and agreement and the court case", items)
	}
	if name := items["chongryon-case"]; !strings.Contains(name, "March 2012 – February 2015") || !strings.Contains(name, "begins before this view") || strings.Contains(name, "continues after") {
		t.Errorf("the clipped case's name %q should give its dates and say it begins before the view", name)
	}
	if name := items["stockholm-talks"]; name != "Stockholm talks, 26–28 May 2014 (Negotiation)" {
		t.Errorf("accessible name %q lacks the date in words", name)
	}
	labels := tlLabelRE.FindAllStringSubmatch(body, -1)
	if len(labels) != 3 {
		t.Errorf("%d labels, want 3", len(labels))
	}
	for _, l := range labels {
		if strings.TrimSpace(l[1]) == "" {
			t.Error("an empty label")
		}
	}
	wantContains(t, "no link back to the same view as a list", body, `href="/events?from=2014-01&amp;to=2016-06"`)
	// A title with markup is text.
	wantLacks(t, "a title's markup reached the page", body, "<script>alert")
}

func TestTimelineNavigationKeepsTheFilter(t *testing.T) {
	ts := newTestServer(t)
	status, _, body := ts.get(t, "/timeline?from=2002&to=2004&category=summit&category=abduction&lanes=actor&sel=return-of-five")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	nav := tlNav(t, body)
	want := map[string][2]string{
		"in":      {"2002-10", "2004-03"},
		"out":     {"2000", "2005"},
		"earlier": {"2001", "2003"},
		"later":   {"2003", "2005"},
	}
	for k, w := range want {
		q, ok := nav[k]
		if !ok {
			t.Errorf("no %s link", k)
			continue
		}
		if q.Get("from") != w[0] || q.Get("to") != w[1] {
			t.Errorf("%s: from=%s to=%s, want %s to %s", k, q.Get("from"), q.Get("to"), w[0], w[1])
		}
	}
	for _, k := range []string{"in", "out", "earlier", "later", "all", "strip"} {
		q := nav[k]
		if !slices.Equal(q["category"], []string{"summit", "abduction"}) || q.Get("lanes") != "actor" || q.Get("sel") != "return-of-five" {
			t.Errorf("%s link %v loses the filter, lanes or selection", k, q)
		}
	}
	if nav["all"].Has("from") || nav["all"].Has("to") {
		t.Errorf("the whole-span link keeps dates: %v", nav["all"])
	}
	wantContains(t, "the overview strip does not mark the window", body, `data-testid="tl-strip-window"`)
}

func TestTimelineSelection(t *testing.T) {
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/timeline?from=2002&to=2004&sel=return-of-five")
	panel := body[strings.Index(body, `data-testid="tl-panel"`):]
	for _, want := range []string{"15 October 2002", "Five abductees return", "拉致被害者5人帰国", "Koizumi Junichiro", "1 source", `href="/events/return-of-five"`, "Koizumi–Kim summit in Pyongyang", "Second Koizumi–Kim summit"} {
		wantContains(t, fmt.Sprintf("the panel lacks %q", want), panel, want)
	}
	if n := strings.Count(body, `data-testid="tl-connector"`); n != 2 {
		t.Errorf("%d connectors, want 2 (follows the 2002 summit, followed by the 2004 one)", n)
	}
	// A target outside the window is named at the edge.
	_, _, body = ts.get(t, "/timeline?from=2014&to=2014&sel=stockholm-talks")
	wantContains(t, "a link to an event outside the window is not labelled", body, "follows: Pledge to re-investigate (2008)")
	// Without a selection there is no panel.
	_, _, body = ts.get(t, "/timeline?from=2014&to=2014")
	wantLacks(t, "a panel without a selection", body, `data-testid="tl-panel"`)
}

func TestTimelineLanesAndPartial(t *testing.T) {
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/timeline?from=2002&to=2004&lanes=actor")
	wantContains(t, "no lane for the most frequent actor", body, ">Koizumi Junichiro</text>")
	_, _, body = ts.get(t, "/timeline?from=2002&to=2004&lanes=none")
	wantLacks(t, "lanes=none still labels lanes", body, `class="tl-lane-label"`)
	status, h, body := ts.get(t, "/timeline?at=2014-05-27&days=30&category=negotiation", "HX-Request", "true")
	if status != 200 || strings.Contains(body, "<html") || !strings.Contains(body, `id="tl-region"`) {
		t.Fatalf("partial: status %d, %.100s", status, body)
	}
	if got := h.Get("HX-Push-Url"); got != "/timeline?category=negotiation&from=2014-05-12&to=2014-06-10" {
		t.Errorf("HX-Push-Url %q", got)
	}
	wantContains(t, "no Vary: HX-Request", h.Get("Vary"), "HX-Request")
}

func TestTimelineAggregatesDenseViews(t *testing.T) {
	ts := newTestEnv(t, withFixedClock(), func(s *envSetup) {
		s.fills = append(s.fills, func(ctx context.Context, st *timeline.Store) error {
			return synth.Fill(ctx, st, synth.Options{Events: 2000, Seed: 3})
		})
	})
	for _, path := range []string{"/timeline", "/timeline?from=1960&to=2020&sig=2"} {
		status, _, body := ts.get(t, path)
		if status != 200 {
			t.Fatalf("%s: status %d", path, status)
		}
		wantContains(t, fmt.Sprintf("%s: not aggregated", path), body, `class="tl-col"`)
		n := len(tlItems(body))
		if n == 0 || n > 80 {
			t.Errorf("%s: %d events labelled, want some of the most significant", path, n)
		}
	}
}

// The move links read as words with their arrows apart ("Later →", as
// "← Earlier"): templ drops the space that opens an element's text, and
// the link read "Later→".
func TestTimelineMoveLinksSpaceTheirArrows(t *testing.T) {
	ts := newTestServer(t)
	tag := regexp.MustCompile(`<[^>]+>`)
	for _, tt := range []struct{ path, earlier, later string }{
		{"/timeline", "← Earlier", "Later →"},
		{"/ja/timeline", "← 前へ", "後へ →"},
	} {
		_, _, body := ts.get(t, tt.path)
		for testid, want := range map[string]string{"tl-earlier": tt.earlier, "tl-later": tt.later} {
			m := regexp.MustCompile(`data-testid="` + testid + `">(.*?)</a>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no %s link", tt.path, testid)
			}
			wantEqual(t, tt.path+" "+testid, tag.ReplaceAllString(m[1], ""), want)
		}
	}
}
