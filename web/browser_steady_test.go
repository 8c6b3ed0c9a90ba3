package web

import (
	"math"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserChronologyStaysSteady: a filter change swaps the list without
// moving the page or closing the panel the reader opened, names the view
// in the title and announces the new count.
func TestBrowserChronologyStaysSteady(t *testing.T) {
	s := newBrowseSession(t, fixture(), true)
	s.do("short window", chromedp.EmulateViewport(1200, 420))
	s.do("open the chronology", chromedp.Navigate(s.url+"/events"), chromedp.WaitVisible(chromedp.CSS(`#f-from`)))
	s.waitFor("htmx loaded", `typeof window.htmx === "object"`)
	eval[bool](s, "count settles", `(window.__tlSettled = 0, document.body.addEventListener("htmx:afterSettle", () => window.__tlSettled++), true)`)
	s.do("open the tags panel", chromedp.Click(chromedp.CSS(`#f-tag summary`)))
	s.do("scroll down", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 300)`))
	before := eval[float64](s, "scroll", `window.scrollY`)
	if before < 250 {
		t.Fatalf("the page scrolled to %v only: too short to test", before)
	}
	// The sticky filters are in view although the page has scrolled.
	if top := eval[float64](s, "form top", `document.querySelector('#filters').getBoundingClientRect().top`); top < 0 || top > 40 {
		t.Errorf("the filters' top is at %v px after scrolling: not sticky", top)
	}
	s.do("tick summit", chromedp.Click(chromedp.CSS(`#f-cat-summit`)))
	s.waitFor("swapped", `window.__tlSettled >= 1 && location.search.includes("category=summit")`)
	if got := eval[bool](s, "tags panel", `document.querySelector('#f-tag').open`); !got {
		t.Error("the filter change closed the Tags panel")
	}
	if after := eval[float64](s, "scroll", `window.scrollY`); math.Abs(after-before) > 2 {
		t.Errorf("the page jumped from %v to %v px", before, after)
	}
	if got := eval[string](s, "title", `document.title`); !strings.HasPrefix(got, "Summit · ") {
		t.Errorf("title %q does not name the filter", got)
	}
	live := eval[[]string](s, "live region", `(() => { const e = document.querySelector('#announce'); return [e.getAttribute('aria-live'), e.textContent]; })()`)
	if live[0] != "polite" || live[1] != "2 events: Summit." {
		t.Errorf("live region %v, want polite and “2 events: Summit.”", live)
	}
	// The reader closes the panel: it stays closed through the next change.
	s.do("close the tags panel", chromedp.Click(chromedp.CSS(`#f-tag summary`)))
	s.do("open the actors panel", chromedp.Evaluate[chromedp.Void](`document.querySelector('#f-actor').open = true`))
	s.do("tick an actor", chromedp.Click(chromedp.CSS(`#f-actor-kim-jong-il`)))
	s.waitFor("swapped again", `window.__tlSettled >= 2 && location.search.includes("actor=kim-jong-il")`)
	if got := eval[[]bool](s, "panels", `[document.querySelector('#f-tag').open, document.querySelector('#f-actor').open]`); got[0] || !got[1] {
		t.Errorf("panels open (tags, actors) = %v, want as the reader left them (false, true)", got)
	}
}

// TestBrowserPhoneFiltersBehindAButton: on a phone the results come first
// and the filters open from a button above them; without JavaScript the
// button leads to the filters below the results.
func TestBrowserPhoneFiltersBehindAButton(t *testing.T) {
	for _, scripts := range []bool{true, false} {
		s := newBrowseSession(t, fixture(), scripts)
		s.do("phone", chromedp.EmulateViewport(360, 740))
		s.do("open the chronology", chromedp.Navigate(s.url+"/events?category=summit"), chromedp.WaitReady(chromedp.CSS(`footer`)))
		if scripts {
			s.waitFor("script ran", `document.documentElement.classList.contains("js-filters")`)
		}
		pos := eval[[]float64](s, "positions", `[document.querySelector('[data-testid="filters-button"]').getBoundingClientRect().top,
			document.querySelector('[data-testid="results"]').getBoundingClientRect().top,
			document.querySelector('#filters').getBoundingClientRect().height,
			document.querySelector('#filters').getBoundingClientRect().top]`)
		if pos[0] >= pos[1] {
			t.Errorf("scripts %v: the filters button is not above the results", scripts)
		}
		if scripts {
			if pos[2] != 0 {
				t.Errorf("the filters show before the button is pressed")
			}
			s.do("press the button", chromedp.Click(chromedp.CSS(`[data-testid="filters-button"]`)))
			s.waitFor("filters open", `document.querySelector('#filters').getBoundingClientRect().height > 0`)
			open := eval[[]float64](s, "open", `[document.querySelector('#filters').getBoundingClientRect().top, document.querySelector('[data-testid="results"]').getBoundingClientRect().top]`)
			if open[0] >= open[1] {
				t.Error("the opened filters are not above the results")
			}
			if got := eval[string](s, "expanded", `document.querySelector('[data-testid="filters-button"]').getAttribute('aria-expanded')`); got != "true" {
				t.Errorf("aria-expanded = %q after opening", got)
			}
		} else if pos[2] == 0 || pos[3] <= pos[1] {
			t.Errorf("without JavaScript the filters are not below the results (top %v, results %v)", pos[3], pos[1])
		}
	}
}
