package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/timeline"
)

// TestBrowserEDTFForm: in Chromium, an editor reads the EDTF help beside
// the date fields, types a date the rules refuse and is told which, types
// an approximate date and then an open interval, and sees each said in
// words; the chronology's certainty control then shows the open-ended
// event for dates possibly in a range and hides it for dates certainly
// in it.
func TestBrowserEDTFForm(t *testing.T) {
	ctx := newBrowser(t)
	hs := newTestEnv(t)
	hs.addUser("alice", timeline.RoleEditor)
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(step, sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return strings.TrimSpace(v)
	}

	run("log in",
		chromedp.Navigate(hs.url+"/events/new"),
		chromedp.WaitVisible(chromedp.CSS(`#login-username`)),
		chromedp.SendKeys(chromedp.CSS(`#login-username`), "alice"),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), testPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-form"]`)),
	)
	if help := text("help", `[data-testid="edtf-help"]`); !strings.Contains(help, "EDTF") || !strings.Contains(help, "198X") {
		t.Errorf("the EDTF help reads %q", help)
	}
	run("a day without its month",
		chromedp.SendKeys(chromedp.CSS(`#f-start`), "2019-XX-05"),
		chromedp.SendKeys(chromedp.CSS(`#f-slug`), "secret-contact"),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Secret contact reported"),
		chromedp.SendKeys(chromedp.CSS(`#f-summary`), "Officials of Japan and North Korea were reported to have met."),
		chromedp.SetValue(chromedp.CSS(`#f-category`), "negotiation"),
		chromedp.SendKeys(chromedp.CSS(`#f-sources-0-publisher`), "Kyodo"),
		chromedp.SendKeys(chromedp.CSS(`#f-sources-0-title`), "Report"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="problem-start"]`)),
	)
	if got := text("start problem", `[data-testid="problem-start"]`); !strings.Contains(got, "a day needs a known month") {
		t.Errorf("start problem %q", got)
	}
	run("an approximate month",
		chromedp.SetValue(chromedp.CSS(`#f-start`), "1977-11~"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-page"]`)),
	)
	if got := text("date", `[data-testid="event-date"] time`); got != "c. November 1977" {
		t.Errorf("event date %q, want c. November 1977", got)
	}
	if got := text("precision", `[data-testid="event-date"] .precision`); !strings.Contains(got, "approximate") {
		t.Errorf("precision note %q does not say approximate", got)
	}
	run("an open interval typed in the start",
		chromedp.Navigate(hs.url+"/events/secret-contact/edit"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-form"]`)),
	)
	if got := text("hint", `#f-start-hint`); got != "month precision: c. November 1977" {
		t.Errorf("start hint %q", got)
	}
	run("save the interval",
		chromedp.SetValue(chromedp.CSS(`#f-start`), "2019-06/.."),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-page"]`)),
	)
	if got := text("date", `[data-testid="event-date"] time`); got != "June 2019 onwards" {
		t.Errorf("event date %q, want June 2019 onwards", got)
	}
	for _, c := range []struct {
		certainty string
		shown     bool
	}{{"", true}, {"certain", false}} {
		run("the chronology, certainty "+c.certainty,
			chromedp.Navigate(hs.url+"/events?from=2020&to=2021&certainty="+c.certainty),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="filter-certainty"]`)),
		)
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('a[href="/events/secret-contact"]')`))
		if err != nil {
			t.Fatal(err)
		}
		if shown != c.shown {
			t.Errorf("certainty=%q: the open-ended event shown %v, want %v", c.certainty, shown, c.shown)
		}
		sel, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`[data-testid="filter-certainty"]`)))
		if err != nil || sel != c.certainty {
			t.Errorf("the certainty control reads %q (%v), want %q", sel, err, c.certainty)
		}
	}
}
