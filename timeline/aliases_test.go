package timeline_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// aliasCases are terms for the same thing in English, Japanese (kanji,
// the government's and the press's words, kana readings) and Korean.
var aliasCases = []struct {
	name  string
	terms []string
}{
	{"six-party talks", []string{"six-party talks", "Six-Party Talks", "six party talks", "六者協議", "6者協議", "6カ国協議", "6か国協議", "六者会合", "6자회담"}},
	{"abduction", []string{"abduction", "abductions", "拉致", "らち", "납치"}},
	{"repatriation", []string{"repatriation", "repatriation project", "帰国事業", "帰還事業", "북송사업"}},
}

// openShipped opens a store of the shipped dataset, with or without the
// shipped aliases.
func openShipped(t *testing.T, opts ...timeline.Option) *timeline.Store {
	t.Helper()
	return openShippedAt(t, filepath.Join(t.TempDir(), "shipped.db"), opts...)
}

// openShippedAt is openShipped with the database at path.
func openShippedAt(t *testing.T, path string, opts ...timeline.Option) *timeline.Store {
	t.Helper()
	ctx := context.Background()
	s, err := timeline.Open(ctx, path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadDatasetOnce(ctx, ds); err != nil {
		t.Fatal(err)
	}
	return s
}

// shippedFile writes a database of the shipped dataset and returns its
// path, closed, for tests that change it under the store.
func shippedFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shipped.db")
	openShippedAt(t, path).Close()
	return path
}

func searchSlugs(t *testing.T, s *timeline.Store, q string) []string {
	t.Helper()
	slugs, err := s.NaiveList(context.Background(), timeline.Filter{Query: q}, false, 0)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	pages := walk(t, s, timeline.Filter{Query: q}, timeline.PageRequest{Limit: 500})
	if !slices.Equal(pages, slugs) {
		t.Errorf("search %q: pages give %d events, the oracle %d", q, len(pages), len(slugs))
	}
	return slugs
}

// A term in any of the three languages finds the same events, and more
// than the term alone finds: the aliases are what make them equal.
func TestAliasesFindTheSameEvents(t *testing.T) {
	groups, err := data.Aliases()
	if err != nil {
		t.Fatal(err)
	}
	s := openShipped(t, timeline.WithAliases(groups))
	plain := openShipped(t)
	for _, tt := range aliasCases {
		t.Run(tt.name, func(t *testing.T) {
			want := searchSlugs(t, s, tt.terms[0])
			if len(want) < 3 {
				t.Fatalf("%q finds %d events, want several", tt.terms[0], len(want))
			}
			differs := false
			for _, q := range tt.terms {
				if got := searchSlugs(t, s, q); !slices.Equal(got, want) {
					t.Errorf("%q finds %d events, %q %d: %v", q, len(got), tt.terms[0], len(want), diff(got, want))
				}
				alone := searchSlugs(t, plain, q)
				t.Logf("%q: %d events with the aliases, %d alone", q, len(want), len(alone))
				if len(alone) > len(want) {
					t.Errorf("%q finds %d events alone but %d with its aliases", q, len(alone), len(want))
				}
				differs = differs || len(alone) < len(want)
			}
			if !differs {
				t.Errorf("every term finds the same %d events without aliases too: the test shows nothing", len(want))
			}
		})
	}
}

// diff names the slugs in one list and not the other.
func diff(a, b []string) string {
	var only []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			only = append(only, "+"+x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			only = append(only, "-"+x)
		}
	}
	return strings.Join(only, " ")
}

func TestSearchParts(t *testing.T) {
	s, err := timeline.Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), timeline.WithAliases([][]string{
		{"six-party talks", "6자회담", "六者協議"},
		{"abduction", "拉致", "납치"},
		{"Chōren", "Choren", "朝連"},
		{"North Korea", "北朝鮮"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tt := range []struct {
		q, want string
	}{
		{"zanzibar", "[[[zanzibar]]]"},
		{"six party talks 2005", "[[[six party talks] [6 자회담] [六者協議]] [[2005]]]"},
		{"6자회담", "[[[six party talks] [6 자회담] [六者協議]]]"},
		{"Six", "[[[Six]]]"}, // a part of a member alone is no alias
		{"納 拉致", "[[[納]] [[abduction] [拉致] [납치]]]"},
		{"CHŌREN", "[[[Chōren] [Choren] [朝連]]]"},
		{"north korea abduction", "[[[North Korea] [北朝鮮]] [[abduction] [拉致] [납치]]]"},
		{`"abduction" OR`, "[[[abduction] [拉致] [납치]]]"},
	} {
		var b strings.Builder
		b.WriteString("[")
		for i, alts := range s.SearchParts(tt.q) {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString("[")
			for j, alt := range alts {
				if j > 0 {
					b.WriteString(" ")
				}
				b.WriteString("[" + strings.Join(alt, " ") + "]")
			}
			b.WriteString("]")
		}
		b.WriteString("]")
		if got := b.String(); got != tt.want {
			t.Errorf("SearchParts(%q) = %s, want %s", tt.q, got, tt.want)
		}
	}
	if got, want := strings.Join(s.HighlightTerms("北朝鮮 6자회담"), "|"), "北朝鮮|6|자회담|North|Korea|six|party|talks|六者協議"; got != want {
		t.Errorf("HighlightTerms = %s, want %s", got, want)
	}
}

func TestPruneAlts(t *testing.T) {
	for _, tt := range []struct {
		alts [][]string
		want string
	}{
		{[][]string{{"abduction"}, {"abductions"}, {"拉致"}, {"拉致問題"}, {"납치"}}, "[abduction] [拉致] [납치]"},
		{[][]string{{"Kim", "Jong", "Il"}, {"Kim", "Jong", "il"}, {"金正日"}}, "[Kim Jong Il] [金正日]"},
		{[][]string{{"Koizumi", "Junichiro"}, {"Junichiro", "Koizumi"}}, "[Koizumi Junichiro]"},
		{[][]string{{"UN", "Security", "Council"}, {"Security", "Council"}, {"国連安保理"}}, "[Security Council] [国連安保理]"},
		{[][]string{{"6", "자회담"}, {"육자회담"}, {"six", "party", "talks"}}, "[6 자회담] [육자회담] [six party talks]"},
		{[][]string{{"Chōren"}, {"Choren"}}, "[Chōren]"},
	} {
		var got []string
		for _, alt := range timeline.PruneAlts(tt.alts) {
			got = append(got, "["+strings.Join(alt, " ")+"]")
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("pruneAlts(%v) = %s, want %s", tt.alts, g, tt.want)
		}
	}
}
