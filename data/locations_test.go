package data

import (
	"strings"
	"testing"
	"unicode"
)

// Every event with a location has it in Japanese and Korean too, in the
// language's script, one translation for each English location, written
// as the glossary's rule for places says (data/README.md): a Japanese
// place without 日本 in Japanese and with (일본) in Korean, a North Korean
// one with （北朝鮮） in Japanese and without 북한 in Korean, the Sea of
// Japan 日本海 and 동해.
func TestLocationTranslations(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	type pair struct{ ja, ko string }
	seen := map[string]pair{}
	for _, e := range ds.Events {
		ja, ko := e.LocationJA, e.LocationKO
		if e.Location == "" {
			if ja != "" || ko != "" {
				t.Errorf("%s: no location, but translations %q, %q", e.Slug, ja, ko)
			}
			continue
		}
		if ja == "" || ko == "" {
			t.Errorf("%s: location %q lacks its Japanese or Korean (location_ja %q, location_ko %q)", e.Slug, e.Location, ja, ko)
			continue
		}
		if p, ok := seen[e.Location]; ok && p != (pair{ja, ko}) {
			t.Errorf("%s: %q is %q, %q here and %q, %q elsewhere", e.Slug, e.Location, ja, ko, p.ja, p.ko)
		}
		seen[e.Location] = pair{ja, ko}
		if strings.ContainsFunc(ja, func(r rune) bool { return unicode.Is(unicode.Hangul, r) || r < 0x80 }) {
			t.Errorf("%s: location_ja %q is not Japanese", e.Slug, ja)
		}
		if !strings.ContainsFunc(ko, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) ||
			strings.ContainsFunc(ko, func(r rune) bool {
				return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) || unicode.IsLetter(r) && r < 0x80
			}) {
			t.Errorf("%s: location_ko %q is not Korean", e.Slug, ko)
		}
		if strings.HasSuffix(e.Location, ", Japan") && (strings.Contains(ja, "日本") || !strings.Contains(ko, "(일본")) {
			t.Errorf("%s: %q is %q, %q: a place in Japan is named without 日本 in Japanese and with (일본) in Korean", e.Slug, e.Location, ja, ko)
		}
		if strings.HasSuffix(e.Location, ", North Korea") && (!strings.HasSuffix(ja, "（北朝鮮）") || strings.Contains(ko, "북한")) {
			t.Errorf("%s: %q is %q, %q: a place in North Korea is named with （北朝鮮） in Japanese and without 북한 in Korean", e.Slug, e.Location, ja, ko)
		}
		if strings.Contains(e.Location, "Sea of Japan") && (!strings.Contains(ja, "日本海") || !strings.Contains(ko, "동해")) {
			t.Errorf("%s: %q is %q, %q: the Sea of Japan is 日本海 and 동해", e.Slug, e.Location, ja, ko)
		}
	}
}
