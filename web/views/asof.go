package views

import (
	"context"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/japan-dprk/timeline/web/locales"
)

// AsOfNote tells a page that it shows the chronology as it stood at a
// past moment (as_of): the layout's banner says so, and the site's links
// on it keep the moment (AtURL).
type AsOfNote struct {
	At      string // the moment, for readers: "29 November 2026 06:10 UTC"
	Param   string // the moment as the as_of parameter
	Since   int    // changes to the chronology since
	Now     string // this page as it is now
	Changes string // the changes since, site-wide
	// EventDiff, on an event's page, compares the version shown with the
	// current one ("" when the event has not changed since).
	EventDiff string
	// EventGone, on an event's page, says the event has been deleted since.
	EventGone bool
}

type asOfNoteKey struct{}

// WithAsOf returns ctx carrying the note, for the layout and AtURL.
func WithAsOf(ctx context.Context, n *AsOfNote) context.Context {
	return context.WithValue(ctx, asOfNoteKey{}, n)
}

// AsOfFrom returns the note ctx carries, or nil for the chronology now.
func AsOfFrom(ctx context.Context) *AsOfNote {
	n, _ := ctx.Value(asOfNoteKey{}).(*AsOfNote)
	return n
}

// AtURL is u with the page's as_of kept, when u is a page of the
// chronology (a list, an event, the timeline, a story, an actor, a tag, an
// era, an export) that says no as_of of its own; history, forms, sign-in,
// assets and other sites are left as they are.
func AtURL(ctx context.Context, u string) string {
	n := AsOfFrom(ctx)
	if n == nil || !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return u
	}
	path, frag, _ := strings.Cut(u, "#")
	p, q, _ := strings.Cut(path, "?")
	if _, rest := locales.Split(p); !chronologyPath(rest) {
		return u
	}
	v, err := url.ParseQuery(q)
	if err != nil || v.Has("as_of") {
		return u
	}
	v.Set("as_of", n.Param)
	out := p + "?" + v.Encode()
	if frag != "" {
		out += "#" + frag
	}
	return out
}

// atURL is AtURL in the request's language, as a templ URL.
func atURL(ctx context.Context, u string) templ.SafeURL { return templ.URL(P(ctx, AtURL(ctx, u))) }

// chronologyPath reports whether p is a page of the chronology that as_of
// changes (not history, a form, an account page or an asset).
func chronologyPath(p string) bool {
	if strings.Contains(p, "/history/") {
		return false
	}
	for _, suffix := range []string{"/history", "/edit", "/correct", "/delete"} {
		if strings.HasSuffix(p, suffix) {
			return false
		}
	}
	for _, prefix := range []string{"/events", "/timeline", "/story", "/actors", "/tags", "/eras", "/sources", "/about"} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") || strings.HasPrefix(p, prefix+".") {
			return true
		}
	}
	return p == "/"
}
