package views

import (
	"strings"
	"unicode"
)

// LangRun is a stretch of text in one language: Lang is "ja", "ko" or ""
// for the page's own (English).
type LangRun struct {
	Text string
	Lang string
}

// scriptOf classes a letter for LangRuns: 'k' for Hangul, 'j' for kana,
// 'h' for Han and CJK punctuation (Japanese or Korean, as its neighbours
// say), 'l' for other letters, 0 for anything neutral (spaces, digits,
// ASCII punctuation), which joins whatever surrounds it.
func scriptOf(r rune) byte {
	if r < 0x80 {
		if 'a' <= r|0x20 && r|0x20 <= 'z' {
			return 'l'
		}
		return 0
	}
	switch {
	case unicode.Is(unicode.Hangul, r):
		return 'k'
	case unicode.In(r, unicode.Hiragana, unicode.Katakana) || r == 'ー':
		return 'j'
	case unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef):
		return 'h'
	case unicode.IsLetter(r):
		return 'l'
	}
	return 0
}

// LangRuns splits s into runs of English and of Japanese or Korean, so that
// each Japanese or Korean run can carry its lang attribute and a screen
// reader speaks it with the right voice (and a browser picks the right
// glyphs for Han characters). A run of CJK text reaches from its first to
// its last CJK character, over spaces, digits and punctuation between
// them; it is Korean when it holds Hangul and Japanese otherwise (the
// chronology's Han-only text is Japanese). Kana next to Hangul starts a
// new run, and so does Hangul after Han and punctuation.
func LangRuns(s string) []LangRun {
	if s == "" {
		return nil
	}
	// Every character scriptOf calls Japanese or Korean is encoded from
	// byte 0xE1 on (Hangul Jamo, U+1100, is the first): English text,
	// macrons included, is one run without looking at its characters.
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x1100 }) {
		return []LangRun{{Text: s}}
	}
	var out []LangRun
	add := func(text, lang string) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Lang == lang {
			out[n-1].Text += text
			return
		}
		out = append(out, LangRun{Text: text, Lang: lang})
	}
	start := -1   // byte offset where the current CJK run starts
	last := -1    // byte offset just after its last CJK character
	var kind byte // 'j', 'k' or 'h' (not yet told)
	plain := 0    // byte offset where the pending English text starts
	flush := func() {
		if start < 0 {
			return
		}
		add(s[plain:start], "")
		lang := "ja"
		if kind == 'k' {
			lang = "ko"
		}
		add(s[start:last], lang)
		plain, start = last, -1
	}
	for i, r := range s {
		c := scriptOf(r)
		switch {
		case c == 0:
			continue
		case c == 'l':
			flush()
			continue
		case start >= 0 && ((kind == 'j' && c == 'k') || (kind == 'k' && c == 'j')):
			flush()
		case start >= 0 && kind == 'h' && c == 'k' && strings.TrimSpace(s[last:i]) != "":
			// "拉致, 납치": Han before punctuation, then Hangul, is a list
			// of two languages; "北核 문제" is Korean written with Hanja.
			flush()
		}
		if start < 0 {
			start, kind = i, 'h'
		}
		if c != 'h' {
			kind = c
		}
		last = i + len(string(r))
	}
	flush()
	add(s[plain:], "")
	return out
}
