package timeline

import (
	"context"
	"slices"
	"testing"
)

// TestPlannerAtTheLongestEventsEdge pins the lower bound the planner takes
// from the longest event stored ("e.lo >= from - max_span_days"): a filter
// that starts on the last day of the longest event must still find it, and
// so must one that starts in its last month or year. A bound that is off by
// even one day loses the event, which random filters over synthetic data
// rarely notice.
func TestPlannerAtTheLongestEventsEdge(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	long := testEvent("1950-01-01", "The longest event")
	long.End = MustDate("1990-12-31")
	mustCreate(t, s, long)
	shorter := testEvent("1951-03-01", "A shorter long event")
	shorter.End = MustDate("1990-12-30")
	mustCreate(t, s, shorter)
	mustCreate(t, s, testEvent("1991-01-02", "An event after both"))

	for _, tc := range []struct {
		from, to string
		want     []string
	}{
		{"1990-12-31", "", []string{"1950-01-01-the-longest-event", "1991-01-02-an-event-after-both"}},
		{"1990-12-31", "1990-12-31", []string{"1950-01-01-the-longest-event"}},
		{"1990-12", "1990-12", []string{"1950-01-01-the-longest-event", "1951-03-01-a-shorter-long-event"}},
		{"1990", "", []string{"1950-01-01-the-longest-event", "1951-03-01-a-shorter-long-event", "1991-01-02-an-event-after-both"}},
		{"1991-01-01", "", []string{"1991-01-02-an-event-after-both"}},
	} {
		f := Filter{From: MustDate(tc.from)}
		if tc.to != "" {
			f.To = MustDate(tc.to)
		}
		naive, err := s.NaiveList(ctx, f, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(naive, tc.want) {
			t.Fatalf("from=%s to=%s: the oracle finds %v, want %v", tc.from, tc.to, naive, tc.want)
		}
		page, err := s.ListEvents(ctx, f, PageRequest{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := slugsOf(page.Events); !slices.Equal(got, tc.want) {
			t.Errorf("from=%s to=%s: ListEvents got %v, want %v", tc.from, tc.to, got, tc.want)
		}
		n, err := s.Count(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if n != len(tc.want) {
			t.Errorf("from=%s to=%s: Count got %d, want %d", tc.from, tc.to, n, len(tc.want))
		}
	}
}
