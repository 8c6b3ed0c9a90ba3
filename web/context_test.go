package web

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

var contextItemRE = regexp.MustCompile(`data-testid="context-(current|[a-z0-9-]+)"`)

// contextItems lists the context column's events, "current" for the page's own.
func contextItems(body string) []string {
	var out []string
	for _, m := range contextItemRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestEventPageContext(t *testing.T) {
	ts := newTestServer(t)
	body := mustGet(t, ts, "/events/return-of-five")
	if got, want := contextItems(body), []string{"summit-2002", "current"}; !slices.Equal(got, want) {
		t.Errorf("context of the return of five = %v, want %v", got, want)
	}
	for _, want := range []string{`aria-current="true"`, "April 2002 – April 2003", `href="/events?from=2002-04&amp;to=2003-04"`, `href="/timeline?from=2002-04&amp;to=2003-04"`} {
		wantContains(t, fmt.Sprintf("context lacks %q", want), body, want)
	}
	// An event alone in its months has no context column.
	body = mustGet(t, ts, "/events/sanctions-2006")
	wantLacks(t, "an event with no neighbours in its months shows a context", body, `data-testid="context"`)

	// In a busy month the column keeps to the six events either side.
	ctx := context.Background()
	var slugs []string
	for i := 1; i <= 20; i++ {
		e := timeline.Event{Slug: fmt.Sprintf("busy-%02d", i), Start: timeline.MustDate(fmt.Sprintf("2010-03-%02d", i)), Title: fmt.Sprintf("Busy day %02d", i),
			Summary: "A busy month.", Category: "statement", Significance: 1,
			Sources: []timeline.Source{{Publisher: "Kyodo", Title: "Report", Language: "en"}}}
		if err := ts.store.CreateEvent(ctx, &e, timeline.Change{Author: "test"}); err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, e.Slug)
	}
	got := contextItems(mustGet(t, ts, "/events/busy-10"))
	want := append(append(slices.Clone(slugs[3:9]), "current"), slugs[10:16]...)
	if !slices.Equal(got, want) {
		t.Errorf("busy context = %v, want %v", got, want)
	}
}
