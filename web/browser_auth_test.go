package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/timeline"
)

// findChromium returns Debian's chromium, or skips the test (fails it when
// TIMELINE_REQUIRE_BROWSER=1, as in CI).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("TIMELINE_REQUIRE_BROWSER") == "1" {
		t.Fatal("chromium not found and TIMELINE_REQUIRE_BROWSER=1: install Debian's chromium")
	}
	t.Skip("chromium not found: skipping the browser test (install Debian's chromium to run it)")
	return ""
}

// newBrowser starts a headless chromium with a throwaway profile.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := findChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(1200, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// A browser session may take as long as the test binary allows, less a
	// margin for the report: on a loaded 2-core machine a walk over every
	// page type takes minutes, and a fixed 90 s failed tests that were right.
	// A hang still ends with go test's own -timeout.
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(10 * time.Minute)
	}
	ctx, cancelTimeout := context.WithDeadline(ctx, deadline.Add(-30*time.Second))
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func TestBrowserEditorFlow(t *testing.T) {
	ctx := newBrowser(t)
	hs := newTestEnv(t)
	hs.addUser("alice", timeline.RoleEditor)

	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	get := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	text := func(step, sel string) string {
		t.Helper()
		return strings.TrimSpace(get(step, chromedp.Text(chromedp.CSS(sel))))
	}

	run("log in",
		chromedp.Navigate(hs.url+"/events/new"), // sends us to the login page and back
		chromedp.WaitVisible(chromedp.CSS(`#login-username`)),
		chromedp.SendKeys(chromedp.CSS(`#login-username`), "alice"),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), testPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-form"]`)),
	)
	if got := text("user area", `[data-testid="signed-in-as"]`); got != "alice" {
		t.Fatalf("signed in as %q, want alice", got)
	}

	title := `Stockholm consultations <script>alert("x")</script>`
	run("fill the form with a bad date",
		chromedp.SendKeys(chromedp.CSS(`#f-start`), "2014-13"),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), title),
		chromedp.SendKeys(chromedp.CSS(`#f-summary`), "Officials of Japan and North Korea met in Stockholm."),
		chromedp.SetValue(chromedp.CSS(`#f-category`), "negotiation"),
		chromedp.SendKeys(chromedp.CSS(`#f-sources-0-publisher`), "Ministry of Foreign Affairs of Japan"),
		chromedp.SendKeys(chromedp.CSS(`#f-sources-0-title`), "Japan-North Korea intergovernmental consultations"),
		chromedp.SendKeys(chromedp.CSS(`#f-sources-0-url`), "https://www.mofa.go.jp/"),
		chromedp.Click(chromedp.CSS(`[data-testid="add-source"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-sources-1-publisher`)),
		chromedp.SendKeys(chromedp.CSS(`#f-sources-1-publisher`), "NHK"),
		chromedp.SendKeys(chromedp.CSS(`#f-sources-1-title`), "日朝政府間協議"),
		chromedp.SetValue(chromedp.CSS(`#f-sources-1-language`), "ja"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="problem-start"]`)),
	)
	if got := text("start problem", `[data-testid="problem-start"]`); !strings.Contains(got, "months must be 01–12") {
		t.Errorf("start problem %q", got)
	}
	typedTitle := get("typed title kept", chromedp.Value(chromedp.CSS(`#f-title`)))
	typedStart := get("typed start kept", chromedp.Value(chromedp.CSS(`#f-start`)))
	typedPublisher := get("typed publisher kept", chromedp.Value(chromedp.CSS(`#f-sources-1-publisher`)))
	if typedTitle != title || typedStart != "2014-13" || typedPublisher != "NHK" {
		t.Errorf("kept title %q, start %q, publisher %q", typedTitle, typedStart, typedPublisher)
	}

	run("fix the date and save",
		chromedp.SetValue(chromedp.CSS(`#f-start`), "2014-05"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-page"]`)),
	)
	if got := text("date", `[data-testid="event-date"] time`); got != "May 2014" {
		t.Errorf("event date %q, want May 2014", got)
	}
	if got := text("title", `h1`); got != title {
		t.Errorf("title %q, want it shown as text", got)
	}
	sources, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="sources"] li').length`))
	if err != nil {
		t.Fatalf("count sources: %v", err)
	}
	if sources != 2 {
		t.Errorf("%d sources, want 2", sources)
	}

	run("edit",
		chromedp.Click(chromedp.CSS(`.editor-links a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SetValue(chromedp.CSS(`#f-title`), "Stockholm consultations (edited)"),
		chromedp.SendKeys(chromedp.CSS(`#f-edit-summary`), "shorter title"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-page"]`)),
	)
	if got := text("edited title", `h1`); got != "Stockholm consultations (edited)" {
		t.Errorf("edited title %q", got)
	}

	run("restore the first revision",
		chromedp.Click(chromedp.CSS(`.editor-links a[href$="/history"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="history"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="restore-1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-page"]`)),
	)
	if got := text("restored title", `h1`); got != title {
		t.Errorf("restored title %q, want %q", got, title)
	}

	run("log out",
		chromedp.Click(chromedp.CSS(`[data-testid="logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-link"]`)),
	)
	run("editor page after logout", chromedp.Navigate(hs.url+"/events/new"), chromedp.WaitVisible(chromedp.CSS(`#login-username`)))
	loc := get("location", chromedp.Location())
	wantContains(t, fmt.Sprintf("after logout /events/new went to %s", loc), loc, "/login?next=")
}
