package views

import (
	"context"
	"net/url"
	"strings"

	"github.com/a-h/templ"
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

// AtURL is u with the page's as_of kept, when u is one of the site's own
// pages (a path, not an asset) and says no as_of of its own.
func AtURL(ctx context.Context, u string) string {
	n := AsOfFrom(ctx)
	if n == nil || !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.HasPrefix(u, "/static/") {
		return u
	}
	path, frag, _ := strings.Cut(u, "#")
	p, q, _ := strings.Cut(path, "?")
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

// atURL is AtURL as a templ URL.
func atURL(ctx context.Context, u string) templ.SafeURL { return templ.URL(AtURL(ctx, u)) }
