package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestRouteGroups holds each group of the route table to who may reach its
// routes and how their responses are cached.
func TestRouteGroups(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("ed", timeline.RoleEditor)
	env.addUser("ad", timeline.RoleAdmin)
	token, err := env.store.CreateToken(context.Background(), "ed", "test")
	if err != nil {
		t.Fatal(err)
	}
	cookies := map[string]*http.Cookie{"anonymous": nil, "editor": env.login("ed"), "admin": env.login("ad")}
	const public, private = "public, max-age=60, stale-while-revalidate=600", "private, no-store"
	slug := "2014-05-stockholm-agreement"
	for _, tt := range []struct {
		who, method, path string
		status            int
		cacheControl      string
		contentType       string // its prefix, when it matters
	}{
		// public: cached for everyone, private for the signed-in.
		{"anonymous", "GET", "/events", 200, public, "text/html"},
		{"anonymous", "HEAD", "/events/" + slug, 200, public, ""},
		{"editor", "GET", "/events", 200, private, "text/html"},
		{"anonymous", "GET", "/events?sig=9", 400, public, "text/html"},
		{"anonymous", "GET", "/nope", 404, public, "text/html"},
		// exports: cached like pages.
		{"anonymous", "GET", "/events.csv", 200, public, "text/csv"},
		{"editor", "GET", "/events.csv", 200, private, "text/csv"},
		// assets and probes: their own cache headers, no session.
		{"editor", "GET", "/healthz", 200, "", "text/plain"},
		{"editor", "GET", "/static/app.css", 200, "public, max-age=300", "text/css"},
		{"anonymous", "GET", "/api/v1/openapi.json", 200, "", "application/json"},
		// signin: never stored.
		{"anonymous", "GET", "/login", 200, private, "text/html"},
		// editor: signed-in editors; never stored.
		{"anonymous", "GET", "/events/new", 303, private, ""},
		{"anonymous", "POST", "/events", 303, private, ""},
		{"editor", "GET", "/events/new", 200, private, "text/html"},
		{"editor", "GET", "/events/" + slug + "/history", 200, private, "text/html"},
		{"editor", "GET", "/admin/deleted", 200, private, "text/html"},
		{"editor", "GET", "/import", 200, private, "text/html"},
		// admin: admins only.
		{"anonymous", "GET", "/admin/users", 303, private, ""},
		{"editor", "GET", "/admin/users", 403, private, "text/html"},
		{"admin", "GET", "/admin/users", 200, private, "text/html"},
		// apiRead: cached like pages; errors in JSON.
		{"anonymous", "GET", "/api/v1/events", 200, public, "application/json"},
		{"anonymous", "GET", "/api/v1/events/nope", 404, public, "application/json"},
		{"anonymous", "GET", "/api/v1/nope", 404, public, "application/json"},
		{"anonymous", "PATCH", "/api/v1/events", 405, "", "application/json"},
		// apiWrite: a bearer token; never stored.
		{"anonymous", "POST", "/api/v1/events", 401, private, "application/json"},
		{"editor", "DELETE", "/api/v1/events/" + slug, 401, private, "application/json"},
	} {
		t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
			resp := env.request(tt.method, tt.path, nil, cookies[tt.who])
			respBody(t, resp)
			if resp.StatusCode != tt.status {
				t.Errorf("status: got %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control: got %q, want %q", got, tt.cacheControl)
			}
			if got := resp.Header.Get("Content-Type"); len(got) < len(tt.contentType) || got[:len(tt.contentType)] != tt.contentType {
				t.Errorf("Content-Type: got %q, want %q…", got, tt.contentType)
			}
		})
	}
	// With a token, the API writes (and the response is never stored).
	resp := env.request("DELETE", "/api/v1/events/"+slug+"?version=1", nil, nil, "Authorization", "Bearer "+token)
	respBody(t, resp)
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		t.Errorf("DELETE with a token: got status %d, want 200 or 204", resp.StatusCode)
	}
	if got := resp.Header.Get("Cache-Control"); got != private {
		t.Errorf("DELETE with a token: Cache-Control got %q, want %q", got, private)
	}
}

// TestPageCacheByGroup: the public group keeps rendered pages, the export
// group streams and keeps nothing.
func TestPageCacheByGroup(t *testing.T) {
	env := newAuthEnv(t, Config{})
	for _, tt := range []struct {
		path         string
		first, again string
	}{
		{"/events?category=summit", "miss", "hit"},
		{"/api/v1/eras", "miss", "hit"},
		{"/events.csv?category=summit", "", ""},
	} {
		for i, want := range []string{tt.first, tt.again} {
			resp := env.request("GET", tt.path, nil, nil)
			respBody(t, resp)
			if got := resp.Header.Get("X-Cache"); got != want {
				t.Errorf("%s, request %d: X-Cache got %q, want %q", tt.path, i+1, got, want)
			}
		}
	}
}

// A method that a path's routes do not take is a 405 naming the ones they
// do (OPTIONS: 204 with them), not a 404 saying there is no page there;
// a path that is not routed stays 404 for every method.
func TestOtherMethodsAreNamed(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		method, path string
		status       int
		allow        string
		contentType  string
	}{
		{"OPTIONS", "/events", 204, "GET, HEAD, POST", ""},
		{"OPTIONS", "/ja/about", 204, "GET, HEAD", ""},
		{"DELETE", "/about", 405, "GET, HEAD", "text/html"},
		{"POST", "/ko/timeline", 405, "GET, HEAD", "text/html"},
		{"PATCH", "/api/v1/events", 405, "GET, HEAD, POST", "application/json"},
		{"PUT", "/events.csv", 405, "GET, HEAD", "text/html"},
		{"OPTIONS", "/nope", 404, "", "text/html"},
		{"DELETE", "/api/v1/nope", 404, "", "application/json"},
	} {
		resp, _ := ts.do(t, tt.method, tt.path, nil)
		what := tt.method + " " + tt.path
		wantEqual(t, what+": status", resp.StatusCode, tt.status)
		wantEqual(t, what+": Allow", resp.Header.Get("Allow"), tt.allow)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
			t.Errorf("%s: Content-Type got %q, want %q…", what, ct, tt.contentType)
		}
	}
}

// A page's address with a slash after it ("/about/", as people type it)
// is moved to the page, in its language and with its query; a path that
// is no page stays 404, and "//host/" never leads off the site.
func TestTrailingSlashesLeadToThePage(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		path, location string
		status         int
	}{
		{"/about/", "/about", 301},
		{"/events/", "/events", 301},
		{"/ja/events/?category=summit", "/ja/events?category=summit", 301},
		{"/ko/events/summit-2002/", "/ko/events/summit-2002", 301},
		{"/timeline//", "/timeline", 301},
		{"/ja/", "", 200},
		{"/", "", 200},
		{"/nope/", "", 404},
		{"//evil.example/", "", 404},
	} {
		resp, _ := ts.do(t, http.MethodGet, tt.path, nil)
		wantEqual(t, tt.path+": status", resp.StatusCode, tt.status)
		wantEqual(t, tt.path+": Location", resp.Header.Get("Location"), tt.location)
	}
}
