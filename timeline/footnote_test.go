package timeline

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestFootnotes(t *testing.T) {
	got := Footnotes("Kim admitted it [1][2], in 2002 [2002]; see [0] and [ 3].")
	want := []Segment{
		{Text: "Kim admitted it "}, {Text: "[1]", Marker: true, Ref: 1}, {Text: "[2]", Marker: true, Ref: 2},
		{Text: ", in 2002 [2002]; see "}, {Text: "[0]", Marker: true, Ref: 0}, {Text: " and [ 3]."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := Footnotes(""); len(got) != 0 {
		t.Errorf("empty text: got %+v", got)
	}
}

func TestFootnotesValidate(t *testing.T) {
	e := Event{Slug: "x", Start: MustDate("2002"), Title: "T", Category: "summit", Significance: 1,
		Sources: []Source{{Publisher: "P", Title: "A", Language: "en"}, {Publisher: "P", Title: "B", Language: "en"}}}
	for _, tt := range []struct {
		summary, body string
		field, want   string
	}{
		{summary: "Fine [1] and [2].", body: "Also [2]. A year [1977] is no marker."},
		{summary: "Too far [3].", field: "summary", want: "[3] points at no source: the event has 2 sources, [1] to [2]"},
		{summary: "S.", body: "None [0].", field: "body", want: "[0] points at no source"},
	} {
		e.Summary, e.Body = tt.summary, tt.body
		err := e.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%q %q: got %v, want valid", tt.summary, tt.body, err)
			}
			continue
		}
		ve, ok := errors.AsType[*ValidationError](err)
		if !ok || !strings.Contains(ve.Problems[tt.field], tt.want) {
			t.Errorf("%q %q: got %v, want %s: %s", tt.summary, tt.body, err, tt.field, tt.want)
		}
	}
}
