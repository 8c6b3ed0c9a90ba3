package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// eventFormValues is a complete, valid event form.
func eventFormValues() url.Values {
	return url.Values{
		"op":                   {"save"},
		"start":                {"2014-05"},
		"title":                {"Stockholm consultations"},
		"summary":              {"Officials met in Stockholm."},
		"category":             {"negotiation"},
		"significance":         {"2"},
		"location":             {"Stockholm, Sweden"},
		"tags":                 {"abductions, Stockholm-Agreement"},
		"actors[0].slug":       {"japan"},
		"actors[0].role":       {"party"},
		"actors[1].name":       {"Ihara Junichi"},
		"actors[1].name_ja":    {"伊原純一"},
		"actors[1].kind":       {"person"},
		"actors[1].country":    {"jp"},
		"actors[1].role":       {"head of the Japanese delegation"},
		"sources[0].publisher": {"MOFA"},
		"sources[0].title":     {"Japan-North Korea consultations"},
		"sources[0].url":       {"https://www.mofa.go.jp/a_o/na/kp/page4e_000079.html"},
		"sources[0].date":      {"2014-05-29"},
		"sources[0].language":  {"en"},
		"sources[1].publisher": {"NHK"},
		"sources[1].title":     {"日朝協議"},
		"sources[1].language":  {"ja"},
		"related[0].slug":      {"2002-09-17-koizumi-visits-pyongyang"},
		"related[0].relation":  {"follows"},
		"edit_summary":         {"new event"},
	}
}

func TestEditCreateEvent(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	resp := env.request("POST", "/events", eventFormValues(), c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/events/2014-05-stockholm-consultations" {
		t.Fatalf("create: status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	e, err := env.store.GetEvent(context.Background(), "2014-05-stockholm-consultations")
	if err != nil {
		t.Fatal(err)
	}
	if e.DisplayDate() != "May 2014" || len(e.Sources) != 2 || len(e.Actors) != 2 || e.Actors[1].Slug != "ihara-junichi" ||
		e.Actors[1].Country != "JP" || strings.Join(e.Tags, ",") != "abductions,stockholm-agreement" || len(e.Related) != 1 {
		t.Errorf("stored %+v", e)
	}
	revs, _ := env.store.Revisions(context.Background(), e.Slug)
	if len(revs) != 1 || revs[0].Author != "alice" || revs[0].Summary != "new event" {
		t.Errorf("revision %+v", revs)
	}
	page := env.request("GET", "/events/"+e.Slug, nil, c)
	b := respBody(t, page)
	if !strings.Contains(b, "/events/"+e.Slug+"/edit") || !strings.Contains(b, "/history") {
		t.Error("an editor's event page lacks Edit and History links")
	}
	anon := env.request("GET", "/events/"+e.Slug, nil, nil)
	if b := respBody(t, anon); strings.Contains(b, "/events/"+e.Slug+"/edit") {
		t.Error("the public event page shows an Edit link")
	}
}

func TestEditValidationKeepsInputAndEscapes(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	hostile := `"><script>alert(1)</script>`
	f := eventFormValues()
	f.Set("start", "2014-13")
	f.Set("end", "2014")
	f.Set("title", "Talks <script>alert('t')</script> \"quoted\"")
	f.Set("location", hostile)
	f.Set("summary", hostile)
	f.Set("body", "</textarea><script>alert(2)</script>")
	f.Set("sources[0].url", "javascript:alert(1)")
	f.Set("sources[1].date", "May 2014")
	f.Set("actors[0].role", `' onmouseover='alert(3)`)
	f.Set("tags", "ok, Bad Tag!")
	f.Set("category", `negotiation"><script>`)
	resp := env.request("POST", "/events", f, c)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	for field, want := range map[string]string{
		"start":           "months must be 01–12",
		"sources[0].url":  "absolute http or https URL",
		"sources[1].date": "YYYY, YYYY-MM or YYYY-MM-DD",
		"category":        "must be one of",
	} {
		i := strings.Index(b, `data-testid="problem-`+field+`"`)
		if i < 0 || !strings.Contains(b[i:min(len(b), i+300)], html.EscapeString(want)) && !strings.Contains(b[i:min(len(b), i+300)], want) {
			t.Errorf("no problem %q beside %s", want, field)
		}
	}
	wantLacks(t, "an empty slug is blamed while the start date is wrong", b, `data-testid="problem-slug"`)
	wantContains(t, "the tags problem or the typed tags are missing", b, "Bad Tag!")
	wantContains(t, "the tags problem or the typed tags are missing", b, `data-testid="problem-tags"`)
	// Everything typed comes back, escaped; nothing typed runs.
	for _, typed := range []string{f.Get("title"), hostile, f.Get("body"), "javascript:alert(1)", f.Get("actors[0].role"), "May 2014", "2014-13", "伊原純一"} {
		if !strings.Contains(b, html.EscapeString(typed)) && !strings.Contains(b, strings.ReplaceAll(html.EscapeString(typed), "&#34;", "&quot;")) {
			t.Errorf("the form lost or did not escape %q", typed)
		}
	}
	for _, raw := range []string{"<script>alert", "</textarea><script>", `' onmouseover='`, `"><script>`} {
		wantLacks(t, fmt.Sprintf("the page contains %q unescaped", raw), b, raw)
	}
	wantLacks(t, "a javascript: URL became a link", b, `href="javascript:`)
	// The end date still reads back in words while the start is wrong.
	wantContains(t, "no precision hint for the end date", b, "year precision: 2014")
	if n, _ := env.store.Count(context.Background(), timeline.Filter{}); n != 2 {
		t.Errorf("%d events after a refused create, want 2", n)
	}

	// Fixed, it saves; the hostile title renders escaped on the event page.
	f.Set("start", "2014-05")
	f.Set("sources[0].url", "https://example.org/a?b=1&c=2")
	f.Set("sources[1].date", "2014-05")
	f.Set("tags", "ok")
	f.Set("category", "negotiation")
	f.Set("slug", "talks-xss")
	resp = env.request("POST", "/events", f, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fixed form: status %d", resp.StatusCode)
	}
	page := respBody(t, env.request("GET", "/events/talks-xss", nil, nil))
	wantLacks(t, "the event page does not escape the title", page, "<script>alert")
	wantContains(t, "the event page does not escape the title", page, "Talks &lt;script&gt;alert(")
}

func TestEditRowsWithoutJavaScript(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	f := eventFormValues()
	f.Set("op", "add-source")
	resp := env.request("POST", "/events", f, c)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(b, `name="sources[2].publisher"`) || !strings.Contains(b, `value="NHK"`) {
		t.Fatalf("add-source: status %d, third row or typed values missing", resp.StatusCode)
	}
	wantLacks(t, "adding a row showed problems", b, `data-testid="form-problems"`)
	// Removing the first source keeps the second, renumbered.
	f.Set("op", "save")
	f.Set("sources[0].remove", "1")
	f.Set("sources[2].publisher", "") // the empty added row is ignored
	resp = env.request("POST", "/events", f, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	e, _ := env.store.GetEvent(context.Background(), "2014-05-stockholm-consultations")
	if len(e.Sources) != 1 || e.Sources[0].Publisher != "NHK" {
		t.Errorf("sources %+v, want only NHK", e.Sources)
	}
}

func TestEditConflictLosesNothing(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	env.addUser("bob", timeline.RoleEditor)
	alice, bob := env.login("alice"), env.login("bob")
	const slug = "2014-05-stockholm-agreement"
	edit := func(who *http.Cookie, title, version string) *http.Response {
		f := eventFormValues()
		f.Del("related[0].slug")
		f.Set("title", title)
		f.Set("version", version)
		return env.request("POST", "/events/"+slug+"/edit", f, who)
	}
	form := respBody(t, env.request("GET", "/events/"+slug+"/edit", nil, bob))
	if !wantContains(t, "the edit form does not carry version 1", form, `name="version" value="1"`) {
		t.FailNow()
	}
	resp := edit(alice, "Alice's title", "1")
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("alice: status %d", resp.StatusCode)
	}
	resp = edit(bob, "Bob's <b>title</b>", "1")
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(b, `data-testid="conflict"`) {
		t.Fatalf("bob's stale edit: status %d, want 409 with the conflict page", resp.StatusCode)
	}
	for _, want := range []string{"<del>Alice</del>&#39;s <del>title</del>", "<ins>Bob</ins>&#39;s <ins>&lt;b&gt;title&lt;/b&gt;</ins>", `name="version" value="2"`, `data-testid="diff-title"`, "alice saved version 2"} {
		wantContains(t, fmt.Sprintf("conflict page lacks %q", want), b, want)
	}
	e, _ := env.store.GetEvent(context.Background(), slug)
	if e.Title != "Alice's title" || e.Version != 2 {
		t.Errorf("after the conflict: %q v%d, want alice's v2", e.Title, e.Version)
	}
	// Bob applies his version on top of alice's.
	resp = edit(bob, "Bob's <b>title</b>", "2")
	respBody(t, resp)
	e, _ = env.store.GetEvent(context.Background(), slug)
	if resp.StatusCode != http.StatusSeeOther || e.Title != "Bob's <b>title</b>" || e.Version != 3 {
		t.Errorf("re-apply: status %d, %q v%d", resp.StatusCode, e.Title, e.Version)
	}
}

func TestHistoryRestoreRoundTrip(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	const slug = "2014-05-stockholm-agreement"
	f := eventFormValues()
	f.Del("related[0].slug")
	f.Set("title", "Stockholm agreement, revised")
	f.Set("version", "1")
	f.Set("edit_summary", "clearer title")
	resp := env.request("POST", "/events/"+slug+"/edit", f, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: status %d", resp.StatusCode)
	}
	hist := respBody(t, env.request("GET", "/events/"+slug+"/history", nil, c))
	for _, want := range []string{`data-testid="revision-1"`, `data-testid="revision-2"`, "clearer title", ">Editor 1<", ">an editor<", `data-testid="restore-1"`} {
		wantContains(t, fmt.Sprintf("history lacks %s", want), hist, want)
	}
	v2 := respBody(t, env.request("GET", "/events/"+slug+"/history/2", nil, c))
	wantContains(t, "version 2 does not show the title change", v2, `<tr class="changed" data-testid="diff-title"><th scope="row">Title</th><td class="old">Stockholm agreement</td><td class="new">Stockholm agreement<ins>, revised</ins></td>`)
	resp = env.request("POST", "/events/"+slug+"/restore", url.Values{"from": {"1"}, "version": {"2"}}, c)
	respBody(t, resp)
	e, _ := env.store.GetEvent(context.Background(), slug)
	if resp.StatusCode != http.StatusSeeOther || e.Title != "Stockholm agreement" || e.Version != 3 {
		t.Fatalf("restore: status %d, %q v%d", resp.StatusCode, e.Title, e.Version)
	}
	// A stale restore changes nothing.
	resp = env.request("POST", "/events/"+slug+"/restore", url.Values{"from": {"2"}, "version": {"2"}}, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("stale restore: status %d, want 409", resp.StatusCode)
	}

	// Delete, find it among the deleted, restore it.
	b := respBody(t, env.request("GET", "/events/"+slug+"/delete", nil, c))
	if !wantContains(t, "the delete page does not carry the version", b, `name="version" value="3"`) {
		t.FailNow()
	}
	resp = env.request("POST", "/events/"+slug+"/delete", url.Values{"version": {"3"}, "edit_summary": {"duplicate"}}, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: status %d", resp.StatusCode)
	}
	if r := env.request("GET", "/events/"+slug, nil, nil); r.StatusCode != http.StatusGone {
		t.Errorf("deleted event: status %d, want 410", r.StatusCode)
	}
	if b := respBody(t, env.request("GET", "/admin/deleted", nil, c)); !strings.Contains(b, "/events/"+slug+"/history") || !strings.Contains(b, "duplicate") {
		t.Error("the deleted event is not listed for editors")
	}
	hist = respBody(t, env.request("GET", "/events/"+slug+"/history", nil, c))
	if !wantContains(t, "the history of a deleted event offers no restore", hist, `data-testid="deleted-notice"`) || !wantContains(t, "the history of a deleted event offers no restore", hist, `data-testid="restore-3"`) {
		t.FailNow()
	}
	resp = env.request("POST", "/events/"+slug+"/restore", url.Values{"from": {"3"}, "version": {"4"}}, c)
	respBody(t, resp)
	e, err := env.store.GetEvent(context.Background(), slug)
	if resp.StatusCode != http.StatusSeeOther || err != nil || e.Version != 5 {
		t.Fatalf("undelete: status %d, %v, v%d", resp.StatusCode, err, e.Version)
	}
	revs, _ := env.store.Revisions(context.Background(), slug)
	var actions []string
	for _, r := range revs {
		actions = append(actions, r.Action)
	}
	if got := strings.Join(actions, ","); got != "restore,delete,restore,update,create" {
		t.Errorf("actions %s", got)
	}
}

func TestEditBadVersionAndUnknownEvent(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	for _, tt := range []struct {
		method, path string
		form         url.Values
		want         int
	}{
		{"POST", "/events/2014-05-stockholm-agreement/edit", url.Values{"version": {"x"}}, http.StatusBadRequest},
		{"POST", "/events/2014-05-stockholm-agreement/delete", url.Values{}, http.StatusBadRequest},
		{"POST", "/events/2014-05-stockholm-agreement/restore", url.Values{"version": {"1"}, "from": {"0"}}, http.StatusBadRequest},
		{"POST", "/events/2014-05-stockholm-agreement/restore", url.Values{"version": {"1"}, "from": {"9"}}, http.StatusNotFound},
		{"GET", "/events/no-such-event/edit", nil, http.StatusNotFound},
		{"GET", "/events/no-such-event/history", nil, http.StatusNotFound},
		{"GET", "/events/2014-05-stockholm-agreement/history/99", nil, http.StatusNotFound},
		{"GET", "/events/2014-05-stockholm-agreement/history/x", nil, http.StatusNotFound},
	} {
		resp := env.request(tt.method, tt.path, tt.form, c)
		respBody(t, resp)
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
}

// The translated summaries are fields of the form: saved, shown again in
// the edit form marked with their language, and held to the summary's
// rules (length, footnotes), each problem beside its own field.
func TestEditTranslatedSummaries(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	form := eventFormValues()
	form.Set("summary_ja", "ストックホルムで日朝の当局者が会った[1]。")
	form.Set("summary_ko", "스톡홀름에서 북일 당국자들이 만났다[2].")
	resp := env.request("POST", "/events", form, c)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", resp.StatusCode)
	}
	e, err := env.store.GetEvent(context.Background(), "2014-05-stockholm-consultations")
	if err != nil {
		t.Fatal(err)
	}
	if e.SummaryJA != form.Get("summary_ja") || e.SummaryKO != form.Get("summary_ko") {
		t.Errorf("stored summaries %q, %q", e.SummaryJA, e.SummaryKO)
	}
	edit := respBody(t, env.request("GET", "/events/"+e.Slug+"/edit", nil, c))
	for _, want := range []string{`name="summary_ja" rows="3" lang="ja"`, `name="summary_ko" rows="3" lang="ko"`,
		">ストックホルムで日朝の当局者が会った[1]。</textarea>", ">스톡홀름에서 북일 당국자들이 만났다[2].</textarea>"} {
		if !strings.Contains(edit, want) {
			t.Errorf("edit form lacks %q", want)
		}
	}

	form.Set("slug", "bad-translations")
	form.Set("summary_ja", strings.Repeat("長", timeline.MaxSummary+1))
	form.Set("summary_ko", "출처가 없는 각주[3].")
	resp = env.request("POST", "/events", form, c)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad translations: status %d, want 422", resp.StatusCode)
	}
	for _, want := range []string{`href="#f-summary-ja"><strong>Summary in Japanese</strong>`, `href="#f-summary-ko"><strong>Summary in Korean</strong>`, "출처가 없는 각주[3].</textarea>"} {
		if !strings.Contains(b, want) {
			t.Errorf("422 page lacks %q", want)
		}
	}
}
