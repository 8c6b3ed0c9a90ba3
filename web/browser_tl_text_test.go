package web

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/data"
)

// tlTextProbe lists, for every timeline drawing on the page, the texts
// that reach outside the drawing's box and every pair of texts whose
// boxes intersect (labels, connector labels, era labels, the axis).
const tlTextProbe = `(() => {
	const out = [];
	const name = t => (t.getAttribute('class') || 'text') + ' "' + t.textContent.slice(0, 30) + '"';
	for (const svg of document.querySelectorAll('svg.tl-svg')) {
		const box = svg.getBoundingClientRect();
		const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() !== '').map(t => [t, t.getBoundingClientRect()]);
		for (const [t, r] of texts) {
			if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) out.push("outside the drawing: " + name(t));
		}
		for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
			const a = texts[i][1], b = texts[j][1];
			if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push("overlap: " + name(texts[i][0]) + " / " + name(texts[j][0]));
		}
	}
	return out.slice(0, 8);
})()`

// TestBrowserTimelineTextsApart selects events with many typed links on
// the shipped chronology, at a desktop and a phone width: no text of the
// drawing (event labels, the connectors' labels, eras, the axis) overlaps
// another, and none runs out of the drawing.
func TestBrowserTimelineTextsApart(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowseSession(t, ds, true)
	for _, width := range []int64{1280, 360} {
		s.do("viewport", chromedp.EmulateViewport(width, 900))
		for _, path := range []string{
			"/timeline?from=2014-01&to=2016-06&sel=stockholm-agreement-2014",
			"/timeline?from=2014-01&to=2016-06&sel=special-investigation-committee-2014",
			"/timeline?from=2002&to=2004&sel=koizumi-kim-summit-2002",
			"/timeline?from=2002&to=2004&sel=koizumi-kim-summit-2004",
			"/timeline?from=2002-09&to=2002-10&sel=pyongyang-declaration-2002",
			"/timeline?from=1977&to=1983&sel=abduction-of-yokota-megumi-1977",
			"/timeline?sel=koizumi-kim-summit-2004",
			"/timeline?from=2002&to=2004",
		} {
			s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitVisible(chromedp.CSS(`[data-testid="tl-svg"]`)))
			s.until("drawn for the screen", fmt.Sprintf(`Math.abs(document.querySelector('.tl').dataset.width - %d) <= 40 || %d > 1100`, width-28, width))
			if bad := eval[[]string](s, "texts", tlTextProbe); len(bad) > 0 {
				t.Errorf("%d px %s: %v", width, path, bad)
			}
		}
	}
}

// TestBrowserEventContextTextsInside opens event pages with many typed
// links, at a desktop and a phone width: every text of the small drawing
// beside the event (the names of linked events outside its months among
// them) stays inside the drawing, and no two texts overlap.
func TestBrowserEventContextTextsInside(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowseSession(t, ds, true)
	for _, width := range []int64{1280, 360} {
		s.do("viewport", chromedp.EmulateViewport(width, 900))
		for _, slug := range []string{"stockholm-agreement-2014", "koizumi-kim-summit-2004", "abduction-of-yokota-megumi-1977", "pyongyang-declaration-2002", "nuclear-test-january-2016"} {
			path := "/events/" + slug
			s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitVisible(chromedp.CSS(`.tl-mini [data-testid="tl-svg"]`)))
			if bad := eval[[]string](s, "texts", tlTextProbe); len(bad) > 0 {
				t.Errorf("%d px %s: %v", width, path, bad)
			}
			// The drawing is inside its column.
			if out := eval[bool](s, "box", `(() => { const f = document.querySelector('.tl-mini .tl-svg').getBoundingClientRect(), c = document.querySelector('.context').getBoundingClientRect(); return f.left < c.left - 0.5 || f.right > c.right + 0.5; })()`); out {
				t.Errorf("%d px %s: the drawing reaches out of its column", width, path)
			}
		}
	}
}

// TestBrowserEraPageTimeline opens era pages without scripts at a desktop
// and phone widths: each draws its events with the timeline component over
// the era's range, in a drawing that fits the column, every event
// labelled, no text over another, and keeps its list.
func TestBrowserEraPageTimeline(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowseSession(t, ds, false)
	for _, width := range []int64{1280, 360, 320} {
		s.do("viewport", chromedp.EmulateViewport(width, 900))
		for _, slug := range []string{"koizumi-summits", "stockholm-process", "abductions"} {
			path := "/eras/" + slug
			s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitReady(chromedp.CSS(`[data-testid="era-timeline"]`)))
			// The page holds a wide and a narrow drawing and shows one.
			shown := eval[int](s, "shown", `(() => { let n = 0; for (const f of document.querySelectorAll('[data-testid="era-timeline"] .tl-figure')) { if (f.getBoundingClientRect().width > 0) n++; else f.remove(); } return n; })()`)
			if shown != 1 {
				t.Fatalf("%d px %s: %d drawings shown, want 1", width, path, shown)
			}
			r := eval[labelReport](s, "labels", tlLabelsProbe)
			if r.N == 0 || len(r.Problems) > 0 {
				t.Errorf("%d px %s: %d events drawn: %v", width, path, r.N, r.Problems)
			}
			if bad := eval[[]string](s, "texts", tlTextProbe); len(bad) > 0 {
				t.Errorf("%d px %s: %v", width, path, bad)
			}
			if n := eval[int](s, "list", `document.querySelectorAll('[data-testid="event-list"] [data-slug]').length`); n != r.N {
				t.Errorf("%d px %s: %d events listed, %d drawn", width, path, n, r.N)
			}
			// The drawing fits its column, without scripts, at every width.
			if fit := eval[bool](s, "fits", `(() => { const sc = document.querySelector('[data-testid="era-timeline"] .tl-figure'), v = sc.querySelector('svg').getBoundingClientRect(), c = sc.getBoundingClientRect(); return v.right <= c.right + 0.5 && document.documentElement.scrollWidth <= document.documentElement.clientWidth; })()`); !fit {
				t.Errorf("%d px %s: the drawing does not fit the column", width, path)
			}
		}
	}
}
