package web

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/static"
	"github.com/japan-dprk/timeline/web/views"
)

// relativeLuminance is WCAG 2's relative luminance of a #rrggbb colour.
func relativeLuminance(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var lin [3]float64
	for i := range lin {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			lin[i] = c / 12.92
		} else {
			lin[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*lin[0] + 0.7152*lin[1] + 0.0722*lin[2]
}

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(t *testing.T, a, b string) float64 {
	t.Helper()
	la, lb := relativeLuminance(t, a), relativeLuminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestCategoryColoursContrast holds every category colour to 4.5:1 against
// the white text of a badge (small text, WCAG 1.4.3), and app.css to the
// same colours as the drawings (views.CategoryColors).
func TestCategoryColoursContrast(t *testing.T) {
	css, err := static.FS.ReadFile("app.css")
	if err != nil {
		t.Fatal(err)
	}
	inCSS := map[string]string{}
	for _, m := range regexp.MustCompile(`\.cat-([a-z-]+) \{ background: (#[0-9a-f]{6}); \}`).FindAllStringSubmatch(string(css), -1) {
		inCSS[m[1]] = m[2]
	}
	for _, c := range timeline.Categories {
		colour, ok := views.CategoryColors[c]
		if !ok {
			t.Errorf("category %s has no colour", c)
			continue
		}
		if got := inCSS[string(c)]; got != colour {
			t.Errorf("app.css .cat-%s is %q, views.CategoryColors says %s", c, got, colour)
		}
		if r := contrast(t, colour, "#ffffff"); r < 4.5 {
			t.Errorf("category %s: white on %s is %.2f:1, want at least 4.5:1", c, colour, r)
		}
	}
}
