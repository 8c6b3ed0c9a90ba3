package web

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// axe-core 4.14.1 (npm axe-core, MPL-2.0, © Deque Systems; its licence files
// sit beside it). It is loaded into pages by the tests only and never served.
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// axeTags are the rule sets we hold pages to: WCAG 2.0–2.2 A and AA and
// axe's best practices. target-size (WCAG 2.2, 2.5.8) is off by default in
// axe, so it is switched on by name.
const axeRun = `(async () => {
	const r = await axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
		rules: {"target-size": {enabled: true}},
		resultTypes: ["violations"],
	});
	return JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map(n => ({impact: n.impact || "", target: n.target.map(String).join(" "), html: n.html.slice(0, 200), summary: n.failureSummary || ""})),
	})));
})()`

// axeViolation is one rule that failed on a page, with its elements.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	Impact  string `json:"impact"`
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

// a11ySlug is the event that the signed-in pages edit; it has two versions.
const a11ySlug = "stockholm-agreement-2014"

// a11yEnv is a fresh server with the shipped dataset, an editor and an
// admin, and one browser tab.
type a11yEnv struct {
	t     *testing.T
	ctx   context.Context
	store *timeline.Store
	url   string
	as    string // who the tab is signed in as, "" for nobody
}

func newA11yEnv(t *testing.T) *a11yEnv {
	t.Helper()
	ctx := newBrowser(t)
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	store, err := timeline.Open(context.Background(), filepath.Join(t.TempDir(), "a11y.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Import(context.Background(), ds, timeline.Change{Author: "test"}, timeline.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"alice": timeline.RoleEditor, "root": timeline.RoleAdmin} {
		if _, err := store.CreateUser(context.Background(), name, role, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	// A second version, so that the event has a difference to show.
	e, err := store.GetEvent(context.Background(), a11ySlug)
	if err != nil {
		t.Fatal(err)
	}
	e.Summary += " Both sides called it a new start."
	if err := store.UpdateEvent(context.Background(), a11ySlug, &e, timeline.Change{Author: "alice", Summary: "a second version"}); err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, withConfig(Config{Store: store}), withFixedClock())
	return &a11yEnv{t: t, ctx: ctx, store: store, url: env.url}
}

func (a *a11yEnv) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	a.t.Helper()
	if err := chromedp.Do(a.ctx, actions...); err != nil {
		a.t.Fatalf("%s: %v", step, err)
	}
}

// signIn makes the tab signed in as user ("" signs out) through the login
// form, as a person would.
func (a *a11yEnv) signIn(user string) {
	a.t.Helper()
	if a.as == user {
		return
	}
	if _, err := chromedp.Call(a.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		a.t.Fatalf("clear cookies: %v", err)
	}
	a.as = ""
	if user == "" {
		return
	}
	a.do("sign in as "+user,
		chromedp.Navigate(a.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-username`)),
		chromedp.SendKeys(chromedp.CSS(`#login-username`), user),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), testPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="signed-in-as"]`)),
	)
	a.as = user
}

// firstVersionTime is the as_of parameter of the moment the first version
// of event slug was made.
func (a *a11yEnv) firstVersionTime(slug string) string {
	a.t.Helper()
	revs, err := a.store.Revisions(context.Background(), slug)
	if err != nil {
		a.t.Fatal(err)
	}
	return url.QueryEscape(timeline.FormatAsOf(revs[len(revs)-1].CreatedAt))
}

// axe runs axe-core on the page in the tab and returns its violations.
// axe is evaluated through DevTools, so the page's Content-Security-Policy
// (our own scripts only) stays as readers get it.
func (a *a11yEnv) axe() []axeViolation {
	a.t.Helper()
	if _, err := chromedp.Run(a.ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		a.t.Fatalf("load axe-core: %v", err)
	}
	out, err := chromedp.Run(a.ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		a.t.Fatalf("run axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		a.t.Fatalf("axe-core results: %v", err)
	}
	return vs
}

// a11yPage is one page type held to axe-core. A page is opened by
// navigating to path, signed in as `as`; open, when set, replaces the
// navigation for pages reached through a form (a form with errors, a
// conflict, an import report). wait is a selector that shows the page is
// the one meant.
type a11yPage struct {
	name string
	as   string // "", "alice" (editor) or "root" (admin)
	path string
	wait string
	open func(a *a11yEnv)
}

// a11yPages lists every page type. Add a row for each new kind of page.
func a11yPages() []a11yPage {
	const slug = a11ySlug
	return []a11yPage{
		{name: "home", path: "/", wait: `[data-testid="event-list"]`},
		{name: "filtered list", path: "/events?from=2002&to=2004&category=summit&category=abduction", wait: `[data-testid="event-list"]`},
		{name: "search results", path: "/events?q=%E6%8B%89%E8%87%B4&sort=relevance", wait: `[data-testid="event-list"]`},
		{name: "search results by date", path: "/events?q=stockholm", wait: `[data-testid="event-list"]`},
		{name: "event", path: "/events/koizumi-kim-summit-2002", wait: `[data-testid="event-page"]`},
		{name: "actors", path: "/actors", wait: `h1`},
		{name: "actor", path: "/actors/koizumi-junichiro", wait: `[data-testid="event-list"]`},
		{name: "tags", path: "/tags", wait: `h1`},
		{name: "tag", path: "/tags/abductions", wait: `[data-testid="event-list"]`},
		{name: "eras", path: "/eras", wait: `[data-testid="eras"]`},
		{name: "era", path: "/eras/koizumi-summits", wait: `[data-testid="event-list"]`},
		{name: "timeline", path: "/timeline", wait: `[data-testid="timeline"]`},
		{name: "timeline selected", path: "/timeline?from=2014-01&to=2016-06&sel=stockholm-agreement-2014", wait: `[data-testid="tl-panel"]`},
		{name: "timeline zoomed", path: "/timeline?from=2002&to=2004", wait: `[data-testid="timeline"]`},
		{name: "story", path: "/story?from=2002&to=2004", wait: `[data-testid="story"]`},
		{name: "story step", path: "/story?from=2002&to=2004&at=koizumi-kim-summit-2002", wait: `[data-testid="story"]`},
		{name: "story thread", path: "/story?thread=koizumi-kim-summit-2002", wait: `[data-testid="story"]`},
		{name: "400 story", path: "/story?at=Not%20A%20Slug", wait: `[data-testid="filter-errors"]`},
		{name: "about", path: "/about", wait: `h1`},
		{name: "api", path: "/api", wait: `h1`},
		{name: "404", path: "/events/no-such-event", wait: `[data-testid="error-page"]`},
		{name: "400 filter", path: "/events?from=2014-13", wait: `[data-testid="filter-errors"]`},
		{name: "400 timeline", path: "/timeline?from=someday&sig=9", wait: `[data-testid="filter-errors"]`},
		{name: "certain dates", path: "/events?from=2013&to=2014&certainty=certain", wait: `[data-testid="event-list"]`},
		{name: "400 certainty", path: "/events?certainty=sure", wait: `[data-testid="filter-errors"]`},
		{name: "uncertain event", path: "/events/informal-talks-2013", wait: `[data-testid="event-page"]`},
		{name: "login", path: "/login", wait: `[data-testid="login-form"]`},
		// The Japanese and Korean interfaces (/ja/…, /ko/…) of a few page types.
		{name: "ja home", path: "/ja/", wait: `[data-testid="event-list"]`},
		{name: "ko home", path: "/ko/", wait: `[data-testid="event-list"]`},
		{name: "ja event", path: "/ja/events/koizumi-kim-summit-2002", wait: `[data-testid="event-page"]`},
		{name: "ko event", path: "/ko/events/koizumi-kim-summit-2002", wait: `[data-testid="event-page"]`},
		{name: "ja timeline selected", path: "/ja/timeline?from=2014-01&to=2016-06&sel=stockholm-agreement-2014", wait: `[data-testid="tl-panel"]`},
		{name: "ko timeline", path: "/ko/timeline?from=2002&to=2004", wait: `[data-testid="timeline"]`},
		{name: "ja story step", path: "/ja/story?from=2002&to=2004&at=koizumi-kim-summit-2002", wait: `[data-testid="story"]`},
		{name: "ko 400 filter", path: "/ko/events?from=2014-13", wait: `[data-testid="filter-errors"]`},
		{name: "ja about", path: "/ja/about", wait: `h1`},
		{name: "ko edit form", as: "alice", path: "/ko/events/" + slug + "/edit", wait: `[data-testid="event-form"]`},
		{name: "ja edit form", as: "alice", path: "/ja/events/" + slug + "/edit", wait: `[data-testid="event-form"]`},
		{name: "login failed", wait: `[data-testid="login-error"]`, open: func(a *a11yEnv) {
			a.do("wrong password",
				chromedp.Navigate(a.url+"/login"),
				chromedp.WaitVisible(chromedp.CSS(`#login-username`)),
				chromedp.SendKeys(chromedp.CSS(`#login-username`), "alice"),
				chromedp.SendKeys(chromedp.CSS(`#login-password`), "not the password"),
				chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
			)
		}},
		{name: "new event form", as: "alice", path: "/events/new", wait: `[data-testid="event-form"]`},
		{name: "edit form", as: "alice", path: "/events/" + slug + "/edit", wait: `[data-testid="event-form"]`},
		{name: "form with errors", as: "alice", wait: `[data-testid="form-problems"]`, open: func(a *a11yEnv) {
			a.do("submit a bad form",
				chromedp.Navigate(a.url+"/events/"+slug+"/edit"),
				chromedp.WaitVisible(chromedp.CSS(`#f-start`)),
				chromedp.SetValue(chromedp.CSS(`#f-start`), "2014-13"),
				chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-title").value = ""`), // SetValue refuses ""
				chromedp.SetValue(chromedp.CSS(`#f-sources-0-url`), "ftp://example.org/"),
				chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
			)
		}},
		{name: "conflict", as: "alice", wait: `[data-testid="conflict"]`, open: func(a *a11yEnv) {
			a.do("open the form", chromedp.Navigate(a.url+"/events/"+slug+"/edit"), chromedp.WaitVisible(chromedp.CSS(`#f-title`)))
			ctx := context.Background()
			e, err := a.store.GetEvent(ctx, slug)
			if err != nil {
				a.t.Fatal(err)
			}
			e.Summary += " (edited meanwhile)"
			if err := a.store.UpdateEvent(ctx, slug, &e, timeline.Change{Author: "root", Summary: "meanwhile"}); err != nil {
				a.t.Fatal(err)
			}
			a.do("save over it",
				chromedp.SetValue(chromedp.CSS(`#f-edit-summary`), "my edit"),
				chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
			)
		}},
		{name: "event with footnotes", path: "/events/return-of-five-abductees-2002", wait: `[data-testid="footnote"]`},
		{name: "correction form", path: "/events/" + slug + "/correct", wait: `[data-testid="correction-form"]`},
		{name: "correction form with errors", wait: `[data-testid="correction-problems"]`, open: func(a *a11yEnv) {
			a.do("send an empty suggestion",
				chromedp.Navigate(a.url+"/events/"+slug+"/correct"),
				chromedp.WaitVisible(chromedp.CSS(`#f-what`)),
				chromedp.Submit(chromedp.CSS(`[data-testid="correction-form"]`)),
			)
		}},
		{name: "correction sent", wait: `[data-testid="correction-sent"]`, open: func(a *a11yEnv) {
			a.do("send a suggestion",
				chromedp.Navigate(a.url+"/events/"+slug+"/correct"),
				chromedp.WaitVisible(chromedp.CSS(`#f-what`)),
				chromedp.SendKeys(chromedp.CSS(`#f-what`), "The date should be 17 September."),
				chromedp.SendKeys(chromedp.CSS(`#f-evidence`), "https://www.mofa.go.jp/"),
				chromedp.Submit(chromedp.CSS(`[data-testid="correction-form"]`)),
			)
		}},
		{name: "correction lookup", path: "/corrections", wait: `[data-testid="correction-lookup"]`},
		{name: "correction declined", wait: `[data-testid="correction-reason"]`, open: func(a *a11yEnv) {
			ref := a.correction(slug)
			if err := a.store.DeclineCorrection(context.Background(), ref, "alice", "The sources say 17 September (日本語)."); err != nil {
				a.t.Fatal(err)
			}
			a.do("open its status", chromedp.Navigate(a.url+"/corrections/"+ref))
		}},
		{name: "corrections queue", as: "alice", wait: `[data-testid="queue-item"]`, open: func(a *a11yEnv) {
			a.correction(slug)
			a.do("open the queue", chromedp.Navigate(a.url+"/admin/corrections"))
		}},
		{name: "edit with a correction", as: "alice", wait: `[data-testid="correction-box"]`, open: func(a *a11yEnv) {
			a.do("open the form", chromedp.Navigate(a.url+"/events/"+slug+"/edit?correction="+a.correction(slug)))
		}},
		{name: "history", as: "alice", path: "/events/" + slug + "/history", wait: `[data-testid="history"]`},
		{name: "diff", as: "alice", path: "/events/" + slug + "/history/2", wait: `[data-testid="diff"]`},
		{name: "event as of an earlier version", wait: `[data-testid="asof-banner"]`, open: func(a *a11yEnv) {
			a.do("open the event as of version 1", chromedp.Navigate(a.url+"/events/"+slug+"?as_of="+a.firstVersionTime(slug)))
		}},
		{name: "chronology as of", wait: `[data-testid="asof-banner"]`, open: func(a *a11yEnv) {
			a.do("open the chronology as of version 1", chromedp.Navigate(a.url+"/events?from=2014&as_of="+a.firstVersionTime(slug)))
		}},
		{name: "public history", path: "/events/" + slug + "/history", wait: `[data-testid="history"]`},
		{name: "public diff between versions", path: "/events/" + slug + "/history/2?from=1", wait: `[data-testid="diff-from"]`},
		{name: "recent changes", path: "/changes", wait: `[data-testid="changes"]`},
		{name: "changes since", wait: `[data-testid="changes"]`, open: func(a *a11yEnv) {
			a.do("open the changes since version 1", chromedp.Navigate(a.url+"/changes?since="+a.firstVersionTime(slug)))
		}},
		{name: "delete confirm", as: "alice", path: "/events/" + slug + "/delete", wait: `[data-testid="confirm-delete"]`},
		{name: "deleted events", as: "alice", path: "/admin/deleted", wait: `h1`},
		{name: "import", as: "alice", path: "/import", wait: `[data-testid="import-form"]`},
		{name: "import report", as: "alice", wait: `[data-testid="import-report"]`, open: func(a *a11yEnv) {
			a.importFile(`[{"slug":"a11y-import","start":"2014-07","title":"An imported event","summary":"Imported.","category":"negotiation","significance":1,"sources":[{"publisher":"NHK","title":"News","language":"en"}]}]`)
		}},
		{name: "import problems", as: "alice", wait: `[data-testid="import-problems"]`, open: func(a *a11yEnv) {
			a.importFile(`[{"slug":"a11y-bad","start":"2014-13","title":"","summary":"","category":"nope","significance":9}]`)
		}},
		{name: "users", as: "root", path: "/admin/users", wait: `h1`},
		{name: "users with errors", as: "root", wait: `[data-testid="user-problems"]`, open: func(a *a11yEnv) {
			a.do("add a bad user",
				chromedp.Navigate(a.url+"/admin/users"),
				chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
				chromedp.SendKeys(chromedp.CSS(`#f-name`), "Bad Name!"),
				chromedp.SendKeys(chromedp.CSS(`#f-password`), "short"),
				chromedp.Submit(chromedp.CSS(`[data-testid="add-user"]`)),
			)
		}},
		{name: "audit", as: "root", path: "/admin/audit", wait: `h1`},
	}
}

// correction stores an open correction of event slug and returns its
// reference.
func (a *a11yEnv) correction(slug string) string {
	c := timeline.Correction{EventSlug: slug, What: "The title is wrong.", Evidence: "Asahi Shimbun, 18 September 2002", Name: "Hana", Contact: "hana@example.org"}
	if err := a.store.CreateCorrection(context.Background(), &c); err != nil {
		a.t.Fatal(err)
	}
	return c.Ref
}

// importFile uploads body as a JSON file through the import form.
func (a *a11yEnv) importFile(body string) {
	a.t.Helper()
	path := filepath.Join(a.t.TempDir(), "import.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		a.t.Fatal(err)
	}
	a.do("upload",
		chromedp.Navigate(a.url+"/import"),
		chromedp.WaitVisible(chromedp.CSS(`#import-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{path}),
		chromedp.Click(chromedp.CSS(`[data-testid="import-check"]`)),
	)
}

// structuralRules are axe rules of moderate impact that the test holds to
// as well: they are the screen reader's outline of the page (landmarks,
// one h1, no skipped heading level) and its skip link.
var structuralRules = map[string]bool{
	"heading-order": true, "page-has-heading-one": true, "empty-heading": true,
	"landmark-one-main": true, "landmark-unique": true, "landmark-no-duplicate-banner": true,
	"landmark-no-duplicate-contentinfo": true, "landmark-no-duplicate-main": true,
	"landmark-banner-is-top-level": true, "landmark-contentinfo-is-top-level": true,
	"landmark-main-is-top-level": true, "region": true, "skip-link": true,
}

// focusProbe focuses every visible control on the page, after one Tab so
// that Chromium is in keyboard mode, and lists those that show no focus
// indicator: an outline, or for a link in a drawing a stroke of 2 px or
// more on one of its shapes.
const focusProbe = `(() => {
	const bad = [];
	const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
	for (const e of document.querySelectorAll(sel)) {
		if (e.tabIndex < 0 || e.disabled || e.getClientRects().length === 0 || e.closest('[inert], [hidden]')) continue;
		e.focus();
		if (document.activeElement !== e) continue;
		const c = getComputedStyle(e);
		let shown = e.matches(':focus-visible') && c.outlineStyle !== "none" && parseFloat(c.outlineWidth) >= 2;
		if (!shown && e.closest('svg')) {
			shown = [...e.querySelectorAll('rect, circle, path')].some(s => { const sc = getComputedStyle(s); return sc.stroke !== "none" && parseFloat(sc.strokeWidth) >= 2; });
		}
		if (!shown) bad.push(e.outerHTML.slice(0, 120) + " (outline " + c.outlineStyle + " " + c.outlineWidth + ")");
	}
	document.activeElement && document.activeElement.blur();
	return bad;
})()`

// summaryProbe checks a page's error summary, if it has one: when it asks
// for focus it has it; each of its links leads to an element that exists;
// a linked control is marked invalid and described by its problem, and a
// linked group holds or is described by its problem.
const summaryProbe = `(() => {
	const bad = [], s = document.querySelector('.error-summary');
	if (!s) return bad;
	if (s.hasAttribute('autofocus') && document.activeElement !== s) bad.push("the summary asks for focus but " + (document.activeElement && document.activeElement.outerHTML.slice(0, 80)) + " has it");
	for (const a of s.querySelectorAll('a[href^="#"]')) {
		const id = decodeURIComponent(a.getAttribute('href').slice(1)), e = document.getElementById(id);
		if (!e) { bad.push(a.textContent + ": links to #" + id + ", which is not there"); continue; }
		const described = (e.getAttribute('aria-describedby') || "").split(/\s+/).filter(Boolean).map(i => document.getElementById(i));
		const problem = described.find(d => d && d.classList.contains('problem'));
		if (e.matches('input, select, textarea')) {
			if (e.getAttribute('aria-invalid') !== "true") bad.push(a.textContent + ": #" + id + " is not aria-invalid");
			if (!problem) bad.push(a.textContent + ": #" + id + " is not described by its problem");
		} else if (!e.classList.contains('problem') && !problem && !e.querySelector('.problem')) {
			bad.push(a.textContent + ": #" + id + " neither is nor holds its problem");
		}
	}
	return bad;
})()`

// langProbe lists text in Japanese or Korean script (and attributes a
// screen reader speaks) that no lang attribute marks as ja, ko or zh, so
// that an English voice would read it. Form fields are left out: what an
// editor types is not marked up.
const langProbe = `(() => {
	const cjk = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/;
	// getAttribute, not .lang: SVG elements (an era's name on a chart) have no lang property.
	const ok = e => { const l = e && e.closest('[lang]'); return l && /^(ja|ko|zh)\b/.test(l.getAttribute('lang')); };
	const bad = [];
	const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n; (n = w.nextNode());) {
		const p = n.parentElement;
		if (!cjk.test(n.data) || p.closest('textarea, script, style')) continue;
		if (!ok(p)) bad.push(p.tagName.toLowerCase() + ": " + n.data.trim().slice(0, 60));
	}
	for (const e of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
		for (const a of ["title", "aria-label", "placeholder", "alt"]) {
			const v = e.getAttribute(a);
			if (v && cjk.test(v) && !ok(e)) bad.push(e.tagName.toLowerCase() + " @" + a + ": " + v.slice(0, 60));
		}
	}
	return bad;
})()`

// TestAccessibilityPages opens every page type of a fresh server in
// Chromium and checks it as a screen reader's and a keyboard user's
// advocate would: axe-core finds no serious or critical violation and
// none of the structural rules; every control shows its focus; Japanese
// and Korean text carries its lang. Failures name the rule and the
// elements. With TIMELINE_AXE_REPORT=FILE it also writes every axe
// violation of any impact, per page, to FILE.
func TestAccessibilityPages(t *testing.T) {
	a := newA11yEnv(t)
	report := map[string][]axeViolation{}
	for _, p := range a11yPages() {
		t.Run(p.name, func(t *testing.T) {
			a.t = t
			a.signIn(p.as)
			if p.open != nil {
				p.open(a)
			} else {
				a.do("open "+p.path, chromedp.Navigate(a.url+p.path))
			}
			a.do("wait for "+p.wait, chromedp.WaitVisible(chromedp.CSS(p.wait)))
			report[p.name] = a.checkAxe(p.name)
			if bad := a.eval(summaryProbe); len(bad) > 0 {
				t.Errorf("%s: the error summary fails:\n    %s", p.name, strings.Join(bad, "\n    "))
			}
			a.do("keyboard mode", chromedp.KeyEvent("\t"))
			if bad := a.eval(focusProbe); len(bad) > 0 {
				t.Errorf("%s: %d controls show no focus indicator:\n    %s", p.name, len(bad), strings.Join(bad, "\n    "))
			}
			if bad := a.eval(langProbe); len(bad) > 0 {
				t.Errorf("%s: %d Japanese or Korean texts without lang:\n    %s", p.name, len(bad), strings.Join(bad, "\n    "))
			}
		})
	}
	if out := os.Getenv("TIMELINE_AXE_REPORT"); out != "" {
		writeAxeReport(t, out, report)
	}
}

// checkAxe runs axe-core on the page in the tab, fails the test on every
// serious or critical violation and every structural one, naming the rule
// and the elements, and returns all violations.
func (a *a11yEnv) checkAxe(page string) []axeViolation {
	a.t.Helper()
	vs := a.axe()
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" && !structuralRules[v.ID] {
			continue
		}
		var els []string
		for _, n := range v.Nodes {
			els = append(els, fmt.Sprintf("    %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      ")))
		}
		a.t.Errorf("%s: %s (%s), %d elements: %s\n%s", page, v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(els, "\n"))
	}
	return vs
}

// eval runs a probe that returns a list of strings.
func (a *a11yEnv) eval(expr string) []string {
	a.t.Helper()
	v, err := chromedp.Run(a.ctx, chromedp.Evaluate[[]string](expr))
	if err != nil {
		a.t.Fatalf("evaluate: %v", err)
	}
	return v
}

// writeAxeReport writes, per page, each rule's impact and node count.
func writeAxeReport(t *testing.T, path string, report map[string][]axeViolation) {
	t.Helper()
	var b strings.Builder
	names := make([]string, 0, len(report))
	for n := range report {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range report[n] {
			fmt.Fprintf(&b, "%s\t%s\t%s\t%d\n", n, v.ID, v.Impact, len(v.Nodes))
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
