package views

import (
	"github.com/japan-dprk/timeline/web/locales"
	"regexp"
	"strconv"
)

// ProblemLink is one entry of an error summary: the label of the field
// that has the problem, what is wrong, and the id of the element to go to
// ("" when there is none).
type ProblemLink struct {
	Target  string
	Label   string
	Problem string
}

// eventFieldLabels names the event form's fields as their labels do.
var eventFieldLabels = map[string]string{
	"slug": "Permalink slug", "start": "Start date", "end": "End date", "title": "Title",
	"title_ja": "Title in Japanese", "title_ko": "Title in Korean", "summary": "Summary",
	"summary_ja": "Summary in Japanese", "summary_ko": "Summary in Korean", "body": "Body",
	"category": "Category", "significance": "Significance", "location": "Location", "tags": "Tags",
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

// ProblemLinks lists the form's problems for its error summary, in the
// order of the keys, each with its field's label and the id of the control
// (or the group of controls) it concerns.
func (f EventForm) ProblemLinks() []ProblemLink {
	var out []ProblemLink
	for _, k := range sortedKeys(f.Problems) {
		out = append(out, ProblemLink{Target: f.problemTarget(k), Label: eventFieldLabel(k), Problem: f.Problems[k]})
	}
	return out
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
		p := ProblemLink{Label: ParamLabel(l, k), Problem: Problem(l, problems[k])}
		for _, c := range controls {
			if c == k {
				p.Target = prefix + k
			}
		}
		out = append(out, p)
	}
	return out
}
