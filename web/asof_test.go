package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// asOfEnv is a chronology with a history: A created (t1), B created
// (t2), A retitled by alice (t3), B deleted by bob (t4), each a minute
// apart an hour ago.
type asOfEnv struct {
	*testEnv
	a, b timeline.Event
	at   [5]time.Time
}

func newAsOfEnv(t *testing.T) *asOfEnv {
	t.Helper()
	env := &asOfEnv{testEnv: newTestEnv(t, withConfig(Config{BaseURL: "https://timeline.example"}))}
	ctx := context.Background()
	st := env.store
	env.addUser("alice", timeline.RoleEditor)
	env.addUser("bob", timeline.RoleEditor)
	if err := st.SetDisplayName(ctx, "alice", "A. Researcher"); err != nil {
		t.Fatal(err)
	}
	clock := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	st.SetClock(func() time.Time { return clock })
	t.Cleanup(func() { st.SetClock(func() time.Time { return time.Now().UTC() }) })
	step := func(i int) { clock = clock.Add(time.Minute); env.at[i] = clock }

	step(1)
	env.a = authSeedEvent("2002-09-17", "Koizumi visits Pyongyang")
	if err := st.CreateEvent(ctx, &env.a, timeline.Change{Author: "alice"}); err != nil {
		t.Fatal(err)
	}
	step(2)
	env.b = authSeedEvent("2014-05", "Stockholm agreement")
	if err := st.CreateEvent(ctx, &env.b, timeline.Change{Author: "bob"}); err != nil {
		t.Fatal(err)
	}
	step(3)
	env.a.Title = "Koizumi's first visit to Pyongyang"
	if err := st.UpdateEvent(ctx, env.a.Slug, &env.a, timeline.Change{Author: "alice", Summary: "a clearer title"}); err != nil {
		t.Fatal(err)
	}
	step(4)
	if err := st.DeleteEvent(ctx, env.b.Slug, env.b.Version, timeline.Change{Author: "bob", Summary: "duplicate"}); err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return time.Now().UTC() })
	return env
}

func asOfParam(t time.Time) string { return url.QueryEscape(timeline.FormatAsOf(t)) }

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: no %q in\n%.3000s", what, w, body)
		}
	}
}

func mustNotContain(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s: %q should not be there", what, w)
		}
	}
}

func TestAsOfShowsOldTitleAndDeletedEvent(t *testing.T) {
	env := newAsOfEnv(t)
	a, b := env.a.Slug, env.b.Slug
	oldTitle, newTitle := "Koizumi visits Pyongyang", "Koizumi&#39;s first visit to Pyongyang"

	// A as it stood before its edit: the old title, a banner counting the
	// two changes since, a diff of this event, and the page now.
	at2 := asOfParam(env.at[2])
	status, _, body := env.get(t, "/events/"+a+"?as_of="+at2)
	if status != http.StatusOK {
		t.Fatalf("A as of t2: status %d", status)
	}
	mustContain(t, "A as of t2", body, oldTitle, `data-testid="asof-banner"`, "2 changes have been made to the chronology since.</span>",
		`href="/events/`+a+`/history/2?from=1"`, `data-testid="asof-now"`, `href="/events/`+a+`"`,
		`href="/changes?since=`+at2+`"`,
		// The citation and the permalink keep the moment.
		"event revision 1, as of", "https://timeline.example/events/"+a+"?as_of="+at2)
	mustNotContain(t, "A as of t2", body, newTitle)

	// Now: the new title, no banner, and a citation of this version (its
	// own last change, t3, not B's deletion at t4, so that an edit of one
	// event leaves the others' pages as they were) whose address keeps
	// showing it.
	_, _, body = env.get(t, "/events/"+a)
	mustContain(t, "A now", body, newTitle, "event revision 2, as of", "https://timeline.example/events/"+a+"?as_of="+asOfParam(env.at[3]))
	mustNotContain(t, "A now", body, "as_of="+asOfParam(env.at[4]))
	mustNotContain(t, "A now", body, `data-testid="asof-banner"`)

	// B was deleted at t4: gone now, there as it was at t3.
	if status, _, _ := env.get(t, "/events/"+b); status != http.StatusGone {
		t.Errorf("B now: status %d, want 410", status)
	}
	status, _, body = env.get(t, "/events/"+b+"?as_of="+asOfParam(env.at[3]))
	if status != http.StatusOK {
		t.Fatalf("B as of t3: status %d", status)
	}
	mustContain(t, "B as of t3", body, "Stockholm agreement", "This event has been deleted since.", "1 change has been made to the chronology since.</span>")
	// Before it was made, B was not there.
	if status, _, body := env.get(t, "/events/"+b+"?as_of="+asOfParam(env.at[1])); status != http.StatusNotFound {
		t.Errorf("B as of t1: status %d, want 404: %.300s", status, body)
	}

	// Lists, search, exports and the API answer as then too, and the
	// links on an as_of page keep it.
	_, _, body = env.get(t, "/events?as_of="+at2)
	mustContain(t, "list as of t2", body, oldTitle, "Stockholm agreement", `href="/events/`+a+`?as_of=`+at2+`"`, `name="as_of" value="`+timeline.FormatAsOf(env.at[2])+`"`)
	_, _, body = env.get(t, "/events?q=first&as_of="+at2)
	mustNotContain(t, "search as of t2", body, `href="/events/`+a+`?`)
	_, _, body = env.get(t, "/events?as_of="+asOfParam(env.at[1]))
	mustNotContain(t, "list as of t1", body, "Stockholm agreement")
	_, h, body := env.get(t, "/events.json?as_of="+asOfParam(env.at[3]))
	mustContain(t, "JSON as of t3", body, `"Stockholm agreement"`, newTitle[:6])
	mustContain(t, "JSON citation header", h.Get("X-Citation"), "as of", "as_of=")
	_, _, body = env.get(t, "/events.bib?as_of="+at2)
	mustContain(t, "BibTeX as of t2", body, oldTitle, "as_of="+at2)
	_, _, body = env.get(t, "/events/"+b+".ris?as_of="+asOfParam(env.at[3]))
	mustContain(t, "RIS of B as of t3", body, "Stockholm agreement", "as_of=")
	status, _, body = env.get(t, "/api/v1/events/"+b+"?as_of="+asOfParam(env.at[3]))
	if status != http.StatusOK || !strings.Contains(body, `"Stockholm agreement"`) {
		t.Errorf("API B as of t3: %d %.300s", status, body)
	}
	// The timeline, stories, actors and the API's lists read the same past.
	for _, path := range []string{"/timeline?as_of=" + at2, "/story?as_of=" + at2, "/actors/japan?as_of=" + at2, "/api/v1/events?as_of=" + at2, "/about?as_of=" + at2} {
		status, _, body := env.get(t, path)
		if status != http.StatusOK {
			t.Errorf("%s: status %d", path, status)
			continue
		}
		mustNotContain(t, path, body, "first visit to Pyongyang")
	}
	// Many readers of one past state at once share one rebuilt copy.
	kept := func() int {
		env.server.snaps.mu.Lock()
		defer env.server.snaps.mu.Unlock()
		return len(env.server.snaps.byKey)
	}
	before := kept()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(env.url + "/events?q=Koizumi&as_of=" + asOfParam(env.at[2].Add(time.Duration(i)*time.Second)))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("parallel reader %d: status %d", i, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if n := kept(); n != before {
		t.Errorf("%d copies kept after readers of a kept state, want %d", n, before)
	}
	// A moment after the last change shows the chronology as it is, and
	// says nothing has changed since.
	_, _, body = env.get(t, "/events/"+a+"?as_of="+asOfParam(env.at[4].Add(time.Second)))
	mustContain(t, "A as of after t4", body, newTitle, "Nothing has changed since.")
}

func TestAsOfRefusesWhatItCannotShow(t *testing.T) {
	env := newAsOfEnv(t)
	for _, tt := range []struct {
		name, path, want string
	}{
		{"malformed", "/events?as_of=yesterday", "YYYY-MM-DD"},
		{"not UTC", "/events?as_of=2026-01-01T09:00:00%2B09:00", "UTC"},
		{"before the history", "/events?as_of=" + asOfParam(env.at[1].Add(-time.Second)), "before the chronology"},
		{"future", "/events?as_of=" + asOfParam(time.Now().Add(24*time.Hour)), "future"},
		{"export", "/events.csv?as_of=2026-13-01", "as_of"},
		{"API", "/api/v1/events?as_of=2026-13-01", "as_of"},
		{"event page", "/events/" + env.a.Slug + "?as_of=2026-13-01", "as_of"},
		{"twice", "/events?as_of=" + asOfParam(env.at[2]) + "&as_of=" + asOfParam(env.at[3]), "as_of"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := env.get(t, tt.path)
			if status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", status)
			}
			mustContain(t, tt.path, body, tt.want)
		})
	}
}

func TestHistoryIsPublicUnderDisplayNames(t *testing.T) {
	env := newAsOfEnv(t)
	bob, err := env.store.GetUser(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	bobName := "Editor " + strings.TrimPrefix(bob.DisplayName, "Editor ")

	status, _, body := env.get(t, "/events/"+env.a.Slug+"/history")
	if status != http.StatusOK {
		t.Fatalf("history, signed out: status %d", status)
	}
	mustContain(t, "A's history", body, "A. Researcher", "a clearer title", `href="/events/`+env.a.Slug+`?as_of=`+asOfParam(env.at[3])+`"`)
	mustNotContain(t, "A's history", body, "alice", `data-testid="restore-1"`, "/edit")

	// A version compared with another, and the deleted event's history.
	_, _, body = env.get(t, "/events/"+env.a.Slug+"/history/2?from=1")
	mustContain(t, "A v2 from v1", body, "Changes from version 1", "Koizumi <del>visits</del> Pyongyang")
	if status, _, _ := env.get(t, "/events/"+env.a.Slug+"/history/2?from=9"); status != http.StatusBadRequest {
		t.Errorf("from=9: status %d, want 400", status)
	}
	status, _, body = env.get(t, "/events/"+env.b.Slug+"/history")
	if status != http.StatusOK {
		t.Fatalf("deleted B's history: status %d", status)
	}
	mustContain(t, "B's history", body, bobName, "duplicate", "has been deleted")
	mustNotContain(t, "B's history", body, ">bob<")

	// The site's changes: all four, and those after t2.
	_, _, body = env.get(t, "/changes")
	mustContain(t, "changes", body, "A. Researcher", bobName, `data-testid="change-`+env.a.Slug+`-2"`, `data-testid="change-`+env.b.Slug+`-2"`)
	mustNotContain(t, "changes", body, ">alice<", ">bob<")
	_, _, body = env.get(t, "/changes?since="+asOfParam(env.at[2]))
	mustContain(t, "changes since t2", body, `data-testid="change-`+env.a.Slug+`-2"`)
	mustNotContain(t, "changes since t2", body, `data-testid="change-`+env.a.Slug+`-1"`, `data-testid="change-`+env.b.Slug+`-1"`)
	if status, _, body := env.get(t, "/changes?since=soon"); status != http.StatusBadRequest || !strings.Contains(body, "since") {
		t.Errorf("since=soon: status %d", status)
	}
	// A cursor continues the changes since a moment; alone it was ignored,
	// and the page showed the latest changes as if it were their next page.
	if status, _, body := env.get(t, "/changes?cursor=zzz"); status != http.StatusBadRequest || !strings.Contains(body, "cursor") || !strings.Contains(body, "since") {
		t.Errorf("cursor without since: status %d, want a 400 naming cursor and since", status)
	}
	// The API's and the feed's changes name editors publicly too.
	_, _, body = env.get(t, "/api/v1/changes?since=2000-01-01T00:00:00Z")
	mustContain(t, "API changes", body, `"A. Researcher"`)
	mustNotContain(t, "API changes", body, `"alice"`, `"bob"`)

	// Restoring stays for editors: signed out, nothing happens.
	resp := env.request("POST", "/events/"+env.a.Slug+"/restore", url.Values{"from": {"1"}, "version": {"2"}}, nil)
	respBody(t, resp)
	if resp.StatusCode < 300 || resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/events/"+env.a.Slug {
		t.Errorf("restore signed out: status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if e, _ := env.store.GetEvent(context.Background(), env.a.Slug); e.Version != 2 {
		t.Errorf("restore signed out changed the event: version %d", e.Version)
	}
	// Signed in, the history offers it.
	cookie := env.login("alice")
	resp = env.request("GET", "/events/"+env.a.Slug+"/history", nil, cookie)
	mustContain(t, "history signed in", respBody(t, resp), `data-testid="restore-1"`)
}
