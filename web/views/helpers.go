// Package views holds the templ components of the site and the small
// helpers they use. Components take view models, never store handles.
package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/static"
)

// SiteName is the dataset's name, used in titles and citations.
const SiteName = "Japan–DPRK Diplomacy Timeline"

// Link is a URL with its text.
type Link struct {
	Href string
	Text string
}

// ListURL builds the permalink of a filtered view under base ("/events",
// "/actors/abe-shinzo"), with extra parameters set after the filter's.
// fixed names the parameters the base path already implies, which are left
// out of the query.
func ListURL(base string, f timeline.Filter, fixed []string, extra ...string) string {
	v := f.Values()
	for _, k := range fixed {
		if k, val, ok := strings.Cut(k, "="); ok {
			vals := slices.DeleteFunc(v[k], func(s string) bool { return s == val })
			if len(vals) == 0 {
				v.Del(k)
			} else {
				v[k] = vals
			}
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			v.Del(extra[i])
		} else {
			v.Set(extra[i], extra[i+1])
		}
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// Without returns f with one value of one parameter removed (a chip's
// "remove" link).
func Without(f timeline.Filter, key, value string) timeline.Filter {
	g := f
	switch key {
	case "from":
		g.From = timeline.Date{}
	case "to":
		g.To = timeline.Date{}
	case "category":
		g.Categories = slices.DeleteFunc(slices.Clone(f.Categories), func(c timeline.Category) bool { return string(c) == value })
	case "actor":
		g.Actors = slices.DeleteFunc(slices.Clone(f.Actors), func(s string) bool { return s == value })
	case "tag":
		g.Tags = slices.DeleteFunc(slices.Clone(f.Tags), func(s string) bool { return s == value })
	case "sig":
		g.MinSignificance = 0
	case "certainty":
		g.Certain = false
	case "q":
		g.Query = ""
	}
	return g
}

// YearRange returns f narrowed to one year (an overview bar's link).
func YearRange(f timeline.Filter, year int) timeline.Filter {
	g := f
	g.From = timeline.Date{Year: year}
	g.To = timeline.Date{Year: year}
	return g
}

// Segment is a run of text, marked when it matched the search.
type Segment struct {
	Text string
	Mark bool
}

// Highlight splits text into segments, marking the words that begin with a
// search term (English and other spaced scripts) and every occurrence of a
// Japanese, Chinese or Korean term. Matching ignores case. The segments are
// plain text: the template escapes them.
func Highlight(text string, terms []string) []Segment {
	if len(terms) == 0 || text == "" {
		return []Segment{{Text: text}}
	}
	lower := strings.ToLower(text)
	if !sameWidths(text, lower) {
		return highlightRunes(text, terms)
	}
	// Every character of lower is as long in bytes as text's: a byte
	// offset in one is the same character's in the other.
	var marked []bool // by byte of text; nil while nothing is marked
	mark := func(i, j int) {
		if marked == nil {
			marked = make([]bool, len(text))
		}
		for ; i < j; i++ {
			marked[i] = true
		}
	}
	for _, t := range terms {
		t = strings.ToLower(t)
		if t == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(t)
		cjk := timeline.IsCJK(first)
		for from := 0; from < len(lower); {
			k := strings.Index(lower[from:], t)
			if k < 0 {
				break
			}
			i := from + k
			_, size := utf8.DecodeRuneInString(lower[i:])
			from = i + size // matches may overlap, as they start a character apart
			if cjk {
				mark(i, i+len(t))
				continue
			}
			if before, _ := utf8.DecodeLastRuneInString(lower[:i]); i > 0 && isWordRune(before) {
				continue
			}
			j := i
			for j < len(lower) {
				r, size := utf8.DecodeRuneInString(lower[j:])
				if !isWordRune(r) {
					break
				}
				j += size
			}
			mark(i, j)
		}
	}
	if marked == nil {
		return []Segment{{Text: text}}
	}
	var out []Segment
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && marked[j] == marked[i] {
			j++
		}
		out = append(out, Segment{Text: text[i:j], Mark: marked[i]})
		i = j
	}
	return out
}

// sameWidths reports whether text is valid UTF-8 and each of its
// characters takes as many bytes as the one in the same place of lower, its
// lower case.
func sameWidths(text, lower string) bool {
	if len(text) != len(lower) || !utf8.ValidString(text) {
		return false
	}
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			if lower[i] >= utf8.RuneSelf {
				return false
			}
			i++
			continue
		}
		_, a := utf8.DecodeRuneInString(text[i:])
		_, b := utf8.DecodeRuneInString(lower[i:])
		if a != b {
			return false
		}
		i += a
	}
	return true
}

// highlightRunes is Highlight by characters, for the texts whose lower
// case changes some character's length in bytes (or that are not valid
// UTF-8).
func highlightRunes(text string, terms []string) []Segment {
	runes := []rune(text)
	lower := []rune(strings.ToLower(text))
	if len(lower) != len(runes) { // case folding changed lengths: match as typed
		lower = runes
	}
	marked := make([]bool, len(runes))
	for _, t := range terms {
		tr := []rune(strings.ToLower(t))
		if len(tr) == 0 {
			continue
		}
		cjk := timeline.IsCJK(tr[0])
		for i := 0; i+len(tr) <= len(lower); i++ {
			if !slices.Equal(lower[i:i+len(tr)], tr) {
				continue
			}
			if cjk {
				for j := i; j < i+len(tr); j++ {
					marked[j] = true
				}
				continue
			}
			if i > 0 && isWordRune(lower[i-1]) {
				continue
			}
			j := i
			for j < len(runes) && isWordRune(lower[j]) {
				marked[j] = true
				j++
			}
		}
	}
	var out []Segment
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && marked[j] == marked[i] {
			j++
		}
		out = append(out, Segment{Text: string(runes[i:j]), Mark: marked[i]})
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !timeline.IsCJK(r)
}

// Itoa is strconv.Itoa for templates.
func Itoa(n int) string { return strconv.Itoa(n) }

// Plural writes "1 event", "2 events".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// SignificanceLabel reads a significance: "major".
func SignificanceLabel(n int) string { return timeline.SignificanceLabels[n] }

// Truncate cuts s to at most n characters, at a space where it can.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndex(string(r), " "); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// EventURL is an event's permalink path.
func EventURL(slug string) string { return "/events/" + url.PathEscape(slug) }

// ActorURL is an actor page's path.
func ActorURL(slug string) string { return "/actors/" + url.PathEscape(slug) }

// TagURL is a tag page's path.
func TagURL(tag string) string { return "/tags/" + url.PathEscape(tag) }

// InverseLabel reads a relation from its target's side: "followed by".
func InverseLabel(rel string) string { return timeline.InverseRelationLabels[rel] }

// RelationLabel reads a relation from its source's side: "follows".
func RelationLabel(rel string) string { return strings.ReplaceAll(rel, "-", " ") }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// SortParam is the sort parameter of a permalink: empty for the default order.
func SortParam(s string) string {
	if s == timeline.SortRelevance {
		return s
	}
	return ""
}

// Paragraphs splits text on blank lines.
func Paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// precisionOf says how precisely the event's first known date is known:
// "day", "month", "year", or "decade" and "century" for 198X and 19XX.
func precisionOf(e timeline.Event) string {
	d := e.Start
	if d.Open {
		d = e.End
	}
	switch d.YearX {
	case 1:
		return "decade"
	case 2:
		return "century"
	}
	return d.Precision().String()
}

// Asset is the fingerprinted URL of a static file.
func Asset(name string) string { return static.Path(name) }
