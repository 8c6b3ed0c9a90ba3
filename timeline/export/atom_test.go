package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

func TestWriteAtom(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	changed := time.Date(2026, 11, 28, 9, 30, 0, 0, time.FixedZone("JST", 9*3600))
	for _, tt := range []struct {
		name    string
		changes []timeline.ChangeRecord
		want    []string
	}{
		{"no changes", nil, []string{
			`<feed xmlns="http://www.w3.org/2005/Atom">`,
			"<updated>2026-11-29T12:00:00Z</updated>",
			`<link href="https://t.example/feed.atom" rel="self" type="application/atom+xml"></link>`,
		}},
		{"a change", []timeline.ChangeRecord{{Slug: "stockholm-agreement-2014", Version: 3, Action: "update", Author: "alice", Summary: "dates & sources", Title: "Stockholm <agreement>", Time: changed}}, []string{
			"<updated>2026-11-28T00:30:00Z</updated>",
			"<id>tag:japan-dprk-timeline,2026-11-28:events/stockholm-agreement-2014/3</id>",
			"<title>Updated: Stockholm &lt;agreement&gt;</title>",
			`<link href="https://t.example/events/stockholm-agreement-2014" rel="alternate" type="text/html"></link>`,
			"<summary>Updated (version 3) by alice. dates &amp; sources</summary>",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteAtom(&buf, "https://t.example", "Site", now, tt.changes); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			if !strings.HasPrefix(got, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.HasSuffix(got, "</feed>\n") {
				t.Errorf("got %q, want an XML document ending in a newline", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got\n%s\nwant it to contain %s", got, w)
				}
			}
		})
	}
}
