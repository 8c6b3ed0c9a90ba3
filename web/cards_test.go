package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestCardCacheKeepsPagesTheSame: pages whose cards come from the card
// cache (their events' actors and sources then unread; a searched card's
// title and summary rendered afresh between the kept parts) are byte for
// byte the pages of a server without it, in every language, with and
// without search marks, sorted by date and by relevance; and an edit shows
// at once.
func TestCardCacheKeepsPagesTheSame(t *testing.T) {
	env := newShippedEnv(t)
	plain := newTestEnv(t, withFixedClock(), withConfig(Config{Store: env.store, BaseURL: "https://timeline.example"}))
	plain.server.cards = nil
	// Each list shares events with one before it, so that the later ones
	// find cards kept by the earlier.
	urls := []string{
		"/events?from=1990&to=2005",
		"/events?from=1991&to=2004",             // the same cards, from the cache
		"/events?q=abduction&from=1977&to=2003", // marked cards rendered, the rest from the cache
		"/events?q=abduction&from=1977&to=2004",
		"/events?q=koizumi&sort=relevance", // level-3 titles: cards of their own
		"/events?q=koizumi&sort=relevance&from=1950",
		"/ja/events?from=1990&to=2005", // Japanese cards
		"/ja/events?from=1992&to=2005",
		"/ko/events?q=%EB%82%A9%EC%B9%98&from=1970", // 납치 (abduction) in Korean
		"/ko/events?from=1970&to=2010",
		"/events?from=1990&to=2005&category=summit",
	}
	for _, u := range urls {
		code, _, got := env.get(t, u)
		_, _, want := plain.get(t, u)
		if code != 200 {
			t.Errorf("%s: status %d", u, code)
		}
		if got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: the page with the card cache differs from the page without it at byte %d:\n got …%s…\nwant …%s…",
				u, i, excerpt(got, i, 40), excerpt(want, i, 40))
		}
	}
	if n := len(env.server.cards.lru.entries); n < 50 {
		t.Errorf("the card cache holds %d cards after those pages; want them kept", n)
	}

	// An edit changes the data version: the next list shows it.
	page, err := env.store.ListEvents(t.Context(), timeline.Filter{From: timeline.Date{Year: 1991}, To: timeline.Date{Year: 2004}}, timeline.PageRequest{})
	if err != nil || len(page.Events) == 0 {
		t.Fatalf("listing: %v, %d events", err, len(page.Events))
	}
	e, err := env.store.GetEvent(t.Context(), page.Events[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	e.Title = "A title changed since the cards were kept"
	if err := env.store.UpdateEvent(t.Context(), e.Slug, &e, timeline.Change{Author: "test", Summary: "card cache"}); err != nil {
		t.Fatal(err)
	}
	_, _, got := env.get(t, "/events?from=1991&to=2004&sig=1")
	wantContains(t, "the list after an edit", got, e.Title)
	_, _, want := plain.get(t, "/events?from=1991&to=2004&sig=1")
	wantEqual(t, "the list after an edit, with and without the cache, equal", got == want, true)
	if strings.Count(got, `data-testid="event"`) == 0 {
		t.Error("the list after an edit lists no events")
	}
}

// TestCardCacheKeepsCardsListedTwice: a card is kept the second time a
// page lists it, not the first; a write forgets what was seen.
func TestCardCacheKeepsCardsListedTwice(t *testing.T) {
	env := newShippedEnv(t)
	cards := env.server.cards
	kept := func() int { return len(cards.lru.entries) }
	env.get(t, "/events?from=1990&to=2005")
	if n := kept(); n != 0 {
		t.Errorf("after one page, %d cards kept; want none", n)
	}
	env.get(t, "/events?from=1990&to=2005&sig=1") // the same cards
	first := kept()
	if first < 40 {
		t.Errorf("after the same cards twice, %d kept; want the page's", first)
	}
	env.get(t, "/events?from=1960&to=1975") // other cards, once
	if n := kept(); n != first {
		t.Errorf("after other cards once, %d kept; want still %d", n, first)
	}

	// The doorkeeper alone: twice at one version, not across a write.
	c := newCardCache()
	for i, tt := range []struct {
		version int64
		key     string
		want    bool
	}{
		{1, "a", false}, {1, "a", true}, {1, "a", false}, // kept: seen again from scratch
		{1, "b", false}, {2, "b", false}, {2, "b", true},
	} {
		if got := c.second(tt.version, tt.key); got != tt.want {
			t.Errorf("step %d: second(%d, %q) = %v, want %v", i, tt.version, tt.key, got, tt.want)
		}
	}
	for i := range cardDoorKeys + 10 {
		c.second(3, strconv.Itoa(i))
	}
	if len(c.seen) > cardDoorKeys {
		t.Errorf("the doorkeeper remembers %d cards, more than %d", len(c.seen), cardDoorKeys)
	}
}
