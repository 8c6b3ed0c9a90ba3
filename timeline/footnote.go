package timeline

import (
	"fmt"
	"regexp"
	"strconv"
)

// A summary or body points at the event's numbered sources with
// footnote markers: "[1]", "[2]", a number of one to three digits in
// square brackets, counting the sources from 1 in their order. Four
// digits ("[2002]") are a year, not a marker. Validate refuses a marker
// for a source the event does not have.

// FootnoteRule explains the syntax (in forms and in error messages).
const FootnoteRule = "write [1], [2] … to point at the event's sources, numbered from 1 in their order"

var footnoteRE = regexp.MustCompile(`\[([0-9]{1,3})\]`)

// Segment is a stretch of text, or a footnote marker (Marker, with Ref
// the number of the source it points at).
type Segment struct {
	Text   string
	Marker bool
	Ref    int
}

// Footnotes splits text into plain stretches and footnote markers, in
// order. A marker keeps its text ("[2]") in Text.
func Footnotes(text string) []Segment {
	var out []Segment
	last := 0
	for _, m := range footnoteRE.FindAllStringSubmatchIndex(text, -1) {
		n, _ := strconv.Atoi(text[m[2]:m[3]])
		if m[0] > last {
			out = append(out, Segment{Text: text[last:m[0]]})
		}
		out = append(out, Segment{Text: text[m[0]:m[1]], Marker: true, Ref: n})
		last = m[1]
	}
	if last < len(text) {
		out = append(out, Segment{Text: text[last:]})
	}
	return out
}

// checkFootnotes adds a problem to field for the first marker in text
// that points at no source of the n the event has.
func checkFootnotes(p problems, field, text string, n int) {
	for _, s := range Footnotes(text) {
		if s.Marker && (s.Ref < 1 || s.Ref > n) {
			p.add(field, "%s", footnoteProblem(s.Text, n))
			return
		}
	}
}

func footnoteProblem(marker string, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%s points at a source, but the event has none", marker)
	case 1:
		return fmt.Sprintf("%s points at no source: the event has 1 source, so only [1] (%s)", marker, FootnoteRule)
	}
	return fmt.Sprintf("%s points at no source: the event has %d sources, [1] to [%d] (%s)", marker, n, n, FootnoteRule)
}
