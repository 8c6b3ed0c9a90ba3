package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// key presses keys on whatever has focus, as a keyboard would.
func (a *a11yEnv) key(step, keys string, opts ...chromedp.KeyOption) {
	a.t.Helper()
	a.do(step, chromedp.KeyEvent(keys, opts...))
}

// active describes the focused element: its id, or its tag and text.
func (a *a11yEnv) active() string {
	a.t.Helper()
	v, err := chromedp.Run(a.ctx, chromedp.Evaluate[string](`(() => { const e = document.activeElement; if (!e || e === document.body) return "(body)"; return e.id ? "#" + e.id : e.tagName.toLowerCase() + " " + JSON.stringify((e.textContent || e.value || "").trim().slice(0, 40)); })()`))
	if err != nil {
		a.t.Fatalf("active element: %v", err)
	}
	return v
}

// tabTo presses Tab until the focused element matches the CSS selector,
// and returns how many presses it took. Each element reached on the way
// must show its focus; more than limit presses fail the test.
func (a *a11yEnv) tabTo(sel string, limit int) int {
	a.t.Helper()
	for n := 1; n <= limit; n++ {
		a.key("tab", "\t")
		got, err := chromedp.Run(a.ctx, chromedp.Evaluate[[]string](`(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return ["", "body"];
			const c = getComputedStyle(e);
			let shown = e.matches(':focus-visible') && c.outlineStyle !== "none" && parseFloat(c.outlineWidth) >= 2;
			if (!shown && e.closest('svg')) shown = [...e.querySelectorAll('rect, circle, path')].some(s => parseFloat(getComputedStyle(s).strokeWidth) >= 2);
			return [String(e.matches(`+jsString(sel)+`)), shown ? "" : e.outerHTML.slice(0, 100)];
		})()`))
		if err != nil {
			a.t.Fatalf("tab to %s: %v", sel, err)
		}
		if got[1] != "" {
			a.t.Errorf("tabbing to %s: %s has focus but shows none", sel, got[1])
		}
		if got[0] == "true" {
			return n
		}
	}
	a.t.Fatalf("%d presses of Tab never reached %s (focus is on %s)", limit, sel, a.active())
	return 0
}

// js evaluates a JavaScript expression and returns it as a string.
func (a *a11yEnv) js(expr string) string {
	a.t.Helper()
	v, err := chromedp.Run(a.ctx, chromedp.Evaluate[string]("String("+expr+")"))
	if err != nil {
		a.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS polls a JavaScript predicate until it holds, across page loads.
func (a *a11yEnv) waitJS(step, predicate string) {
	a.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := chromedp.Run(a.ctx, chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || a.ctx.Err() != nil {
			a.t.Fatalf("%s: waiting for %s: %v (at %s, focus on %s)", step, predicate, err, a.js("location.href"), a.active())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserKeyboardWalk signs in, filters the chronology, opens an event,
// edits it, makes a mistake, follows the error summary to the field, fixes
// it and saves, with the keyboard alone: Tab, Shift, Space, Enter, End,
// Ctrl+A and typed text, no clicks and no navigation by address after the
// first. Every element that Tab reaches on the way must show its focus.
func TestBrowserKeyboardWalk(t *testing.T) {
	a := newA11yEnv(t)
	var walk []string // what was pressed, for the log
	note := func(format string, args ...any) { walk = append(walk, fmt.Sprintf(format, args...)) }
	defer func() { t.Logf("keyboard walk:\n  %s", strings.Join(walk, "\n  ")) }()

	a.do("open the login page", chromedp.Navigate(a.url+"/login?next=%2Fevents"), chromedp.WaitVisible(chromedp.CSS(`#login-username`)))
	if got := a.active(); got != "#login-username" {
		t.Fatalf("the login page opens with focus on %s, want the user name", got)
	}
	a.key("type the user name", "alice")
	a.key("to the password", "\t")
	a.key("type the password and send", testPassword+"\r")
	a.waitJS("signed in", `location.pathname === "/events" && !!document.querySelector('[data-testid="signed-in-as"]')`)
	note("login: user name has focus on load; type it, Tab, type the password, Enter → /events")

	// The first two stops are the skip links, shown when focused.
	n := a.tabTo(`a.skip[href="#main"]`, 1)
	n += a.tabTo(`[data-testid="skip-results"]`, 1)
	if a.js(`document.activeElement.getBoundingClientRect().left >= 0`) != "true" {
		t.Error("the focused skip link is off screen")
	}
	note("Tab ×%d: “Skip to content”, then “Skip to results”, each shown on screen when focused", n)

	a.waitJS("htmx loaded", `typeof window.htmx === "object"`)
	n = a.tabTo(`#f-from`, 20)
	a.key("type from", "2014")
	a.key("leave from", "\t")
	a.waitJS("filtered by from", `location.search.includes("from=2014") && !document.querySelector('.htmx-request')`)
	a.waitJS("focus kept on To", `document.activeElement && document.activeElement.id === "f-to"`)
	note("Tab ×%d to From, type 2014, Tab: the list narrows (htmx) and focus stays on To", n)

	n = a.tabTo(`#f-cat-negotiation`, 20)
	a.key("tick negotiation", " ")
	a.waitJS("filtered by category", `location.search.includes("category=negotiation") && !document.querySelector('.htmx-request')`)
	a.waitJS("focus kept on the box", `document.activeElement && document.activeElement.id === "f-cat-negotiation" && document.activeElement.checked`)
	note("Tab ×%d to the Negotiation box, Space: the list narrows again, focus stays on the ticked box", n)

	n = a.tabTo(`[data-testid="event-list"] .title a`, 150)
	title := a.js(`document.activeElement.textContent.trim()`)
	a.key("open the event", "\r")
	a.waitJS("event page", `!!document.querySelector('[data-testid="event-page"]')`)
	note("Tab ×%d past the rest of the filters and the controls above the list to the first event, “%s”; Enter opens it", n, title)

	n = a.tabTo(`.editor-links a[href$="/edit"]`, 30)
	a.key("open the form", "\r")
	a.waitJS("edit form", `!!document.querySelector('[data-testid="event-form"]')`)
	note("Tab ×%d to Edit, Enter", n)

	start := a.js(`document.querySelector("#f-start").value`)
	a.tabTo(`a.skip[href="#main"]`, 1)
	a.key("skip the header", "\r")
	n = a.tabTo(`#f-start`, 10)
	a.key("select the start", "a", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	a.key("mistype the start", "2014-13")
	m := a.tabTo(`#f-title`, 10)
	a.key("end of the title", kb.End)
	a.key("add to the title", " (revised)")
	a.key("send the form", "\r")
	a.waitJS("form with problems", `!!document.querySelector('[data-testid="form-problems"]')`)
	if a.js(`document.activeElement.matches('.error-summary')`) != "true" {
		t.Errorf("after a refused save focus is on %s, want the error summary", a.active())
	}
	note("Tab, Enter on “Skip to content”; Tab ×%d to Start date, Ctrl+A, type 2014-13; Tab ×%d to Title, End, type “ (revised)”; Enter sends the form (422): focus is on the error summary at the top", n, m)

	n = a.tabTo(`.error-summary a[href="#f-start"]`, 3)
	a.key("follow the link", "\r")
	a.waitJS("focus on the field", `document.activeElement && document.activeElement.id === "f-start"`)
	described := a.js(`document.activeElement.getAttribute("aria-describedby").split(" ").map(i => document.getElementById(i).textContent.trim()).join(" | ")`)
	wantContains(t, fmt.Sprintf("the start field is described by %q, want its problem", described), described, "01–12")
	note("Tab ×%d to the summary's “Start date” link, Enter: focus is on the field, described by “%s”", n, described)

	a.key("select the start", "a", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	a.key("retype the start and save", start+"\r")
	a.waitJS("saved", `!!document.querySelector('[data-testid="event-page"]')`)
	h1 := a.js(`document.querySelector("h1").textContent.trim()`)
	date := a.js(`document.querySelector('[data-testid="event-date"] time').getAttribute("datetime")`)
	if !strings.HasSuffix(h1, "(revised)") || date != start {
		t.Errorf("after saving the event reads %q from %q, want the revised title from %s", h1, date, start)
	}
	note("Ctrl+A, retype %s, Enter: saved; the event page reads “%s”", start, h1)
}

// TestBrowserZoomAndReducedMotion loads the main pages at 200% zoom (a
// 1280×900 window shows 640×450 CSS pixels) with prefers-reduced-motion:
// nothing may scroll sideways except the timeline's own box, axe-core
// finds no serious violation in the narrow layout, the skip link must show
// when focused, and nothing may move.
func TestBrowserZoomAndReducedMotion(t *testing.T) {
	a := newA11yEnv(t)
	a.do("200% zoom", chromedp.EmulateViewport(640, 450, chromedp.EmulateScale(2)))
	if _, err := chromedp.Call(a.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	}); err != nil {
		t.Fatalf("emulate reduced motion: %v", err)
	}
	t.Run("filters opened from the keyboard", func(t *testing.T) {
		a.t = t
		a.signIn("")
		a.do("open the chronology", chromedp.Navigate(a.url+"/events"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="filters-button"]`)))
		a.waitJS("scripts", `document.documentElement.classList.contains("js-filters")`)
		a.tabTo(`[data-testid="filters-button"]`, 20)
		a.key("open the filters", "\r")
		a.waitJS("filters shown and focused", `document.activeElement && document.activeElement.id === "filters" && document.querySelector('#f-from').getClientRects().length > 0`)
		if got := a.js(`document.querySelector('[data-testid="filters-button"]').getAttribute("aria-expanded")`); got != "true" {
			t.Errorf("the opened filters' button says aria-expanded=%s", got)
		}
		a.tabTo(`#f-q`, 5)
		a.checkAxe("chronology at 200% with its filters open")
		if bad := a.eval(focusProbe); len(bad) > 0 {
			t.Errorf("with the filters open, %d controls show no focus indicator:\n    %s", len(bad), strings.Join(bad, "\n    "))
		}
	})
	for _, p := range a11yPages() {
		if p.open != nil {
			continue // the pages behind a form look like their form
		}
		t.Run(p.name, func(t *testing.T) {
			a.t = t
			a.signIn(p.as)
			a.do("open "+p.path, chromedp.Navigate(a.url+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
			if got := a.eval(`[String(matchMedia("(prefers-reduced-motion: reduce)").matches), String(document.documentElement.clientWidth)]`); got[0] != "true" || got[1] != "640" {
				t.Fatalf("reduced motion %s, width %s px: the emulation did not take", got[0], got[1])
			}
			wide := a.eval(`(() => {
				const w = document.documentElement.clientWidth, out = [];
				if (document.documentElement.scrollWidth > w) out.push("the page is " + document.documentElement.scrollWidth + " px wide");
				for (const e of document.querySelectorAll('body *')) {
					if (e.closest('.scroll, .visually-hidden, .skip, svg, [hidden]')) continue;
					const r = e.getBoundingClientRect();
					if (r.width > 0 && r.right > w + 1) out.push(e.tagName.toLowerCase() + (typeof e.className === "string" && e.className ? "." + e.className : "") + " reaches " + Math.round(r.right) + " px");
				}
				return out.slice(0, 5);
			})()`)
			if len(wide) > 0 {
				t.Errorf("%s at 200%%: %s", p.path, strings.Join(wide, "; "))
			}
			a.checkAxe(p.name + " at 200%")
			moving := a.eval(`(() => {
				const out = document.getAnimations().map(x => "animation on " + (x.effect && x.effect.target ? x.effect.target.tagName.toLowerCase() : "?"));
				if (getComputedStyle(document.documentElement).scrollBehavior !== "auto") out.push("smooth scrolling");
				for (const e of document.querySelectorAll('*')) {
					const c = getComputedStyle(e);
					const moves = d => d.split(",").some(v => parseFloat(v) > 0);
					if (moves(c.transitionDuration) || (c.animationName !== "none" && moves(c.animationDuration))) out.push(e.tagName.toLowerCase() + " transition " + c.transitionDuration + " animation " + c.animationName);
				}
				return out.slice(0, 5);
			})()`)
			if len(moving) > 0 {
				t.Errorf("%s with reduced motion still moves: %s", p.path, strings.Join(moving, "; "))
			}
			if a.js(`document.activeElement === document.body`) != "true" {
				return // the page puts the focus in its form (login)
			}
			a.key("focus the skip link", "\t")
			if got := a.eval(`(() => { const r = document.activeElement.getBoundingClientRect(); return [document.activeElement.className, String(r.left >= 0 && r.right <= document.documentElement.clientWidth && r.top >= 0)]; })()`); got[0] != "skip" || got[1] != "true" {
				t.Errorf("%s at 200%%: the first Tab reaches %q, shown on screen %s; want the skip link, shown", p.path, got[0], got[1])
			}
		})
	}
}
