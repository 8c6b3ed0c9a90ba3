package web

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// syncBuffer is a log destination that tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// apiPost sends an event to the API with a bearer token.
func (env *authEnv) apiPost(token string, e timeline.Event) (*http.Response, string) {
	env.t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		env.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", env.http.URL+"/api/v1/events", bytes.NewReader(b))
	if err != nil {
		env.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := env.client.Do(req)
	if err != nil {
		env.t.Fatal(err)
	}
	return resp, respBody(env.t, resp)
}

func TestDiskFullIsNamedAndRecovers(t *testing.T) {
	ctx := context.Background()
	logs := &syncBuffer{}
	env := newAuthEnv(t, Config{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	clock := time.Now().UTC()
	var clockMu sync.Mutex
	env.store.SetClock(func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock })
	advance := func(d time.Duration) { clockMu.Lock(); clock = clock.Add(d); clockMu.Unlock() }
	env.addUser("ed", timeline.RoleEditor)
	cookie := env.login("ed")
	token, err := env.store.CreateToken(ctx, "ed", "test")
	if err != nil {
		t.Fatal(err)
	}
	ready := func(path string) (int, string) {
		t.Helper()
		resp := env.request("GET", path, nil, nil)
		return resp.StatusCode, respBody(t, resp)
	}
	if st, body := ready("/readyz"); st != 200 || !strings.Contains(body, "writes: ok") {
		t.Fatalf("/readyz before the fault: got %d %q, want 200 with writes ok", st, body)
	}
	acked := authSeedEvent("2002-10-15", "Five abductees return")
	if resp, body := env.apiPost(token, acked); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create before the fault: %d %s", resp.StatusCode, body)
	}

	size, err := env.store.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.store.LimitSize(ctx, size); err != nil {
		t.Fatal(err)
	}
	big := authSeedEvent("2004-05-22", "Koizumi visits Pyongyang again")
	big.Body = strings.Repeat("A paragraph long enough to need new pages. ", 400)
	resp, body := env.apiPost(token, big)
	var apiErr apiErrorBody
	json.Unmarshal([]byte(body), &apiErr)
	if resp.StatusCode != http.StatusInsufficientStorage || apiErr.Error.Code != "storage_full" || !strings.Contains(apiErr.Error.Message, "reads still work") {
		t.Errorf("API create on a full disk: got %d %s, want 507 storage_full saying reads still work", resp.StatusCode, body)
	}

	form := eventFormValues()
	form.Set("title", "A title typed on a full disk")
	form.Set("body", strings.Repeat("Typed text that must not be lost. ", 500))
	resp = env.request("POST", "/events", form, cookie)
	body = respBody(t, resp)
	if resp.StatusCode != http.StatusInsufficientStorage {
		t.Errorf("form on a full disk: got %d, want 507", resp.StatusCode)
	}
	for _, want := range []string{`data-testid="form-alert"`, "disk is full", "A title typed on a full disk", "Typed text that must not be lost."} {
		wantContains(t, fmt.Sprintf("form on a full disk does not show %q", want), body, want)
	}

	for _, tt := range []struct {
		path   string
		status int
		want   string
	}{
		{"/readyz", 503, "writes: paused: the disk is full"},
		{"/readyz/write", 503, "writes: paused"},
		{"/readyz/read", 200, "reads: ok"},
	} {
		if st, body := ready(tt.path); st != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s on a full disk: got %d %q, want %d with %q", tt.path, st, body, tt.status, tt.want)
		}
	}
	if resp := env.request("GET", "/events", nil, nil); resp.StatusCode != 200 {
		t.Errorf("reading on a full disk: got %d, want 200", resp.StatusCode)
	}
	if n := strings.Count(logs.String(), "level=ERROR") - strings.Count(logs.String(), "level=ERROR msg=request "); n > 0 {
		t.Errorf("refused writes logged %d errors; the fault watch of serve reports a full disk once a minute instead:\n%s", n, logs.String())
	}

	// Space returns: within the probe interval /readyz notices, and writes
	// go through with no restart.
	if err := env.store.LimitSize(ctx, 0); err != nil {
		t.Fatal(err)
	}
	advance(10 * time.Second)
	if st, body := ready("/readyz"); st != 200 || !strings.Contains(body, "writes: ok") {
		t.Errorf("/readyz after space returned: got %d %q, want 200 with writes ok", st, body)
	}
	if resp, body := env.apiPost(token, big); resp.StatusCode != http.StatusCreated {
		t.Errorf("create after space returned: %d %s", resp.StatusCode, body)
	}
	for _, slug := range []string{acked.Slug, "2002-10-15-five-abductees-return", "2004-05-22-koizumi-visits-pyongyang-again"} {
		if slug == "" {
			continue
		}
		if _, err := env.store.GetEvent(ctx, slug); err != nil {
			t.Errorf("acknowledged event %s: %v", slug, err)
		}
	}
}

// damagedShippedStore serves the shipped dataset from a file whose events
// table's root page has been overwritten, read-only (as serve --read-only
// does with a damaged file).
func damagedShippedStore(t *testing.T) *timeline.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "damaged.db")
	s, err := timeline.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadDatasetOnce(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The page to damage: the root of the events table, which every event
	// page reads. Page n starts at (n-1) × page size.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(raw[16])<<8 | int(raw[17])
	root := eventsRootPage(t, path)
	junk := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, pageSize/4)
	copy(raw[(root-1)*pageSize:], junk)
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := timeline.Open(ctx, path, timeline.ReadOnly())
	if err != nil {
		t.Fatalf("open the damaged file read-only: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestCorruptionMetDuringARequest(t *testing.T) {
	store := damagedShippedStore(t)
	logs := &syncBuffer{}
	hs := newTestEnv(t, withConfig(Config{Store: store, Logger: slog.New(slog.NewTextHandler(logs, nil))}))
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(hs.url + path)
		if err != nil {
			t.Fatal(err)
		}
		b := new(bytes.Buffer)
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b.String()
	}
	if st, _ := get("/readyz"); st != 200 {
		t.Errorf("/readyz before any request met the damage: got %d, want 200", st)
	}
	st, body := get("/events/2002-09-17-north-korea-admits-abductions")
	if st != http.StatusInternalServerError || !strings.Contains(body, "damaged") {
		t.Errorf("an event page on a damaged file: got %d, want 500 saying the database is damaged", st)
	}
	wantContains(t, fmt.Sprintf("the log does not name the corruption:\n%s", logs.String()), logs.String(), "database corruption")
	for _, path := range []string{"/readyz", "/readyz/read"} {
		if st, body := get(path); st != 503 || !strings.Contains(body, "damaged") {
			t.Errorf("%s after corruption was met: got %d %q, want 503 naming the damage", path, st, body)
		}
	}
}

// eventsRootPage returns the page number of the events table's root,
// read from SQLite's schema table (a test may look at the file itself).
func eventsRootPage(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = 'events'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Fatalf("root page of events: %d", n)
	}
	return n
}
