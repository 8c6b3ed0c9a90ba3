package views

import (
	"strings"

	"github.com/japan-dprk/timeline/timeline"
)

// DescribeFilter names a view in words, for page titles and headings:
// "Abduction, 1977–1983", "Abe Shinzo, tagged sanctions, from 2010",
// "All events". name turns an actor slug into the actor's name (nil:
// the slug).
func DescribeFilter(f timeline.Filter, name func(slug string) string) string {
	var parts []string
	if len(f.Categories) > 0 {
		labels := make([]string, len(f.Categories))
		for i, c := range f.Categories {
			labels[i] = c.Label()
		}
		parts = append(parts, joinWords(labels, "or"))
	}
	if len(f.Actors) > 0 {
		names := make([]string, len(f.Actors))
		for i, a := range f.Actors {
			names[i] = a
			if name != nil {
				names[i] = name(a)
			}
		}
		parts = append(parts, joinWords(names, "and"))
	}
	if len(f.Tags) > 0 {
		parts = append(parts, "tagged "+joinWords(f.Tags, "and"))
	}
	if f.Query != "" {
		parts = append(parts, "“"+f.Query+"”")
	}
	switch f.MinSignificance {
	case 2:
		parts = append(parts, "notable and major events")
	case 3:
		parts = append(parts, "major events")
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, timeline.FormatSpan(f.From, f.To))
	case !f.From.IsZero():
		parts = append(parts, "from "+f.From.Format())
	case !f.To.IsZero():
		parts = append(parts, "until "+f.To.Format())
	}
	if f.Certain {
		parts = append(parts, "dates certain")
	}
	if len(parts) == 0 {
		return "All events"
	}
	return capitalize(strings.Join(parts, ", "))
}

// joinWords joins "a", "b", "c" as "a, b or c".
func joinWords(words []string, and string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + and + " " + words[len(words)-1]
}
