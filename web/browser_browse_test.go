package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// browseSession drives one browser tab against a seeded server.
type browseSession struct {
	t   *testing.T
	ctx context.Context
	url string
}

// newBrowseSession serves ds from a real SQLite file through the real
// server and opens a browser tab on it. With scripts off, the tab runs no
// JavaScript at all, as a reader with JavaScript disabled would.
func newBrowseSession(t *testing.T, ds timeline.Dataset, scripts bool) *browseSession {
	t.Helper()
	ctx := newBrowser(t)
	env := newTestEnv(t, withDataset(ds), withFixedClock())
	s := &browseSession{t: t, ctx: ctx, url: env.url}
	if !scripts {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable scripts: %v", err)
		}
	}
	return s
}

func (s *browseSession) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, actions...); err != nil {
		s.t.Fatalf("%s: %v", step, err)
	}
}

// eval runs a JavaScript expression (DevTools evaluation works even when the
// page's own scripts are disabled).
func eval[T any](s *browseSession, step, expr string) T {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		s.t.Fatalf("%s: %v", step, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it holds, failing the test
// with what was being waited for. A navigation while polling (a submitted
// form, a history reload) ends the page's JavaScript context, so polling
// starts again in the new page until the deadline.
func (s *browseSession) waitFor(step, predicate string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := chromedp.Run(s.ctx, chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || s.ctx.Err() != nil {
			s.t.Fatalf("%s: waiting for %s: %v (at %s)", step, predicate, err, s.location().String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// slugs lists the data-slug values of the listed events, in order.
func (s *browseSession) slugs() []string {
	s.t.Helper()
	return eval[[]string](s, "read listed slugs", `Array.from(document.querySelectorAll('[data-testid="event-list"] [data-slug]'), e => e.dataset.slug)`)
}

func (s *browseSession) location() *url.URL {
	s.t.Helper()
	loc, err := chromedp.Run(s.ctx, chromedp.Location())
	if err != nil {
		s.t.Fatalf("location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		s.t.Fatalf("location %q: %v", loc, err)
	}
	return u
}

// filterSteps narrows the chronology to summits and abductions from 2002
// to 2004 with the filter form, the way a reader would: type, tab on,
// tick. wait runs after each change (htmx swaps the list on change).
func filterSteps(s *browseSession, wait func(step, param string)) {
	s.t.Helper()
	s.do("type from", chromedp.SendKeys(chromedp.CSS(`#f-from`), "2002\t"))
	wait("from", "from=2002")
	s.do("type to", chromedp.SendKeys(chromedp.CSS(`#f-to`), "2004\t"))
	wait("to", "to=2004")
	s.do("tick summit", chromedp.Click(chromedp.CSS(`#f-cat-summit`)))
	wait("summit", "category=summit")
	s.do("tick abduction", chromedp.Click(chromedp.CSS(`#f-cat-abduction`)))
	wait("abduction", "category=abduction")
}

var wantFiltered = []string{"summit-2002", "return-of-five", "summit-2004"}

func TestBrowserFiltersWithHTMX(t *testing.T) {
	s := newBrowseSession(t, fixture(), true)
	s.do("open the chronology",
		chromedp.Navigate(s.url+"/events"),
		chromedp.WaitVisible(chromedp.CSS(`#f-from`)),
	)
	s.waitFor("htmx loaded", `typeof window.htmx === "object"`)
	all := s.slugs()
	if len(all) != 8 {
		t.Fatalf("the unfiltered chronology lists %v, want the 8 fixture events", all)
	}
	// A full page load would drop this variable; an htmx swap keeps it.
	eval[bool](s, "set marker", `(window.__tlMarker = "kept", true)`)

	// Each change swaps the form; the next change must wait until htmx has
	// settled the new one, or its listeners are not there yet.
	eval[bool](s, "count settles", `(window.__tlSettled = 0, document.body.addEventListener("htmx:afterSettle", () => window.__tlSettled++), true)`)
	settled := 0
	var steps []string // location.search after each step
	filterSteps(s, func(step, param string) {
		t.Helper()
		settled++
		s.waitFor(step+": settled", fmt.Sprintf(`window.__tlSettled >= %d`, settled))
		s.waitFor(step, `location.search.includes(`+jsString(param)+`)`)
		s.waitFor(step+": list swapped", `!document.querySelector('.htmx-request') && document.querySelector('#browse') !== null`)
		steps = append(steps, eval[string](s, "search", `location.search`))
	})
	s.waitFor("list narrowed", `document.querySelectorAll('[data-testid="event-list"] [data-slug]').length === 3`)
	if got := s.slugs(); !slices.Equal(got, wantFiltered) {
		t.Errorf("filtered list %v, want %v", got, wantFiltered)
	}
	if got := eval[string](s, "read marker", `String(window.__tlMarker)`); got != "kept" {
		t.Errorf("window marker %q after filtering: the page was reloaded instead of swapped", got)
	}
	q := s.location().Query()
	if q.Get("from") != "2002" || q.Get("to") != "2004" || !slices.Equal(q["category"], []string{"summit", "abduction"}) {
		t.Errorf("URL %s does not carry the filters", s.location())
	}
	// The form shows the state it produced, after the swap.
	if got := eval[bool](s, "checked", `document.querySelector('#f-cat-summit').checked && document.querySelector('#f-cat-abduction').checked`); !got {
		t.Error("the swapped form lost the ticked categories")
	}
	if got := eval[string](s, "total", `document.querySelector('[data-testid="total"]').textContent.trim()`); got != "3 events" {
		t.Errorf("total %q, want 3 events", got)
	}

	// Back undoes the last tick: the URL and the list of the step before.
	s.do("back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	prev := steps[len(steps)-2]
	s.waitFor("back restores the URL", `location.search === `+jsString(prev))
	s.waitFor("back restores the list", `document.querySelectorAll('[data-testid="event-list"] [data-slug]').length === 2`)
	if got := s.slugs(); !slices.Equal(got, []string{"summit-2002", "summit-2004"}) {
		t.Errorf("after Back the list is %v, want the summits of 2002–2004", got)
	}
	if got := eval[bool](s, "abduction unticked", `document.querySelector('#f-cat-abduction').checked`); got {
		t.Error("after Back the abduction box is still ticked")
	}
}

func TestBrowserFiltersWithoutJavaScript(t *testing.T) {
	s := newBrowseSession(t, fixture(), false)
	s.do("open the chronology",
		chromedp.Navigate(s.url+"/events"),
		chromedp.WaitVisible(chromedp.CSS(`#f-from`)),
	)
	if got := eval[bool](s, "htmx absent", `typeof window.htmx === "undefined"`); !got {
		t.Fatal("htmx ran although scripts are disabled")
	}
	// Without JavaScript a change does nothing; the form is sent on submit.
	filterSteps(s, func(string, string) {})
	if got := s.location().RawQuery; got != "" {
		t.Errorf("the URL changed to ?%s before the form was submitted", got)
	}
	s.do("submit",
		chromedp.Click(chromedp.CSS(`.filters button[type=submit]`)),
	)
	s.waitFor("submitted", `location.search.includes("category=abduction") && document.readyState === "complete"`)
	if got := s.slugs(); !slices.Equal(got, wantFiltered) {
		t.Errorf("without JavaScript the list is %v, want %v (as with htmx)", got, wantFiltered)
	}
	q := s.location().Query()
	if q.Get("from") != "2002" || q.Get("to") != "2004" || !slices.Equal(q["category"], []string{"summit", "abduction"}) {
		t.Errorf("URL %s does not carry the filters", s.location())
	}
}

func TestBrowserSearchHighlights(t *testing.T) {
	s := newBrowseSession(t, fixture(), true)
	tests := []struct {
		name, typed, want string
		slugs             []string
		hostile           bool // the results hold the fixture's title with markup in it
	}{
		{"english", "stockholm", "stockholm", []string{"stockholm-agreement", "stockholm-talks"}, true},
		{"japanese", "拉致", "拉致", []string{"abduction-of-yokota-megumi", "return-of-five"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.t = t
			s.do("open the chronology",
				chromedp.Navigate(s.url+"/events"),
				chromedp.WaitVisible(chromedp.CSS(`#f-q`)),
				chromedp.SendKeys(chromedp.CSS(`#f-q`), tt.typed+"\r"),
			)
			s.waitFor("search applied", `new URLSearchParams(location.search).get("q") === `+jsString(tt.typed))
			s.waitFor("results", `document.querySelectorAll('[data-testid="event-list"] [data-slug]').length === `+strconv.Itoa(len(tt.slugs)))
			if got := s.slugs(); !slices.Equal(got, tt.slugs) {
				t.Errorf("search %q lists %v, want %v", tt.typed, got, tt.slugs)
			}
			marks := eval[[]string](s, "marks", `Array.from(document.querySelectorAll('[data-testid="event-list"] mark'), m => m.textContent)`)
			if len(marks) == 0 {
				t.Fatalf("no <mark> in the results of %q", tt.typed)
			}
			for _, m := range marks {
				if strings.ToLower(m) != tt.want {
					t.Errorf("marked %q, want only %q", m, tt.want)
				}
			}
			// Every listed event shows the term marked in its title or summary.
			unmarked := eval[[]string](s, "unmarked", `Array.from(document.querySelectorAll('[data-testid="event-list"] [data-slug]')).filter(e => !e.querySelector('mark')).map(e => e.dataset.slug)`)
			if len(unmarked) > 0 {
				t.Errorf("events without a highlight: %v", unmarked)
			}
			if !tt.hostile {
				return
			}
			// The hostile title is text, marked, and never markup.
			title := eval[string](s, "title text", `document.querySelector('[data-slug="stockholm-agreement"] .title a').textContent`)
			if title != "Stockholm agreement <script>alert(1)</script>" {
				t.Errorf("title shown as %q", title)
			}
			if n := eval[int](s, "script elements", `document.querySelectorAll('[data-testid="event-list"] script, [data-testid="event-list"] b').length`); n != 0 {
				t.Errorf("%d script or b elements made from event text", n)
			}
			if got := eval[string](s, "mark in title", `document.querySelector('[data-slug="stockholm-agreement"] .title a mark').textContent`); got != "Stockholm" {
				t.Errorf("title mark %q, want Stockholm", got)
			}
		})
	}
}

func TestBrowserOverviewBarNarrowsToYear(t *testing.T) {
	s := newBrowseSession(t, fixture(), true)
	s.do("open the chronology",
		chromedp.Navigate(s.url+"/events?category=summit"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="bar-2004"]`)),
	)
	s.waitFor("htmx loaded", `typeof window.htmx === "object"`)
	s.do("click the 2004 bar", chromedp.Click(chromedp.CSS(`[data-testid="bar-2004"]`)))
	s.waitFor("narrowed", `location.search.includes("from=2004")`)
	s.waitFor("list narrowed", `document.querySelectorAll('[data-testid="event-list"] [data-slug]').length === 1`)
	q := s.location().Query()
	if q.Get("from") != "2004" || q.Get("to") != "2004" || q.Get("category") != "summit" {
		t.Errorf("the bar led to %s, want from=2004&to=2004 within category=summit", s.location())
	}
	if got := s.slugs(); !slices.Equal(got, []string{"summit-2004"}) {
		t.Errorf("after the bar the list is %v", got)
	}
}

func TestBrowserKeyboardFocus(t *testing.T) {
	s := newBrowseSession(t, fixture(), true)
	s.do("open the chronology",
		chromedp.Navigate(s.url+"/events"),
		chromedp.WaitVisible(chromedp.CSS(`#f-q`)),
	)
	// Tab from the top of the page through the controls a reader filters
	// with; each must be reachable and visibly focused when reached.
	want := []string{"f-q", "f-from", "f-to", "f-sig", "f-cat-summit"}
	reached := map[string]bool{}
	for i := 0; i < 40 && len(reached) < len(want); i++ {
		s.do("tab", chromedp.KeyEvent("\t"))
		id := eval[string](s, "active", `document.activeElement ? document.activeElement.id : ""`)
		if !slices.Contains(want, id) || reached[id] {
			continue
		}
		reached[id] = true
		style := eval[[]string](s, "focus style", `(() => { const e = document.activeElement, c = getComputedStyle(e); return [String(e.matches(':focus-visible')), c.outlineStyle, c.outlineWidth]; })()`)
		if style[0] != "true" || style[1] == "none" || style[2] == "0px" {
			t.Errorf("#%s has focus but no visible focus style (focus-visible %s, outline %s %s)", id, style[0], style[1], style[2])
		}
	}
	for _, id := range want {
		if !reached[id] {
			t.Errorf("Tab never reached #%s", id)
		}
	}
}

// TestBrowserNarrowScreen loads the shipped dataset, with its long titles,
// URLs and Japanese and Korean names, and checks that no page scrolls
// sideways on a 360 px phone screen.
func TestBrowserNarrowScreen(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowseSession(t, ds, true)
	s.do("phone viewport", chromedp.EmulateViewport(360, 740))
	for _, path := range []string{
		"/events",
		"/events?from=2002&to=2004&category=summit&category=abduction",
		"/events/koizumi-kim-summit-2002",
		"/events/stockholm-agreement-2014",
		"/timeline",
		"/actors/koizumi-junichiro",
		"/actors",
	} {
		s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitReady(chromedp.CSS(`footer`)))
		wide := eval[[]string](s, "overflow", `(() => {
			const w = document.documentElement.clientWidth, out = [];
			if (document.documentElement.scrollWidth > w) out.push("page " + document.documentElement.scrollWidth + "px");
			for (const e of document.querySelectorAll('main *')) {
				if (e.closest('.tl-scroll, .tl-strip')) continue; // the timeline scrolls inside its own box
				const r = e.getBoundingClientRect();
				if (r.width > 0 && r.right > w + 1) out.push(e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className : "") + " to " + Math.round(r.right) + "px");
			}
			return out.slice(0, 5);
		})()`)
		if len(wide) > 0 {
			t.Errorf("%s is wider than a 360 px screen: %v", path, wide)
		}
	}
}

// TestBrowserYearLinksOnOneLine: on a phone the "jump to year" links keep
// each year on one line in every language; 1945年 in a 3rem cell broke
// into "1945" over "年".
func TestBrowserYearLinksOnOneLine(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowseSession(t, ds, true)
	for _, width := range []int64{360, 390} {
		s.do("phone viewport", chromedp.EmulateViewport(width, 740))
		for _, path := range []string{"/events", "/ja/events", "/ko/events"} {
			s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitReady(chromedp.CSS(`footer`)))
			broken := eval[[]string](s, "year links", `[...document.querySelectorAll('.years a')].filter(a => {
				const r = document.createRange(); r.selectNodeContents(a);
				const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
				return lines.size > 1 || a.scrollWidth > a.clientWidth;
			}).map(a => a.textContent).slice(0, 5)`)
			if len(broken) > 0 {
				t.Errorf("%s at %d px: year links broken over lines or overflowing: %q", path, width, broken)
			}
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
