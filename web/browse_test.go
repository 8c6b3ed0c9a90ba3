package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// fixture is a small chronology whose answers the tests know by heart.
func fixture() timeline.Dataset {
	src := []timeline.Source{{Publisher: "Ministry of Foreign Affairs of Japan", Title: "Japan-DPRK Relations", URL: "https://www.mofa.go.jp/region/asia-paci/n_korea/", Language: "en"}}
	actor := func(slug, role string) timeline.EventActor {
		return timeline.EventActor{Actor: timeline.Actor{Slug: slug}, Role: role}
	}
	return timeline.Dataset{
		Actors: []timeline.Actor{
			{Slug: "koizumi-junichiro", Name: "Koizumi Junichiro", NameJA: "小泉純一郎", Kind: "person", Country: "JP"},
			{Slug: "kim-jong-il", Name: "Kim Jong Il", NameJA: "金正日", NameKO: "김정일", Kind: "person", Country: "KP"},
			{Slug: "abe-shinzo", Name: "Abe Shinzo", NameJA: "安倍晋三", Kind: "person", Country: "JP"},
		},
		Eras: []timeline.Era{{Slug: "koizumi-summits", Name: "The Koizumi summits", Start: timeline.MustDate("2002-09"), End: timeline.MustDate("2004-05")}},
		Events: []timeline.Event{
			{Slug: "abduction-of-yokota-megumi", Start: timeline.MustDate("1977-11-15"), Title: "Abduction of Yokota Megumi", TitleJA: "横田めぐみさん拉致",
				Summary: "A thirteen-year-old schoolgirl is abducted in Niigata.", Category: "abduction", Significance: 3, Location: "Niigata, Japan",
				Tags: []string{"abductions"}, Sources: src, Actors: []timeline.EventActor{actor("kim-jong-il", "regime leader")}},
			{Slug: "summit-2002", Start: timeline.MustDate("2002-09-17"), Title: "Koizumi–Kim summit in Pyongyang", TitleJA: "日朝首脳会談",
				Summary: "Kim Jong Il admits the abductions.", Category: "summit", Significance: 3, Location: "Pyongyang",
				Tags: []string{"summits", "abductions"}, Sources: src, Actors: []timeline.EventActor{actor("koizumi-junichiro", "Prime Minister"), actor("kim-jong-il", "host")}},
			{Slug: "return-of-five", Start: timeline.MustDate("2002-10-15"), Title: "Five abductees return", TitleJA: "拉致被害者5人帰国",
				Summary: "Five abductees return to Japan.", Category: "abduction", Significance: 3,
				Tags: []string{"abductions"}, Sources: src, Actors: []timeline.EventActor{actor("koizumi-junichiro", "Prime Minister")},
				Related: []timeline.Relation{{Slug: "summit-2002", Relation: "follows"}}},
			{Slug: "summit-2004", Start: timeline.MustDate("2004-05-22"), Title: "Second Koizumi–Kim summit",
				Summary: "Koizumi returns to Pyongyang.", Category: "summit", Significance: 3,
				Tags: []string{"summits"}, Sources: src, Actors: []timeline.EventActor{actor("koizumi-junichiro", "Prime Minister"), actor("kim-jong-il", "host")},
				Related: []timeline.Relation{{Slug: "return-of-five", Relation: "follows"}}},
			{Slug: "sanctions-2006", Start: timeline.MustDate("2006-10"), Title: "Japan imposes sanctions",
				Summary: "A ban on imports and port calls.", Category: "sanctions", Significance: 2,
				Tags: []string{"sanctions"}, Sources: src, Actors: []timeline.EventActor{actor("abe-shinzo", "Prime Minister")}},
			{Slug: "pledge-2008", Start: timeline.MustDate("2008"), Title: "Pledge to re-investigate",
				Summary: "North Korea promises a new investigation.", Category: "agreement", Significance: 2,
				Tags: []string{"abductions"}, Sources: src, Actors: []timeline.EventActor{actor("kim-jong-il", "leader")}},
			{Slug: "stockholm-talks", Start: timeline.MustDate("2014-05-26"), End: timeline.MustDate("2014-05-28"), Title: "Stockholm talks", TitleJA: "ストックホルム協議",
				Summary: "Director-general talks in Stockholm.", Category: "negotiation", Significance: 3, Location: "Stockholm, Sweden",
				Tags: []string{"abductions", "stockholm-agreement"}, Sources: src, Actors: []timeline.EventActor{actor("abe-shinzo", "Prime Minister")},
				Related: []timeline.Relation{{Slug: "pledge-2008", Relation: "follows"}}},
			{Slug: "stockholm-agreement", Start: timeline.MustDate("2014-05"), Title: "Stockholm agreement <script>alert(1)</script>",
				Summary: "Announced after the talks; \"quoted\" & <b>bold</b>.", Category: "agreement", Significance: 1,
				Tags: []string{"stockholm-agreement"}, Sources: src, Actors: []timeline.EventActor{actor("abe-shinzo", "announced it")}},
		},
	}
}

var slugRE = regexp.MustCompile(`data-slug="([^"]+)"`)

func listedSlugs(body string) []string {
	var out []string
	for _, m := range slugRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestChronologyFilters(t *testing.T) {
	ts := newTestServer(t)
	all := []string{"abduction-of-yokota-megumi", "summit-2002", "return-of-five", "summit-2004", "sanctions-2006", "pledge-2008", "stockholm-agreement", "stockholm-talks"}
	tests := []struct {
		name, query string
		want        []string
	}{
		{"everything", "", all},
		{"from and to years", "from=2002&to=2004", []string{"summit-2002", "return-of-five", "summit-2004"}},
		{"month range catches the year event", "from=2008-06&to=2008-06", []string{"pledge-2008"}},
		{"day inside a range", "from=2014-05-27&to=2014-05-27", []string{"stockholm-agreement", "stockholm-talks"}},
		{"category", "category=summit", []string{"summit-2002", "summit-2004"}},
		{"two categories", "category=summit&category=sanctions", []string{"summit-2002", "summit-2004", "sanctions-2006"}},
		{"actor", "actor=abe-shinzo", []string{"sanctions-2006", "stockholm-agreement", "stockholm-talks"}},
		{"two actors", "actor=koizumi-junichiro&actor=kim-jong-il", []string{"summit-2002", "summit-2004"}},
		{"tag", "tag=stockholm-agreement", []string{"stockholm-agreement", "stockholm-talks"}},
		{"significance", "sig=3", []string{"abduction-of-yokota-megumi", "summit-2002", "return-of-five", "summit-2004", "stockholm-talks"}},
		{"search english", "q=stockholm", []string{"stockholm-agreement", "stockholm-talks"}},
		{"search japanese two characters", "q=%E6%8B%89%E8%87%B4", []string{"abduction-of-yokota-megumi", "return-of-five"}},
		{"search katakana", "q=%E3%82%B9%E3%83%88%E3%83%83%E3%82%AF%E3%83%9B%E3%83%AB%E3%83%A0", []string{"stockholm-talks"}},
		{"hostile search", "q=%22NEAR(%20*%20AND", nil},
		{"combined", "from=2000&category=summit&category=abduction&actor=koizumi-junichiro&tag=abductions&sig=3&q=five", []string{"return-of-five"}},
		{"nothing matches", "from=1950&to=1960", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := ts.get(t, "/events?"+tt.query)
			if status != http.StatusOK {
				t.Fatalf("status %d, want 200", status)
			}
			if got := listedSlugs(body); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if len(tt.want) == 0 && !strings.Contains(body, `data-testid="empty"`) {
				t.Error("an empty result does not say so")
			}
		})
	}
}

func TestChronologyDisplaysHonestDates(t *testing.T) {
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/")
	for _, want := range []string{">15 November 1977<", ">October 2006<", ">2008<", ">26–28 May 2014<", ">May 2014<", `id="y1977"`, "横田めぐみさん拉致"} {
		wantContains(t, fmt.Sprintf("page lacks %q", want), body, want)
	}
	wantLacks(t, "a month-precision date was shown with an invented day", body, "1 May 2014")
	wantLacks(t, "a month-precision date was shown with an invented day", body, "1 October 2006")
}

func TestChronologyBadFilters(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct{ query, param, rule string }{
		{"from=2014-13", "from", "months must be 01–12"},
		{"to=2014-02-30", "to", "has days 01–28"},
		{"from=14", "from", "YYYY"},
		{"from=2014/05", "from", "YYYY"},
		{"sig=9", "sig", "must be 1"},
		{"category=party", "category", "is not a category"},
		{"actor=nobody-at-all", "actor", "no actor has the slug"},
		{"actor=Bad%20Slug", "actor", "is not an actor slug"},
		{"tag=no-such-tag", "tag", "no event has the tag"},
		{"from=2010&to=2000", "to", "must not be before from"},
		{"cursor=%21%21", "cursor", "is not a cursor"},
		{"sort=random", "sort", "must be date or relevance"},
		{"year=12345", "year", "must be a year"},
		{"from=2002&from=2003", "from", "given 2 different values: give one"},
		{"q=kim&q=abe&sig=2&sig=2", "q", "given 2 different values"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, _, body := ts.get(t, "/events?"+tt.query)
			if status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", status)
			}
			if !strings.Contains(body, `data-testid="filter-errors"`) || !strings.Contains(body, "<strong>"+tt.param+"</strong>") || !strings.Contains(body, tt.rule) {
				t.Errorf("page does not name %s and the rule %q", tt.param, tt.rule)
			}
			if len(listedSlugs(body)) != 0 {
				t.Error("a bad filter still listed events")
			}
		})
	}
}

func TestPartialResponses(t *testing.T) {
	ts := newTestServer(t)
	status, h, full := ts.get(t, "/events?category=summit")
	if status != 200 || !strings.Contains(full, "<html") || !strings.Contains(h.Get("Vary"), "HX-Request") {
		t.Fatalf("full page: status %d, Vary %q", status, h.Get("Vary"))
	}
	status, h, part := ts.get(t, "/events?q=&from=&category=summit&sig=", "HX-Request", "true")
	if got := h.Get("HX-Push-Url"); got != "/events?category=summit" {
		t.Errorf("HX-Push-Url = %q, want the permalink without empty fields", got)
	}
	// The fragment brings the page's new title (htmx sets it), the part
	// that changes and, out of band, the words of the live region.
	if status != 200 || strings.Contains(part, "<html") || !strings.HasPrefix(strings.TrimSpace(part), `<title>Summit · `) || !strings.Contains(part, `</title><div id="browse"`) {
		t.Fatalf("partial: status %d, starts %q", status, part[:min(60, len(part))])
	}
	wantContains(t, "the partial does not announce its count", part, `<p id="announce" hx-swap-oob="innerHTML">2 events: Summit.</p>`)
	wantContains(t, fmt.Sprintf("partial Vary = %q", h.Get("Vary")), h.Get("Vary"), "HX-Request")
	if !slices.Equal(listedSlugs(part), listedSlugs(full)) {
		t.Error("partial and full list different events")
	}
	_, _, restore := ts.get(t, "/events?category=summit", "HX-Request", "true", "HX-History-Restore-Request", "true")
	wantContains(t, "a history restore got a fragment, not the page", restore, "<html")
	status, _, bad := ts.get(t, "/events?sig=7", "HX-Request", "true")
	if status != 400 || strings.Contains(bad, "<html") || !strings.Contains(bad, "filter-errors") {
		t.Errorf("bad partial: status %d", status)
	}
}

func TestOverviewCountsMatchFilter(t *testing.T) {
	ts := newTestServer(t)
	cellRE := regexp.MustCompile(`data-testid="year-count-(\d+)">(\d+)<`)
	tests := []struct {
		query string
		want  map[string]string
	}{
		{"", map[string]string{"1977": "1", "2002": "2", "2004": "1", "2006": "1", "2008": "1", "2014": "2"}},
		{"tag=abductions", map[string]string{"1977": "1", "2002": "2", "2008": "1", "2014": "1"}},
		{"category=summit", map[string]string{"2002": "1", "2004": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			_, _, body := ts.get(t, "/events?"+tt.query)
			got := map[string]string{}
			for _, m := range cellRE.FindAllStringSubmatch(body, -1) {
				got[m[1]] = m[2]
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for y, n := range tt.want {
				if got[y] != n {
					t.Errorf("year %s: got %s, want %s", y, got[y], n)
				}
				if !strings.Contains(body, `data-testid="bar-`+y+`"`) {
					t.Errorf("no bar for %s", y)
				}
			}
		})
	}
	// A bar links to its year within the current filter.
	_, _, body := ts.get(t, "/events?category=summit")
	wantContains(t, "the 2002 bar does not link to category=summit narrowed to 2002", body, `href="/events?category=summit&amp;from=2002&amp;to=2002"`)
}

func TestPagingAndJumpToYear(t *testing.T) {
	ts := newTestServer(t)
	// The fixture is small: page with the store's cursor through the API of
	// the page itself, following "Later" links.
	var seen []string
	next := "/events"
	for i := 0; next != "" && i < 20; i++ {
		_, _, body := ts.get(t, next)
		seen = append(seen, listedSlugs(body)...)
		m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body)
		next = ""
		if m != nil {
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != 8 {
		t.Errorf("followed pages saw %d events, want 8", len(seen))
	}
	_, _, body := ts.get(t, "/events?year=2006")
	if got := listedSlugs(body); len(got) == 0 || got[0] != "sanctions-2006" {
		t.Errorf("year=2006 starts at %v", got)
	}
	wantContains(t, "a page started at a year has no link to earlier events", body, `rel="prev"`)
}

func TestEventPage(t *testing.T) {
	ts := newTestServer(t)
	status, _, body := ts.get(t, "/events/return-of-five")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{
		"15 October 2002", "Five abductees return", "拉致被害者5人帰国",
		"This event follows", `href="/events/summit-2002"`, // outgoing
		"Followed by", `href="/events/summit-2004"`, // incoming
		`href="https://www.mofa.go.jp/region/asia-paci/n_korea/"`, "Ministry of Foreign Affairs of Japan",
		`data-testid="citation"`, "retrieved 26 November 2026", "/events/return-of-five",
		`data-testid="prev-event"`, `data-testid="next-event"`,
		`href="/actors/koizumi-junichiro"`, `id="h-others"`,
	} {
		wantContains(t, fmt.Sprintf("event page lacks %q", want), body, want)
	}
	_, _, body = ts.get(t, "/events/stockholm-agreement")
	wantLacks(t, "user text was not escaped", body, "<script>alert(1)</script>")
	wantLacks(t, "user text was not escaped", body, "<b>bold</b>")
	wantContains(t, "escaped title missing", body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	wantContains(t, "month precision not shown as May 2014", body, ">May 2014<")
}

func TestNotFound(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/nope", "/events/no-such-event", "/actors/nobody", "/tags/Not%20A%20Tag", "/static/missing.css"} {
		status, h, body := ts.get(t, path)
		if status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, status)
		}
		if path != "/static/missing.css" && (!strings.Contains(body, `data-testid="error-page"`) || !strings.HasPrefix(h.Get("Content-Type"), "text/html")) {
			t.Errorf("%s: not the 404 page", path)
		}
	}
}

func TestActorTagTimelineAndOps(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path     string
		status   int
		contains []string
		slugs    []string
	}{
		{"/actors/abe-shinzo", 200, []string{"Abe Shinzo", "安倍晋三"}, []string{"sanctions-2006", "stockholm-agreement", "stockholm-talks"}},
		{"/actors/abe-shinzo?from=2010", 200, nil, []string{"stockholm-agreement", "stockholm-talks"}},
		{"/tags/summits", 200, []string{"Tag: summits"}, []string{"summit-2002", "summit-2004"}},
		{"/actors", 200, []string{"Koizumi Junichiro", "김정일"}, nil},
		{"/timeline", 200, []string{`data-testid="timeline"`, `data-slug="summit-2002"`, `href="/events/summit-2002"`}, nil},
		{"/timeline?category=summit", 200, []string{`data-slug="summit-2002"`, `data-slug="summit-2004"`}, nil},
		{"/timeline?from=2014-13", 400, []string{"months must be 01–12"}, nil},
		{"/about", 200, []string{"The Koizumi summits"}, nil},
		{"/healthz", 200, []string{"ok"}, nil},
		{"/readyz", 200, []string{"ready"}, nil},
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
			if tt.slugs != nil && !slices.Equal(listedSlugs(body), tt.slugs) {
				t.Errorf("got %v, want %v", listedSlugs(body), tt.slugs)
			}
		})
	}
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t)
	_, _, page := ts.get(t, "/")
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page does not link the fingerprinted stylesheet")
	}
	status, h, body := ts.get(t, m[1])
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") || !strings.Contains(h.Get("Cache-Control"), "immutable") || !strings.Contains(body, "@media print") {
		t.Errorf("stylesheet: %d %q %q", status, h.Get("Content-Type"), h.Get("Cache-Control"))
	}
	_, h, _ = ts.get(t, "/static/app.css?v=old")
	wantLacks(t, "a stale fingerprint was cached as immutable", h.Get("Cache-Control"), "immutable")
}

// A parameter given twice is named in the reader's language, as the other
// problems of a filter are.
func TestRepeatedParameterTranslated(t *testing.T) {
	ts := newTestServer(t)
	for path, want := range map[string]string{
		"/ja/events?from=2002&from=2003":   "個の異なる値が指定されています",
		"/ko/events?tag=no-such-tag":       "태그가 붙은 사건이 없습니다",
		"/ko/timeline?sig=2&sig=3":         "서로 다른 값",
		"/events.csv?q=a&q=b":              "q: given 2 different values: give one",
		"/api/v1/events?to=2002&to=2003-5": `"to":"given 2 different values: give one"`,
	} {
		status, _, body := ts.get(t, path)
		wantEqual(t, path+": status", status, http.StatusBadRequest)
		wantContains(t, path, body, want)
	}
}
