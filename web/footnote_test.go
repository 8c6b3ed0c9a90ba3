package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestFootnotes: markers in the summary and body link to the numbered
// sources, and each source links back; the form explains the syntax and
// refuses a marker with no source, keeping what was typed.
func TestFootnotes(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	v := eventFormValues()
	v.Set("summary", "Officials met in Stockholm [1].")
	v.Set("body", "Japan's account [1] and the press [2] agree [1].")
	resp := env.request("POST", "/events", v, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: got %d", resp.StatusCode)
	}
	page := respBody(t, env.request("GET", "/events/2014-05-stockholm-consultations", nil, nil))
	for _, w := range []string{
		`<sup class="fn"><a href="#source-1" id="ref-1-1" data-testid="footnote" aria-label="Source 1">[1]</a></sup>`,
		`id="ref-1-2"`, `id="ref-1-3"`, `<a href="#source-2" id="ref-2-1"`,
		`<li id="source-1">`, `<li id="source-2">`,
		`<a href="#ref-1-1" class="backref"`, `<a href="#ref-1-3" class="backref"`, `<a href="#ref-2-1" class="backref"`,
	} {
		wantContains(t, fmt.Sprintf("the event page lacks %s", w), page, w)
	}
	form := respBody(t, env.request("GET", "/events/2014-05-stockholm-consultations/edit", nil, c))
	wantContains(t, "the form does not explain footnotes", form, "Footnotes: write [1], [2]")
	v.Set("body", "A third source [3].")
	v.Set("title", "Another")
	resp = env.request("POST", "/events", v, c)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "[3] points at no source: the event has 2 sources") ||
		!strings.Contains(b, "A third source [3].") {
		t.Errorf("got %d, want 422 naming [3] with the body kept", resp.StatusCode)
	}
	// The API refuses it too, naming the field.
	e, err := env.store.GetEvent(context.Background(), "2014-05-stockholm-consultations")
	if err != nil {
		t.Fatal(err)
	}
	e.Summary = "Now [5]."
	err = env.store.UpdateEvent(context.Background(), e.Slug, &e, timeline.Change{Author: "alice"})
	if ve, ok := err.(*timeline.ValidationError); !ok || !strings.Contains(ve.Problems["summary"], "[5]") {
		t.Errorf("store update: got %v", err)
	}
}
