package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// counterEvent is a counter kept in an event's title.
func counterEvent(slug string, n int) timeline.Event {
	return timeline.Event{
		Slug:         slug,
		Start:        timeline.MustDate("2033-01-01"),
		Title:        fmt.Sprintf("Counter %s at %d", slug, n),
		Summary:      "An event that counts its own updates.",
		Category:     "statement",
		Significance: 1,
		Actors:       []timeline.EventActor{{Actor: timeline.Actor{Slug: "abe-shinzo"}, Role: "counter"}},
		Sources:      []timeline.Source{{Publisher: "Test wire", Title: "Counted"}},
		Tags:         []string{"concurrency-test"},
	}
}

// counterValue reads the count back from an event's title.
func counterValue(e timeline.Event) (int, error) {
	var n int
	_, err := fmt.Sscanf(e.Title, "Counter "+e.Slug+" at %d", &n)
	return n, err
}

// loadFailures collects what went wrong under load, for one report.
type loadFailures struct {
	mu   sync.Mutex
	msgs []string
}

func (f *loadFailures) add(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.msgs) < 20 {
		f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
	}
}

// increment adds one to the counter through the API with optimistic
// concurrency: read the version, PUT at that version, and on 409 read
// again. It reports whether the server acknowledged an increment before
// the deadline, and how many conflicts it met.
func increment(client *http.Client, base, token, slug string, deadline time.Time, fail *loadFailures) (acked bool, conflicts int) {
	for time.Now().Before(deadline) {
		resp, err := client.Get(base + "/api/v1/events/" + slug)
		if err != nil {
			fail.add("GET %s: %v", slug, err)
			return false, conflicts
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			fail.add("GET %s: status %d: %s", slug, resp.StatusCode, b)
			return false, conflicts
		}
		var e timeline.Event
		if err := json.Unmarshal(b, &e); err != nil {
			fail.add("GET %s: %v", slug, err)
			return false, conflicts
		}
		n, err := counterValue(e)
		if err != nil {
			fail.add("%s: title %q: %v", slug, e.Title, err)
			return false, conflicts
		}
		next := counterEvent(slug, n+1)
		next.Version = e.Version
		body, _ := json.Marshal(next)
		req, _ := http.NewRequest("PUT", base+"/api/v1/events/"+slug, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err = client.Do(req)
		if err != nil {
			fail.add("PUT %s: %v", slug, err)
			return false, conflicts
		}
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return true, conflicts
		case http.StatusConflict:
			conflicts++
		default:
			fail.add("PUT %s at version %d: status %d: %s", slug, e.Version, resp.StatusCode, b)
			return false, conflicts
		}
	}
	return false, conflicts
}

func TestConcurrentWritersAndReadersLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 60 clients for 3 seconds: skipped with -short")
	}
	const (
		writers  = 10
		readers  = 50
		duration = 3 * time.Second
		shared   = "counter-shared"
	)
	env := newShippedEnv(t)
	ctx := context.Background()
	token := env.editorToken(t, "counter-editor")
	own := make([]string, writers)
	for i := range own {
		own[i] = fmt.Sprintf("counter-%d", i)
	}
	for _, slug := range append(own, shared) {
		e := counterEvent(slug, 0)
		if err := env.store.CreateEvent(ctx, &e, timeline.Change{Author: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	client := &http.Client{
		Timeout:   20 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: writers + readers},
	}
	defer client.CloseIdleConnections()
	fail := &loadFailures{}
	deadline := time.Now().Add(duration)

	// Each writer increments its own counter and the shared one in turn:
	// its own never conflicts, the shared one does all the time.
	ackedOwn := make([]int, writers)
	var ackedShared, conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if ok, _ := increment(client, env.url, token, own[w], deadline, fail); ok {
					ackedOwn[w]++
				}
				ok, c := increment(client, env.url, token, shared, deadline, fail)
				if ok {
					ackedShared.Add(1)
				}
				conflicts.Add(int64(c))
			}
		})
	}

	// Readers walk pages and API lists; every answer must be a 200.
	paths := []string{
		"/", "/events?category=summit&from=2002", "/events?q=abduction", "/events/" + own[0], "/actors", "/timeline",
		"/api/v1/events?limit=100", "/api/v1/events?tag=concurrency-test", "/api/v1/facets", "/api/v1/events/" + shared,
		"/api/v1/changes?limit=50", "/events.csv?from=2002&to=2004",
	}
	var reads atomic.Int64
	for r := range readers {
		wg.Go(func() {
			for i := r; time.Now().Before(deadline); i++ {
				path := paths[i%len(paths)]
				resp, err := client.Get(env.url + path)
				if err != nil {
					fail.add("GET %s: %v", path, err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					fail.add("GET %s: status %d: %.300s", path, resp.StatusCode, b)
					return
				}
				if s := strings.ToLower(string(b)); strings.Contains(s, "database is locked") || strings.Contains(s, "sqlite_busy") {
					fail.add("GET %s: the answer mentions a locked database", path)
				}
				reads.Add(1)
			}
		})
	}
	wg.Wait()
	for _, msg := range fail.msgs {
		t.Error(msg)
	}

	// No increment was lost: each counter equals its acknowledged updates.
	total := 0
	for w, slug := range own {
		e, err := env.store.GetEvent(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		n, err := counterValue(e)
		if err != nil || n != ackedOwn[w] || e.Version != n+1 {
			t.Errorf("%s: counter %d (%v), version %d; want %d acknowledged increments at version %d", slug, n, err, e.Version, ackedOwn[w], ackedOwn[w]+1)
		}
		total += ackedOwn[w]
	}
	e, err := env.store.GetEvent(ctx, shared)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := counterValue(e); err != nil || n != int(ackedShared.Load()) || e.Version != n+1 {
		t.Errorf("%s: counter %d (%v), version %d; want %d acknowledged increments", shared, n, err, e.Version, ackedShared.Load())
	}
	t.Logf("%d reads; %d own and %d shared increments; %d conflicts retried", reads.Load(), total, ackedShared.Load(), conflicts.Load())
	if total < writers || ackedShared.Load() == 0 || reads.Load() < readers {
		t.Errorf("too little happened to show anything: %d own and %d shared increments, %d reads", total, ackedShared.Load(), reads.Load())
	}
}
