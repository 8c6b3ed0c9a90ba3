package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/japan-dprk/timeline/web/apiclient"
)

// loadOpenAPI fetches the served document and checks that it is a valid
// OpenAPI 3 document, with its server set to the test server.
func loadOpenAPI(t *testing.T, env *shippedEnv) *openapi3.T {
	t.Helper()
	resp, body := env.do(t, "GET", "/api/v1/openapi.json", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/openapi.json: %d", resp.StatusCode)
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: env.url + "/api/v1"}}
	return doc
}

// Real requests and the server's real responses match the document: every
// request the document allows is answered with a status it lists and a
// body of its schema, and a request it forbids gets a documented error.
func TestAPITrafficMatchesTheOpenAPIDocument(t *testing.T) {
	env := newShippedEnv(t)
	doc := loadOpenAPI(t, env)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	token := env.editorToken(t, "conformance")
	slug := firstSlug(t, env.store)
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}

	// send sends a request, checks it against the document when the
	// document allows it (valid), checks the response in any case, and
	// returns the status and body.
	send := func(method, path, body string, auth, valid bool) (int, []byte) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, env.url+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: not in the document: %v", method, path, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if body != "" {
			// Validation reads the body: give the request a fresh copy.
			defer func() { req.Body = io.NopCloser(strings.NewReader(body)) }()
		}
		verr := openapi3filter.ValidateRequest(context.Background(), in)
		if valid && verr != nil {
			t.Errorf("%s %s: the document refuses a request the server serves: %v", method, path, verr)
		} else if !valid && verr == nil {
			t.Errorf("%s %s: the document allows a request meant to be invalid", method, path)
		}
		if body != "" {
			req.Body = io.NopCloser(strings.NewReader(body))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: opts}
		out.SetBodyBytes(got)
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("%s %s: the %d response does not match the document: %v\n%.400s", method, path, resp.StatusCode, err, got)
		}
		return resp.StatusCode, got
	}

	for _, path := range []string{
		"/api/v1/events",
		"/api/v1/events?category=summit&category=negotiation&from=2000&to=2010-06&limit=5",
		"/api/v1/events?actor=abe-shinzo&sig=2&sort=date",
		"/api/v1/events?q=abduction&sort=relevance&limit=3",
		"/api/v1/events/" + slug,
		"/api/v1/actors",
		"/api/v1/actors/abe-shinzo",
		"/api/v1/eras",
		"/api/v1/facets",
		"/api/v1/facets?category=summit&tag=abductions",
		"/api/v1/changes",
		"/api/v1/changes?limit=2",
		"/api/v1/openapi.json",
	} {
		if status, body := send("GET", path, "", false, true); status != 200 {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	// Documented errors.
	for _, tt := range []struct {
		path   string
		status int
		valid  bool
	}{
		{"/api/v1/events/no-such-event", 404, true},
		{"/api/v1/actors/no-such-actor", 404, true},
		{"/api/v1/events?limit=900", 400, false},
		{"/api/v1/events?from=2014-13", 400, true},
	} {
		if status, body := send("GET", tt.path, "", false, tt.valid); status != tt.status {
			t.Errorf("GET %s: %d, want %d: %s", tt.path, status, tt.status, body)
		}
	}

	// Writes, with actors given as {slug, role} as the README says.
	newEvent := `{"start":"2030-01-15","title":"A conformance meeting","summary":"Officials met.","category":"negotiation","significance":1,
		"actors":[{"slug":"abe-shinzo","role":"host"}],"sources":[{"publisher":"Test wire","title":"Officials meet"}]}`
	if status, body := send("POST", "/api/v1/events", newEvent, false, true); status != 401 {
		t.Errorf("POST without a token: %d %s", status, body)
	}
	status, body := send("POST", "/api/v1/events", newEvent, true, true)
	if status != 201 {
		t.Fatalf("POST: %d %s", status, body)
	}
	var created map[string]any
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	created["title"] = "A conformance meeting, renamed"
	put, _ := json.Marshal(created)
	newSlug := created["slug"].(string)
	if status, body := send("PUT", "/api/v1/events/"+newSlug, string(put), true, true); status != 200 {
		t.Errorf("PUT: %d %s", status, body)
	}
	if status, body := send("PUT", "/api/v1/events/"+newSlug, string(put), true, true); status != 409 {
		t.Errorf("stale PUT: %d %s", status, body)
	}
	if status, body := send("POST", "/api/v1/events", `{"start":"2030","title":"x","summary":"y","category":"party","significance":3,"sources":[]}`, true, false); status != 422 {
		t.Errorf("invalid POST: %d %s", status, body)
	}
	if status, body := send("DELETE", "/api/v1/events/"+newSlug+"?version=2", "", true, true); status != 204 {
		t.Errorf("DELETE: %d %s", status, body)
	}
}

// The client that oapi-codegen generates from the document, with its
// default configuration (package apiclient), talks to the real server.
func TestGeneratedClientTalksToTheServer(t *testing.T) {
	env := newShippedEnv(t)
	ctx := context.Background()
	token := env.editorToken(t, "generated")
	c, err := apiclient.NewClientWithResponses(env.url+"/api/v1", apiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	limit := 5
	cats := []apiclient.Category{"summit"}
	list, err := c.ListEventsWithResponse(ctx, &apiclient.ListEventsParams{Category: &cats, Limit: &limit})
	if err != nil || list.JSON200 == nil || len(list.JSON200.Events) == 0 {
		t.Fatalf("list: %v, status %d, %s", err, list.StatusCode(), list.Body)
	}
	for _, e := range list.JSON200.Events {
		if e.Category != "summit" {
			t.Errorf("event %v in category %q", e.Slug, e.Category)
		}
	}
	role := "host"
	sumJA, sumKO := "動作する。", "작동한다."
	created, err := c.CreateEventWithResponse(ctx, apiclient.Event{
		Start: "2030-02-01", Title: "Made by the generated client", Summary: "It works.", Category: "negotiation", Significance: 1,
		SummaryJa: &sumJA, SummaryKo: &sumKO,
		Actors:  &[]apiclient.EventActor{{Slug: "abe-shinzo", Role: &role}},
		Sources: []apiclient.Source{{Publisher: "Test wire", Title: "Generated"}},
	})
	if err != nil || created.JSON201 == nil {
		t.Fatalf("create: %v, status %d, %s", err, created.StatusCode(), created.Body)
	}
	got := *created.JSON201
	if got.Slug == nil || got.Version == nil || *got.Version != 1 || got.Actors == nil || (*got.Actors)[0].Name == nil || *(*got.Actors)[0].Name != "Abe Shinzō" {
		t.Errorf("created = %+v", got)
	}
	one, err := c.GetEventWithResponse(ctx, *got.Slug, nil)
	if err != nil || one.JSON200 == nil || one.JSON200.Title != "Made by the generated client" {
		t.Errorf("get: %v, status %d", err, one.StatusCode())
	} else if j, k := one.JSON200.SummaryJa, one.JSON200.SummaryKo; j == nil || k == nil || *j != sumJA || *k != sumKO {
		t.Errorf("get: summaries %v, %v, want %q, %q", j, k, sumJA, sumKO)
	}
	missing, err := c.GetEventWithResponse(ctx, "no-such-event", nil)
	if err != nil || missing.StatusCode() != 404 || !bytes.Contains(missing.Body, []byte(`"code":"not_found"`)) {
		t.Errorf("missing: %v, status %d, %s", err, missing.StatusCode(), missing.Body)
	}
}
