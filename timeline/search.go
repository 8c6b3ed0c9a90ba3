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

type ftsDoc struct{ title, words, grams, keys string }

// searchDoc builds the search index row of an event: the English title, the
// other words (summary, body, location in its three languages, actor names, tags), grams of every
// Japanese, Chinese and Korean run in any of them, and words for the time
// it spans, its actors (by id, actorIDs) and its tags (search_dates.go). The Japanese and Korean titles and summaries
// are words too, so a search finds them.
func searchDoc(e *Event, actorNames []string, actorIDs []int64) ftsDoc {
	words := strings.Join(append([]string{e.Summary, e.SummaryJA, e.SummaryKO, e.Body, e.Location, e.LocationJA, e.LocationKO, e.TitleJA, e.TitleKO, strings.Join(e.Tags, " ")}, actorNames...), " ")
	var grams strings.Builder
	for _, s := range []string{e.Title, e.TitleJA, e.TitleKO, words} {
		writeGrams(&grams, s)
	}
	return ftsDoc{title: e.Title, words: words, grams: grams.String(), keys: keyWords(e.Earliest(), e.Latest(), actorIDs, e.Tags)}
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
// term is quoted, so no user text is ever read as FTS syntax; a part that
// names an alias group becomes an OR of the group's members (SearchParts).
// It returns "" when the query has no searchable term.
func (s *Store) ftsQuery(q string) string {
	expr, _ := s.matchExpr(q, func(t string) (string, error) { return ftsTerm(t), nil })
	return expr
}

// ftsTerm is the MATCH expression of one term: a prefix of English and
// romanised words, a phrase of grams for Japanese, Chinese and Korean.
func ftsTerm(t string) string {
	r := []rune(t)
	if isCJK(r[0]) {
		if len(r) == 1 {
			return `grams : "` + t + `"*`
		}
		grams := make([]string, 0, len(r)-1)
		for i := 0; i+1 < len(r); i++ {
			grams = append(grams, string(r[i:i+2]))
		}
		return `grams : "` + strings.Join(grams, " ") + `"`
	}
	return `{title words} : "` + t + `"*`
}

// matchExpr joins the query's parts with AND, each part's alternatives
// with OR and each alternative's terms with AND, writing each term with
// term.
func (s *Store) matchExpr(q string, term func(string) (string, error)) (string, error) {
	parts := s.SearchParts(q)
	out := make([]string, 0, len(parts))
	for _, alts := range parts {
		alts = pruneAlts(alts)
		if len(alts) == 1 && len(alts[0]) == 1 {
			e, err := term(alts[0][0])
			if err != nil {
				return "", err
			}
			out = append(out, e)
			continue
		}
		ors := make([]string, 0, len(alts))
		for _, alt := range alts {
			e, err := andExpr(alt, term)
			if err != nil {
				return "", err
			}
			ors = append(ors, e)
		}
		out = append(out, "("+strings.Join(ors, " OR ")+")")
	}
	return strings.Join(out, " AND "), nil
}

// maxExpansion is how many indexed words a prefix may stand for before it
// is searched as a prefix after all.
const maxExpansion = 50

// expandTerm is ftsTerm with a prefix replaced by the indexed words it
// matches ("japan"* → ("japan" OR "japanese")), read from the index's
// vocabulary. FTS5 tests an exact word against one event by seeking, but a
// prefix by merging every matching word's list, so the expanded form is
// the fast one for testing events one by one.
func (s *Store) expandTerm(ctx context.Context, t string) (string, error) {
	r := []rune(t)
	if isCJK(r[0]) && len(r) > 1 {
		return ftsTerm(t), nil // a phrase of whole grams: already exact
	}
	lo := strings.ToLower(t)
	words, err := s.vocabRange(ctx, lo, lo+"\U0010FFFF")
	if err != nil {
		return "", err
	}
	if len(words) == 0 || len(words) > maxExpansion {
		return ftsTerm(t), nil
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	col := "{title words}"
	if isCJK(r[0]) {
		col = "grams"
	}
	return col + " : (" + strings.Join(quoted, " OR ") + ")", nil
}

// walkConds are the conditions on events e with which a list walking the
// chronological index tests a common search event by event. The query's
// plain terms are one MATCH, with prefixes expanded (expandTerm), tested
// for e's rowid. An alias group's members cost a seek per term each, so
// each group is split: its rare members (at most commonTerm matches) are
// matched once into a set of rowids, and only the common ones are tested
// event by event. Which are rare is judged from the index's vocabulary
// (maxMatches), without running them.
func (s *Store) walkConds(ctx context.Context, q string) ([]string, []any, error) {
	var conds, plain []string
	var args []any
	expand := func(t string) (string, error) { return s.expandTerm(ctx, t) }
	for _, alts := range s.SearchParts(q) {
		alts = pruneAlts(alts)
		if len(alts) == 1 {
			e, err := andExpr(alts[0], expand)
			if err != nil {
				return nil, nil, err
			}
			plain = append(plain, e)
			continue
		}
		var rare, common []string
		for _, alt := range alts {
			n, err := s.maxMatches(ctx, alt)
			if err != nil {
				return nil, nil, err
			}
			if n <= commonTerm {
				rare = append(rare, ftsAnd(alt))
				continue
			}
			x, err := andExpr(alt, expand)
			if err != nil {
				return nil, nil, err
			}
			common = append(common, x)
		}
		var either []string
		if len(rare) > 0 {
			either = append(either, "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
			args = append(args, strings.Join(rare, " OR "))
		}
		if len(common) > 0 {
			either = append(either, "EXISTS (SELECT 1 FROM events_fts WHERE events_fts MATCH ? AND rowid = e.id)")
			args = append(args, strings.Join(common, " OR "))
		}
		conds = append(conds, "("+strings.Join(either, " OR ")+")")
	}
	if len(plain) > 0 {
		conds = append([]string{"EXISTS (SELECT 1 FROM events_fts WHERE events_fts MATCH ? AND rowid = e.id)"}, conds...)
		args = append([]any{strings.Join(plain, " AND ")}, args...)
	}
	return conds, args, nil
}

// maxMatches bounds the number of events matching all of terms from the
// vocabulary of the index: no more than the rarest term's events, where a
// prefix has its words' events together and a CJK phrase its rarest gram's.
func (s *Store) maxMatches(ctx context.Context, terms []string) (int, error) {
	least := -1
	for _, t := range terms {
		r := []rune(t)
		var n int
		var err error
		if isCJK(r[0]) && len(r) > 1 {
			n = -1
			for i := 0; i+1 < len(r); i++ {
				var d int
				err = s.read.QueryRowContext(ctx, `SELECT coalesce(sum(doc), 0) FROM events_fts_vocab WHERE term = ?`, string(r[i:i+2])).Scan(&d)
				if err != nil {
					break
				}
				if n < 0 || d < n {
					n = d
				}
			}
		} else {
			lo := strings.ToLower(t)
			err = s.read.QueryRowContext(ctx, `SELECT coalesce(sum(doc), 0) FROM events_fts_vocab WHERE term >= ? AND term < ?`, lo, lo+"\U0010FFFF").Scan(&n)
		}
		if err != nil {
			return 0, fmt.Errorf("timeline: search vocabulary: %w", err)
		}
		if least < 0 || n < least {
			least = n
		}
	}
	return max(least, 0), nil
}

// andExpr is an alternative's terms, each written with term, joined with
// AND and parenthesized.
func andExpr(terms []string, term func(string) (string, error)) (string, error) {
	ands := make([]string, 0, len(terms))
	for _, t := range terms {
		e, err := term(t)
		if err != nil {
			return "", err
		}
		ands = append(ands, e)
	}
	return "(" + strings.Join(ands, " AND ") + ")", nil
}

// ftsAnd is andExpr with ftsTerm.
func ftsAnd(terms []string) string {
	e, _ := andExpr(terms, func(t string) (string, error) { return ftsTerm(t), nil })
	return e
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
