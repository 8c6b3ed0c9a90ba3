package views

import (
	"strconv"

	"github.com/japan-dprk/timeline/timeline"
)

// Part is a stretch of an event's text, or a footnote marker: Ref is the
// number of the source it points at, ID the marker's anchor.
type Part struct {
	Text string
	Ref  int
	ID   string
}

// Annotated is an event's summary and body paragraphs with their
// footnote markers ([1], [2]) turned into links to the numbered sources,
// and each source's links back to the markers that point at it.
type Annotated struct {
	Summary  []Part
	Body     [][]Part
	Backrefs map[int][]string // source number → ids of its markers, in order
}

// Annotate finds the footnote markers of e's summary and body. A marker
// for a source e does not have (which validation refuses) stays text.
func Annotate(e timeline.Event) Annotated {
	a := Annotated{Backrefs: map[int][]string{}}
	parts := func(text string) []Part {
		var out []Part
		for _, s := range timeline.Footnotes(text) {
			if !s.Marker || s.Ref < 1 || s.Ref > len(e.Sources) {
				out = append(out, Part{Text: s.Text})
				continue
			}
			id := "ref-" + strconv.Itoa(s.Ref) + "-" + strconv.Itoa(len(a.Backrefs[s.Ref])+1)
			a.Backrefs[s.Ref] = append(a.Backrefs[s.Ref], id)
			out = append(out, Part{Text: s.Text, Ref: s.Ref, ID: id})
		}
		return out
	}
	a.Summary = parts(e.Summary)
	for _, p := range Paragraphs(e.Body) {
		a.Body = append(a.Body, parts(p))
	}
	return a
}

// SourceID is the anchor of the event's nth source (from 1).
func SourceID(n int) string { return "source-" + strconv.Itoa(n) }

// backLabel is the letter of a source's ith marker when it has several
// ("a", "b", …), as Wikipedia marks them.
func backLabel(i int) string { return string(rune('a' + i%26)) }
