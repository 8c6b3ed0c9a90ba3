package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

func TestConditionalRequestsAndPageCache(t *testing.T) {
	ts := newTestServer(t)
	status, h, body := ts.get(t, "/events?category=summit")
	etag, lastMod := h.Get("ETag"), h.Get("Last-Modified")
	wantEqual(t, "first: status", status, 200)
	wantEqual(t, "first: has ETag", etag != "", true)
	wantEqual(t, "first: has Last-Modified", lastMod != "", true)
	wantEqual(t, "first: Cache-Control", h.Get("Cache-Control"), publicCacheControl)
	wantEqual(t, "first: X-Cache", h.Get("X-Cache"), "miss")
	status, h, again := ts.get(t, "/events?category=summit")
	wantEqual(t, "second: status", status, 200)
	wantEqual(t, "second: X-Cache", h.Get("X-Cache"), "hit")
	wantEqual(t, "second: same body", again == body, true)
	wantEqual(t, "cached page: Content-Security-Policy", h.Get("Content-Security-Policy"), contentSecurityPolicy)
	wantEqual(t, "cached page: has X-Request-ID", h.Get("X-Request-ID") != "", true)
	status, _, _ = ts.get(t, "/events?category=summit", "If-None-Match", etag)
	wantEqual(t, "If-None-Match: status", status, http.StatusNotModified)
	status, _, _ = ts.get(t, "/events?category=summit", "If-Modified-Since", lastMod)
	wantEqual(t, "If-Modified-Since: status", status, http.StatusNotModified)
	_, h, _ = ts.get(t, "/events?category=summit", "HX-Request", "true")
	wantEqual(t, "partial: its ETag differs from the full page's", h.Get("ETag") != etag, true)

	// A write by another process (a second store on the same file, as
	// `timeline import` would be) changes the validators and empties the
	// page cache.
	other, err := timeline.Open(context.Background(), ts.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	e := fixture().Events[0]
	e.Slug, e.Title = "another-summit", "Another summit"
	e.Category = "summit"
	e.Actors = []timeline.EventActor{{Actor: timeline.Actor{Slug: "abe-shinzo"}, Role: "host"}}
	if err := other.CreateEvent(context.Background(), &e, timeline.Change{Author: "other"}); err != nil {
		t.Fatal(err)
	}
	status, h, body = ts.get(t, "/events?category=summit", "If-None-Match", etag)
	wantEqual(t, "after another process wrote: status", status, 200)
	wantEqual(t, "after another process wrote: new ETag", h.Get("ETag") != etag, true)
	wantEqual(t, "after another process wrote: X-Cache", h.Get("X-Cache"), "miss")
	wantEqual(t, "after another process wrote: lists another-summit", strings.Contains(body, "another-summit"), true)
}

func TestSignedInPagesAreNeverCached(t *testing.T) {
	env := newAuthEnv(t, Config{})
	env.addUser("alice", "editor")
	cookie := env.login("alice")
	for range 2 {
		resp := env.request(http.MethodGet, "/events", nil, cookie)
		resp.Body.Close()
		wantEqual(t, "signed-in page: Cache-Control", resp.Header.Get("Cache-Control"), "private, no-store")
		wantEqual(t, "signed-in page: ETag", resp.Header.Get("ETag"), "")
		wantEqual(t, "signed-in page: X-Cache", resp.Header.Get("X-Cache"), "")
	}
}

func TestCompression(t *testing.T) {
	ts := newTestServer(t)
	_, _, plain := ts.get(t, "/events")
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
	for _, path := range []string{"/events", "/events.csv", "/api/v1/events?limit=3"} {
		for enc, dec := range decoders {
			t.Run(enc+path, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodGet, ts.url+path, nil)
				req.Header.Set("Accept-Encoding", enc)
				resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				vary := strings.Join(resp.Header.Values("Vary"), ", ")
				if !wantEqual(t, "Content-Encoding", resp.Header.Get("Content-Encoding"), enc) {
					return
				}
				wantEqual(t, "Vary names Accept-Encoding", strings.Contains(vary, "Accept-Encoding"), true)
				r, err := dec(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(r)
				if err != nil {
					t.Fatalf("decompress: %v", err)
				}
				if path == "/events" {
					wantEqual(t, "decompressed page equals the plain one", string(body) == plain, true)
				}
				wantEqual(t, fmt.Sprintf("compressed %d bytes to fewer", len(body)), len(raw) < len(body), true)
			})
		}
	}
	_, h, _ := ts.get(t, "/events", "Accept-Encoding", "identity")
	wantEqual(t, "identity: Content-Encoding", h.Get("Content-Encoding"), "")
}

func TestRequestIDs(t *testing.T) {
	ts := newTestServer(t)
	_, h, _ := ts.get(t, "/healthz", "X-Request-ID", "proxy-id-42")
	wantEqual(t, "a proxy's X-Request-ID", h.Get("X-Request-ID"), "proxy-id-42")
	_, h, _ = ts.get(t, "/healthz", "X-Request-ID", "<bad id>")
	if id := h.Get("X-Request-ID"); id == "" || id == "<bad id>" {
		t.Errorf("bad incoming ID answered with %q", id)
	}
}

func TestSlowQueriesAreCancelled(t *testing.T) {
	ctx := context.Background()
	store, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "slow.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := synth.Fill(ctx, store, synth.Options{Events: 20000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	ts := newTestEnv(t, withConfig(Config{Store: store, QueryTimeout: time.Microsecond}))
	status, _, body := ts.get(t, "/events?q=japan&from=1950")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "took too long") {
		t.Errorf("status %d; page does not tell the reader to narrow the search", status)
	}
}

func TestHeadAnswersLikeGet(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/events", "/events/summit-2002", "/events.csv", "/api/v1/events"} {
		req, _ := http.NewRequest(http.MethodHead, ts.url+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") == "" || len(body) != 0 {
			t.Errorf("HEAD %s: %d %q, %d bytes of body", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		// The connection is still usable: no body was left on it.
		if status, _, _ := ts.get(t, path); status != http.StatusOK {
			t.Errorf("GET %s after HEAD: %d", path, status)
		}
	}
}

// TestTooBroadSearches: a word found in more events than can be counted
// quickly still lists them, without counts, at once.
func TestTooBroadSearches(t *testing.T) {
	ctx := context.Background()
	store, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "broad.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := synth.Fill(ctx, store, synth.Options{Events: 24000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	ts := newTestEnv(t, withConfig(Config{Store: store}))
	status, _, body := ts.get(t, "/events?q=japan")
	if status != http.StatusOK || !strings.Contains(body, "Too many matches to count quickly") || len(listedSlugs(body)) != 50 {
		t.Errorf("list: status %d, %d events listed", status, len(listedSlugs(body)))
	}
	if status, _, body := ts.get(t, "/api/v1/facets?q=japan"); status != http.StatusBadRequest || !strings.Contains(body, `"q"`) {
		t.Errorf("API facets: status %d: %.200s", status, body)
	}
	if status, _, body := ts.get(t, "/timeline?q=japan"); status != http.StatusBadRequest || !strings.Contains(body, "narrow the search") {
		t.Errorf("timeline: status %d", status)
	}
	if status, _, _ := ts.get(t, "/events?q=zanzibar"); status != http.StatusOK {
		t.Errorf("rare word: status %d", status)
	}
}

// TestReadOnlyReplicaServer serves a replica of the fixture database: it
// reads what the primary writes, sends writes and sign-in to the primary,
// and never writes its file.
func TestReadOnlyReplicaServer(t *testing.T) {
	primary := newTestServer(t)
	ctx := context.Background()
	replicaStore, err := timeline.Open(ctx, primary.store.Path(), timeline.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer replicaStore.Close()
	for _, tt := range []struct {
		name, primaryURL string
		status           int
	}{
		{"with a primary", "https://primary.example", http.StatusTemporaryRedirect},
		{"alone", "", http.StatusServiceUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			replica := newTestEnv(t, withConfig(Config{Store: replicaStore, PrimaryURL: tt.primaryURL}))
			if status, _, body := replica.get(t, "/events?category=summit"); status != 200 || len(listedSlugs(body)) != 2 {
				t.Errorf("read: %d, %v", status, listedSlugs(body))
			}
			for _, req := range []struct{ method, path string }{
				{http.MethodGet, "/login"}, {http.MethodGet, "/events/new"}, {http.MethodGet, "/events/summit-2002/edit"},
				{http.MethodGet, "/admin/users"}, {http.MethodPost, "/events"}, {http.MethodPost, "/api/v1/events"},
				{http.MethodDelete, "/api/v1/events/summit-2002?version=1"},
			} {
				r, _ := http.NewRequest(req.method, replica.url+req.path, strings.NewReader(""))
				r.Header.Set("Sec-Fetch-Site", "same-origin")
				resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(r)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.status {
					t.Errorf("%s %s: %d, want %d", req.method, req.path, resp.StatusCode, tt.status)
				}
				if tt.primaryURL != "" && resp.Header.Get("Location") != tt.primaryURL+req.path {
					t.Errorf("%s %s: Location %q", req.method, req.path, resp.Header.Get("Location"))
				}
			}
		})
	}
	// The primary writes; the replica shows it (its cache follows the data version).
	e := fixture().Events[1]
	e.Slug, e.Title = "third-summit", "A third summit"
	e.Related = nil
	if err := primary.store.CreateEvent(ctx, &e, timeline.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	replica := newTestEnv(t, withConfig(Config{Store: replicaStore}))
	if _, _, body := replica.get(t, "/events?category=summit"); !slices.Contains(listedSlugs(body), "third-summit") {
		t.Errorf("the replica does not show the primary's new event: %v", listedSlugs(body))
	}
}
