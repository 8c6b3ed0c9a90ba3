package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestRouteWordsAreReservedSlugs: every fixed word of every route is a
// reserved slug, so that no event, actor or era can take an address the
// site uses (an event called "new" would be hidden by /events/new).
func TestRouteWordsAreReservedSlugs(t *testing.T) {
	env := newAuthEnv(t, Config{FilesDir: t.TempDir()})
	for _, r := range env.server.Echo().Routes() {
		for _, seg := range strings.Split(r.Path, "/") {
			if seg == "" || strings.HasPrefix(seg, ":") || seg == "*" || strings.Contains(seg, ".") {
				continue
			}
			if !slices.Contains(timeline.ReservedSlugs, seg) {
				t.Errorf("route %s %s: %q is not in timeline.ReservedSlugs", r.Method, r.Path, seg)
			}
		}
	}
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	form := eventFormValues()
	form.Set("slug", "new")
	resp := env.request("POST", "/events", form, c)
	if b := respBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "choose another slug") {
		t.Errorf("slug new: status %d, want 422 naming the slug", resp.StatusCode)
	}
}

// TestTextInputsAreChecked: edit and delete summaries, titles and import
// file names refuse invalid UTF-8 and control characters, naming the field.
func TestTextInputsAreChecked(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", timeline.RoleEditor)
	c := env.login("alice")
	for _, tt := range []struct{ field, value, want string }{
		{"edit_summary", "ok\x00", "edit_summary"},
		{"edit_summary", "ok\xff", "edit_summary"},
		{"edit_summary", strings.Repeat("x", timeline.MaxShort+1), "edit_summary"},
		{"title", "Stockholm\x1b[2J", "title"},
	} {
		form := eventFormValues()
		form.Set(tt.field, tt.value)
		resp := env.request("POST", "/events", form, c)
		b := respBody(t, resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `data-testid="problem-`+tt.want+`"`) {
			t.Errorf("%s %q: status %d, want 422 with the problem beside %s", tt.field, tt.value, resp.StatusCode, tt.want)
		}
	}
	slug := "2014-05-stockholm-agreement"
	resp := env.request("POST", "/events/"+slug+"/delete", url.Values{"version": {"1"}, "edit_summary": {"bye\x1b"}}, c)
	if b := respBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "edit_summary") {
		t.Errorf("delete with a control character in the summary: status %d, want 422 naming edit_summary", resp.StatusCode)
	}
	if _, err := env.store.GetEvent(t.Context(), slug); err != nil {
		t.Errorf("the event was deleted: %v", err)
	}
}

// TestAPIRefusesInvalidText: the JSON API refuses a body that is not valid
// UTF-8 (instead of replacing the bad bytes), lone surrogates and control
// characters, naming what is wrong.
func TestAPIRefusesInvalidText(t *testing.T) {
	env := newShippedEnv(t)
	tok := env.editorToken(t, "alice")
	event := `{"start":"2014-05","title":"TITLE","summary":"Officials met.","category":"negotiation","significance":2,` +
		`"sources":[{"publisher":"MOFA","title":"Consultations","language":"en"}]}`
	for _, tt := range []struct {
		name, title string
		status      int
		want        string
	}{
		{"invalid UTF-8", "Talks \xff\xfe", http.StatusBadRequest, "UTF-8"},
		{"lone surrogate", `Talks \ud800`, http.StatusBadRequest, "surrogate"},
		{"escape character", `Talks \u001b[2J`, http.StatusUnprocessableEntity, `"title"`},
		{"NUL", `Talks \u0000`, http.StatusUnprocessableEntity, `"title"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.do(t, "POST", "/api/v1/events", strings.NewReader(strings.Replace(event, "TITLE", tt.title, 1)),
				"Authorization", "Bearer "+tok, "Content-Type", "application/json")
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, body %s; want %d mentioning %s", resp.StatusCode, body, tt.status, tt.want)
			}
		})
	}
}

// TestImportFileNameIsChecked: an upload's file name becomes part of every
// revision's summary, so it follows the same rules.
func TestImportFileNameIsChecked(t *testing.T) {
	env := newShippedEnv(t)
	cookie := env.editorCookie(t, "alice")
	for _, name := range []string{"bad\xffname.json", strings.Repeat("n", 300) + ".json"} {
		status, body := env.upload(t, cookie, name, `{"events":[]}`, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "file name") {
			t.Errorf("file name %q: status %d, want 422 naming the file name", name, status)
		}
	}
	// A control character arrives percent-encoded (RFC 7578 filename*).
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename*=UTF-8''bad%1Bname%00.json`)
	fw, _ := mw.CreatePart(h)
	fw.Write([]byte(`{"events":[]}`))
	mw.Close()
	resp, body := env.do(t, "POST", "/import", &buf, "Content-Type", mw.FormDataContentType(), "Cookie", cookie)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "file name") {
		t.Errorf("file name with ESC and NUL: status %d, want 422 naming the file name", resp.StatusCode)
	}
}
