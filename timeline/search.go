package timeline

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// IsCJK reports whether r is a letter of Japanese, Chinese or Korean script,
// which are written without spaces: search indexes them as character grams
// and matches them anywhere in a word, and highlighting must do the same.
func IsCJK(r rune) bool { return isCJK(r) }

func isCJK(r rune) bool {
	if r < 0x1100 { // below Hangul Jamo: Latin, Greek, Cyrillic and the like
		return false
	}
	return unicode.IsLetter(r) && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || r == 'ー' || r == '々')
}

type ftsDoc struct{ title, words, grams string }

// searchDoc builds the search index row of an event: the English title, the
// other words (summary, body, location, actor names, tags), and grams of
// every Japanese, Chinese and Korean run in any of them. The Japanese and
// Korean titles and summaries are words too, so a search finds them.
func searchDoc(e *Event, actorNames []string) ftsDoc {
	words := strings.Join(append([]string{e.Summary, e.SummaryJA, e.SummaryKO, e.Body, e.Location, e.TitleJA, e.TitleKO, strings.Join(e.Tags, " ")}, actorNames...), " ")
	var grams strings.Builder
	for _, s := range []string{e.Title, e.TitleJA, e.TitleKO, words} {
		writeGrams(&grams, s)
	}
	return ftsDoc{title: e.Title, words: words, grams: grams.String()}
}

// writeGrams writes each run of CJK letters in s as overlapping two-letter
// grams followed by its last letter alone ("拉致問題" → "拉致 致問 問題 題"),
// so that a query of two or more letters is a phrase of grams and a query of
// one letter a prefix.
func writeGrams(b *strings.Builder, s string) {
	for _, run := range cjkRuns(s) {
		for i := 0; i+1 < len(run); i++ {
			b.WriteString(string(run[i : i+2]))
			b.WriteByte(' ')
		}
		b.WriteString(string(run[len(run)-1:]))
		b.WriteByte(' ')
	}
}

func cjkRuns(s string) [][]rune {
	var runs [][]rune
	var cur []rune
	for _, r := range s {
		if isCJK(r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// SearchTerms splits a query into what is searched: words of letters and
// digits (matched as prefixes) and runs of Japanese, Chinese or Korean
// letters (matched as substrings). Everything else (quotes, operators,
// punctuation) is only a separator, so no query text can be an error.
func SearchTerms(q string) []string {
	var terms []string
	var cur []rune
	cjk := false
	flush := func() {
		if len(cur) > 0 && !operators[string(cur)] {
			terms = append(terms, string(cur))
		}
		cur = nil
	}
	for _, r := range q {
		switch {
		case isCJK(r):
			if !cjk {
				flush()
			}
			cjk = true
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if cjk {
				flush()
			}
			cjk = false
			cur = append(cur, r)
		default:
			flush()
			cjk = false
		}
		if len(terms) >= 16 {
			break
		}
	}
	flush()
	if len(terms) > 16 {
		terms = terms[:16]
	}
	return terms
}

// operators are the FTS5 keywords; typed in capitals they are read as the
// user's wish to combine words, which every query already does (AND).
var operators = map[string]bool{"AND": true, "OR": true, "NOT": true, "NEAR": true}

// ftsQuery turns the query into an FTS5 MATCH expression in which every
// term is quoted, so no user text is ever read as FTS syntax. It returns ""
// when the query has no searchable term.
func ftsQuery(q string) string {
	terms := SearchTerms(q)
	parts := make([]string, 0, len(terms))
	for _, t := range terms {
		r := []rune(t)
		if isCJK(r[0]) {
			if len(r) == 1 {
				parts = append(parts, `grams : "`+t+`"*`)
				continue
			}
			grams := make([]string, 0, len(r)-1)
			for i := 0; i+1 < len(r); i++ {
				grams = append(grams, string(r[i:i+2]))
			}
			parts = append(parts, `grams : "`+strings.Join(grams, " ")+`"`)
			continue
		}
		parts = append(parts, `{title words} : "`+t+`"*`)
	}
	return strings.Join(parts, " AND ")
}

// maxExpansion is how many indexed words a prefix may stand for before it
// is searched as a prefix after all.
const maxExpansion = 50

// expandQuery is ftsQuery with each prefix replaced by the indexed words
// it matches ("japan"* → ("japan" OR "japanese")), read from the index's
// vocabulary. FTS5 tests an exact word against one event by seeking, but a
// prefix by merging every matching word's list, so the expanded form is
// the fast one for testing events one by one.
func (s *Store) expandQuery(ctx context.Context, q string) (string, error) {
	terms := SearchTerms(q)
	parts := make([]string, 0, len(terms))
	for _, t := range terms {
		r := []rune(t)
		if isCJK(r[0]) && len(r) > 1 {
			parts = append(parts, ftsQuery(t)) // a phrase of whole grams: already exact
			continue
		}
		lo := strings.ToLower(t)
		words, err := s.vocabRange(ctx, lo, lo+"\U0010FFFF")
		if err != nil {
			return "", err
		}
		if len(words) == 0 || len(words) > maxExpansion {
			parts = append(parts, ftsQuery(t))
			continue
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = `"` + w + `"`
		}
		col := "{title words}"
		if isCJK(r[0]) {
			col = "grams"
		}
		parts = append(parts, col+" : ("+strings.Join(quoted, " OR ")+")")
	}
	return strings.Join(parts, " AND "), nil
}

// vocabRange returns up to maxExpansion+1 indexed words w with lo <= w < hi.
// Words are letters and digits only (the tokenizer's tokens), so quoting
// them is safe.
func (s *Store) vocabRange(ctx context.Context, lo, hi string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT term FROM events_fts_vocab WHERE term >= ? AND term < ? LIMIT ?`, lo, hi, maxExpansion+1)
	if err != nil {
		return nil, fmt.Errorf("timeline: search vocabulary: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		if strings.ContainsRune(w, '"') {
			continue
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
