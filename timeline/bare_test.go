package timeline_test

import (
	"reflect"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestListBareEvents: the events PageRequest.Bare names come without
// actors and sources; every other event comes with exactly the ones it
// has without Bare.
func TestListBareEvents(t *testing.T) {
	s := openShipped(t)
	f := timeline.Filter{From: timeline.Date{Year: 1990}, To: timeline.Date{Year: 2010}}
	whole, err := s.ListEvents(t.Context(), f, timeline.PageRequest{Cards: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, bareEvery := range []int{1, 2, 3, 1000} {
		n := 0
		page, err := s.ListEvents(t.Context(), f, timeline.PageRequest{Cards: true, Bare: func(timeline.Event) bool {
			n++
			return n%bareEvery == 0
		}})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) != len(whole.Events) || len(page.Events) < 10 {
			t.Fatalf("every %d bare: %d events, want %d (at least 10)", bareEvery, len(page.Events), len(whole.Events))
		}
		for i, e := range page.Events {
			w := whole.Events[i]
			if (i+1)%bareEvery == 0 {
				if len(e.Actors)+len(e.Sources) != 0 {
					t.Errorf("every %d bare: %s is bare but has %d actors and %d sources", bareEvery, e.Slug, len(e.Actors), len(e.Sources))
				}
				continue
			}
			if e.Slug != w.Slug || !reflect.DeepEqual(e.Actors, w.Actors) || !reflect.DeepEqual(e.Sources, w.Sources) {
				t.Errorf("every %d bare: %s has actors %v and %d sources; want %s's %v and %d", bareEvery, e.Slug, e.Actors, len(e.Sources), w.Slug, w.Actors, len(w.Sources))
			}
		}
	}
}
