package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLanguagePrefixes: /ja/… and /ko/… serve the same views as English,
// in their language, with <html lang>, hreflang alternates (x-default the
// English) and a switcher that keeps the view; links stay in the language.
func TestLanguagePrefixes(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ path, lang, nav string }{
		{"/events?category=summit", "en", ">Chronology<"},
		{"/ja/events?category=summit", "ja", ">年表<"},
		{"/ko/events?category=summit", "ko", ">연표<"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			status, _, body := ts.get(t, tt.path)
			wantEqual(t, "status", status, http.StatusOK)
			wantEqual(t, "html lang", strings.Contains(body, `<html lang="`+tt.lang+`">`), true)
			wantEqual(t, "navigation in the language", strings.Contains(body, tt.nav), true)
			for _, alt := range []string{
				`hreflang="en" href="` + DefaultBaseURL + `/events?category=summit"`,
				`hreflang="ja" href="` + DefaultBaseURL + `/ja/events?category=summit"`,
				`hreflang="ko" href="` + DefaultBaseURL + `/ko/events?category=summit"`,
				`hreflang="x-default" href="` + DefaultBaseURL + `/events?category=summit"`,
			} {
				wantEqual(t, alt, strings.Contains(body, alt), true)
			}
			wantEqual(t, "switcher keeps the view", strings.Contains(body, `id="lang-next" value="/events?category=summit"`), true)
			if tt.lang != "en" {
				wantEqual(t, "links stay in the language", strings.Contains(body, `href="/`+tt.lang+`/events/`), true)
				wantEqual(t, "no English event link", strings.Contains(body, `href="/events/`), false)
			}
		})
	}
	// After an htmx filter change the switcher keeps the new view.
	_, _, part := ts.get(t, "/ja/events?category=summit&from=&to=", "HX-Request", "true")
	wantEqual(t, "swap updates the switcher", strings.Contains(part, `id="lang-next" value="/events?category=summit" hx-swap-oob="true"`), true)

	status, h, _ := ts.get(t, "/ja")
	wantEqual(t, "/ja: status", status, http.StatusMovedPermanently)
	wantEqual(t, "/ja: to", h.Get("Location"), "/ja/")
}

// TestLanguageRedirect: only / follows Accept-Language, and not once the
// reader chose a language with the switcher (a cookie).
func TestLanguageRedirect(t *testing.T) {
	ts := newTestServer(t)
	status, h, _ := ts.get(t, "/", "Accept-Language", "ja-JP,ja;q=0.9,en;q=0.5")
	wantEqual(t, "/ for ja: status", status, http.StatusFound)
	wantEqual(t, "/ for ja: to", h.Get("Location"), "/ja/")
	wantEqual(t, "/ varies on Accept-Language", strings.Contains(h.Get("Vary"), "Accept-Language"), true)
	status, h, _ = ts.get(t, "/?from=2002", "Accept-Language", "ko")
	wantEqual(t, "/?from for ko: to", h.Get("Location"), "/ko/?from=2002")
	status, _, _ = ts.get(t, "/", "Accept-Language", "en-US,en")
	wantEqual(t, "/ for en", status, http.StatusOK)
	status, _, _ = ts.get(t, "/events", "Accept-Language", "ja")
	wantEqual(t, "/events never redirects", status, http.StatusOK)
	status, _, _ = ts.get(t, "/", "Accept-Language", "ja", "Cookie", langCookie+"=en")
	wantEqual(t, "/ with a chosen language", status, http.StatusOK)

	// The switcher: a POST that remembers the choice and keeps the view.
	form := url.Values{"lang": {"ko"}, "next": {"/events?category=summit"}}
	resp, _ := ts.do(t, http.MethodPost, "/lang", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	wantEqual(t, "switch: status", resp.StatusCode, http.StatusSeeOther)
	wantEqual(t, "switch: to", resp.Header.Get("Location"), "/ko/events?category=summit")
	var chosen string
	for _, c := range resp.Cookies() {
		if c.Name == langCookie {
			chosen = c.Value
		}
	}
	wantEqual(t, "switch: cookie", chosen, "ko")
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/ja/events"} {
		form = url.Values{"lang": {"en"}, "next": {next}}
		resp, _ = ts.do(t, http.MethodPost, "/lang", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/ja") {
			t.Errorf("switch to en from %q: went to %q", next, loc)
		}
	}
	form = url.Values{"lang": {"fr"}, "next": {"/"}}
	resp, _ = ts.do(t, http.MethodPost, "/lang", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	wantEqual(t, "switch to fr", resp.StatusCode, http.StatusBadRequest)
}

// TestLanguageCache: the page cache and the validators key on the
// language, so that one language's page is never served for another.
func TestLanguageCache(t *testing.T) {
	ts := newTestServer(t)
	_, hen, en := ts.get(t, "/events")
	_, hja, ja := ts.get(t, "/ja/events")
	_, hja2, ja2 := ts.get(t, "/ja/events")
	wantEqual(t, "ETags differ", hen.Get("ETag") != hja.Get("ETag"), true)
	wantEqual(t, "ja page is Japanese", strings.Contains(ja, `<html lang="ja">`) && !strings.Contains(en, `<html lang="ja">`), true)
	wantEqual(t, "second ja from the cache", hja2.Get("X-Cache"), "hit")
	wantEqual(t, "cached ja is Japanese", strings.Contains(ja2, `<html lang="ja">`), true)
	status, _, _ := ts.get(t, "/events", "If-None-Match", hja.Get("ETag"))
	wantEqual(t, "ja ETag does not validate en", status, http.StatusOK)
}
