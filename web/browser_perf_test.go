package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/timeline/synth"
)

// BenchmarkBrowserTimeline measures, in headless Chromium, how long a
// timeline page over 2,000 synthetic events takes to be ready to use:
// from navigation to the load event (the labels are laid out by the
// server, so they are in place at first paint), and then how long the
// first zoom (the + key) takes to fetch and swap in the new drawing. With
// $TIMELINE_VIS_DIR set to a folder where npm installed vis-timeline (never
// the repository), it also times vis-timeline drawing the same 2,000
// events as items.
func BenchmarkBrowserTimeline(b *testing.B) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		b.Skip("chromium is not installed")
	}
	store, err := timeline.Open(context.Background(), filepath.Join(b.TempDir(), "tl.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	if err := synth.Fill(context.Background(), store, synth.Options{Events: 2000, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	srv := NewServer(Config{Store: store, Logger: quietLogger()})
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	if dir := os.Getenv("TIMELINE_VIS_DIR"); dir != "" {
		mux.Handle("/vis/", http.StripPrefix("/vis/", http.FileServer(http.Dir(dir))))
		mux.HandleFunc("/vis.html", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(visPage)) })
		mux.HandleFunc("/vis-items.json", func(w http.ResponseWriter, r *http.Request) { writeVisItems(w, store) })
	}
	hs := httptest.NewServer(mux)
	defer hs.Close()
	actx, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(b.TempDir(), "profile")), chromedp.WindowSize(1280, 900))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(hs.URL+"/timeline")); err != nil {
		b.Fatal(err)
	}
	b.Run("ours", func(b *testing.B) {
		var load, zoom time.Duration
		for b.Loop() {
			if _, err := chromedp.Run(ctx, chromedp.Navigate(hs.URL+"/timeline")); err != nil {
				b.Fatal(err)
			}
			ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.getEntriesByType("navigation")[0].loadEventEnd - performance.getEntriesByType("navigation")[0].startTime`))
			if err != nil {
				b.Fatal(err)
			}
			load += time.Duration(ms * float64(time.Millisecond))
			start := time.Now()
			if err := chromedp.Do(ctx, chromedp.KeyEvent("+")); err != nil {
				b.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.search.includes("from=")`, chromedp.WithPollingInterval(2*time.Millisecond))); err != nil {
				b.Fatal(err)
			}
			zoom += time.Since(start)
		}
		b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "ms-load")
		b.ReportMetric(float64(zoom.Milliseconds())/float64(b.N), "ms-first-zoom")
	})
	if os.Getenv("TIMELINE_VIS_DIR") == "" {
		return
	}
	b.Run("vis-timeline", func(b *testing.B) {
		var total time.Duration
		for b.Loop() {
			if err := chromedp.Do(ctx, chromedp.Navigate(hs.URL+"/vis.html")); err != nil {
				b.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.visDone > 0`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
				b.Fatal(err)
			}
			ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.visDone`))
			if err != nil {
				b.Fatal(err)
			}
			total += time.Duration(ms * float64(time.Millisecond))
		}
		b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-load")
	})
}

// visPage draws /vis-items.json with vis-timeline's standalone build
// (stack: true, its default look) and records in window.visDone the
// milliseconds from navigation until the drawing has settled.
const visPage = `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/vis/node_modules/vis-timeline/styles/vis-timeline-graph2d.min.css">
<script src="/vis/node_modules/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js"></script></head>
<body><div id="tl"></div><script>
fetch("/vis-items.json").then(r => r.json()).then(items => {
  const t = new vis.Timeline(document.getElementById("tl"), new vis.DataSet(items), {stack: true});
  t.once("changed", () => requestAnimationFrame(() => { window.visDone = performance.now(); }));
});
</script></body></html>`

// writeVisItems writes every event as a vis-timeline item.
func writeVisItems(w http.ResponseWriter, store *timeline.Store) {
	points, _, err := store.Points(context.Background(), timeline.Filter{}, 5000)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	type item struct {
		ID      string `json:"id"`
		Content string `json:"content"`
		Start   string `json:"start"`
		End     string `json:"end,omitempty"`
	}
	out := make([]item, len(points))
	for i, p := range points {
		out[i] = item{ID: p.Slug, Content: p.Title, Start: p.Start.Earliest().Date().String()}
		if !p.End.IsZero() {
			out[i].End = p.End.Latest().Date().String()
		}
	}
	json.NewEncoder(w).Encode(out)
}
