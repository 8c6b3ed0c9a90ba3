package web

import (
	"strings"
	"unicode"

	"github.com/japan-dprk/timeline/web/views"
)

// diffCells bounds the word-by-word comparison of the middle of two texts
// (their tokens multiplied): beyond it, the differing middle is shown as
// replaced whole, so that two 20,000-character bodies cost no more than
// this.
const diffCells = 1 << 20

// diffTokens splits text into words, runs of spaces, single punctuation
// marks and single CJK characters (which have no spaces between words),
// so that a difference is shown word by word.
func diffTokens(s string) []string {
	var out []string
	start := -1
	space := false
	for i, r := range s {
		cjk := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || unicode.IsPunct(r)
		sp := unicode.IsSpace(r)
		if start >= 0 && (cjk || sp != space) {
			out = append(out, s[start:i])
			start = -1
		}
		if cjk {
			out = append(out, string(r))
			continue
		}
		if start < 0 {
			start, space = i, sp
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// wordDiff compares two texts word by word: the first result is a with
// the words b lacks marked deleted, the second b with the words a lacks
// marked inserted.
func wordDiff(a, b string) (oldParts, newParts []views.DiffPart) {
	ta, tb := diffTokens(a), diffTokens(b)
	p := 0
	for p < len(ta) && p < len(tb) && ta[p] == tb[p] {
		p++
	}
	s := 0
	for s < len(ta)-p && s < len(tb)-p && ta[len(ta)-1-s] == tb[len(tb)-1-s] {
		s++
	}
	add := func(parts []views.DiffPart, op byte, text string) []views.DiffPart {
		if text == "" {
			return parts
		}
		if n := len(parts); n > 0 && parts[n-1].Op == op {
			parts[n-1].Text += text
			return parts
		}
		return append(parts, views.DiffPart{Text: text, Op: op})
	}
	prefix, suffix := strings.Join(ta[:p], ""), strings.Join(ta[len(ta)-s:], "")
	oldParts = add(oldParts, views.DiffSame, prefix)
	newParts = add(newParts, views.DiffSame, prefix)
	ma, mb := ta[p:len(ta)-s], tb[p:len(tb)-s]
	if len(ma)*len(mb) > diffCells {
		oldParts = add(oldParts, views.DiffDel, strings.Join(ma, ""))
		newParts = add(newParts, views.DiffIns, strings.Join(mb, ""))
	} else {
		// lcs[i][j]: the longest common subsequence of ma[i:] and mb[j:].
		lcs := make([][]int32, len(ma)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(mb)+1)
		}
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) || j < len(mb) {
			switch {
			case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
				oldParts = add(oldParts, views.DiffSame, ma[i])
				newParts = add(newParts, views.DiffSame, mb[j])
				i, j = i+1, j+1
			case j == len(mb) || (i < len(ma) && lcs[i+1][j] >= lcs[i][j+1]):
				oldParts = add(oldParts, views.DiffDel, ma[i])
				i++
			default:
				newParts = add(newParts, views.DiffIns, mb[j])
				j++
			}
		}
	}
	oldParts = add(oldParts, views.DiffSame, suffix)
	newParts = add(newParts, views.DiffSame, suffix)
	return oldParts, newParts
}
