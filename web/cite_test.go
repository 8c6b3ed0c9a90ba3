package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestEventCitationFiles: /events/SLUG.bib, .ris and .csl.json answer the
// event's citation with its permalink, version and the access date; an
// unknown slug is 404.
func TestEventCitationFiles(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		ext, ctype string
		want       []string
	}{
		{".bib", "application/x-bibtex", []string{"@online{summit-2002,", "urldate = {2026-11-26}", "version = {1}", "/events/summit-2002?as_of=", "organization = {{Japan–DPRK Diplomacy Timeline}}"}},
		{".ris", "application/x-research-info-systems", []string{"TY  - ELEC\r\n", "Y2  - 2026/11/26/\r\n", "ET  - 1\r\n", "T2  - Japan–DPRK Diplomacy Timeline\r\n", "ER  - \r\n"}},
		{".csl.json", "application/vnd.citationstyles.csl+json", []string{`"id":"summit-2002"`, `"accessed":{"date-parts":[[2026,11,26]]}`, `"version":"1"`, `"license":"https://creativecommons.org/licenses/by/4.0/"`}},
	} {
		t.Run(tt.ext, func(t *testing.T) {
			status, h, body := ts.get(t, "/events/summit-2002"+tt.ext)
			if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), tt.ctype) {
				t.Fatalf("got %d %s, want 200 %s", status, h.Get("Content-Type"), tt.ctype)
			}
			for _, w := range tt.want {
				wantContains(t, fmt.Sprintf("lacks %q:\n%s", w, body), body, w)
			}
			if !strings.Contains(h.Get("Link"), `rel="license"`) || !strings.Contains(h.Get("Content-Disposition"), "summit-2002"+tt.ext) {
				t.Errorf("headers: %v", h)
			}
			if status, _, _ := ts.get(t, "/events/no-such-event"+tt.ext); status != http.StatusNotFound {
				t.Errorf("unknown event: got %d, want 404", status)
			}
		})
	}
}

// TestViewCitations: the views' citations and sources take the filter
// of /events, answer a bad one with a plain 400 naming it, list each
// event once and each source once.
func TestViewCitations(t *testing.T) {
	ts := newTestServer(t)
	status, _, body := ts.get(t, "/events.csl.json?tag=summits")
	if status != http.StatusOK {
		t.Fatalf("got %d", status)
	}
	var items []struct {
		ID  string `json:"id"`
		URL string `json:"URL"`
	}
	if err := json.Unmarshal([]byte(body), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].ID != "summit-2002" || items[1].ID != "summit-2004" {
		t.Errorf("got %+v, want the two summits", items)
	}
	// Every fixture event cites the same page: the sources list it once.
	status, _, body = ts.get(t, "/sources.ris")
	if status != http.StatusOK || strings.Count(body, "TY  - ") != 1 || !strings.Contains(body, "PB  - Ministry of Foreign Affairs of Japan\r\n") {
		t.Errorf("got %d:\n%s", status, body)
	}
	status, h, _ := ts.get(t, "/sources.bib?from=2002")
	if status != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), "japan-dprk-from-2002-sources.bib") {
		t.Errorf("got %d %s", status, h.Get("Content-Disposition"))
	}
	for _, p := range []string{"/events.bib?from=2014-13", "/sources.csl.json?sig=9", "/events.ris?actor=nobody"} {
		status, h, body := ts.get(t, p)
		param := strings.SplitN(strings.SplitN(p, "?", 2)[1], "=", 2)[0]
		if status != http.StatusBadRequest || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || !strings.Contains(body, param) {
			t.Errorf("%s: got %d %s %q, want a plain 400 naming %s", p, status, h.Get("Content-Type"), body, param)
		}
	}
	// The chronology offers them with its filter.
	_, _, page := ts.get(t, "/events?tag=summits")
	for _, w := range []string{`href="/events.bib?tag=summits"`, `href="/sources.csl.json?tag=summits"`} {
		wantContains(t, fmt.Sprintf("the chronology lacks the link %s", w), page, w)
	}
}

var jsonLDRE = regexp.MustCompile(`(?s)<script id="jsonld" type="application/ld\+json">(.*?)</script>`)

// jsonLD returns the page's JSON-LD, decoded; it fails the test unless
// there is exactly one.
func jsonLD(t *testing.T, page string) map[string]any {
	t.Helper()
	m := jsonLDRE.FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("got %d JSON-LD scripts, want 1", len(m))
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(m[0][1]), &v); err != nil {
		t.Fatalf("JSON-LD: %v: %s", err, m[0][1])
	}
	return v
}

// TestEventPageMetadata: an event page carries the citation_* tags, an
// Event in JSON-LD with its sources as citation, the licence, and the
// Chicago and APA citations; text that tries to end the script element
// stays inside it.
func TestEventPageMetadata(t *testing.T) {
	ts := newTestServer(t)
	_, _, page := ts.get(t, "/events/stockholm-agreement")
	for _, w := range []string{
		`<meta name="citation_title" content="Stockholm agreement &lt;script&gt;alert(1)&lt;/script&gt; (May 2014)">`,
		`<meta name="citation_public_url" content="http://127.0.0.1:8080/events/stockholm-agreement?as_of=`,
		`<meta name="citation_publication_date" content="`,
		`<meta name="citation_reference" content="citation_title=Japan-DPRK Relations; citation_publisher=Ministry of Foreign Affairs of Japan; citation_public_url=https://www.mofa.go.jp/region/asia-paci/n_korea/">`,
		`<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">`,
		`data-testid="cite-chicago"`, `<i>Japan–DPRK Diplomacy Timeline</i>`, "Accessed November 26, 2026",
		`data-testid="cite-apa"`, "Retrieved November 26, 2026, from http://127.0.0.1:8080/events/stockholm-agreement?as_of=",
		`href="/events/stockholm-agreement.ris"`,
	} {
		wantContains(t, fmt.Sprintf("the event page lacks %s", w), page, w)
	}
	wantLacks(t, "the title's script element reached the page", page, "<script>alert")
	ld := jsonLD(t, page)
	if ld["@type"] != "Event" || ld["name"] != "Stockholm agreement <script>alert(1)</script>" || ld["startDate"] != "2014-05" ||
		ld["license"] != "https://creativecommons.org/licenses/by/4.0/" {
		t.Errorf("got %v", ld)
	}
	cites, _ := ld["citation"].([]any)
	if len(cites) != 1 || cites[0].(map[string]any)["url"] != "https://www.mofa.go.jp/region/asia-paci/n_korea/" {
		t.Errorf("citation: got %v", ld["citation"])
	}
	// The Chicago citation as a reader selects it.
	m := regexp.MustCompile(`(?s)data-testid="cite-chicago"[^>]*>(.*?)</p>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Chicago citation")
	}
	text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
	want := "“Stockholm agreement <script>alert(1)</script> (May 2014).” 2026. In Japan–DPRK Diplomacy Timeline, version 1, as of "
	if !strings.HasPrefix(strings.TrimSpace(text), want) {
		t.Errorf("Chicago: got %q, want it to start %q", text, want)
	}
}

// TestListPageDataset: list pages describe their view as a schema.org
// Dataset with the licence and its downloads.
func TestListPageDataset(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"/events?from=2002&to=2004", "/actors/abe-shinzo", "/tags/summits"} {
		_, _, page := ts.get(t, p)
		ld := jsonLD(t, page)
		dl, _ := ld["distribution"].([]any)
		if ld["@type"] != "Dataset" || ld["license"] != "https://creativecommons.org/licenses/by/4.0/" || len(dl) < 8 ||
			!strings.Contains(ld["url"].(string), strings.SplitN(p, "?", 2)[0]) {
			t.Errorf("%s: got %v", p, ld)
		}
	}
}
