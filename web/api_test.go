package web

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

type apiErrorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// getJSON requests path and decodes the JSON answer into v.
func (env *shippedEnv) getJSON(t *testing.T, path string, v any) int {
	t.Helper()
	resp, body := env.do(t, "GET", path, nil)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type %q, body %s", path, ct, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	return resp.StatusCode
}

// editorToken makes an editor with an API token.
func (env *shippedEnv) editorToken(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := env.store.CreateUser(ctx, name, timeline.RoleEditor, "a long enough passphrase 42"); err != nil {
		t.Fatal(err)
	}
	tok, err := env.store.CreateToken(ctx, name, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAPIEventsFiltersAndLimits(t *testing.T) {
	env := newShippedEnv(t)
	var page apiEventPage
	if st := env.getJSON(t, "/api/v1/events?category=summit&category=negotiation&from=2002&limit=3", &page); st != 200 {
		t.Fatalf("status %d", st)
	}
	f := timeline.Filter{Categories: []timeline.Category{"summit", "negotiation"}, From: timeline.MustDate("2002")}
	if page.Total != env.count(t, f) || len(page.Events) != 3 || page.NextCursor == nil {
		t.Errorf("total %d (want %d), %d events, next %v", page.Total, env.count(t, f), len(page.Events), page.NextCursor)
	}
	for _, e := range page.Events {
		if (e.Category != "summit" && e.Category != "negotiation") || e.Latest() < 20020101 || len(e.Sources) == 0 {
			t.Errorf("event outside the filter or not whole: %+v", e)
		}
	}

	tests := []struct {
		path, field string
	}{
		{"/api/v1/events?limit=501", "limit"},
		{"/api/v1/events?limit=0", "limit"},
		{"/api/v1/events?limit=ten", "limit"},
		{"/api/v1/events?from=2014-13", "from"},
		{"/api/v1/events?actor=no-such-actor", "actor"},
		{"/api/v1/events?sort=random", "sort"},
		{"/api/v1/events?cursor=bogus", "cursor"},
		{"/api/v1/facets?sig=7", "sig"},
		{"/api/v1/changes?since=yesterday", "since"},
		{"/api/v1/changes?limit=1001", "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var e apiErrorBody
			if st := env.getJSON(t, tt.path, &e); st != http.StatusBadRequest {
				t.Errorf("status %d, want 400", st)
			}
			if e.Error.Code != "bad_request" || e.Error.Fields[tt.field] == "" {
				t.Errorf("error = %+v, want fields[%s]", e.Error, tt.field)
			}
		})
	}
}

func TestAPICursorPagingVisitsEveryEventOnce(t *testing.T) {
	env := newShippedEnv(t)
	seen := map[string]bool{}
	path := "/api/v1/events?limit=40"
	pages := 0
	var prev timeline.Event
	for {
		var page apiEventPage
		if st := env.getJSON(t, path, &page); st != 200 {
			t.Fatalf("status %d at %s", st, path)
		}
		pages++
		for _, e := range page.Events {
			if seen[e.Slug] {
				t.Errorf("%s listed twice", e.Slug)
			}
			seen[e.Slug] = true
			if prev.Slug != "" && e.Earliest() < prev.Earliest() {
				t.Errorf("%s before %s: not chronological", e.Slug, prev.Slug)
			}
			prev = e
		}
		if page.NextCursor == nil {
			break
		}
		path = "/api/v1/events?limit=40&cursor=" + *page.NextCursor
	}
	total := env.count(t, timeline.Filter{})
	if len(seen) != total || pages != (total+39)/40 {
		t.Errorf("visited %d events in %d pages, want %d", len(seen), pages, total)
	}
}

func TestAPIReadEndpoints(t *testing.T) {
	env := newShippedEnv(t)
	slug := firstSlug(t, env.store)
	var e timeline.Event
	if st := env.getJSON(t, "/api/v1/events/"+slug, &e); st != 200 || e.Slug != slug || e.Version < 1 {
		t.Errorf("event: status %d, %+v", st, e)
	}
	var actors struct{ Actors []timeline.ActorSummary }
	if st := env.getJSON(t, "/api/v1/actors", &actors); st != 200 || len(actors.Actors) < 10 {
		t.Errorf("actors: status %d, %d actors", st, len(actors.Actors))
	}
	var a timeline.ActorSummary
	if st := env.getJSON(t, "/api/v1/actors/abe-shinzo", &a); st != 200 || a.Name == "" || a.Events != env.count(t, timeline.Filter{Actors: []string{"abe-shinzo"}}) {
		t.Errorf("actor: status %d, %+v", st, a)
	}
	var eras struct{ Eras []timeline.Era }
	if st := env.getJSON(t, "/api/v1/eras", &eras); st != 200 || len(eras.Eras) == 0 {
		t.Errorf("eras: status %d", st)
	}
	var fac apiFacets
	if st := env.getJSON(t, "/api/v1/facets?from=2002&to=2002", &fac); st != 200 || fac.Total != env.count(t, timeline.Filter{From: timeline.MustDate("2002"), To: timeline.MustDate("2002")}) || len(fac.Categories) != len(timeline.Categories) {
		t.Errorf("facets: status %d, %+v", st, fac)
	}
	var ch struct {
		Changes    []timeline.ChangeRecord
		NextCursor *string `json:"next_cursor"`
	}
	if st := env.getJSON(t, "/api/v1/changes?since=2000-01-01T00:00:00Z&limit=5", &ch); st != 200 || len(ch.Changes) != 5 || ch.NextCursor == nil || ch.Changes[0].Action != "create" {
		t.Errorf("changes: status %d, %+v", st, ch)
	}

	for _, path := range []string{"/api/v1/events/no-such-event", "/api/v1/actors/no-such-actor", "/api/v1/nothing-here"} {
		var eb apiErrorBody
		if st := env.getJSON(t, path, &eb); st != 404 || eb.Error.Code != "not_found" || eb.Error.Message == "" {
			t.Errorf("%s: status %d, %+v", path, st, eb)
		}
	}
}

func TestAPIWritesNeedATokenAndAVersion(t *testing.T) {
	env := newShippedEnv(t)
	token := env.editorToken(t, "writer")
	auth := []string{"Authorization", "Bearer " + token, "Content-Type", "application/json"}
	newEvent := `{"start":"2030-01-15","title":"A test meeting","summary":"Officials met.","category":"negotiation","significance":1,
		"actors":[{"slug":"abe-shinzo","role":"host"}],"sources":[{"publisher":"Test wire","title":"Officials meet"}]}`

	// Without a token, or with a wrong one: 401 in JSON, nothing written.
	for _, h := range [][]string{{"Content-Type", "application/json"}, {"Authorization", "Bearer tl_wrong", "Content-Type", "application/json"}} {
		resp, body := env.do(t, "POST", "/api/v1/events", strings.NewReader(newEvent), h...)
		if resp.StatusCode != 401 || !strings.Contains(body, `"code":"unauthorized"`) {
			t.Errorf("POST with %v: status %d, %s", h, resp.StatusCode, body)
		}
	}
	if _, err := env.store.GetEvent(context.Background(), "2030-01-15-a-test-meeting"); err == nil {
		t.Fatal("an unauthenticated write was stored")
	}

	resp, body := env.do(t, "POST", "/api/v1/events", strings.NewReader(newEvent), auth...)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/api/v1/events/2030-01-15-a-test-meeting" {
		t.Fatalf("create: status %d, location %q, %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var created timeline.Event
	json.Unmarshal([]byte(body), &created)
	if created.Version != 1 || created.Actors[0].Name != "Abe Shinzō" {
		t.Errorf("created = %+v", created)
	}

	// Invalid content: 422 naming each field.
	resp, body = env.do(t, "POST", "/api/v1/events", strings.NewReader(`{"start":"2030","category":"party","significance":5}`), auth...)
	var eb apiErrorBody
	json.Unmarshal([]byte(body), &eb)
	if resp.StatusCode != 422 || eb.Error.Code != "invalid" || eb.Error.Fields["title"] == "" || eb.Error.Fields["category"] == "" || eb.Error.Fields["sources"] == "" {
		t.Errorf("invalid create: status %d, %s", resp.StatusCode, body)
	}
	resp, _ = env.do(t, "POST", "/api/v1/events", strings.NewReader(`{"title": `), auth...)
	if resp.StatusCode != 400 {
		t.Errorf("malformed JSON: status %d, want 400", resp.StatusCode)
	}

	// Update at the stored version, then again at the now stale one.
	created.Title = "A test meeting, renamed"
	b, _ := json.Marshal(created)
	resp, body = env.do(t, "PUT", "/api/v1/events/"+created.Slug, strings.NewReader(string(b)), auth...)
	if resp.StatusCode != 200 || !strings.Contains(body, `"version":2`) {
		t.Fatalf("update: status %d, %s", resp.StatusCode, body)
	}
	resp, body = env.do(t, "PUT", "/api/v1/events/"+created.Slug, strings.NewReader(string(b)), auth...)
	if resp.StatusCode != 409 || !strings.Contains(body, `"code":"conflict"`) {
		t.Errorf("stale update: status %d, %s", resp.StatusCode, body)
	}
	noVersion := strings.Replace(string(b), `"version":1`, `"version":0`, 1)
	if resp, _ := env.do(t, "PUT", "/api/v1/events/"+created.Slug, strings.NewReader(noVersion), auth...); resp.StatusCode != 422 {
		t.Errorf("update without version: status %d, want 422", resp.StatusCode)
	}
	missing := created
	missing.Slug = "no-such-event"
	mb, _ := json.Marshal(missing)
	if resp, _ := env.do(t, "PUT", "/api/v1/events/no-such-event", strings.NewReader(string(mb)), auth...); resp.StatusCode != 404 {
		t.Errorf("update of a missing event: status %d, want 404", resp.StatusCode)
	}

	// Delete: stale version 409, no version 400, right version 204.
	for _, tt := range []struct {
		query  string
		status int
	}{{"?version=1", 409}, {"", 400}, {"?version=2", 204}} {
		resp, body := env.do(t, "DELETE", "/api/v1/events/"+created.Slug+tt.query, nil, auth...)
		if resp.StatusCode != tt.status {
			t.Errorf("DELETE%s: status %d, want %d (%s)", tt.query, resp.StatusCode, tt.status, body)
		}
	}
	if resp, _ := env.do(t, "GET", "/api/v1/events/"+created.Slug, nil); resp.StatusCode != 404 {
		t.Errorf("deleted event: status %d, want 404", resp.StatusCode)
	}
	revs, err := env.store.Revisions(context.Background(), created.Slug)
	if err != nil || len(revs) != 3 || revs[0].Action != "delete" || revs[0].Author != "writer" {
		t.Errorf("revisions = %+v, %v", revs, err)
	}
}

// TestOpenAPIDocumentMatchesRoutes checks both ways: every operation of the
// document is routed, and every /api/v1 route is documented.
func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	env := newShippedEnv(t)
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if st := env.getJSON(t, "/api/v1/openapi.json", &doc); st != 200 || !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Servers) != 1 {
		t.Fatalf("status %d, openapi %q", st, doc.OpenAPI)
	}
	param := regexp.MustCompile(`\{([a-z]+)\}`)
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			documented = append(documented, strings.ToUpper(method)+" "+doc.Servers[0].URL+param.ReplaceAllString(path, ":$1"))
		}
	}
	var routed []string
	for _, r := range env.server.Echo().Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") && slices.Contains([]string{"GET", "POST", "PUT", "DELETE", "PATCH"}, r.Method) {
			routed = append(routed, r.Method+" "+r.Path)
		}
	}
	slices.Sort(documented)
	slices.Sort(routed)
	for _, d := range documented {
		if !slices.Contains(routed, d) {
			t.Errorf("documented but not routed: %s", d)
		}
	}
	for _, r := range routed {
		if !slices.Contains(documented, r) {
			t.Errorf("routed but not documented: %s", r)
		}
	}
	if len(routed) < 11 {
		t.Errorf("only %d API routes: %v", len(routed), routed)
	}
	resp, body := env.do(t, "GET", "/api", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "/api/v1/openapi.json") || !strings.Contains(body, "X-Citation") {
		t.Errorf("/api page: status %d", resp.StatusCode)
	}
}
