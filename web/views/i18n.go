package views

import (
	"context"
	"github.com/japan-dprk/timeline/timeline"
	"strings"

	"github.com/japan-dprk/timeline/web/locales"
)

// L is the localizer of the request ctx belongs to (English without one):
// components take their language from the request, never from a global.
func L(ctx context.Context) *locales.Localizer { return locales.From(ctx) }

// T is the interface text of key in the request's language.
func T(ctx context.Context, key string, args ...any) string { return L(ctx).T(key, args...) }

// P is a path of the site in the request's language ("/events" →
// "/ja/events").
func P(ctx context.Context, path string) string { return L(ctx).Path(path) }

// LocalURL is u, a path of the site or an absolute address under the
// site's base, in the request's language.
func LocalURL(ctx context.Context, u string) string {
	l := L(ctx)
	if l.Base != "" && strings.HasPrefix(u, l.Base+"/") {
		return l.Base + l.Path(strings.TrimPrefix(u, l.Base))
	}
	return l.Path(u)
}

// categoryKeys are the catalog keys of the categories' names.
var categoryKeys = map[timeline.Category]string{
	"summit": "category.summit", "negotiation": "category.negotiation", "agreement": "category.agreement",
	"statement": "category.statement", "sanctions": "category.sanctions", "abduction": "category.abduction",
	"repatriation": "category.repatriation", "missile": "category.missile", "nuclear": "category.nuclear",
	"incident": "category.incident", "humanitarian": "category.humanitarian",
	"domestic-politics": "category.domestic-politics", "legal": "category.legal",
}

// CategoryLabel names a category in l's language ("Summit", "首脳会談").
func CategoryLabel(l *locales.Localizer, c timeline.Category) string {
	if k, ok := categoryKeys[c]; ok {
		return l.T(k)
	}
	return c.Label()
}

// significanceKeys are the catalog keys of the significances' names.
var significanceKeys = map[int]string{1: "sig.1", 2: "sig.2", 3: "sig.3"}

// SigLabel names a significance in l's language ("major", "重要").
func SigLabel(l *locales.Localizer, n int) string {
	if k, ok := significanceKeys[n]; ok {
		return l.T(k)
	}
	return SignificanceLabel(n)
}

// EventDate is an event's dates as l's readers write them.
func EventDate(l *locales.Localizer, e timeline.Event) string {
	return l.Span(e.Start, e.End)
}

// Named is a text from the data with the language it is in.
type Named struct {
	Text string
	Lang string // "en", "ja" or "ko"
}

// pick is the text in l's language when the data has it, else the English.
func pick(l *locales.Localizer, en, ja, ko string) Named {
	switch {
	case l.Lang == "ja" && ja != "":
		return Named{ja, "ja"}
	case l.Lang == "ko" && ko != "":
		return Named{ko, "ko"}
	}
	return Named{en, "en"}
}

// EventTitle is an event's title in l's language, or in English.
func EventTitle(l *locales.Localizer, e timeline.Event) Named {
	return pick(l, e.Title, e.TitleJA, e.TitleKO)
}

// ActorName is an actor's name in l's language, or in English.
func ActorName(l *locales.Localizer, a timeline.Actor) Named {
	return pick(l, a.Name, a.NameJA, a.NameKO)
}

// CountName is the name a count gives its value (an actor's) in l's
// language, or in English: timeline.Count carries the three.
func CountName(l *locales.Localizer, c timeline.Count) Named {
	return pick(l, c.Label, c.LabelJA, c.LabelKO)
}

// splitNamed is the interface text key with name for its argument, in
// parts: the text around the name in l's language, and the name in its
// own, so that an English name in a Japanese sentence can be marked.
func splitNamed(l *locales.Localizer, key string, name Named) []Named {
	if name.Lang != l.Lang {
		const mark = "\x00" // stands for the name, which the catalog's texts cannot hold
		if before, after, ok := strings.Cut(l.T(key, mark), mark); ok {
			return []Named{{before, l.Lang}, name, {after, l.Lang}}
		}
	}
	return []Named{{l.T(key, name.Text), l.Lang}}
}

// EraName is an era's name in l's language, or in English.
func EraName(l *locales.Localizer, r timeline.Era) Named {
	return pick(l, r.Name, r.NameJA, r.NameKO)
}

// paramKeys are the catalog keys of the filter parameters' labels.
var paramKeys = map[string]string{
	"q": "filters.search", "from": "filters.from", "to": "filters.to", "sig": "filters.significance",
	"category": "filters.category", "actor": "filters.actors", "tag": "filters.tags", "sort": "filters.order",
	"year": "overview.year", "cursor": "list.page", "at": "story.step", "thread": "story.thread",
}

// ParamLabel names a query parameter for an error summary: the parameter
// as the URL names it, after its label in Japanese and Korean
// ("開始（from）"); the parameter alone in English, where the two are alike.
func ParamLabel(l *locales.Localizer, param string) string {
	k, ok := paramKeys[param]
	if !ok || l.Lang == "en" {
		return param
	}
	return l.T("param.label", l.T(k), param)
}

// Problem is a validation problem in l's language when the rules know it
// (ProblemIn), else as written.
func Problem(l *locales.Localizer, text string) string { return ProblemIn(l, text).Text }

// YearPlain is a year without its era: 2002, 2002年, 2002년.
func YearPlain(l *locales.Localizer, y int) string {
	return timeline.Date{Year: y}.FormatIn(timeline.DateStyle{Lang: l.Lang})
}

// Year is a year as a heading: 2002, 2002年（平成14年）, 2002년.
func Year(l *locales.Localizer, y int) string { return l.Date(timeline.Date{Year: y}) }

// EventSummary is an event's summary in l's language, or in English.
func EventSummary(l *locales.Localizer, e timeline.Event) Named {
	return pick(l, e.Summary, e.SummaryJA, e.SummaryKO)
}

// EventLocation is an event's location in l's language, or in English.
func EventLocation(l *locales.Localizer, e timeline.Event) Named {
	return pick(l, e.Location, e.LocationJA, e.LocationKO)
}

// EraDescription is an era's description in l's language, or in English.
func EraDescription(l *locales.Localizer, r timeline.Era) Named {
	return pick(l, r.Description, r.DescriptionJA, r.DescriptionKO)
}

// kindKeys are the catalog keys of the kinds of actor.
var kindKeys = map[string]string{"person": "kind.person", "organization": "kind.organization", "state": "kind.state"}

// KindLabel names a kind of actor in l's language.
func KindLabel(l *locales.Localizer, kind string) string {
	if k, ok := kindKeys[kind]; ok {
		return l.T(k)
	}
	return kind
}
