package web

import (
	"fmt"
	"net/http"
	"testing"
)

// TestTagIndexAndUnknownTags: /tags lists every tag in use with its count
// and links to its page; a tag no live event has is 404.
func TestTagIndexAndUnknownTags(t *testing.T) {
	ts := newTestServer(t)
	status, _, body := ts.get(t, "/tags")
	if status != http.StatusOK {
		t.Fatalf("GET /tags: status %d", status)
	}
	for _, want := range []string{`href="/tags/abductions"`, `href="/tags/stockholm-agreement"`, `data-testid="tag-abductions"`} {
		wantContains(t, fmt.Sprintf("GET /tags lacks %s", want), body, want)
	}
	// abductions: 5 events in the fixture.
	wantContains(t, fmt.Sprintf("GET /tags: abductions not listed with its count 5"), body, `data-testid="tag-abductions"><a href="/tags/abductions">abductions</a> <span class="count">5</span>`)
	for path, want := range map[string]int{
		"/tags/abductions":       http.StatusOK,
		"/tags/unknown":          http.StatusNotFound,
		"/tags/no-such-tag-2014": http.StatusNotFound,
		"/tags/Bad_Tag":          http.StatusNotFound,
	} {
		if status, _, _ := ts.get(t, path); status != want {
			t.Errorf("GET %s: status %d, want %d", path, status, want)
		}
	}
}
