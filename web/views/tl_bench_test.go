package views

import (
	"fmt"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// BenchmarkNewTimelineSelected lays out 300 labelled events with one
// selected that links to 24 others, half of them outside the window: the
// connectors' labels are placed clear of every label.
func BenchmarkNewTimelineSelected(b *testing.B) {
	var points []timeline.Point
	sel := timeline.Event{Slug: "e-150", Title: "The selected event", Start: timeline.Date{Year: 1995, Month: 3, Day: 1}}
	for i := range 300 {
		d := timeline.Date{Year: 1990 + i/30, Month: i%12 + 1, Day: i%28 + 1}
		points = append(points, timeline.Point{ID: int64(i), Slug: fmt.Sprintf("e-%d", i), Title: fmt.Sprintf("Event number %d of the benchmark, with a title of ordinary length", i),
			Start: d, Category: timeline.Categories[i%len(timeline.Categories)], Significance: 1 + i%3})
	}
	for i := range 24 {
		r := timeline.Relation{Slug: fmt.Sprintf("e-%d", i*12), Relation: "follows", Title: "A linked event", Start: points[i*12].Start}
		if i%2 == 1 {
			r = timeline.Relation{Slug: fmt.Sprintf("out-%d", i), Relation: "follows", Title: "A linked event outside the window", Start: timeline.Date{Year: 1980 + i}}
		}
		sel.Related = append(sel.Related, r)
	}
	w := WindowOf(timeline.Date{Year: 1990}, timeline.Date{Year: 1999}, 0, 0)
	in := TimelineInput{Window: w, Width: 1150, Points: points, Selected: &sel}
	var t Timeline
	for b.Loop() {
		t = NewTimeline(in)
	}
	b.ReportMetric(float64(len(t.Connectors)), "connectors")
}
