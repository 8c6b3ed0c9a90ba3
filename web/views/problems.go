package views

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/japan-dprk/timeline/web/locales"
)

// ProblemLink is one entry of an error summary: the label of the field
// that has the problem, what is wrong, and the id of the element to go to
// ("" when there is none).
type ProblemLink struct {
	Target  string
	Label   string
	Problem string
	Lang    string // the problem's language, when it is not the page's ("en")
}

// eventFieldLabels names the event form's fields as their labels do.
var eventFieldLabels = map[string]string{
	"slug": "Permalink slug", "start": "Start date", "end": "End date", "title": "Title",
	"title_ja": "Title in Japanese", "title_ko": "Title in Korean", "summary": "Summary",
	"summary_ja": "Summary in Japanese", "summary_ko": "Summary in Korean", "body": "Body",
	"category": "Category", "significance": "Significance", "location": "Location",
	"location_ja": "Location in Japanese", "location_ko": "Location in Korean", "tags": "Tags",
	"actors": "Actors", "sources": "Sources", "related": "Related events", "edit_summary": "Edit summary",
	"version": "Version", "correction": "Correction",
}

// eventRowLabels names the fields of the form's rows: "sources" → "url" →
// "URL" makes "Source 2: URL".
var eventRowLabels = map[string]struct {
	row    string
	fields map[string]string
}{
	"actors":  {"Actor", map[string]string{"slug": "slug", "role": "role", "name": "name", "name_ja": "name in Japanese", "kind": "kind", "country": "country"}},
	"sources": {"Source", map[string]string{"publisher": "publisher", "title": "title", "url": "URL", "date": "date", "language": "language", "note": "note"}},
	"related": {"Related event", map[string]string{"relation": "relation", "slug": "slug"}},
}

var problemKeyRE = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?$`)

// eventFieldOrder is the order of the event form's fields, and
// eventRowOrder that of each row's, which its error summary follows.
var (
	eventFieldOrder = []string{"version", "correction", "start", "end", "slug", "title", "title_ja", "title_ko",
		"summary", "summary_ja", "summary_ko", "body", "category", "significance", "location", "location_ja",
		"location_ko", "tags", "actors", "sources", "related", "edit_summary"}
	eventRowOrder = map[string][]string{
		"actors":  {"slug", "role", "name", "name_ja", "kind", "country"},
		"sources": {"publisher", "title", "url", "date", "language", "note"},
		"related": {"relation", "slug"},
	}
)

// orderIn is the place of key in order, or len(order) when it is not there.
func orderIn(order []string, key string) int {
	if i := slices.Index(order, key); i >= 0 {
		return i
	}
	return len(order)
}

// inFormOrder sorts problem keys as the form shows their fields: by field,
// then row ("sources[2]" before "sources[10]"), then the row's field; a key
// the form does not know goes last.
func inFormOrder(keys []string) []string {
	rank := func(k string) (int, int, int) {
		field, n, sub := k, -1, -1
		if m := problemKeyRE.FindStringSubmatch(k); m != nil {
			field = m[1]
			n, _ = strconv.Atoi(m[2])
			if m[3] != "" {
				sub = orderIn(eventRowOrder[m[1]], m[3])
			}
		}
		return orderIn(eventFieldOrder, field), n, sub
	}
	slices.SortStableFunc(keys, func(a, b string) int {
		ai, an, as := rank(a)
		bi, bn, bs := rank(b)
		return cmp.Or(cmp.Compare(ai, bi), cmp.Compare(an, bn), cmp.Compare(as, bs))
	})
	return keys
}

// ProblemLinks lists the form's problems for its error summary, in the
// order of the form's fields, each with its field's label and the id of
// the control (or the group of controls) it concerns.
func (f EventForm) ProblemLinks(l *locales.Localizer) []ProblemLink {
	var out []ProblemLink
	for _, k := range inFormOrder(sortedKeys(f.Problems)) {
		label := eventFieldLabel(k)
		if l.Lang != "en" {
			label = eventFieldLabelIn(l, k)
		}
		pr := ProblemIn(l, f.Problems[k])
		p := ProblemLink{Target: f.problemTarget(k), Label: label, Problem: pr.Text}
		if pr.Lang != l.Lang {
			p.Lang = pr.Lang
		}
		out = append(out, p)
	}
	return out
}

// fieldLabelKeys are the catalog keys of the event form's fields' names,
// as its error summary gives them.
var fieldLabelKeys = map[string]string{
	"slug": "label.slug", "start": "form.start", "end": "label.end", "title": "form.title",
	"title_ja": "form.title_ja", "title_ko": "form.title_ko", "summary": "label.summary", "body": "label.body",
	"summary_ja": "label.summary_ja", "summary_ko": "label.summary_ko",
	"category": "filters.category", "significance": "filters.significance", "location": "form.location",
	"location_ja": "form.location_ja", "location_ko": "form.location_ko",
	"tags": "label.tags", "actors": "nav.actors", "sources": "event.sources", "related": "event.related",
	"edit_summary": "label.edit_summary", "version": "label.version", "correction": "user.corrections",
	// the fields of the rows
	"role": "form.role", "name": "form.name", "name_ja": "form.name_ja", "kind": "form.kind",
	"country": "label.country", "publisher": "form.publisher", "url": "label.url", "date": "form.date",
	"language": "layout.language", "note": "form.note", "relation": "form.relation",
}

// rowLabelKeys are the catalog keys of the names of the form's rows.
var rowLabelKeys = map[string]string{"actors": "label.actor", "sources": "label.source", "related": "label.related"}

// eventFieldLabelIn is eventFieldLabel in l's language: "sources[1].url"
// is "出典2：URL".
func eventFieldLabelIn(l *locales.Localizer, key string) string {
	if k, ok := fieldLabelKeys[key]; ok && !strings.Contains(key, "[") {
		return l.T(k)
	}
	m := problemKeyRE.FindStringSubmatch(key)
	if m == nil {
		return key
	}
	n, _ := strconv.Atoi(m[2])
	if m[3] == "" {
		return l.T("label.item", l.T(fieldLabelKeys[m[1]]), n+1)
	}
	row, ok := rowLabelKeys[m[1]]
	field := fieldLabelKeys[m[3]]
	if m[3] == "slug" {
		field = "label.row_slug"
	}
	if !ok || field == "" {
		return key
	}
	return l.T("label.row", l.T(row), n+1, l.T(field))
}

// eventFieldLabel is the label of a problem key: "start" → "Start date",
// "sources[1].url" → "Source 2: URL", "tags[3]" → "Tags (the 4th)".
func eventFieldLabel(key string) string {
	if l, ok := eventFieldLabels[key]; ok {
		return l
	}
	m := problemKeyRE.FindStringSubmatch(key)
	if m == nil {
		return key
	}
	n, _ := strconv.Atoi(m[2])
	if m[3] == "" {
		return eventFieldLabels[m[1]] + " (item " + strconv.Itoa(n+1) + ")"
	}
	r, ok := eventRowLabels[m[1]]
	if !ok || r.fields[m[3]] == "" {
		return key
	}
	return r.row + " " + strconv.Itoa(n+1) + ": " + r.fields[m[3]]
}

// problemTarget is the id of the element a problem's link leads to: the
// field's control, the fieldset of a list, or the problem's own note.
func (f EventForm) problemTarget(key string) string {
	switch key {
	case "actors", "sources", "related":
		return fieldID(key)
	case "slug":
		if !f.New {
			return fieldID(key) + "-problem" // the slug cannot be edited: its note says why
		}
	case "version":
		return ""
	}
	if m := problemKeyRE.FindStringSubmatch(key); m != nil && m[3] == "" {
		return fieldID(m[1]) // "tags[3]" is told beside the one tags field
	}
	return fieldID(key)
}

// rowHasProblem reports whether any of a row's fields has a problem, so
// that a closed part of the row opens to show it.
func (f EventForm) rowHasProblem(list string, i int, fields ...string) bool {
	for _, fl := range fields {
		if f.Problems[row(list, i, fl)] != "" {
			return true
		}
	}
	return false
}

// FilterProblemLinks lists a list's filter problems for the error summary:
// the controls are prefix+key ("f-from"), the groups of boxes their fieldset.
func FilterProblemLinks(l *locales.Localizer, problems map[string]string, prefix string, controls ...string) []ProblemLink {
	var out []ProblemLink
	for _, k := range sortedKeys(problems) {
		pr := ProblemIn(l, problems[k])
		p := ProblemLink{Label: ParamLabel(l, k), Problem: pr.Text}
		if pr.Lang != l.Lang {
			p.Lang = pr.Lang
		}
		for _, c := range controls {
			if c == k {
				p.Target = prefix + k
			}
		}
		out = append(out, p)
	}
	return out
}
