package views

import (
	"context"
	"testing"
)

func TestAtURLKeepsTheMomentOnChronologyLinks(t *testing.T) {
	ctx := WithAsOf(context.Background(), &AsOfNote{Param: "2026-11-29T06:10:07Z"})
	for _, tt := range []struct{ in, want string }{
		{"/events/a-slug", "/events/a-slug?as_of=2026-11-29T06%3A10%3A07Z"},
		{"/events?category=summit#results", "/events?as_of=2026-11-29T06%3A10%3A07Z&category=summit#results"},
		{"/events.bib?tag=x", "/events.bib?as_of=2026-11-29T06%3A10%3A07Z&tag=x"},
		{"/", "/?as_of=2026-11-29T06%3A10%3A07Z"},
		{"/timeline?from=2002", "/timeline?as_of=2026-11-29T06%3A10%3A07Z&from=2002"},
		{"/events?as_of=2001-01-01", "/events?as_of=2001-01-01"},
		{"/events/a-slug/history", "/events/a-slug/history"},
		{"/events/a-slug/history/2", "/events/a-slug/history/2"},
		{"/events/a-slug/edit", "/events/a-slug/edit"},
		{"/events/a-slug/correct", "/events/a-slug/correct"},
		{"/changes", "/changes"},
		{"/login", "/login"},
		{"/static/app.css", "/static/app.css"},
		{"https://www.mofa.go.jp/", "https://www.mofa.go.jp/"},
		{"//evil.example/events", "//evil.example/events"},
	} {
		if got := AtURL(ctx, tt.in); got != tt.want {
			t.Errorf("AtURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := AtURL(context.Background(), "/events/a-slug"); got != "/events/a-slug" {
		t.Errorf("without as_of: %q", got)
	}
}
