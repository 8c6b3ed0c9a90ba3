package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

var refRE = regexp.MustCompile(`^/corrections/([0-9A-Z]{4}-[0-9A-Z]{4})\?sent=1$`)

// TestCorrectionFromFormToRevision: a reader's suggestion goes from the
// public form (reference given) to the editors' queue to an edit whose
// revision records it; the public sees each status, never the contact.
func TestCorrectionFromFormToRevision(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	const slug = "2002-09-17-koizumi-visits-pyongyang"
	page := respBody(t, env.request("GET", "/events/"+slug, nil, nil))
	if !strings.Contains(page, `href="/events/`+slug+`/correct"`) {
		t.Fatal("the event page has no Suggest a correction link")
	}
	form := respBody(t, env.request("GET", "/events/"+slug+"/correct", nil, nil))
	if !wantContains(t, "the form lacks its fields", form, `name="website"`) || !wantContains(t, "the form lacks its fields", form, `name="evidence"`) {
		t.FailNow()
	}
	// Evidence is required; what was typed is kept.
	resp := env.request("POST", "/events/"+slug+"/correct", url.Values{"what": {"The summit was on the 17th <b>"}}, nil)
	b := respBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `data-testid="problem-evidence"`) || !strings.Contains(b, "The summit was on the 17th &lt;b&gt;") {
		t.Errorf("no evidence: got %d", resp.StatusCode)
	}
	v := url.Values{"what": {"The title should say it was a one-day visit."}, "evidence": {"https://www.mofa.go.jp/region/asia-paci/n_korea/pmv0209/"},
		"name": {"Hana"}, "contact": {"hana@example.org"}}
	resp = env.request("POST", "/events/"+slug+"/correct", v, nil)
	respBody(t, resp)
	m := refRE.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("send: got %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	ref := m[1]
	status := respBody(t, env.request("GET", resp.Header.Get("Location"), nil, nil))
	if !strings.Contains(status, `data-testid="correction-ref">`+ref) || !strings.Contains(status, "Open: waiting for an editor") || strings.Contains(status, "hana@example.org") {
		t.Errorf("status page: %s", status)
	}
	// Found by its reference as typed.
	resp = env.request("GET", "/corrections?ref="+strings.ToLower(strings.ReplaceAll(ref, "-", "")), nil, nil)
	respBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/corrections/"+ref {
		t.Errorf("lookup: got %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := env.request("GET", "/corrections?ref=ZZZZ-ZZZZ", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown reference: got %d", resp.StatusCode)
	}
	// The queue is for editors, with the contact.
	if resp := env.request("GET", "/admin/corrections", nil, nil); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
		t.Errorf("queue without signing in: got %d", resp.StatusCode)
	}
	c := env.login("alice")
	queue := respBody(t, env.request("GET", "/admin/corrections", nil, c))
	if !strings.Contains(queue, ref) || !strings.Contains(queue, "hana@example.org") || !strings.Contains(queue, `/events/`+slug+`/edit?correction=`+ref) {
		t.Errorf("queue: %s", queue)
	}
	// Accept: the edit form shows the suggestion; saving records it.
	edit := respBody(t, env.request("GET", "/events/"+slug+"/edit?correction="+ref, nil, c))
	if !strings.Contains(edit, `data-testid="correction-box"`) || !strings.Contains(edit, `name="correction" value="`+ref+`"`) {
		t.Fatal("the edit form does not carry the correction")
	}
	e, _ := env.store.GetEvent(context.Background(), slug)
	fv := url.Values{"op": {"save"}, "version": {"1"}, "correction": {ref}, "start": {e.Start.String()}, "title": {"Koizumi visits Pyongyang for one day"},
		"summary": {e.Summary}, "category": {string(e.Category)}, "significance": {"3"}, "actors[0].slug": {"japan"}, "actors[0].role": {"party"},
		"sources[0].publisher": {"MOFA"}, "sources[0].title": {"Bluebook"}, "sources[0].url": {"https://www.mofa.go.jp/"}, "sources[0].language": {"en"},
		"edit_summary": {"a reader's correction"}}
	resp = env.request("POST", "/events/"+slug+"/edit", fv, c)
	if b := respBody(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: got %d: %s", resp.StatusCode, b)
	}
	revs, _ := env.store.Revisions(context.Background(), slug)
	if revs[0].Correction != ref || revs[0].Author != "alice" {
		t.Errorf("revision: got %+v", revs[0])
	}
	hist := respBody(t, env.request("GET", "/events/"+slug+"/history", nil, c))
	if !strings.Contains(hist, `(applies correction <a href="/corrections/`+ref+`">`+ref+`</a>)`) {
		t.Error("the history does not name the correction")
	}
	status = respBody(t, env.request("GET", "/corrections/"+ref, nil, nil))
	if !strings.Contains(status, "Accepted: the event was corrected") || !strings.Contains(status, "version 2 of the event") {
		t.Errorf("status after acceptance: %s", status)
	}
	// A second acceptance is refused beside the form.
	if resp := env.request("GET", "/events/"+slug+"/edit?correction="+ref, nil, c); resp.StatusCode != http.StatusConflict {
		t.Errorf("editing with an accepted correction: got %d, want 409", resp.StatusCode)
	}
	// Decline another, with a reason that the public sees.
	v.Set("what", "It was in Tokyo.")
	resp = env.request("POST", "/events/"+slug+"/correct", v, nil)
	respBody(t, resp)
	ref2 := refRE.FindStringSubmatch(resp.Header.Get("Location"))[1]
	resp = env.request("POST", "/admin/corrections/"+ref2+"/decline", url.Values{"reason-" + ref2: {""}}, c)
	if b := respBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "is required") {
		t.Errorf("decline without a reason: got %d", resp.StatusCode)
	}
	resp = env.request("POST", "/admin/corrections/"+ref2+"/decline", url.Values{"reason-" + ref2: {"The sources place it in Pyongyang."}}, c)
	respBody(t, resp)
	status = respBody(t, env.request("GET", "/corrections/"+ref2, nil, nil))
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(status, "Declined") || !strings.Contains(status, "The sources place it in Pyongyang.") {
		t.Errorf("decline: got %d: %s", resp.StatusCode, status)
	}
}

// TestCorrectionFormDefences: the honeypot and the rate limit refuse,
// storing nothing; over-long fields are refused naming the field.
func TestCorrectionFormDefences(t *testing.T) {
	env := newAuthEnv(t, Config{})
	const path = "/events/2014-05-stockholm-agreement/correct"
	v := url.Values{"what": {"x"}, "evidence": {"y"}, "website": {"http://spam.example"}}
	resp := env.request("POST", path, v, nil)
	if b := respBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "Leave this field empty") {
		t.Errorf("honeypot: got %d", resp.StatusCode)
	}
	v.Del("website")
	v.Set("what", strings.Repeat("a", timeline.MaxCorrectionText+1))
	resp = env.request("POST", path, v, nil)
	if b := respBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `data-testid="problem-what"`) {
		t.Errorf("too long: got %d", resp.StatusCode)
	}
	v.Set("what", "x")
	for i := range correctionsPerAddress {
		resp = env.request("POST", path, v, nil)
		respBody(t, resp)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("suggestion %d: got %d", i+1, resp.StatusCode)
		}
	}
	resp = env.request("POST", path, v, nil)
	if b := respBody(t, resp); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(b, "Too many suggestions") {
		t.Errorf("over the limit: got %d", resp.StatusCode)
	}
	open, _ := env.store.ListCorrections(context.Background(), timeline.CorrectionOpen, 100)
	if len(open) != correctionsPerAddress {
		t.Errorf("stored %d, want %d", len(open), correctionsPerAddress)
	}
	if resp := env.request("GET", "/events/no-such-event/correct", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown event: got %d", resp.StatusCode)
	}
}
