package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

func partsString(parts []views.DiffPart) string {
	var b strings.Builder
	for _, p := range parts {
		switch p.Op {
		case views.DiffDel:
			b.WriteString("[-" + p.Text + "-]")
		case views.DiffIns:
			b.WriteString("{+" + p.Text + "+}")
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func TestWordDiff(t *testing.T) {
	for _, tt := range []struct{ a, b, old, new string }{
		{"the quick brown fox", "the slow brown fox", "the [-quick-] brown fox", "the {+slow+} brown fox"},
		{"Kim admits the abductions.", "Kim Jong Il admits the abductions in Pyongyang.",
			"Kim admits the abductions.", "Kim {+Jong Il +}admits the abductions{+ in Pyongyang+}."},
		{"日朝首脳会談", "日朝実務者協議", "日朝[-首脳会談-]", "日朝{+実務者協議+}"},
		{"same", "same", "same", "same"},
		{"", "new text", "", "{+new text+}"},
	} {
		o, n := wordDiff(tt.a, tt.b)
		if got := partsString(o); got != tt.old {
			t.Errorf("wordDiff(%q, %q) old = %q, want %q", tt.a, tt.b, got, tt.old)
		}
		if got := partsString(n); got != tt.new {
			t.Errorf("wordDiff(%q, %q) new = %q, want %q", tt.a, tt.b, got, tt.new)
		}
	}
	// A long text with one word changed stays cheap and exact.
	long := strings.Repeat("word ", 4000)
	o, n := wordDiff(long+"end", long+"finish")
	if partsString(o) != long+"[-end-]" || partsString(n) != long+"{+finish+}" {
		t.Error("long text: the change is not the last word alone")
	}
}

// TestRevisionDiffShowsChangedFieldsOnly: a version's page lists only the
// fields that changed, under readable labels, with the changed words
// marked; the field column does not break words letter by letter.
func TestRevisionDiffShowsChangedFieldsOnly(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	const slug = "2014-05-stockholm-agreement"
	e, err := env.store.GetEvent(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	e.Title = "Stockholm agreement announced"
	e.Summary = "Summary of the Stockholm agreement, with a new clause."
	if err := env.store.UpdateEvent(t.Context(), slug, &e, timeline.Change{Author: "alice"}); err != nil {
		t.Fatal(err)
	}
	v2 := respBody(t, env.request("GET", "/events/"+slug+"/history/2", nil, c))
	for _, want := range []string{`data-testid="diff-title"`, `<th scope="row">Title</th>`, `<ins> announced</ins>`,
		`data-testid="diff-summary"`, `<th scope="row">Summary</th>`} {
		wantContains(t, fmt.Sprintf("version 2 lacks %s", want), v2, want)
	}
	for _, unchanged := range []string{`data-testid="diff-start"`, `data-testid="diff-sources"`, `data-testid="diff-body"`} {
		wantLacks(t, fmt.Sprintf("version 2 shows the unchanged %s", unchanged), v2, unchanged)
	}
	// The conflict page shows the same: only what differs.
	f := eventFormValues()
	f.Set("version", "1")
	resp := env.request("POST", "/events/"+slug+"/edit", f, c)
	b := respBody(t, resp)
	if resp.StatusCode != 409 || !strings.Contains(b, `data-testid="diff-title"`) || strings.Contains(b, `data-testid="diff-start"`) {
		t.Errorf("conflict: status %d; want 409 listing the title but not the unchanged start", resp.StatusCode)
	}
	css := respBody(t, env.request("GET", "/static/app.css", nil, nil))
	wantContains(t, "the field column of a diff may still wrap letter by letter", css, "table.diff th[scope=row] { white-space: nowrap;")
}
