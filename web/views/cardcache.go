package views

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"
	templruntime "github.com/a-h/templ/runtime"
	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// CardCache keeps event cards' HTML, so that the next page listing the
// same event (another page of a list, another range or search finding it)
// writes it without rendering it again, and without reading the event's
// actors and sources. The web server gives each request one bound to the
// data version and the request's language (WithCardCache); a card is named
// by its event's slug and whether its title is a level-3 heading
// (noYears).
type CardCache interface {
	Card(slug string, noYears bool) (Card, bool)
	// Admit reports whether a card not kept should be kept now that it
	// is listed (a card is rendered as usual otherwise).
	Admit(slug string, noYears bool) bool
	SetCard(slug string, noYears bool, c Card)
}

// Card is an event card's HTML without search marks, and where in it are
// the two things a search marks: the title heading's content and the
// summary's. A page with marks writes the rest as kept and those two
// afresh.
type Card struct {
	HTML           []byte
	title, summary [2]int // byte ranges of HTML
}

type cardCacheKey struct{}

// WithCardCache returns ctx carrying c for the cards rendered under it.
func WithCardCache(ctx context.Context, c CardCache) context.Context {
	return context.WithValue(ctx, cardCacheKey{}, c)
}

// ListedCard is EventCard through the request's card cache, if it has one
// (and the page is not as of a past moment): the card is written as kept
// (rendered and kept first if the cache admits it), with its title and
// summary rendered afresh when terms may mark them.
func ListedCard(e timeline.Event, terms []string, noYears bool) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		c, _ := ctx.Value(cardCacheKey{}).(CardCache)
		if c == nil || AsOfFrom(ctx) != nil {
			return EventCard(e, terms, noYears).Render(ctx, w)
		}
		k, ok := c.Card(e.Slug, noYears)
		if !ok && !c.Admit(e.Slug, noYears) {
			return EventCard(e, terms, noYears).Render(ctx, w)
		}
		if !ok {
			var err error
			if k, ok, err = newCard(ctx, e, noYears); err != nil {
				return err
			}
			if !ok {
				return EventCard(e, terms, noYears).Render(ctx, w)
			}
			c.SetCard(e.Slug, noYears, k)
		}
		if !cardMarked(L(ctx), e, terms) {
			_, err := w.Write(k.HTML)
			return err
		}
		if _, err := w.Write(k.HTML[:k.title[0]]); err != nil {
			return err
		}
		if err := eventCardTitle(e, terms).Render(ctx, w); err != nil {
			return err
		}
		if _, err := w.Write(k.HTML[k.title[1]:k.summary[0]]); err != nil {
			return err
		}
		if err := namedMarked(EventSummary(L(ctx), e), terms).Render(ctx, w); err != nil {
			return err
		}
		_, err := w.Write(k.HTML[k.summary[1]:])
		return err
	})
}

// newCard renders e's card without marks, noting where its title and
// summary are (spot); ok is false if it could not tell.
func newCard(ctx context.Context, e timeline.Event, noYears bool) (Card, bool, error) {
	var buf bytes.Buffer
	spots := &cardSpots{}
	if err := EventCard(e, nil, noYears).Render(context.WithValue(ctx, cardSpotsKey{}, spots), &buf); err != nil {
		return Card{}, false, err
	}
	if spots.found != 1<<spotTitle|1<<spotSummary {
		return Card{}, false, nil
	}
	return Card{HTML: buf.Bytes(), title: spots.at[spotTitle], summary: spots.at[spotSummary]}, true, nil
}

// The parts of a card a search marks.
const (
	spotTitle = iota
	spotSummary
)

// cardSpots is where newCard's card has its title and summary.
type cardSpots struct {
	at    [2][2]int // byte ranges, by spotTitle and spotSummary
	found int       // a bit for each part noted
}

type cardSpotsKey struct{}

// spot renders c, one of a card's marked parts, and when the card is being
// kept (newCard) notes where c's HTML starts and ends in it.
func spot(part int, c templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		s, _ := ctx.Value(cardSpotsKey{}).(*cardSpots)
		if s == nil {
			return c.Render(ctx, w)
		}
		start, ok := offset(w)
		if err := c.Render(ctx, w); err != nil || !ok {
			return err
		}
		if end, ok := offset(w); ok {
			s.at[part], s.found = [2]int{start, end}, s.found|1<<part
		}
		return nil
	})
}

// offset is how many bytes have been written through w into the buffer
// newCard renders into: templ hands components its own buffer over it,
// flushed here first.
func offset(w io.Writer) (int, bool) {
	switch b := w.(type) {
	case *bytes.Buffer:
		return b.Len(), true
	case *templruntime.Buffer:
		if err := b.Flush(); err != nil {
			return 0, false
		}
		return offset(b.Underlying)
	}
	return 0, false
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
