package web

import (
	"net/url"
	"reflect"
	"slices"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

func TestReadEventForm(t *testing.T) {
	for _, tt := range []struct {
		name    string
		form    url.Values
		op      string
		sources []views.SourceInput
		actors  int
	}{
		{"rows in index order, blank and removed ones dropped", url.Values{
			"sources[3].publisher": {"Kyodo"}, "sources[3].title": {"Third"},
			"sources[1].publisher": {"MOFA"}, "sources[1].title": {"First"},
			"sources[2].publisher": {"NHK"}, "sources[2].remove": {"1"},
			"sources[4].language": {"en"}, // only the default language: blank
		}, opSave, []views.SourceInput{{Publisher: "MOFA", Title: "First"}, {Publisher: "Kyodo", Title: "Third"}}, 0},
		{"add a source row", url.Values{"op": {opAddSource}}, opAddSource, []views.SourceInput{{Language: "en"}}, 0},
		{"an unknown button saves", url.Values{"op": {"launch"}, "actors[0].slug": {"abe-shinzo"}}, opSave, nil, 1},
		{"rows past the limit are ignored", url.Values{"actors[99999].slug": {"abe-shinzo"}}, opSave, nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, op := readEventForm(tt.form)
			wantEqual(t, "op", op, tt.op)
			if !reflect.DeepEqual(in.Sources, tt.sources) {
				t.Errorf("sources: got %+v, want %+v", in.Sources, tt.sources)
			}
			wantEqual(t, "actors", len(in.Actors), tt.actors)
		})
	}
}

func TestToEvent(t *testing.T) {
	for _, tt := range []struct {
		name     string
		in       views.EventInput
		problems []string
		check    func(timeline.Event) bool
	}{
		{"dates and lists", views.EventInput{Start: " 2014-05 ", Significance: "3", Tags: "abductions, , stockholm-agreement",
			Actors: []views.ActorInput{{Slug: " abe-shinzo ", Country: "jp"}}}, nil,
			func(e timeline.Event) bool {
				return e.Start == timeline.MustDate("2014-05") && e.Significance == 3 &&
					slices.Equal(e.Tags, []string{"abductions", "stockholm-agreement"}) &&
					e.Actors[0].Slug == "abe-shinzo" && e.Actors[0].Country == "JP"
			}},
		{"no start", views.EventInput{}, []string{"start"}, nil},
		{"bad dates and significance", views.EventInput{Start: "2014-13", End: "soon", Significance: "high",
			Sources: []views.SourceInput{{Date: "May"}}}, []string{"end", "significance", "sources[0].date", "start"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, p := toEvent(tt.in)
			var fields []string
			for k := range p {
				fields = append(fields, k)
			}
			slices.Sort(fields)
			if !slices.Equal(fields, tt.problems) {
				t.Errorf("problems: got %v, want %v", p, tt.problems)
			}
			if tt.check != nil && !tt.check(e) {
				t.Errorf("event: got %+v", e)
			}
		})
	}
}
