package timeline

import (
	"fmt"
	"testing"
)

// TestDateStringAsSprintf: a plain date is written by hand exactly as
// fmt.Sprintf writes it, at every precision and width of year.
func TestDateStringAsSprintf(t *testing.T) {
	for _, y := range []int{1, 9, 10, 99, 100, 999, 1000, 1868, 1977, 2002, 9999} {
		for m := 0; m <= 12; m++ {
			for d := 0; d <= 31; d++ {
				if m == 0 && d > 0 {
					continue
				}
				date := Date{Year: y, Month: m, Day: d}
				want := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
				switch {
				case m == 0:
					want = fmt.Sprintf("%04d", y)
				case d == 0:
					want = fmt.Sprintf("%04d-%02d", y, m)
				}
				if got := date.String(); got != want {
					t.Fatalf("%+v: %q, want %q", date, got, want)
				}
			}
		}
	}
	if got := (Date{}).String(); got != "" {
		t.Errorf("no date: %q", got)
	}
}
