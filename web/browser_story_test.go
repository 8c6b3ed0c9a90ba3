package web

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/japan-dprk/timeline/data"
)

// slide is the slug of the event the story page shows.
func (s *browseSession) slide() string {
	s.t.Helper()
	return eval[string](s, "read slide", `(document.querySelector('[data-testid="slide"]') || {dataset: {}}).dataset.slug || ""`)
}

// storyAt waits until the story shows slug, with the step's permalink in
// the address bar.
func (s *browseSession) storyAt(step, slug string) {
	s.t.Helper()
	s.waitFor(step, `document.readyState === "complete" && location.search.includes("at=`+slug+`") && (document.querySelector('[data-testid="slide"]') || {dataset: {}}).dataset.slug === "`+slug+`"`)
}

// The summits and abductions of the fixture, in order.
var storySteps = []string{"abduction-of-yokota-megumi", "summit-2002", "return-of-five", "summit-2004"}

func TestBrowserStoryLinksAndArrowKeys(t *testing.T) {
	s := newBrowseSession(t, fixture(), true)
	s.do("open the story", chromedp.Navigate(s.url+"/story?category=summit&category=abduction"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="slide"]`)))
	if got := s.slide(); got != storySteps[0] {
		t.Fatalf("the story opens at %q, want %q", got, storySteps[0])
	}
	s.do("next by link", chromedp.Click(chromedp.CSS(`[data-testid="story-next"]`)))
	s.storyAt("next by link", storySteps[1])
	s.do("next by arrow key", chromedp.KeyEvent(kb.ArrowRight))
	s.storyAt("next by arrow key", storySteps[2])
	s.do("next by arrow key again", chromedp.KeyEvent(kb.ArrowRight))
	s.storyAt("next by arrow key again", storySteps[3])
	if got := eval[string](s, "progress", `document.querySelector('[data-testid="story-progress"]').textContent`); got != "Step 4 of 4" {
		t.Errorf("progress reads %q, want Step 4 of 4", got)
	}
	// At the end, the right arrow stays put.
	s.do("arrow past the end", chromedp.KeyEvent(kb.ArrowRight))
	if got := s.slide(); got != storySteps[3] {
		t.Errorf("the right arrow at the last step moved to %q", got)
	}
	s.do("previous by arrow key", chromedp.KeyEvent(kb.ArrowLeft))
	s.storyAt("previous by arrow key", storySteps[2])
	s.do("previous by link", chromedp.Click(chromedp.CSS(`[data-testid="story-prev"]`)))
	s.storyAt("previous by link", storySteps[1])
	// A step's mark on the strip is a link to that step.
	s.do("strip mark", chromedp.Click(chromedp.CSS(`[data-testid="strip-summit-2004"] circle`)))
	s.storyAt("strip mark", "summit-2004")
	// The address is the step's permalink: opened afresh, it shows the
	// same step.
	here := s.location().String()
	s.do("open the permalink", chromedp.Navigate(s.url+"/"), chromedp.Navigate(here))
	s.storyAt("permalink", "summit-2004")
}

func TestBrowserStoryWithoutJavaScript(t *testing.T) {
	s := newBrowseSession(t, fixture(), false)
	s.do("open the story", chromedp.Navigate(s.url+"/story?category=summit&category=abduction&at=summit-2002"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="slide"]`)))
	s.do("next by link", chromedp.Click(chromedp.CSS(`[data-testid="story-next"]`)))
	s.storyAt("next by link", storySteps[2])
	s.do("previous by link", chromedp.Click(chromedp.CSS(`[data-testid="story-prev"]`)))
	s.storyAt("previous by link", storySteps[1])
	s.do("previous by link again", chromedp.Click(chromedp.CSS(`[data-testid="story-prev"]`)))
	s.storyAt("previous by link again", storySteps[0])
	// Without scripts the arrow keys are the browser's own: no step moves.
	s.do("arrow key", chromedp.KeyEvent(kb.ArrowRight))
	if got := s.slide(); got != storySteps[0] {
		t.Errorf("the right arrow moved the story to %q without JavaScript", got)
	}
	// The thread opens from the event page, by link.
	s.do("open an event", chromedp.Navigate(s.url+"/events/return-of-five"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="thread-link"]`)))
	s.do("open its thread", chromedp.Click(chromedp.CSS(`[data-testid="thread-link"]`)))
	s.waitFor("thread opened", `document.readyState === "complete" && location.pathname === "/story" && location.search.includes("thread=return-of-five")`)
	if got := s.slide(); got != "summit-2002" {
		t.Errorf("the thread opens at %q, want its earliest event summit-2002", got)
	}
}

// TestBrowserStoryAndEraPagesOnAPhone: the story, era and event pages of
// the shipped dataset fit a 360 px screen without scrolling sideways.
func TestBrowserStoryAndEraPagesOnAPhone(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowseSession(t, ds, true)
	s.do("phone viewport", chromedp.EmulateViewport(360, 740))
	for _, path := range []string{
		"/story?category=abduction&from=1977&to=1983",
		"/story?thread=koizumi-kim-summit-2002&at=return-of-five-abductees-2002",
		"/story?from=2014&to=2016&at=stockholm-agreement-2014",
		"/eras",
		"/eras/koizumi-summits",
		"/events/return-of-five-abductees-2002",
	} {
		s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitReady(chromedp.CSS(`footer`)))
		wide := eval[[]string](s, "overflow", `(() => {
			const w = document.documentElement.clientWidth, out = [];
			if (document.documentElement.scrollWidth > w) out.push("page " + document.documentElement.scrollWidth + "px");
			for (const e of document.querySelectorAll('main *')) {
				if (e.closest('.tl-scroll')) continue; // an era's drawing scrolls inside its own box
				const r = e.getBoundingClientRect();
				if (r.width > 0 && r.right > w + 1) out.push(e.tagName.toLowerCase() + " to " + Math.round(r.right) + "px");
			}
			return out.slice(0, 5);
		})()`)
		if len(wide) > 0 {
			t.Errorf("%s is wider than a 360 px screen: %v", path, wide)
		}
	}
}
