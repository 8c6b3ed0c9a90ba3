package web

import (
	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// cardCacheBytes bounds the HTML of event cards the server keeps (about
// 1,400 cards of 3 KB: the shipped chronology's in every language several
// times over; at a million events, the cards of the pages read lately).
const cardCacheBytes = 4 << 20

func newCardCache() *versionedLRU[views.Card] {
	return newVersionedLRU(cardCacheBytes, func(k string, c views.Card) int { return len(k) + len(c.HTML) + 96 })
}

// requestCards is the card cache as one request sees it (views.CardCache):
// at the data version its page is read at, in its language. held keeps
// the cards found while the list was read (bare): their events come
// without actors and sources, so their cards must be written as found even
// if the cache has let them go since.
type requestCards struct {
	lru     *versionedLRU[views.Card]
	version int64
	prefix  string // the language and the site's address
	held    map[string]views.Card
}

func (s *Server) cardsAt(version int64, l *locales.Localizer) *requestCards {
	return &requestCards{lru: s.cards, version: version, prefix: l.Lang + "\x00" + l.Base + "\x00"}
}

func (r *requestCards) key(slug string, noYears bool) string {
	if noYears {
		return r.prefix + "3\x00" + slug
	}
	return r.prefix + "4\x00" + slug
}

func (r *requestCards) Card(slug string, noYears bool) (views.Card, bool) {
	k := r.key(slug, noYears)
	if b, ok := r.held[k]; ok {
		return b, true
	}
	return r.lru.get(r.version, k)
}

func (r *requestCards) SetCard(slug string, noYears bool, c views.Card) {
	r.lru.put(r.version, r.key(slug, noYears), c)
}

// bare is a PageRequest.Bare for a list whose cards are written through r:
// it names the events whose cards r keeps, and holds those cards for the
// page.
func (r *requestCards) bare(noYears bool) func(timeline.Event) bool {
	return func(e timeline.Event) bool {
		c, ok := r.Card(e.Slug, noYears)
		if ok {
			if r.held == nil {
				r.held = map[string]views.Card{}
			}
			r.held[r.key(e.Slug, noYears)] = c
		}
		return ok
	}
}
