package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

func (env *shippedEnv) count(t *testing.T, f timeline.Filter) int {
	t.Helper()
	n, err := env.store.Count(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExportFormatsHeadersAndNames(t *testing.T) {
	env := newShippedEnv(t)
	tests := []struct {
		path, contentType, file, start string
	}{
		{"/events.csv?from=2002&to=2014", "text/csv; charset=utf-8", "japan-dprk-2002-2014.csv", "\uFEFFslug,start,end"},
		{"/events.csv", "text/csv; charset=utf-8", "japan-dprk-all.csv", "\uFEFFslug,"},
		{"/events.json?category=summit", "application/json", "japan-dprk-summit.json", `{"meta":{"dataset":"Japan–DPRK Diplomacy Timeline"`},
		{"/events.ics?from=2014", "text/calendar; charset=utf-8", "japan-dprk-from-2014.ics", "BEGIN:VCALENDAR\r\n"},
		{"/events.md?actor=abe-shinzo", "text/markdown; charset=utf-8", "japan-dprk-abe-shinzo.md", "# Japan–DPRK Diplomacy Timeline, abe-shinzo\n"},
		{"/events.timelinejs.json?sig=3", "application/json", "japan-dprk-major.timelinejs.json", `{"title":{"text":{"headline":`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := env.do(t, "GET", tt.path, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.contentType)
			}
			if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename=`+tt.file {
				t.Errorf("Content-Disposition = %q, want file %s", cd, tt.file)
			}
			if cit := resp.Header.Get("X-Citation"); !strings.Contains(cit, "Japan-DPRK Diplomacy Timeline, data version ") ||
				!strings.Contains(cit, "https://timeline.example/events") || !strings.Contains(cit, "(retrieved 26 November 2026)") {
				t.Errorf("X-Citation = %q", cit)
			}
			if !strings.HasPrefix(body, tt.start) {
				t.Errorf("body starts %q, want %q", body[:min(len(body), 80)], tt.start)
			}
		})
	}
}

func TestExportCSVHoldsTheFilteredView(t *testing.T) {
	env := newShippedEnv(t)
	resp, body := env.do(t, "GET", "/events.csv?from=2002&to=2014&category=summit", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := timeline.Filter{From: timeline.MustDate("2002"), To: timeline.MustDate("2014"), Categories: []timeline.Category{"summit"}}
	want := env.count(t, f)
	if len(rows)-1 != want || want == 0 {
		t.Errorf("%d rows, want %d", len(rows)-1, want)
	}
	for _, r := range rows[1:] {
		if r[7] != "summit" || r[1] < "2002" || !strings.HasPrefix(r[len(r)-1], "https://timeline.example/events/") {
			t.Errorf("row outside the view: %v", r)
		}
	}
}

func TestExportBadFiltersAre400(t *testing.T) {
	env := newShippedEnv(t)
	tests := []struct{ path, param string }{
		{"/events.csv?from=2014-13", "from"},
		{"/events.json?sig=9", "sig"},
		{"/events.ics?actor=no-such-actor", "actor"},
		{"/events.md?category=party", "category"},
		{"/events.timelinejs.json?from=2015&to=2014", "to"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := env.do(t, "GET", tt.path, nil)
			if resp.StatusCode != 400 {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !strings.Contains(body, tt.param+":") {
				t.Errorf("body %q (%s) does not name %s", body, resp.Header.Get("Content-Type"), tt.param)
			}
		})
	}
}

func TestChronologyOffersExportsOfTheView(t *testing.T) {
	env := newShippedEnv(t)
	tests := []struct{ path, want string }{
		{"/events?from=2002&category=summit", `href="/events.csv?category=summit&amp;from=2002"`},
		{"/events", `href="/events.timelinejs.json"`},
		{"/actors/abe-shinzo?from=2012", `href="/events.ics?actor=abe-shinzo&amp;from=2012"`},
		{"/tags/abductions", `href="/events.md?tag=abductions"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := env.do(t, "GET", tt.path, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(body, "Export this view") || !strings.Contains(body, tt.want) {
				t.Errorf("page lacks the export link %s", tt.want)
			}
		})
	}
}

func TestFeedListsChangesIncludingDeletions(t *testing.T) {
	env := newShippedEnv(t)
	ctx := context.Background()
	e, err := env.store.GetEvent(ctx, firstSlug(t, env.store))
	if err != nil {
		t.Fatal(err)
	}
	// The feed names editors by their display names, never their sign-in names.
	if _, err := env.store.CreateUser(ctx, "editor-x", timeline.RoleEditor, testPassword); err != nil {
		t.Fatal(err)
	}
	if err := env.store.SetDisplayName(ctx, "editor-x", "K. Tanaka"); err != nil {
		t.Fatal(err)
	}
	if err := env.store.DeleteEvent(ctx, e.Slug, e.Version, timeline.Change{Author: "editor-x", Summary: "duplicate"}); err != nil {
		t.Fatal(err)
	}
	resp, body := env.do(t, "GET", "/feed.atom", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Author  struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Link struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.NewDecoder(bytes.NewReader([]byte(body))).Decode(&feed); err != nil {
		t.Fatalf("not an Atom feed: %v", err)
	}
	if len(feed.Entries) != feedSize {
		t.Fatalf("%d entries, want %d", len(feed.Entries), feedSize)
	}
	first := feed.Entries[0]
	if first.Title != "Deleted: "+e.Title || first.Author.Name != "K. Tanaka" || first.Link.Href != "https://timeline.example/events/"+e.Slug ||
		!strings.HasPrefix(first.ID, "tag:japan-dprk-timeline,") || feed.Updated != first.Updated {
		t.Errorf("newest entry = %+v (feed updated %s)", first, feed.Updated)
	}
	if _, err := time.Parse(time.RFC3339, first.Updated); err != nil {
		t.Errorf("updated %q is not RFC 3339", first.Updated)
	}
}

func firstSlug(t *testing.T, s *timeline.Store) string {
	t.Helper()
	p, err := s.ListEvents(context.Background(), timeline.Filter{}, timeline.PageRequest{Limit: 1})
	if err != nil || len(p.Events) == 0 {
		t.Fatalf("no event: %v", err)
	}
	return p.Events[0].Slug
}
