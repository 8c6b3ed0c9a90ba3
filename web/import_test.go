package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/export"
)

// editorCookie signs in a new editor and returns the session cookie header.
func (env *shippedEnv) editorCookie(t *testing.T, name string) string {
	t.Helper()
	return env.roleCookie(t, name, timeline.RoleEditor)
}

// roleCookie signs in a new user with role and returns the session cookie
// header.
func (env *shippedEnv) roleCookie(t *testing.T, name, role string) string {
	t.Helper()
	ctx := context.Background()
	u, err := env.store.CreateUser(ctx, name, role, "a long enough passphrase 42")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := env.store.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sessionCookie + "=" + tok
}

// upload posts a file and form fields to /import as multipart.
func (env *shippedEnv) upload(t *testing.T, cookie, name, content string, fields map[string]string) (int, string) {
	t.Helper()
	return env.uploadTo(t, "/import", cookie, name, content, fields)
}

// uploadTo posts a file and form fields to path as multipart.
func (env *shippedEnv) uploadTo(t *testing.T, path, cookie, name, content string, fields map[string]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	resp, body := env.do(t, "POST", path, &buf, "Content-Type", mw.FormDataContentType(), "Cookie", cookie)
	return resp.StatusCode, body
}

var tokenRE = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)

func TestImportPageNeedsAnEditor(t *testing.T) {
	env := newShippedEnv(t)
	resp, _ := env.do(t, "GET", "/import", nil)
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous GET /import: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = env.do(t, "POST", "/import/confirm", strings.NewReader("token=x"), "Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != 401 {
		t.Errorf("anonymous confirm: status %d, want 401", resp.StatusCode)
	}
	resp, body := env.do(t, "GET", "/import", nil, "Cookie", env.editorCookie(t, "ed"))
	if resp.StatusCode != 200 || !strings.Contains(body, `data-testid="import-form"`) {
		t.Errorf("editor GET /import: status %d", resp.StatusCode)
	}
}

func TestImportCheckThenConfirm(t *testing.T) {
	env := newShippedEnv(t)
	ctx := context.Background()
	cookie := env.editorCookie(t, "analyst")
	slug := firstSlug(t, env.store)
	file := "slug,start,title,category,significance,summary,actors,source_urls\r\n" +
		slug + ",,,,,,,\r\n" // an all-but-empty row: start, title… are required
	before, _ := env.store.DataVersion(ctx)

	status, body := env.upload(t, cookie, "bad.csv", file, nil)
	if status != 422 || !strings.Contains(body, `data-testid="import-problems"`) || !strings.Contains(body, "line 2") {
		t.Fatalf("bad file: status %d, problems shown: %v", status, strings.Contains(body, "import-problems"))
	}
	if tokenRE.MatchString(body) {
		t.Error("a file with problems can be confirmed")
	}

	file = "slug,start,title,category,significance,summary,actors,source_urls\r\n" +
		"web-import-test,2031-02,Imported through the web,statement,1,\"Imported, with a comma.\",abe-shinzo,https://example.org/w\r\n"
	status, body = env.upload(t, cookie, "good.csv", file, nil)
	m := tokenRE.FindStringSubmatch(body)
	if status != 200 || m == nil || !strings.Contains(body, "1 event created") {
		t.Fatalf("good file: status %d, token %v", status, m)
	}
	if after, _ := env.store.DataVersion(ctx); after != before {
		t.Fatal("the check wrote to the database")
	}

	// Another editor cannot confirm someone else's upload.
	other := env.editorCookie(t, "other")
	resp, _ := env.do(t, "POST", "/import/confirm", strings.NewReader(url.Values{"token": {m[1]}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", other)
	if resp.StatusCode != 410 {
		t.Errorf("confirm by another editor: status %d, want 410", resp.StatusCode)
	}
	resp, body = env.do(t, "POST", "/import/confirm", strings.NewReader(url.Values{"token": {m[1]}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie)
	if resp.StatusCode != 200 || !strings.Contains(body, `data-testid="import-done"`) {
		t.Fatalf("confirm: status %d", resp.StatusCode)
	}
	e, err := env.store.GetEvent(ctx, "web-import-test")
	if err != nil {
		t.Fatal(err)
	}
	if e.Summary != "Imported, with a comma." || e.Sources[0].URL != "https://example.org/w" || e.Sources[0].Publisher != "example.org" {
		t.Errorf("imported event = %+v", e)
	}
	revs, _ := env.store.Revisions(ctx, e.Slug)
	if revs[0].Author != "analyst" || revs[0].Summary != "import of good.csv" {
		t.Errorf("revision = %+v, want one by analyst", revs[0])
	}
	// The token is used up.
	resp, _ = env.do(t, "POST", "/import/confirm", strings.NewReader(url.Values{"token": {m[1]}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie)
	if resp.StatusCode != 410 {
		t.Errorf("second confirm: status %d, want 410", resp.StatusCode)
	}
}

func TestImportTimelineJSNeedsDefaults(t *testing.T) {
	env := newShippedEnv(t)
	cookie := env.editorCookie(t, "ed")
	sheet := "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
	for i := 1; i <= 3; i++ {
		sheet += fmt.Sprintf("2032,%d,1,,,,,,,Sheet event %d,Text %d,,,,,,Elections,\n", i, i, i)
	}
	status, body := env.upload(t, cookie, "sheet.csv", sheet, nil)
	if status != 422 || strings.Count(body, "Group") < 3 || !strings.Contains(body, "line 4") {
		t.Errorf("sheet without defaults: status %d", status)
	}
	status, body = env.upload(t, cookie, "sheet.csv", sheet, map[string]string{"default_category": "domestic-politics",
		"default_significance": "1", "source_publisher": "A sheet", "source_title": "Shared timeline"})
	if status != 200 || !tokenRE.MatchString(body) || !strings.Contains(body, "3 events created") {
		t.Errorf("sheet with defaults: status %d", status)
	}
	status, body = env.upload(t, cookie, "sheet.csv", sheet, map[string]string{"source_publisher": "only half"})
	if status != 422 || !strings.Contains(body, "together") {
		t.Errorf("half a source: status %d", status)
	}
}

// The check lists what the import would do to each event: created,
// updated with the fields that change, or unchanged.
func TestImportCheckListsEachEvent(t *testing.T) {
	env := newShippedEnv(t)
	cookie := env.editorCookie(t, "lister")
	e, err := env.store.GetEvent(context.Background(), firstSlug(t, env.store))
	if err != nil {
		t.Fatal(err)
	}
	file := "slug,start,title,category,significance,summary,source_urls\r\n" +
		e.Slug + "," + e.Start.String() + ",A changed <title>," + string(e.Category) + "," + strconv.Itoa(e.Significance) + ",\"" + strings.ReplaceAll(e.Summary, `"`, `""`) + "\"," + strings.Join(sourceURLs(e), export.ListSep) + "\r\n" +
		"web-list-test,2031-03,Listed,statement,1,New,https://example.org/l\r\n"
	status, body := env.upload(t, cookie, "list.csv", file, nil)
	if status != 200 || !strings.Contains(body, `data-testid="import-events"`) {
		t.Fatalf("status %d, per-event list shown: %v", status, strings.Contains(body, "import-events"))
	}
	for _, want := range []string{
		`<tr data-action="updated"><td>line 2</td><td><code>` + e.Slug + `</code></td><td>updated: title</td>`,
		`<tr data-action="created"><td>line 3</td><td><code>web-list-test</code></td><td>created</td>`,
	} {
		wantContains(t, fmt.Sprintf("the check lacks %s in\n%s", want, body[strings.Index(body, "import-events"):]), body, want)
	}
}

func sourceURLs(e timeline.Event) []string {
	var out []string
	for _, s := range e.Sources {
		if s.URL != "" {
			out = append(out, s.URL)
		}
	}
	return out
}
