package locales

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCatalogsComplete fails when a key is missing from any language, when
// a language's entry takes other arguments than the English one, or when
// a plural entry lacks its "other" form.
func TestCatalogsComplete(t *testing.T) {
	en, err := Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs[1:] {
		m, err := Catalog(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range Keys(en) {
			e, ok := m[k]
			if !ok {
				t.Errorf("%s.json: missing %q", lang, k)
				continue
			}
			if got, want := verbs(e), verbs(en[k]); !slices.Equal(got, want) {
				t.Errorf("%s.json %q: arguments %v, want %v (as in English)", lang, k, got, want)
			}
		}
		for _, k := range Keys(m) {
			if _, ok := en[k]; !ok {
				t.Errorf("%s.json: %q is not in en.json", lang, k)
			}
		}
	}
	for _, lang := range Langs {
		m, _ := Catalog(lang)
		for _, k := range Keys(m) {
			if m[k].Plural != nil && m[k].Plural["other"] == "" {
				t.Errorf("%s.json %q: a plural entry needs its \"other\" form", lang, k)
			}
			if m[k].Plural == nil && strings.TrimSpace(m[k].Text) == "" {
				t.Errorf("%s.json %q: empty", lang, k)
			}
		}
	}
}

var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

// verbs lists an entry's arguments by position ("1d", "2s"), sorted, over
// all its plural forms.
func verbs(e Entry) []string {
	texts := []string{e.Text}
	if e.Plural != nil {
		texts = texts[:0]
		for _, t := range e.Plural {
			texts = append(texts, t)
		}
	}
	seen := map[string]bool{}
	for _, t := range texts {
		n := 0
		for _, m := range verbRE.FindAllStringSubmatch(t, -1) {
			if m[2] == "%" {
				continue
			}
			n++
			pos := m[1]
			if pos == "" {
				pos = string(rune('0' + n))
			} else {
				n = int(pos[0] - '0')
			}
			v := m[2]
			if v == "v" {
				v = "s"
			}
			seen[pos+v] = true
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestCatalogKeysUsed fails when a key of the catalogs appears, quoted, in
// no source file of the site (web/, with this package, and timeline/;
// generated templ code and tests left out): a key nothing asks for is dead text to translate.
func TestCatalogKeysUsed(t *testing.T) {
	var src strings.Builder
	for _, dir := range []string{"..", "../../timeline"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != dir && d.Name() == "testdata" {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if strings.HasSuffix(name, "_templ.go") || strings.HasSuffix(name, "_test.go") ||
				!(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".templ")) {
				return nil
			}
			b, err := os.ReadFile(p)
			src.Write(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	all := src.String()
	en, _ := Catalog("en")
	for _, k := range Keys(en) {
		if !strings.Contains(all, `"`+k+`"`) && !strings.Contains(all, "`"+k+"`") {
			t.Errorf("%q is in the catalogs but no source file uses it", k)
		}
	}
}

func TestPathAndSplit(t *testing.T) {
	for _, tt := range []struct{ lang, path, want string }{
		{"en", "/events", "/events"}, {"ja", "/", "/ja/"}, {"ja", "/events?q=x", "/ja/events?q=x"},
		{"ko", "/?from=2002", "/ko/?from=2002"}, {"ja", "https://example.org/", "https://example.org/"},
	} {
		if got := PathIn(tt.lang, tt.path); got != tt.want {
			t.Errorf("PathIn(%q, %q) = %q, want %q", tt.lang, tt.path, got, tt.want)
		}
	}
	for _, tt := range []struct{ path, lang, rest string }{
		{"/ja/events", "ja", "/events"}, {"/ko/", "ko", "/"}, {"/ja", "ja", ""}, {"/japan", "en", "/japan"},
		{"/events", "en", "/events"}, {"/", "en", "/"},
	} {
		if lang, rest := Split(tt.path); lang != tt.lang || rest != tt.rest {
			t.Errorf("Split(%q) = %q, %q, want %q, %q", tt.path, lang, rest, tt.lang, tt.rest)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct{ header, want string }{
		{"", "en"}, {"ja", "ja"}, {"ja-JP,ja;q=0.9,en;q=0.8", "ja"}, {"ko-KR,ko;q=0.9", "ko"},
		{"en-US,en;q=0.9,ja;q=0.5", "en"}, {"fr-FR", "en"}, {"zh-CN", "en"}, {"garbage;;;", "en"},
	} {
		if got := Match(tt.header); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestPlurals(t *testing.T) {
	// The CLDR rules of x/text: English tells one from other; Japanese and
	// Korean have one form.
	m, _ := Catalog("en")
	for _, k := range Keys(m) {
		if m[k].Plural == nil {
			continue
		}
		one, many := For("en").T(k, 1), For("en").T(k, 2)
		if one == many {
			t.Errorf("en %q: 1 and 2 read alike: %q", k, one)
		}
		if For("ja").T(k, 1) == For("en").T(k, 1) {
			t.Errorf("ja %q: English text", k)
		}
	}
}

// TestCatalogsFormat: every entry of every language formats with the
// arguments its English takes and leaves no formatting debris ("%!(…)"):
// a literal percent sign must be written %%.
func TestCatalogsFormat(t *testing.T) {
	en, err := Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs {
		l := For(lang)
		for _, k := range Keys(en) {
			var args []any
			for _, v := range verbs(en[k]) {
				if v[1] == 'd' {
					args = append(args, 2)
				} else {
					args = append(args, "x")
				}
			}
			if got := l.T(k, args...); strings.Contains(got, "%!") {
				t.Errorf("%s.json %q reads %q", lang, k, got)
			}
		}
	}
}
