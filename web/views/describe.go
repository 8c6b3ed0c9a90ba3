package views

import (
	"strings"

	"github.com/japan-dprk/timeline/web/locales"

	"github.com/japan-dprk/timeline/timeline"
)

// DescribeFilter names a view in words, for page titles and headings:
// "Abduction, 1977–1983", "Abe Shinzo, tagged sanctions, from 2010",
// "All events". name turns an actor slug into the actor's name (nil:
// the slug).
func DescribeFilter(l *locales.Localizer, f timeline.Filter, name func(slug string) string) string {
	var parts []string
	if len(f.Categories) > 0 {
		labels := make([]string, len(f.Categories))
		for i, c := range f.Categories {
			labels[i] = CategoryLabel(l, c)
		}
		parts = append(parts, joinWords(l, labels, "describe.or"))
	}
	if len(f.Actors) > 0 {
		names := make([]string, len(f.Actors))
		for i, a := range f.Actors {
			names[i] = a
			if name != nil {
				names[i] = name(a)
			}
		}
		parts = append(parts, joinWords(l, names, "describe.and"))
	}
	if len(f.Tags) > 0 {
		parts = append(parts, l.T("describe.tagged", joinWords(l, f.Tags, "describe.and")))
	}
	if f.Query != "" {
		parts = append(parts, l.T("describe.query", f.Query))
	}
	switch f.MinSignificance {
	case 2:
		parts = append(parts, l.T("describe.sig_2"))
	case 3:
		parts = append(parts, l.T("describe.sig_3"))
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, l.Span(f.From, f.To))
	case !f.From.IsZero():
		parts = append(parts, l.T("describe.from", l.Date(f.From)))
	case !f.To.IsZero():
		parts = append(parts, l.T("describe.until", l.Date(f.To)))
	}
	if f.Certain {
		parts = append(parts, l.T("describe.certain"))
	}
	if len(parts) == 0 {
		return l.T("describe.all")
	}
	return capitalize(strings.Join(parts, l.T("list.comma")))
}

// joinWords joins "a", "b", "c" as "a, b or c" (and as each language
// joins a list: "a、b、またはc"); last is the catalog key of the joining
// word's pattern.
func joinWords(l *locales.Localizer, words []string, last string) string {
	if len(words) == 1 {
		return words[0]
	}
	return l.T(last, strings.Join(words[:len(words)-1], l.T("list.comma")), words[len(words)-1])
}
