package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// testPassword is the password of every test account.
const testPassword = "correct horse battery"

// testEnv is the one harness of the web tests: a real SQLite file in
// t.TempDir(), the real Echo server behind httptest, and a client that
// does not follow redirects (tests look at them). Options say what the
// database holds and how the server is configured; the helpers of each
// test file (get, do, request, login…) are methods on it.
type testEnv struct {
	t      *testing.T
	store  *timeline.Store
	server *Server
	http   *httptest.Server
	url    string
	client *http.Client
}

// The harness under the names the test files grew up with.
type (
	testServer = testEnv // the fixture, a fixed clock (browse_test.go)
	shippedEnv = testEnv // the shipped dataset, a fixed clock and base URL (export_test.go)
	authEnv    = testEnv // two events, the real clock (auth_test.go)
)

// envSetup is what the options of newTestEnv set.
type envSetup struct {
	cfg   Config
	opts  []timeline.Option // how the database is opened
	fills []func(context.Context, *timeline.Store) error
}

// envOption configures newTestEnv.
type envOption func(*envSetup)

// withDataset imports ds into the new database.
func withDataset(ds timeline.Dataset) envOption {
	return func(s *envSetup) {
		s.fills = append(s.fills, func(ctx context.Context, st *timeline.Store) error {
			_, err := st.Import(ctx, ds, timeline.Change{Author: "test"}, timeline.ImportOptions{})
			return err
		})
	}
}

// withShippedData loads the shipped dataset, as a first start does, into a
// store that searches with the shipped aliases, as serve opens it.
func withShippedData() envOption {
	return func(s *envSetup) {
		if groups, err := data.Aliases(); err == nil {
			s.opts = append(s.opts, timeline.WithAliases(groups))
		} else {
			s.fills = append(s.fills, func(context.Context, *timeline.Store) error { return err })
		}
		s.fills = append(s.fills, func(ctx context.Context, st *timeline.Store) error {
			ds, err := data.Load()
			if err != nil {
				return err
			}
			_, err = st.LoadDatasetOnce(ctx, ds)
			return err
		})
	}
}

// withEvents creates each event, a revision each.
func withEvents(evs ...timeline.Event) envOption {
	return func(s *envSetup) {
		s.fills = append(s.fills, func(ctx context.Context, st *timeline.Store) error {
			for _, e := range evs {
				if err := st.CreateEvent(ctx, &e, timeline.Change{Author: "seed"}); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// testClock is the fixed time of tests that print dates (citations).
func testClock() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }

// withFixedClock serves with testClock.
func withFixedClock() envOption { return func(s *envSetup) { s.cfg.Now = testClock } }

// withConfig serves with cfg (its Store, when set, instead of a new
// database; a nil Logger is quiet, a nil Now the real clock).
func withConfig(cfg Config) envOption {
	return func(s *envSetup) {
		now := s.cfg.Now
		s.cfg = cfg
		if s.cfg.Now == nil {
			s.cfg.Now = now
		}
	}
}

// newTestEnv makes a database (unless withConfig gives a Store), fills it
// as the options say and serves it for the test's lifetime.
func newTestEnv(t *testing.T, opts ...envOption) *testEnv {
	t.Helper()
	var setup envSetup
	for _, o := range opts {
		o(&setup)
	}
	ctx := context.Background()
	if setup.cfg.Store == nil {
		store, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "web.db"), setup.opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		setup.cfg.Store = store
	}
	for _, fill := range setup.fills {
		if err := fill(ctx, setup.cfg.Store); err != nil {
			t.Fatal(err)
		}
	}
	if setup.cfg.Logger == nil {
		setup.cfg.Logger = quietLogger()
	}
	if setup.cfg.SnapshotDir == "" {
		setup.cfg.SnapshotDir = t.TempDir()
	}
	srv := NewServer(setup.cfg)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testEnv{t: t, store: setup.cfg.Store, server: srv, http: hs, url: hs.URL, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// newTestServer serves the fixture (browse_test.go) with a fixed clock.
func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestEnv(t, withDataset(fixture()), withFixedClock())
}

// newShippedEnv serves the shipped dataset with a fixed clock and base URL.
func newShippedEnv(t *testing.T) *shippedEnv {
	t.Helper()
	return newTestEnv(t, withShippedData(), withFixedClock(), withConfig(Config{BaseURL: "https://timeline.example"}))
}

// newAuthEnv serves two events with cfg, on the real clock.
func newAuthEnv(t *testing.T, cfg Config) *authEnv {
	t.Helper()
	return newTestEnv(t, withEvents(authSeedEvent("2002-09-17", "Koizumi visits Pyongyang"), authSeedEvent("2014-05", "Stockholm agreement")), withConfig(cfg))
}

// quietLogger keeps request logs out of test output.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// get requests path with optional header pairs and returns status, headers
// and body.
func (env *testEnv) get(t *testing.T, path string, headers ...string) (int, http.Header, string) {
	t.Helper()
	resp, body := env.do(t, http.MethodGet, path, nil, headers...)
	return resp.StatusCode, resp.Header, body
}

// do sends a request with optional header pairs and returns the response
// (body read) and its body.
func (env *testEnv) do(t *testing.T, method, path string, body io.Reader, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, env.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := env.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// wantEqual reports a value that differs as "what: got …, want …", and
// whether it was equal.
func wantEqual[T comparable](t *testing.T, what string, got, want T) bool {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
		return false
	}
	return true
}

// wantContains reports, as "what", a text that lacks want, showing what
// the text has where the longest start of want was found (or its opening),
// and whether want was there.
func wantContains(t *testing.T, what, text, want string) bool {
	t.Helper()
	if strings.Contains(text, want) {
		return true
	}
	t.Errorf("%s:\n  want text containing %q\n  got %s", what, want, nearest(text, want))
	return false
}

// wantLacks reports, as "what", a text that contains unwanted, showing it
// in context, and whether the text was free of it.
func wantLacks(t *testing.T, what, text, unwanted string) bool {
	t.Helper()
	i := strings.Index(text, unwanted)
	if i < 0 {
		return true
	}
	t.Errorf("%s:\n  want text without %q\n  got …%s…", what, unwanted, excerpt(text, i, len(unwanted)))
	return false
}

// nearest shows the part of text around the longest start of want that it
// contains, so a failure shows what is there instead of a whole page.
func nearest(text, want string) string {
	for n := len(want) - 1; n >= 4; n-- {
		if !utf8.ValidString(want[:n]) {
			continue
		}
		if i := strings.Index(text, want[:n]); i >= 0 {
			return fmt.Sprintf("%d bytes; the first %d bytes of want are at %d: …%s…", len(text), n, i, excerpt(text, i, len(want)))
		}
	}
	return fmt.Sprintf("%d bytes, none of want's start; it opens %q", len(text), excerpt(text, 0, 200))
}

func excerpt(text string, i, n int) string {
	lo, hi := max(0, i-80), min(len(text), i+n+80)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo--
	}
	for hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi++
	}
	return text[lo:hi]
}
