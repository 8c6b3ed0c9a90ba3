package web

import (
	"strings"
	"testing"
)

// TestNearest checks what a failed wantContains shows: the place where the
// longest start of the wanted text was found, or the text's opening.
func TestNearest(t *testing.T) {
	page := strings.Repeat("x", 300) + `<p class="date">May 2014</p>` + strings.Repeat("y", 300)
	for _, tt := range []struct {
		name, want string
		shows      []string
	}{
		{"a near miss shows where it differs", `<p class="date">1 May 2014</p>`, []string{`first 16 bytes of want are at 300`, `<p class="date">May 2014</p>`}},
		{"nothing alike shows the opening", "zzzzzz", []string{"none of want's start", "xxxx"}},
		{"multibyte text is cut on rune boundaries", "平成十四年", []string{"none of want's start"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := nearest(page, tt.want)
			for _, s := range tt.shows {
				wantContains(t, "nearest", got, s)
			}
			if len(got) > 500 {
				t.Errorf("nearest shows %d bytes, want at most 500", len(got))
			}
		})
	}
	if got := excerpt("平成十四年九月", 4, 1); got != "平成十四年九月" {
		t.Errorf("excerpt cut a rune: got %q, want %q", got, "平成十四年九月")
	}
}
