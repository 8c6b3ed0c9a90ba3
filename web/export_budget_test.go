package web

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// logRecorder keeps the messages and attributes a server logs.
type logRecorder struct {
	mu   sync.Mutex
	recs []slog.Record
	seen chan struct{}
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logRecorder) WithGroup(string) slog.Handler            { return l }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r)
	select {
	case l.seen <- struct{}{}:
	default:
	}
	return nil
}

// waitFor waits until a record with the message is logged, and returns it.
func (l *logRecorder) waitFor(t *testing.T, msg string) slog.Record {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		l.mu.Lock()
		for _, r := range l.recs {
			if r.Message == msg {
				l.mu.Unlock()
				return r
			}
		}
		l.mu.Unlock()
		select {
		case <-l.seen:
		case <-deadline:
			t.Fatalf("no %q in the log", msg)
		}
	}
}

// TestExportsOfBroadSearches: an export refuses a search too broad to
// count, as the facets do, and stops as soon as its client goes away.
func TestExportsOfBroadSearches(t *testing.T) {
	ctx := context.Background()
	store, err := timeline.Open(ctx, filepath.Join(t.TempDir(), "broad.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := synth.Fill(ctx, store, synth.Options{Events: 24000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	logs := &logRecorder{seen: make(chan struct{}, 1)}
	ts := newTestEnv(t, withConfig(Config{Store: store, Logger: slog.New(logs)}))
	for _, ext := range []string{".csv", ".json", ".ics", ".md", ".timelinejs.json"} {
		status, _, body := ts.get(t, "/events"+ext+"?q=japan")
		if status != http.StatusBadRequest || !strings.Contains(body, "q") || !strings.Contains(body, "narrow the search") {
			t.Errorf("/events%s?q=japan: status %d, %.200q; want 400 asking to narrow q", ext, status, body)
		}
	}
	if status, _, _ := ts.get(t, "/events.csv?q=zanzibar"); status != http.StatusOK {
		t.Errorf("a rare word: status %d", status)
	}

	// A client that reads a little and hangs up: the export stops.
	resp, err := http.Get(ts.url + "/events.json")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	if _, err := resp.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := logs.waitFor(t, "export stopped: the client went away")
	var n int64 = -1
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "events" {
			n = a.Value.Int64()
		}
		return true
	})
	if n < 0 || n >= 24000 {
		t.Errorf("the export went on to %d of 24000 events after its client left", n)
	}
}
