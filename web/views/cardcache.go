package views

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"
	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// CardCache keeps the HTML of event cards that carry no search marks, so
// that the next page listing the same event (another page of a list,
// another search or range finding it) writes it without rendering it
// again. The web server gives each request one bound to the data version
// and the request's language (WithCardCache); a card is named by its
// event's slug and whether its title is a level-3 heading (noYears).
type CardCache interface {
	Card(slug string, noYears bool) ([]byte, bool)
	SetCard(slug string, noYears bool, html []byte)
}

type cardCacheKey struct{}

// WithCardCache returns ctx carrying c for the cards rendered under it.
func WithCardCache(ctx context.Context, c CardCache) context.Context {
	return context.WithValue(ctx, cardCacheKey{}, c)
}

// ListedCard is EventCard through the request's card cache, if it has one:
// a card none of terms would mark is written from the cache (or rendered
// without terms, the same HTML, and kept); a card with marks, and every
// card of a page as of a past moment, is rendered as it is.
func ListedCard(e timeline.Event, terms []string, noYears bool) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		c, _ := ctx.Value(cardCacheKey{}).(CardCache)
		if c == nil || AsOfFrom(ctx) != nil || cardMarked(L(ctx), e, terms) {
			return EventCard(e, terms, noYears).Render(ctx, w)
		}
		if b, ok := c.Card(e.Slug, noYears); ok {
			_, err := w.Write(b)
			return err
		}
		var buf bytes.Buffer
		if err := EventCard(e, nil, noYears).Render(ctx, &buf); err != nil {
			return err
		}
		c.SetCard(e.Slug, noYears, buf.Bytes())
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// KeptCard returns the HTML c keeps of e's card as ListedCard would write
// it in a list found by terms, in l's language, if it keeps it.
func KeptCard(l *locales.Localizer, c CardCache, e timeline.Event, terms []string, noYears bool) ([]byte, bool) {
	if cardMarked(l, e, terms) {
		return nil, false
	}
	return c.Card(e.Slug, noYears)
}

// cardMarked reports whether Highlight might mark any of terms in the
// texts a card marks (its title, the Japanese title beside an English one,
// its summary): whether a term, lower-cased, is in one of them as written
// or lower-cased. It may say yes where Highlight marks nothing (a term
// inside a word), never no where it marks something.
func cardMarked(l *locales.Localizer, e timeline.Event, terms []string) bool {
	if len(terms) == 0 {
		return false
	}
	texts := []string{EventTitle(l, e).Text, EventSummary(l, e).Text}
	if l.Lang == "en" {
		texts = append(texts, e.TitleJA)
	}
	for _, t := range terms {
		t = strings.ToLower(t)
		if t == "" {
			continue
		}
		for _, s := range texts {
			if strings.Contains(s, t) || strings.Contains(strings.ToLower(s), t) {
				return true
			}
		}
	}
	return false
}
