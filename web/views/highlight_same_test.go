package views

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestHighlightByBytesMatchesByCharacters: Highlight, which works on the
// bytes of texts whose lower case keeps every character's width, marks
// exactly what the character-by-character highlightRunes marks, on random
// texts and terms of English, Japanese, Korean, accented and case-changing
// letters, digits and punctuation (and the texts it hands over to
// highlightRunes still come out the same).
func TestHighlightByBytesMatchesByCharacters(t *testing.T) {
	pieces := []string{"Abduction", "abductions", "ABE", "abe", "Kim", "kim", "Il-sung", " ", " ", ", ", ".", "-", "(", ")", "2002", "17",
		"拉致", "日朝", "首脳会談", "らち", "カタカナー", "납치", "회담", "北核 문제", "Ōsaka", "ōsaka", "Ⱥ", "ⱥ", "İstanbul", "ǅ", "ß", "ẞ",
		"é", "É", "Σ", "σς", "\u00a0", "talks", "Six-Party", "six", "party", "\xff"}
	terms := []string{"abduct", "abduction", "ABE", "kim", "il", "拉致", "朝", "납치", "회", "ōsaka", "Ōsaka", "ⱥ", "Ⱥ", "i̇stanbul", "istanbul",
		"ß", "σ", "six-party", "party", "-party", "2002", "7", "", "é"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		var ts []string
		for range 1 + rng.IntN(3) {
			ts = append(ts, terms[rng.IntN(len(terms))])
		}
		got, want := Highlight(text, ts), highlightRunes(text, ts)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: Highlight(%q, %q) = %+v, want %+v", n, text, ts, got, want)
		}
	}
}
