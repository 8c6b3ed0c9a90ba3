package views

import (
	"slices"
	"testing"

	"github.com/japan-dprk/timeline/web/locales"
)

// The event form's error summary lists its problems in the order of the
// fields on the form, so that a reader going down it goes down the form;
// it listed them by key ("category" before "start", "sources[10]" before
// "sources[2]").
func TestEventFormProblemsInFormOrder(t *testing.T) {
	f := EventForm{New: true, Problems: map[string]string{
		"title": "is required", "start": "is required", "category": "is required", "significance": "is required",
		"sources": "at least one source is required", "summary": "is required", "tags[0]": "bad", "edit_summary": "bad",
		"sources[10].url": "bad", "sources[2].url": "bad", "sources[2].publisher": "bad",
		"actors[0].role": "bad", "actors[0].slug": "bad", "related[0].slug": "bad", "related[0].relation": "bad",
	}}
	var got []string
	for _, p := range f.ProblemLinks(locales.For("en")) {
		got = append(got, p.Label)
	}
	want := []string{"Start date", "Title", "Summary", "Category", "Significance", "Tags (item 1)",
		"Actor 1: slug", "Actor 1: role", "Sources", "Source 3: publisher", "Source 3: URL", "Source 11: URL",
		"Related event 1: relation", "Related event 1: slug", "Edit summary"}
	if !slices.Equal(got, want) {
		t.Errorf("order of the summary:\n got %q\nwant %q", got, want)
	}
}

// The correction form's summary follows its fields too: what is wrong,
// then the evidence.
func TestCorrectionProblemsInFormOrder(t *testing.T) {
	var got []string
	for _, p := range correctionProblemLinks(locales.For("en"), map[string]string{"evidence": "is required", "what": "is required", "contact": "too long"}) {
		got = append(got, p.Target)
	}
	if want := []string{"f-what", "f-evidence", "f-contact"}; !slices.Equal(got, want) {
		t.Errorf("order of the summary: got %q, want %q", got, want)
	}
}
