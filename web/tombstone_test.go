package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestDeletedEventTombstone: a deleted event's address answers 410 with
// its last title, when it was deleted and a link to its history, so that
// feed entries and citations lead somewhere; editors get a restore button
// there.
func TestDeletedEventTombstone(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	slug := "2014-05-stockholm-agreement"
	if err := env.store.DeleteEvent(t.Context(), slug, 1, timeline.Change{Author: "seed", Summary: "duplicate"}); err != nil {
		t.Fatal(err)
	}
	deleted, err := env.store.GetEventAny(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	day := deleted.DeletedAt.UTC().Format("2 January 2006")
	resp := env.request("GET", "/events/"+slug, nil, nil)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("anonymous GET of a deleted event: status %d, want 410", resp.StatusCode)
	}
	for _, want := range []string{`data-testid="tombstone"`, "Stockholm agreement", "Deleted on " + day, `href="/events/` + slug + `/history"`} {
		wantContains(t, fmt.Sprintf("tombstone lacks %q", want), b, want)
	}
	wantLacks(t, "an anonymous reader is offered a restore button", b, `data-testid="restore-`)
	if resp := env.request("HEAD", "/events/"+slug, nil, nil); resp.StatusCode != http.StatusGone {
		t.Errorf("HEAD: status %d, want 410", resp.StatusCode)
	}
	if resp := env.request("GET", "/events/no-such-event", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an event that never was: status %d, want 404", resp.StatusCode)
	}

	c := env.login("alice")
	resp = env.request("GET", "/events/"+slug, nil, c)
	b = respBody(t, resp)
	if resp.StatusCode != http.StatusGone || !strings.Contains(b, `data-testid="restore-1"`) {
		t.Fatalf("an editor's tombstone: status %d, restore button %v", resp.StatusCode, strings.Contains(b, "restore-1"))
	}
	resp = env.request("POST", "/events/"+slug+"/restore", url.Values{"from": {"1"}, "version": {"2"}}, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore from the tombstone: status %d", resp.StatusCode)
	}
	if resp := env.request("GET", "/events/"+slug, nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after the restore: status %d, want 200", resp.StatusCode)
	}
}
