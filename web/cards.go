package web

import (
	"hash/maphash"
	"sync"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
	"github.com/japan-dprk/timeline/web/views"
)

// cardCacheBytes bounds the HTML of event cards the server keeps (about
// 600 cards of 3 KB: the shipped chronology's in two languages; at a
// million events, those of the pages read lately). The server's caches
// together stay well under its heap limit (serve's serveMemoryLimit), or
// the collector runs without pause.
const cardCacheBytes = 2 << 20

// cardDoorKeys bounds how many cards the cache remembers having seen once
// (8 bytes each, with the map's own).
const cardDoorKeys = 1 << 15

// cardCache keeps event cards (views.CardCache). A card is kept the second
// time a page lists it, not the first: at a million events a page of a
// month anywhere lists cards no page showed before and none will soon, and
// keeping each of them cost more than rendering it (scattered months at 32
// connections took 10% more CPU with every card kept than with none).
type cardCache struct {
	lru *versionedLRU[views.Card]

	mu      sync.Mutex
	version int64               // the data version seen holds cards of
	seen    map[uint64]struct{} // cards listed once, by the hash of their key
	seed    maphash.Seed
}

func newCardCache() *cardCache {
	return &cardCache{
		lru:  newVersionedLRU(cardCacheBytes, func(k string, c views.Card) int { return len(k) + len(c.HTML) + 96 }),
		seen: map[uint64]struct{}{},
		seed: maphash.MakeSeed(),
	}
}

// second reports whether the card of key, at version, was listed once
// before (then it is kept), and otherwise remembers it.
func (c *cardCache) second(version int64, key string) bool {
	h := maphash.String(c.seed, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		c.version = version
		clear(c.seen)
	}
	if _, ok := c.seen[h]; ok {
		delete(c.seen, h)
		return true
	}
	if len(c.seen) >= cardDoorKeys {
		clear(c.seen)
	}
	c.seen[h] = struct{}{}
	return false
}

// requestCards is the card cache as one request sees it (views.CardCache):
// at the data version its page is read at, in its language. held keeps
// the cards found while the list was read (bare): their events come
// without actors and sources, so their cards must be written as found even
// if the cache has let them go since.
type requestCards struct {
	cache   *cardCache
	version int64
	prefix  string // the language and the site's address
	held    map[string]views.Card
}

func (s *Server) cardsAt(version int64, l *locales.Localizer) *requestCards {
	return &requestCards{cache: s.cards, version: version, prefix: l.Lang + "\x00" + l.Base + "\x00"}
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
	return r.cache.lru.get(r.version, k)
}

func (r *requestCards) Admit(slug string, noYears bool) bool {
	return r.cache.second(r.version, r.key(slug, noYears))
}

func (r *requestCards) SetCard(slug string, noYears bool, c views.Card) {
	r.cache.lru.put(r.version, r.key(slug, noYears), c)
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
