package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

func TestRenamedSlugRedirects(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	page, err := ts.store.ListEvents(ctx, timeline.Filter{}, timeline.PageRequest{Limit: 1})
	if err != nil || len(page.Events) == 0 {
		t.Fatalf("fixture: %v", err)
	}
	slug := page.Events[0].Slug
	if _, err := ts.store.AddRedirects(ctx, []timeline.Redirect{{From: "1999-01-01-old-name", To: slug}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{"/events/1999-01-01-old-name", "/events/" + slug},
		{"/events/1999-01-01-old-name?as=cited", "/events/" + slug + "?as=cited"},
		{"/events/1999-01-01-old-name.bib", "/events/" + slug + ".bib"},
	} {
		status, h, _ := ts.get(t, tt.path)
		if status != http.StatusMovedPermanently || h.Get("Location") != tt.want {
			t.Errorf("GET %s: got %d to %q, want 301 to %q", tt.path, status, h.Get("Location"), tt.want)
		}
	}
	if status, _, _ := ts.get(t, "/events/1999-01-01-never-was"); status != http.StatusNotFound {
		t.Errorf("a slug never used: got %d, want 404", status)
	}
}
