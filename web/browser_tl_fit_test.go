package web

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/japan-dprk/timeline/data"
)

// tlFitProbe lists what is wider than the screen: the page itself, and
// with scripts (which ask for a drawing of the screen's width) the drawing
// and the overview strip, which must then fit their boxes.
const tlFitProbe = `(() => {
	const w = document.documentElement.clientWidth, out = [];
	if (document.documentElement.scrollWidth > w) out.push("page " + document.documentElement.scrollWidth + "px");
	for (const e of document.querySelectorAll('main *')) {
		if (e.closest('.tl-scroll, .tl-strip') && !FIT) continue; // without scripts the drawing scrolls inside its own box
		const r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 0.5) out.push(e.tagName.toLowerCase() + (typeof e.className === "string" && e.className ? "." + e.className.split(" ")[0] : "") + " to " + Math.round(r.right) + "px");
	}
	if (FIT) for (const sc of document.querySelectorAll('.tl-scroll, .tl-strip')) {
		if (sc.scrollWidth > sc.clientWidth) out.push(sc.className + " scrolls: " + sc.scrollWidth + " > " + sc.clientWidth);
	}
	return out.slice(0, 6);
})()`

// TestBrowserTimelineFitsPhones opens timeline views at phone widths, with
// and without scripts: the page never scrolls sideways, and once scripts
// have redrawn the drawing for the screen, the drawing and the overview
// strip fit inside it.
func TestBrowserTimelineFitsPhones(t *testing.T) {
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, scripts := range []bool{true, false} {
		t.Run(fmt.Sprintf("scripts=%v", scripts), func(t *testing.T) {
			s := newBrowseSession(t, ds, scripts)
			for _, width := range []int64{320, 360, 414} {
				s.do("viewport", chromedp.EmulateViewport(width, 800))
				for _, path := range []string{"/timeline", "/timeline?from=2014-01&to=2016-06", "/timeline?from=2014-01&to=2016-06&sel=stockholm-agreement-2014"} {
					s.do("open "+path, chromedp.Navigate(s.url+path), chromedp.WaitVisible(chromedp.CSS(`[data-testid="tl-svg"]`)))
					if scripts {
						s.until("drawn for the screen", `+document.querySelector('.tl').dataset.width < 500`)
					}
					probe := fmt.Sprintf("(() => { const FIT = %v; return %s })()", scripts, tlFitProbe)
					if wide := eval[[]string](s, "overflow", probe); len(wide) > 0 {
						t.Errorf("%d px %s: wider than the screen: %v", width, path, wide)
					}
				}
			}
		})
	}
}
