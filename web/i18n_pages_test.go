package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// i18nPages are the page types rendered in every language, each a path
// of the English site (and the status it answers with).
var i18nPages = []struct {
	name, path string
	status     int
}{
	{"home", "/", http.StatusOK},
	{"filtered list", "/events?category=summit&from=2002&to=2004", http.StatusOK},
	{"search", "/events?q=abduction&sort=relevance", http.StatusOK},
	{"event", "/events/koizumi-kim-summit-2002", http.StatusOK},
	{"actors", "/actors", http.StatusOK},
	{"actor", "/actors/koizumi-junichiro", http.StatusOK},
	{"tags", "/tags", http.StatusOK},
	{"tag", "/tags/abductions", http.StatusOK},
	{"eras", "/eras", http.StatusOK},
	{"era", "/eras/koizumi-summits", http.StatusOK},
	{"timeline", "/timeline", http.StatusOK},
	{"timeline zoomed", "/timeline?from=2002-09&to=2002-10&sel=koizumi-kim-summit-2002", http.StatusOK},
	{"story", "/story?category=summit", http.StatusOK},
	{"thread", "/story?thread=koizumi-kim-summit-2002", http.StatusOK},
	{"about", "/about", http.StatusOK},
	{"uncertain date", "/events/1978-06-abduction-of-tanaka-minoru", http.StatusOK},
	{"dates certain", "/events?certainty=certain&from=1980&to=1989", http.StatusOK},
	{"history", "/events/koizumi-kim-summit-2002/history", http.StatusOK},
	{"version", "/events/koizumi-kim-summit-2002/history/1", http.StatusOK},
	{"changes", "/changes", http.StatusOK},
	{"changes since", "/changes?since=2000-01-01", http.StatusOK},
	{"400 as_of", "/events?as_of=yesterday", http.StatusBadRequest},
	{"correction form", "/events/koizumi-kim-summit-2002/correct", http.StatusOK},
	{"correction lookup", "/corrections", http.StatusOK},
	{"api", "/api", http.StatusOK},
	{"404", "/no/such/page", http.StatusNotFound},
	{"400 filters", "/events?from=2014-13&sig=9", http.StatusBadRequest},
	{"400 timeline", "/timeline?category=weather", http.StatusBadRequest},
	{"400 story", "/story?sig=9", http.StatusBadRequest},
}

// TestNoEnglishInterface renders each page type in Japanese and Korean and
// fails when any text or spoken attribute outside a lang="en" element
// holds an English interface string: a value of the English catalog that
// the language's catalog words differently. Text from the data may be in
// English only inside lang="en", where the English fallback puts it.
func TestNoEnglishInterface(t *testing.T) {
	ts := newShippedEnv(t)
	for _, lang := range locales.Langs[1:] {
		phrases := englishPhrases(t, lang)
		for _, p := range i18nPages {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				status, _, body := ts.get(t, locales.PathIn(lang, p.path))
				if status != p.status {
					t.Fatalf("status %d, want %d", status, p.status)
				}
				wantNoEnglish(t, body, lang, phrases)
			})
		}
		t.Run(lang+"/as of", func(t *testing.T) {
			// A page of the chronology as it stood at a moment: the
			// banner, and the moment written as the language writes it.
			at := timeline.FormatAsOf(time.Now())
			status, _, body := ts.get(t, locales.PathIn(lang, "/events/koizumi-kim-summit-2002?as_of="+url.QueryEscape(at)))
			wantEqual(t, "status", status, http.StatusOK)
			mustContain(t, "as-of page", body, `data-testid="asof-banner"`, locales.For(lang).T("asof.none_since"))
			wantNoEnglish(t, body, lang, phrases)
		})
	}
}

// wantNoEnglish fails when body, a page in lang, holds one of the English
// interface phrases outside an element marked lang="en".
func wantNoEnglish(t *testing.T, body, lang string, phrases []phrase) {
	t.Helper()
	for _, text := range outsideEnglish(t, body, lang) {
		// Addresses, and the parameters an error names as the URL
		// spells them ("開始（from）"), are not words.
		text = urls.ReplaceAllString(text, "")
		text = params.ReplaceAllString(text, "")
		for _, ph := range phrases {
			if ph.re.MatchString(text) {
				t.Errorf("English interface text %q (catalog %q) in %q", ph.text, ph.key, text)
			}
		}
	}
}

type phrase struct {
	key, text string
	re        *regexp.Regexp
}

var (
	urls   = regexp.MustCompile(`https?://\S+`)
	params = regexp.MustCompile(`[（(](from|to|q|sig|category|actor|tag|sort|year|cursor|at|thread|lanes|sel|w|days)[）)]`)
)

var verbs = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// englishPhrases are the runs of words of the English catalog (between
// its arguments) that lang's catalog does not share, of at least three
// letters, each matched as whole words.
func englishPhrases(t *testing.T, lang string) []phrase {
	t.Helper()
	en, err := locales.Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	other, err := locales.Catalog(lang)
	if err != nil {
		t.Fatal(err)
	}
	var out []phrase
	seen := map[string]bool{}
	for _, k := range locales.Keys(en) {
		texts := []string{en[k].Text}
		for _, f := range en[k].Plural {
			texts = append(texts, f)
		}
		theirs := other[k].Text + strings.Join(slices.Collect(mapValues(other[k].Plural)), " ")
		for _, text := range texts {
			for _, frag := range verbs.Split(text, -1) {
				frag = strings.Trim(frag, " .,:;()[]“”‘’—–-·?!")
				letters := 0
				for _, r := range frag {
					if r < 128 && (r|0x20) >= 'a' && (r|0x20) <= 'z' {
						letters++
					}
				}
				if letters < 3 || seen[frag] || strings.Contains(theirs, frag) {
					continue
				}
				seen[frag] = true
				out = append(out, phrase{k, frag, regexp.MustCompile(`(^|[^A-Za-z])` + regexp.QuoteMeta(frag) + `([^A-Za-z]|$)`)})
			}
		}
	}
	return out
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// spoken are the attributes a browser shows or a screen reader speaks.
var spoken = []string{"title", "aria-label", "placeholder", "alt", "data-title", "data-copy", "data-copy-button", "data-copied", "data-copy-failed"}

// outsideEnglish lists the texts and spoken attributes of a page that are
// not inside an element marked lang="en" (the page itself being lang).
func outsideEnglish(t *testing.T, body, lang string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node, l string)
	walk = func(n *html.Node, l string) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code": // code: addresses and names, not words
				return
			}
			for _, a := range n.Attr {
				if a.Key == "lang" {
					l = a.Val
				}
			}
			if l != "en" {
				for _, a := range n.Attr {
					if slices.Contains(spoken, a.Key) && strings.TrimSpace(a.Val) != "" {
						out = append(out, a.Val)
					}
					if n.Data == "meta" && a.Key == "content" {
						for _, b := range n.Attr {
							if b.Key == "name" && b.Val == "description" {
								out = append(out, a.Val)
							}
						}
					}
				}
			}
		}
		if n.Type == html.TextNode && l != "en" && strings.TrimSpace(n.Data) != "" {
			out = append(out, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, l)
		}
	}
	walk(doc, lang)
	return out
}

// TestNoEnglishInterfaceEditor: the sign-in page and the event form, blank,
// filled, with problems, and the delete page, in Japanese and Korean.
func TestNoEnglishInterfaceEditor(t *testing.T) {
	env := newTestEnv(t, withShippedData(), withFixedClock())
	env.addUser("ed", "editor")
	cookie := env.login("ed")
	const slug = "koizumi-kim-summit-2002"
	for _, lang := range locales.Langs[1:] {
		phrases := englishPhrases(t, lang)
		check := func(t *testing.T, body string) {
			t.Helper()
			wantNoEnglish(t, body, lang, phrases)
		}
		for _, p := range []struct{ name, path string }{
			{"new", "/events/new"}, {"edit", "/events/" + slug + "/edit"}, {"delete", "/events/" + slug + "/delete"},
			{"history", "/events/" + slug + "/history"}, {"version", "/events/" + slug + "/history/1"},
			{"deleted", "/admin/deleted"}, {"corrections queue", "/admin/corrections"},
		} {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				resp := env.request("GET", locales.PathIn(lang, p.path), nil, cookie)
				body := respBody(t, resp)
				wantEqual(t, "status", resp.StatusCode, http.StatusOK)
				check(t, body)
			})
		}
		t.Run(lang+"/login", func(t *testing.T) {
			resp := env.request("GET", locales.PathIn(lang, "/login"), nil, nil)
			check(t, respBody(t, resp))
		})
		t.Run(lang+"/form with problems", func(t *testing.T) {
			// 昭和64年1月8日 never was: 平成 began that day.
			form := url.Values{"version": {"1"}, "start": {"昭和64年1月8日"}, "title": {""}, "category": {"summit"},
				"significance": {"9"}, "summary": {"x"}, "edit_summary": {"test"}}
			resp := env.request("POST", locales.PathIn(lang, "/events/"+slug+"/edit"), form, cookie)
			body := respBody(t, resp)
			wantEqual(t, "status", resp.StatusCode, http.StatusUnprocessableEntity)
			wantEqual(t, "names 平成", strings.Contains(body, "平成"), true)
			check(t, body)
		})
	}
}

// TestEventFormEraDates: the event form takes a Japanese era date and
// saves the partial date it means; it refuses a day its era never had.
func TestEventFormEraDates(t *testing.T) {
	env := newTestEnv(t, withShippedData(), withFixedClock())
	env.addUser("ed", "editor")
	cookie := env.login("ed")
	form := url.Values{"start": {"平成14年9月"}, "title": {"An era-dated test event"}, "category": {"statement"},
		"significance": {"1"}, "summary": {"A test."}, "edit_summary": {"test"},
		"sources[0].publisher": {"MOFA"}, "sources[0].title": {"Bluebook"}, "sources[0].language": {"en"}}
	resp := env.request("POST", "/ja/events", form, cookie)
	respBody(t, resp)
	wantEqual(t, "status", resp.StatusCode, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	wantEqual(t, "back to the Japanese event page", strings.HasPrefix(loc, "/ja/events/"), true)
	e, err := env.store.GetEvent(t.Context(), strings.TrimPrefix(loc, "/ja/events/"))
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "saved as", e.Start.String(), "2002-09")
}

// TestNoEnglishInterfaceImportAndAdmin: the import page (blank, a checked
// file, a file with problems, a file that is not JSON) and the
// administrators' pages, in Japanese and Korean.
func TestNoEnglishInterfaceImportAndAdmin(t *testing.T) {
	env := newShippedEnv(t)
	editor := env.editorCookie(t, "ed")
	admin := env.roleCookie(t, "ad", timeline.RoleAdmin)
	good := `[{"slug":"an-imported-test-event","title":"An imported test event","start":"2002-09~","category":"statement","significance":1,"summary":"A test.","sources":[{"publisher":"MOFA","title":"Bluebook","language":"en"}]}]`
	bad := `[{"slug":"Not A Slug","title":"","start":"2002-13","category":"weather","significance":9,"summary":"A test."}]`
	for _, lang := range locales.Langs[1:] {
		phrases := englishPhrases(t, lang)
		check := func(t *testing.T, body string) {
			t.Helper()
			wantNoEnglish(t, body, lang, phrases)
		}
		for _, p := range []struct{ name, path, cookie string }{
			{"import", "/import", editor}, {"users", "/admin/users", admin}, {"audit log", "/admin/audit", admin},
		} {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				resp, body := env.do(t, "GET", locales.PathIn(lang, p.path), nil, "Cookie", p.cookie)
				wantEqual(t, "status", resp.StatusCode, http.StatusOK)
				check(t, body)
			})
		}
		for _, f := range []struct {
			name, content string
			status        int
			testid        string
		}{
			{"checked", good, http.StatusOK, "import-report"},
			{"problems", bad, http.StatusUnprocessableEntity, "import-problems"},
			{"unreadable", "{not json", http.StatusUnprocessableEntity, "import-error"},
		} {
			t.Run(lang+"/import "+f.name, func(t *testing.T) {
				status, body := env.uploadTo(t, locales.PathIn(lang, "/import"), editor, "2002.json", f.content, map[string]string{"format": "json"})
				wantEqual(t, "status", status, f.status)
				mustContain(t, "import page", body, `data-testid="`+f.testid+`"`)
				check(t, body)
			})
		}
	}
}

// TestActorNamesInFilters: on a Japanese or Korean list filtered by an
// actor, the actor's facet label, its filter chip, the page's title and
// the words announced after a filter change name the actor as the cards
// do: in the page's language when the data has the name, else in English
// marked lang="en"; so do the drawn timeline's chip and actor lanes.
func TestActorNamesInFilters(t *testing.T) {
	envoy := timeline.Actor{Slug: "test-envoy", Name: "A Test Envoy", Kind: "person", Country: "JP"} // no Japanese or Korean name
	e := authSeedEvent("2003-03-03", "An envoy's talks")
	e.Actors = []timeline.EventActor{{Actor: envoy, Role: "envoy"}}
	ts := newTestEnv(t, withShippedData(), withEvents(e), withFixedClock())
	for _, tt := range []struct {
		lang, actor string
		want        string // the name as the page marks it: "[en:…]" is inside lang="en"
		plain       string // the name in the title and the announcement
	}{
		{"ja", "koizumi-junichiro", "小泉純一郎", "小泉純一郎"},
		{"ko", "koizumi-junichiro", "고이즈미 준이치로", "고이즈미 준이치로"},
		{"ja", "test-envoy", "[en:A Test Envoy]", "A Test Envoy"},
		{"ko", "test-envoy", "[en:A Test Envoy]", "A Test Envoy"},
	} {
		t.Run(tt.lang+"/"+tt.actor, func(t *testing.T) {
			path := locales.PathIn(tt.lang, "/events?from=2002&to=2004&actor="+tt.actor)
			status, _, body := ts.get(t, path)
			wantEqual(t, "status", status, http.StatusOK)
			labels := langMarked(t, body, tt.lang, func(n *html.Node) bool {
				return n.Data == "label" && attr(n, "for") == "f-actor-"+tt.actor
			})
			if wantEqual(t, "facet labels of "+tt.actor, len(labels), 1) {
				wantContains(t, "facet label", labels[0], tt.want)
			}
			chips := langMarked(t, body, tt.lang, func(n *html.Node) bool {
				return n.Data == "a" && strings.Contains(" "+attr(n, "class")+" ", " chip ")
			})
			wantContains(t, "filter chips", strings.Join(chips, " | "), locales.For(tt.lang).T("chip.actor", tt.want))
			titles := langMarked(t, body, tt.lang, func(n *html.Node) bool { return n.Data == "title" })
			wantContains(t, "title", strings.Join(titles, ""), tt.plain)

			_, _, part := ts.get(t, path, "HX-Request", "true")
			announced := langMarked(t, part, tt.lang, func(n *html.Node) bool { return n.Data == "p" && attr(n, "id") == "announce" })
			wantContains(t, "announcement", strings.Join(announced, ""), tt.plain)

			status, _, body = ts.get(t, locales.PathIn(tt.lang, "/timeline?from=2002&to=2004&lanes=actor&actor="+tt.actor))
			wantEqual(t, "timeline status", status, http.StatusOK)
			chips = langMarked(t, body, tt.lang, func(n *html.Node) bool {
				return n.Data == "a" && strings.Contains(" "+attr(n, "class")+" ", " chip ")
			})
			wantContains(t, "timeline chips", strings.Join(chips, " | "), locales.For(tt.lang).T("chip.actor", tt.want))
			lanes := langMarked(t, body, tt.lang, func(n *html.Node) bool { return n.Data == "text" && attr(n, "class") == "tl-lane-label" })
			if wantEqual(t, "timeline has actor lanes", len(lanes) > 0, true) {
				wantEqual(t, "first lane", lanes[0], tt.want)
			}
		})
	}
}

// langMarked returns the text of each element of body (a page in lang)
// that match picks, with each run whose language is English written as
// "[en:…]".
func langMarked(t *testing.T, body, lang string, match func(*html.Node) bool) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var text func(n *html.Node, l string, b *strings.Builder)
	text = func(n *html.Node, l string, b *strings.Builder) {
		if v := attr(n, "lang"); n.Type == html.ElementNode && v != "" {
			l = v
		}
		if n.Type == html.TextNode {
			if l == "en" {
				b.WriteString("[en:" + n.Data + "]")
			} else {
				b.WriteString(n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c, l, b)
		}
	}
	var walk func(n *html.Node, l string)
	walk = func(n *html.Node, l string) {
		if v := attr(n, "lang"); n.Type == html.ElementNode && v != "" {
			l = v
		}
		if n.Type == html.ElementNode && match(n) {
			var b strings.Builder
			text(n, l, &b)
			out = append(out, b.String())
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, l)
		}
	}
	walk(doc, lang)
	return out
}

// attr is the value of n's attribute key ("" without it).
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
