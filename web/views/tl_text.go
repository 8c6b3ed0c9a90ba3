package views

import "unicode/utf8"

// Label text is laid out on the server, so its width is estimated from
// the advance widths of DejaVu Sans, the widest of the sans-serif faces the
// stylesheet may fall back to (Chromium on Debian uses it for system-ui):
// in other faces the text comes out narrower, never wider, so labels
// estimated not to overlap never do. Widths are in em for ASCII 32–126.
var dejaVuEm = [2][95]float64{
	{0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275, 0.390, 0.390, 0.500, 0.838, 0.318, 0.361, 0.318, 0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.000, 0.684, 0.686, 0.698, 0.770, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.862, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.390, 0.337, 0.390, 0.838, 0.500, 0.500, 0.612, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.393, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838},
	{0.348, 0.456, 0.521, 0.838, 0.696, 1.002, 0.872, 0.306, 0.457, 0.457, 0.523, 0.838, 0.380, 0.415, 0.380, 0.365, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.400, 0.400, 0.838, 0.838, 0.838, 0.580, 1.000, 0.774, 0.763, 0.734, 0.830, 0.683, 0.683, 0.821, 0.837, 0.372, 0.372, 0.775, 0.638, 0.995, 0.837, 0.850, 0.732, 0.850, 0.770, 0.720, 0.682, 0.812, 0.774, 1.103, 0.771, 0.724, 0.725, 0.457, 0.365, 0.457, 0.838, 0.500, 0.500, 0.675, 0.716, 0.593, 0.716, 0.678, 0.435, 0.716, 0.712, 0.343, 0.343, 0.665, 0.343, 1.042, 0.712, 0.687, 0.716, 0.716, 0.493, 0.595, 0.478, 0.712, 0.652, 0.924, 0.645, 0.652, 0.582, 0.712, 0.365, 0.712, 0.838},
}

// runeEm is the estimated advance of r in em.
func runeEm(r rune, bold bool) float64 {
	b := 0
	if bold {
		b = 1
	}
	switch {
	case r >= 32 && r < 127:
		return dejaVuEm[b][r-32]
	case r >= 0x1100 && r <= 0x11ff, r >= 0x2e80 && r <= 0xa4cf, r >= 0xac00 && r <= 0xd7af, r >= 0xf900 && r <= 0xfaff, r >= 0xfe30 && r <= 0xfe4f, r >= 0xff00 && r <= 0xff60:
		return 1 // CJK, kana and hangul are square
	case r == '–' || r == '‘' || r == '’' || r == '“' || r == '”':
		return 0.6
	case r == '—' || r == '…':
		return 1
	}
	return 0.8 // accented Latin and the rest: as wide as a capital
}

// TextWidth estimates the width in px of s set at size px.
func TextWidth(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		w += runeEm(r, bold)
	}
	return w * size
}

// FitText shortens s with an ellipsis, at a word boundary where one is
// near, so that it is at most max px wide at size px; it returns s when it
// fits, and "" when not even one letter and the ellipsis fit.
func FitText(s string, size, max float64, bold bool) string {
	if TextWidth(s, size, bold) <= max {
		return s
	}
	room := max - runeEm('…', bold)*size
	if room <= 0 {
		return ""
	}
	w, cut, lastSpace := 0.0, 0, -1
	for i, r := range s {
		w += runeEm(r, bold) * size
		if w > room {
			break
		}
		cut = i + utf8.RuneLen(r)
		if r == ' ' {
			lastSpace = i
		}
	}
	if cut == 0 {
		return ""
	}
	// Prefer a word boundary when it keeps at least two thirds of the room.
	if lastSpace > 0 && TextWidth(s[:lastSpace], size, bold) >= room*2/3 {
		cut = lastSpace
	}
	out := s[:cut]
	for len(out) > 0 && (out[len(out)-1] == ' ' || out[len(out)-1] == ',' || out[len(out)-1] == ':' || out[len(out)-1] == ';') {
		out = out[:len(out)-1]
	}
	return out + "…"
}
