package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/japan-dprk/timeline/data"
)

// tlLabelsProbe lists the drawn events whose label is missing, empty or
// not visible, and every pair of label boxes that overlap.
const tlLabelsProbe = `(() => {
	const out = [];
	const items = [...document.querySelectorAll('.tl-item')];
	const boxes = [];
	for (const a of items) {
		const l = document.querySelector('.tl-label[data-slug="' + CSS.escape(a.dataset.slug) + '"]');
		if (!l || !l.textContent.trim()) { out.push("no label: " + a.dataset.slug); continue; }
		const r = l.getBoundingClientRect(), cs = getComputedStyle(l);
		if (r.width < 4 || r.height < 4 || cs.visibility !== "visible" || cs.display === "none" || +cs.opacity === 0) out.push("invisible: " + a.dataset.slug);
		const svg = l.ownerSVGElement.getBoundingClientRect();
		if (r.left < svg.left - 1 || r.right > svg.right + 1) out.push("outside the drawing: " + a.dataset.slug);
		boxes.push([a.dataset.slug, r]);
	}
	for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
		const a = boxes[i][1], b = boxes[j][1];
		if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push("overlap: " + boxes[i][0] + " / " + boxes[j][0]);
	}
	return {n: items.length, problems: out.slice(0, 10)};
})()`

type labelReport struct {
	N        int      `json:"n"`
	Problems []string `json:"problems"`
}

// until evaluates a predicate until it holds (for ten seconds): plain
// evaluation, which works whether or not the page may run scripts, and
// through navigations.
func (s *browseSession) until(step, predicate string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](predicate))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || s.ctx.Err() != nil {
			s.t.Fatalf("%s: waiting for %s: %v", step, predicate, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *browseSession) tlWindow() url.Values {
	s.t.Helper()
	return s.location().Query()
}

// TestBrowserTimelineLabels opens views of the shipped chronology at a
// desktop and a phone width and checks that every event drawn has a
// visible label and that no two labels overlap.
func TestBrowserTimelineLabels(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowseSession(t, ds, true)
	for _, width := range []int64{1280, 360} {
		s.do("viewport", chromedp.EmulateViewport(width, 900))
		for _, path := range []string{"/timeline?from=2014-01&to=2016-06", "/timeline?from=2002&to=2004", "/timeline?from=2014&to=2014&lanes=actor", "/timeline"} {
			s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitVisible(chromedp.CSS(`[data-testid="tl-svg"]`)))
			// Scripts ask once for a drawing of the screen's width.
			s.until("drawn for the screen", fmt.Sprintf(`Math.abs(document.querySelector('.tl').dataset.width - (document.getElementById('tl-region').clientWidth - 4)) <= 40 || %d > 2400`, width))
			r := eval[labelReport](s, "labels", tlLabelsProbe)
			if r.N == 0 {
				t.Errorf("%d px %s: no event drawn", width, path)
			}
			if len(r.Problems) > 0 {
				t.Errorf("%d px %s: %v", width, path, r.Problems)
			}
			if path == "/timeline?from=2014-01&to=2016-06" {
				years := eval[[]string](s, "axis", `[...document.querySelectorAll('[data-testid="tl-year"]')].map(e => e.textContent)`)
				if !slices.Equal(years, []string{"2014", "2015", "2016"}) {
					t.Errorf("%d px: axis years %v, want 2014–2016 only", width, years)
				}
				if r.N < 15 {
					t.Errorf("%d px: %d events drawn in 2014 – June 2016", width, r.N)
				}
			}
		}
	}
}

// TestBrowserTimelineMoves zooms, pans and uses the overview strip with
// links, keys and the mouse, and checks that each move keeps the filter
// and changes the address to the new window's permalink.
func TestBrowserTimelineMoves(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, scripts := range []bool{true, false} {
		t.Run(fmt.Sprintf("scripts=%v", scripts), func(t *testing.T) {
			s := newBrowseSession(t, ds, scripts)
			s.do("open", chromedp.Navigate(s.url+"/timeline?from=2002&to=2004&category=summit&category=abduction&lanes=none"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="tl-svg"]`)))
			keeps := func(step string) {
				t.Helper()
				q := s.tlWindow()
				if !slices.Equal(q["category"], []string{"summit", "abduction"}) || q.Get("lanes") != "none" {
					t.Errorf("%s: the address %s lost the filter", step, s.location())
				}
				shown := eval[string](s, "window label", `document.querySelector('[data-testid="tl-window"]').textContent`)
				if from, to := q.Get("from"), q.Get("to"); from == "" || to == "" || shown == "" {
					t.Errorf("%s: window %q–%q shown as %q", step, from, to, shown)
				}
				// Every drawn event is a summit or an abduction.
				bad := eval[[]string](s, "categories", `[...document.querySelectorAll('.tl-item')].map(a => a.getAttribute('aria-label')).filter(n => !/\((Summit|Abduction)\)/.test(n))`)
				if len(bad) > 0 {
					t.Errorf("%s: events outside the filter drawn: %v", step, bad)
				}
			}
			click := func(step, sel, wantFrom string) {
				t.Helper()
				s.do(step, chromedp.Click(chromedp.CSS(sel)))
				s.until(step, `new URLSearchParams(location.search).get("from") === `+jsString(wantFrom)+` && document.querySelector('[data-testid="tl-svg"]') !== null`)
				keeps(step)
			}
			click("zoom in", `[data-testid="tl-zoom-in"]`, "2002-10")
			click("later", `[data-testid="tl-later"]`, "2003-07")
			click("earlier", `[data-testid="tl-earlier"]`, "2002-10")
			click("zoom out", `[data-testid="tl-zoom-out"]`, "2002")
			// The overview strip: its bar for 1980 centres the window there.
			s.do("strip", chromedp.Click(chromedp.CSS(`[data-testid="tl-strip"] a[aria-label^="1980:"] .tl-strip-hit`)))
			s.until("strip", `new URLSearchParams(location.search).get("from") < "1981" && new URLSearchParams(location.search).get("to") > "1979"`)
			keeps("strip")
			if !scripts {
				return
			}
			// Keys: + zooms in, → moves later.
			before := s.tlWindow().Get("from")
			s.do("key +", chromedp.KeyEvent("+"))
			s.until("key +", `new URLSearchParams(location.search).get("from") !== `+jsString(before))
			keeps("key +")
			before = s.tlWindow().Get("from")
			s.do("key →", chromedp.KeyEvent(kb.ArrowRight))
			s.until("key →", `new URLSearchParams(location.search).get("from") > `+jsString(before))
			keeps("key →")
			// The wheel zooms out about the pointer; dragging pans earlier.
			days := eval[int](s, "days", `+document.querySelector('.tl').dataset.days`)
			s.do("wheel", chromedp.Evaluate[chromedp.Void](`(() => { const sc = document.querySelector('.tl-scroll'), r = sc.getBoundingClientRect();
				sc.dispatchEvent(new WheelEvent('wheel', {deltaY: 400, clientX: r.left + r.width / 2, clientY: r.top + 60, bubbles: true, cancelable: true})); })()`))
			s.until("wheel", fmt.Sprintf(`+document.querySelector('.tl').dataset.days > %d`, days))
			keeps("wheel")
			before = s.tlWindow().Get("from")
			s.do("drag", chromedp.Evaluate[chromedp.Void](`(() => { const sc = document.querySelector('.tl-scroll'), r = sc.getBoundingClientRect(), y = r.top + 30;
				sc.dispatchEvent(new PointerEvent('pointerdown', {pointerId: 1, button: 0, clientX: r.left + 200, clientY: y, bubbles: true}));
				window.dispatchEvent(new PointerEvent('pointermove', {pointerId: 1, clientX: r.left + 500, clientY: y, bubbles: true}));
				window.dispatchEvent(new PointerEvent('pointerup', {pointerId: 1, clientX: r.left + 500, clientY: y, bubbles: true})); })()`))
			s.until("drag", `new URLSearchParams(location.search).get("from") < `+jsString(before))
			keeps("drag")
			// Back returns to the window before.
			s.do("back", chromedp.Evaluate[chromedp.Void](`history.back()`))
			s.until("back", `new URLSearchParams(location.search).get("from") === `+jsString(before))
		})
	}
}

// TestBrowserTimelineSelection selects an event from the keyboard, with
// and without JavaScript: the panel opens beside the drawing with the
// event's date and titles, and its typed links are drawn.
func TestBrowserTimelineSelection(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, scripts := range []bool{true, false} {
		t.Run(fmt.Sprintf("scripts=%v", scripts), func(t *testing.T) {
			s := newBrowseSession(t, ds, scripts)
			s.do("open", chromedp.Navigate(s.url+"/timeline?from=2014-01&to=2016-06"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="tl-svg"]`)))
			s.do("focus the agreement", chromedp.Focus(chromedp.CSS(`.tl-item[data-slug="stockholm-agreement-2014"]`)))
			name := eval[string](s, "name", `document.activeElement.getAttribute('aria-label')`)
			wantContains(t, fmt.Sprintf("the focused event's name %q lacks its date in words", name), name, "29 May 2014")
			s.do("enter", chromedp.KeyEvent("\r"))
			s.until("panel", `document.querySelector('[data-testid="tl-panel"]') !== null && location.search.includes("sel=stockholm-agreement-2014")`)
			panel := eval[string](s, "panel text", `document.querySelector('[data-testid="tl-panel"]').innerText`)
			for _, want := range []string{"29 May 2014", "Stockholm", "Open the event page"} {
				wantContains(t, fmt.Sprintf("panel lacks %q: %q", want, panel), panel, want)
			}
			if n := eval[int](s, "connectors", `document.querySelectorAll('[data-testid="tl-connector"]').length`); n == 0 {
				t.Error("the agreement's typed links are not drawn")
			}
			if q := s.tlWindow(); q.Get("from") != "2014-01" || q.Get("to") != "2016-06" {
				t.Errorf("selecting moved the window: %v", q)
			}
			if scripts {
				if got := eval[string](s, "focus", `document.activeElement.id`); got != "tl-panel-title" {
					t.Errorf("focus is on %q, want the panel's title", got)
				}
			}
			// Beside the drawing on a wide screen.
			side := eval[bool](s, "beside", `document.querySelector('[data-testid="tl-panel"]').getBoundingClientRect().left > document.querySelector('.tl-figure').getBoundingClientRect().right - 1`)
			if !side {
				t.Error("the panel is not beside the drawing at 1200 px")
			}
		})
	}
}
