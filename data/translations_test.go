package data

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// glossaryAvoid lists, per language, terms that the glossary in README.md
// replaces with one term (六者会合 and 帰還事業 only where quoted, which no
// title, summary or name does; 귀국사업, 조일 평양선언, 조선로동당 and
// 총련합회 likewise; 실무협의, not 실무자협의; 젠킨스, not 젱킨스).
var glossaryAvoid = map[string][]string{
	"ja": {"六者会合", "6者協議", "6カ国協議", "六カ国協議", "帰還事業", "朝鮮総聯"},
	"ko": {"귀국사업", "조일 평양선언", "일북", "일·북", "실무자협의", "육자회담", "조선로동당", "총련합회", "조총련", "젱킨스", "J-Alert"},
}

// checkTerms holds a title or name to the glossary's terms.
func checkTerms(t *testing.T, what, field, lang, text string) {
	t.Helper()
	for _, term := range glossaryAvoid[lang] {
		if strings.Contains(text, term) {
			t.Errorf("%s: %s writes %q, which the glossary replaces", what, field, term)
		}
	}
}

var yearRE = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)

// years lists the years a text names, sorted, each once.
func years(s string) []string {
	var out []string
	for _, m := range yearRE.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// checkTranslation holds a translation to the rules a machine can check:
// it is in its script (kana or Han for Japanese and no Hangul; Hangul for
// Korean), uses the glossary's terms, and names the same years as the
// English, no more and no fewer (a translation adds no claim).
func checkTranslation(t *testing.T, what, lang, en, tr string) {
	t.Helper()
	if tr == "" {
		t.Errorf("%s: no %s translation (every event needs summary_ja and summary_ko: see \"Summaries\" in data/README.md)", what, lang)
		return
	}
	hangul := strings.ContainsFunc(tr, func(r rune) bool { return unicode.Is(unicode.Hangul, r) })
	kana := strings.ContainsFunc(tr, func(r rune) bool { return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) })
	if lang == "ja" && (hangul || !kana) {
		t.Errorf("%s: summary_ja is not Japanese: %q", what, tr)
	}
	if lang == "ko" && !hangul {
		t.Errorf("%s: summary_ko is not Korean: %q", what, tr)
	}
	checkTerms(t, what, "the "+lang+" translation", lang, tr)
	if a, b := years(en), years(tr); !slices.Equal(a, b) {
		t.Errorf("%s: the English names the years %v, the %s translation %v", what, a, lang, b)
	}
}

// Every event's summary is translated into Japanese and Korean, and so is
// every era's description (with the era's Korean name). Titles and the
// names of eras and actors use the glossary's terms too.
func TestTranslations(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ds.Events {
		checkTranslation(t, e.Slug, "ja", e.Summary, e.SummaryJA)
		checkTranslation(t, e.Slug, "ko", e.Summary, e.SummaryKO)
		checkTerms(t, e.Slug, "title_ja", "ja", e.TitleJA)
		checkTerms(t, e.Slug, "title_ko", "ko", e.TitleKO)
	}
	for _, a := range ds.Actors {
		checkTerms(t, "actor "+a.Slug, "name_ja", "ja", a.NameJA)
		checkTerms(t, "actor "+a.Slug, "name_ko", "ko", a.NameKO)
	}
	for _, r := range ds.Eras {
		if r.NameJA == "" || r.NameKO == "" {
			t.Errorf("era %s lacks a Japanese or Korean name (%q, %q)", r.Slug, r.NameJA, r.NameKO)
		}
		checkTerms(t, "era "+r.Slug, "name_ja", "ja", r.NameJA)
		checkTerms(t, "era "+r.Slug, "name_ko", "ko", r.NameKO)
		checkTranslation(t, "era "+r.Slug, "ja", r.Description, r.DescriptionJA)
		checkTranslation(t, "era "+r.Slug, "ko", r.Description, r.DescriptionKO)
	}
}
