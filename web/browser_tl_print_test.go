package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/data"
)

// printProbe, run with print media on a viewport as wide as an A4 page's
// printable width, lists what is wider than the page and the controls
// that still show (form controls, buttons, navigation, links that only
// act on screen).
const printProbe = `(() => {
	const w = document.documentElement.clientWidth, out = [];
	const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden"; };
	if (document.documentElement.scrollWidth > w) out.push("page " + document.documentElement.scrollWidth + "px wide");
	for (const e of document.querySelectorAll('body *')) {
		const r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 0.5) { out.push((e.getAttribute('class') || e.tagName.toLowerCase()) + " reaches " + Math.round(r.right) + "px"); break; }
	}
	for (const e of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, summary, nav a, [data-tl-nav], [data-testid="tl-panel-close"], .copy, .skip')) {
		if (shown(e)) out.push("control on paper: " + e.tagName.toLowerCase() + " " + (e.textContent || e.getAttribute('aria-label') || "").trim().slice(0, 40));
	}
	return out.slice(0, 10);
})()`

// mediaBoxRE reads the first page's size from a PDF that Chromium wrote.
var mediaBoxRE = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)

// TestBrowserPrint prints the timeline, a story step, an event page and an
// era page (print media on an A4 page's width, with and without scripts):
// the drawing fits the page, nothing is wider than it, and controls that
// do nothing on paper are hidden. Pages with a drawing print in landscape,
// where the drawing keeps at least 80% of its size.
func TestBrowserPrint(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, scripts := range []bool{true, false} {
		t.Run(fmt.Sprintf("scripts=%v", scripts), func(t *testing.T) {
			s := newBrowseSession(t, ds, scripts)
			for _, path := range []string{
				"/timeline?from=2014-01&to=2016-06&sel=stockholm-agreement-2014",
				"/timeline?from=2002&to=2004",
				"/timeline",
				"/story?from=2014&to=2016&at=stockholm-agreement-2014",
				"/events/stockholm-agreement-2014",
				"/eras/koizumi-summits",
			} {
				s.do("screen", chromedp.EmulateViewport(1280, 900))
				if _, err := chromedp.Call(s.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "screen"}); err != nil {
					t.Fatal(err)
				}
				s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitReady(chromedp.CSS(`footer`)))
				if scripts && strings.HasPrefix(path, "/timeline") {
					s.until("drawn for the screen", `!document.getElementById('tl-region').classList.contains('tl-loading') && Math.abs(+document.querySelector('.tl').dataset.width - (document.getElementById('tl-region').clientWidth - 4 - (document.querySelector('.tl-panel') ? 336 : 0))) <= 40`)
				}
				if _, err := chromedp.Call(s.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
					t.Fatal(err)
				}
				// A4 less 15 mm margins: 180 mm, 680 CSS px.
				s.do("paper", chromedp.EmulateViewport(680, 1000))
				if bad := eval[[]string](s, "print", printProbe); len(bad) > 0 {
					t.Errorf("%s printed: %v", path, bad)
				}
				// Pages with a drawing print across the paper (the event page's
				// small drawing is not printed), where the drawing keeps its
				// text near the size it has on screen.
				pdf, err := chromedp.Call(s.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true)})
				if err != nil {
					t.Fatal(err)
				}
				box := mediaBoxRE.FindSubmatch(pdf.Data)
				if box == nil {
					t.Fatalf("%s: no page size in the PDF", path)
				}
				w, _ := strconv.ParseFloat(string(box[1]), 64)
				h, _ := strconv.ParseFloat(string(box[2]), 64)
				wide := strings.HasPrefix(path, "/timeline") || strings.HasPrefix(path, "/eras/")
				if wide != (w > h) {
					t.Errorf("%s printed on %.0f×%.0f pt pages, landscape wanted: %v", path, w, h, wide)
				}
				if wide {
					// A4 across less 15 mm margins: 267 mm, 1009 CSS px.
					s.do("paper across", chromedp.EmulateViewport(1009, 700))
					if scale := eval[float64](s, "scale", `(() => { const v = document.querySelector('.tl-svg'); return v.getBoundingClientRect().width / v.width.baseVal.value; })()`); scale < 0.8 {
						t.Errorf("%s: the drawing is printed at %.2f of its size", path, scale)
					}
					if bad := eval[[]string](s, "print", printProbe); len(bad) > 0 {
						t.Errorf("%s printed across: %v", path, bad)
					}
				}
			}
		})
	}
}
