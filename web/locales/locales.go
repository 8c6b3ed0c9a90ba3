// Package locales holds the site's interface in English, Japanese and
// Korean: one message catalog per language (en.json, ja.json, ko.json,
// embedded), read into a golang.org/x/text/message catalog, and the
// Localizer a request carries in its context. A catalog entry is a string
// (a format in fmt's syntax, with %[2]s where a language orders its
// arguments differently) or, for counts, an object of CLDR plural forms
// ("one", "other") chosen by the first argument with x/text's plural
// rules.
//
// English is the site's own language, served at /; Japanese at /ja/…,
// Korean at /ko/….
package locales

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/japan-dprk/timeline/timeline"
)

//go:embed en.json ja.json ko.json
var files embed.FS

// Langs are the interface languages, the default first.
var Langs = []string{"en", "ja", "ko"}

// tags are Langs as language tags, in the same order (the matcher's).
var tags = []language.Tag{language.English, language.Japanese, language.Korean}

// Entry is one catalog entry: a text, or plural forms.
type Entry struct {
	Text   string
	Plural map[string]string // CLDR form ("one", "other") → text
}

// UnmarshalJSON reads "text" or {"one": …, "other": …}.
func (e *Entry) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.Text)
	}
	return json.Unmarshal(b, &e.Plural)
}

// Catalog reads the embedded catalog of lang (for tests and tools).
func Catalog(lang string) (map[string]Entry, error) {
	b, err := files.ReadFile(lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	var m map[string]Entry
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("locales: %s.json: %w", lang, err)
	}
	return m, nil
}

// localizers are built once, from the embedded files, which tests check;
// a broken catalog is a build mistake, so it panics at start.
var localizers = func() map[string]*Localizer {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for i, lang := range Langs {
		m, err := Catalog(lang)
		if err != nil {
			panic(err)
		}
		for key, e := range m {
			if e.Plural == nil {
				err = b.SetString(tags[i], key, e.Text)
			} else {
				var cases []any
				for _, form := range []string{"zero", "one", "two", "few", "many", "other"} {
					if t, ok := e.Plural[form]; ok {
						cases = append(cases, form, t)
					}
				}
				err = b.Set(tags[i], key, plural.Selectf(1, "%d", cases...))
			}
			if err != nil {
				panic(fmt.Sprintf("locales: %s %q: %v", lang, key, err))
			}
		}
	}
	out := map[string]*Localizer{}
	for i, lang := range Langs {
		l := &Localizer{Lang: lang, p: message.NewPrinter(tags[i], message.Catalog(b)), plain: map[string]string{}}
		// Most texts take no arguments: formatted once here, a page's
		// hundreds of them are map lookups instead of Sprintf.
		for key := range known {
			l.plain[key] = l.p.Sprintf(key)
		}
		out[lang] = l
	}
	return out
}()

// Localizer writes the interface in one language, for one request.
type Localizer struct {
	Lang string // "en", "ja" or "ko"
	p    *message.Printer
	// plain is each catalog key's text without arguments, as p formats it.
	plain map[string]string
	// Here is the request's path and query without the language prefix
	// ("/events?q=abduction"): the view the language switcher keeps.
	Here string
	// Base is the site's public address, for absolute alternates.
	Base string
}

// For returns the localizer of lang, English for anything else.
func For(lang string) *Localizer {
	if l, ok := localizers[lang]; ok {
		return l
	}
	return localizers["en"]
}

// At is l for one request: here is the view without the language prefix,
// base the site's public address.
func (l *Localizer) At(here, base string) *Localizer {
	c := *l
	c.Here, c.Base = here, base
	return &c
}

// T is the text of key with args, in l's language (English when the
// language lacks it; the catalog tests make sure none does). A plural
// entry takes the count as its first argument.
func (l *Localizer) T(key string, args ...any) string {
	if len(args) == 0 {
		if s, ok := l.plain[key]; ok {
			return s
		}
	}
	return l.p.Sprintf(key, args...)
}

// Has reports whether the catalogs hold key (for texts that may or may not
// be translated, such as validation rules).
func Has(key string) bool { return known[key] }

// known are the keys of the English catalog.
var known = func() map[string]bool {
	m, err := Catalog("en")
	if err != nil {
		panic(err)
	}
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}()

// Path is p, a path of the site, in l's language: "/events" is
// "/ja/events" in Japanese, "/" is "/ja/".
func (l *Localizer) Path(p string) string { return PathIn(l.Lang, p) }

// PathIn is p in lang's part of the site.
func PathIn(lang, p string) string {
	if lang == "en" || lang == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return p
	}
	if l, rest := Split(p); l != "en" && rest != "" {
		return p // already in a language's part
	}
	if p == "/" {
		return "/" + lang + "/"
	}
	if strings.HasPrefix(p, "/?") {
		return "/" + lang + "/" + p[1:]
	}
	return "/" + lang + p
}

// Split takes the language prefix off a path: "/ja/events" is ("ja",
// "/events"), "/ja/" is ("ja", "/"), "/events" is ("en", "/events"). "/ja"
// alone is ("ja", "") so that the caller can redirect it to "/ja/".
func Split(path string) (lang, rest string) {
	for _, l := range Langs[1:] {
		if path == "/"+l {
			return l, ""
		}
		if strings.HasPrefix(path, "/"+l+"/") {
			return l, path[len(l)+1:]
		}
	}
	return "en", path
}

// Alternate is the current view in another language.
type Alternate struct {
	Lang string // "en", "ja", "ko"
	Name string // the language's name in itself: "日本語"
	Href string // a path of the site
}

// Names are the languages' names in themselves.
var Names = map[string]string{"en": "English", "ja": "日本語", "ko": "한국어"}

// Alternates are l's view in every language, l's own among them.
func (l *Localizer) Alternates() []Alternate {
	here := l.Here
	if here == "" {
		here = "/"
	}
	out := make([]Alternate, len(Langs))
	for i, lang := range Langs {
		out[i] = Alternate{Lang: lang, Name: Names[lang], Href: PathIn(lang, here)}
	}
	return out
}

// matcher picks the interface language from Accept-Language.
var matcher = language.NewMatcher(tags)

// Match is the interface language that best fits an Accept-Language
// header: "en" when nothing fits better.
func Match(acceptLanguage string) string {
	want, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(want) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(want...)
	if conf == language.No {
		return "en"
	}
	return Langs[i]
}

// Valid reports whether lang is an interface language.
func Valid(lang string) bool { return slices.Contains(Langs, lang) }

// DateStyle is how l writes dates: Japanese with the era beside the year.
func (l *Localizer) DateStyle() timeline.DateStyle {
	return timeline.DateStyle{Lang: l.Lang, Era: l.Lang == "ja"}
}

// Date writes d as l's readers write dates.
func (l *Localizer) Date(d timeline.Date) string { return d.FormatIn(l.DateStyle()) }

// Span writes an event's dates as l's readers write them.
func (l *Localizer) Span(start, end timeline.Date) string {
	return timeline.FormatSpanIn(l.DateStyle(), start, end)
}

// Moment writes a moment of the chronology (an as_of) as l's readers
// write it: "29 November 2026 06:10:07 UTC", or the day alone for the end
// of a day as as_of reads one.
func (l *Localizer) Moment(t time.Time) string {
	day := l.Date(timeline.DateOf(t.UTC()))
	if s := timeline.FormatAsOf(t); len(s) == len("2006-01-02") {
		return l.T("asof.end_of_day", day)
	}
	return l.T("asof.moment", day, t.UTC().Format("15:04:05"))
}

// Abs is the absolute address of a path of the site.
func (l *Localizer) Abs(p string) string { return l.Base + p }

// Query is the text of key, or key itself when the catalog has no such
// entry (for texts from the data, such as a validation rule, that may
// not be in the catalogs).
func (l *Localizer) Query(key string) string {
	if !Has(key) {
		return key
	}
	return l.T(key)
}

type ctxKey struct{}

// NewContext returns ctx carrying l.
func NewContext(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From is the localizer ctx carries, or English.
func From(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(ctxKey{}).(*Localizer); ok {
		return l
	}
	return localizers["en"]
}

// Keys lists the keys of a catalog, sorted.
func Keys(m map[string]Entry) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
