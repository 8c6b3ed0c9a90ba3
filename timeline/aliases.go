package timeline

import "strings"

// aliasTable links search terms across languages and spellings: a query
// that names any member of a group (六者協議, 6자회담, six-party talks)
// searches for every member of it. Members are compared as the search
// terms they are made of (SearchTerms), Latin letters folded to lower case
// without macrons, so "Six-Party talks" and "six party talks" are one.
type aliasTable struct {
	groups [][][]string         // each group's members, each as its terms
	starts map[string][]aliasAt // a member's first term → the members starting with it
}

type aliasAt struct{ group, member int }

// WithAliases makes search treat each group of terms as one: a query that
// names a member of a group finds the events that mention any member of it
// (see Store.SearchParts). The groups are the shipped data/aliases.json,
// which cmd passes in: timeline does not read the dataset itself.
func WithAliases(groups [][]string) Option {
	return func(o *options) { o.aliases = newAliasTable(groups) }
}

func newAliasTable(groups [][]string) *aliasTable {
	a := &aliasTable{starts: map[string][]aliasAt{}}
	for _, g := range groups {
		var members [][]string
		for _, m := range g {
			terms := SearchTerms(m)
			if len(terms) == 0 {
				continue
			}
			a.starts[foldTerm(terms[0])] = append(a.starts[foldTerm(terms[0])], aliasAt{len(a.groups), len(members)})
			members = append(members, terms)
		}
		a.groups = append(a.groups, members)
	}
	return a
}

// foldTerm is how terms are compared with aliases: lower case, macrons and
// circumflexes of romanised Japanese taken off (Chōren, Choren).
func foldTerm(t string) string {
	return macrons.Replace(strings.ToLower(t))
}

var macrons = strings.NewReplacer("ā", "a", "ē", "e", "ī", "i", "ō", "o", "ū", "u", "â", "a", "ê", "e", "î", "i", "ô", "o", "û", "u")

// SearchParts reads a query as what search looks for: a list of parts, all
// of which an event must match; each part is a list of alternatives, any of
// which will do; each alternative is a list of search terms (SearchTerms),
// all of which must match. Without aliases every part is one term. With
// them, the longest run of terms that spells a member of an alias group
// becomes one part whose alternatives are every member of that group.
func (s *Store) SearchParts(q string) [][][]string {
	return s.aliases.parts(SearchTerms(q))
}

func (a *aliasTable) parts(terms []string) [][][]string {
	out := make([][][]string, 0, len(terms))
	for i := 0; i < len(terms); {
		group, n := a.match(terms[i:])
		if n == 0 {
			out = append(out, [][]string{{terms[i]}})
			i++
			continue
		}
		out = append(out, a.groups[group])
		i += n
	}
	return out
}

// match returns the group of the longest member that terms start with, and
// the number of terms it spans (0 when none does).
func (a *aliasTable) match(terms []string) (group, n int) {
	if a == nil {
		return 0, 0
	}
	for _, at := range a.starts[foldTerm(terms[0])] {
		m := a.groups[at.group][at.member]
		if len(m) <= n || len(m) > len(terms) {
			continue
		}
		same := true
		for j := range m {
			if foldTerm(m[j]) != foldTerm(terms[j]) {
				same = false
				break
			}
		}
		if same {
			group, n = at.group, len(m)
		}
	}
	return group, n
}

// HighlightTerms returns the terms a page marks in the results of the
// query: its own and, for each part read as an alias group, the terms of
// every member of the group but for words of one or two Latin letters or
// digits ("of", the "6" of 6자회담), which would mark too much.
func (s *Store) HighlightTerms(q string) []string {
	var out []string
	add := func(t string) {
		for _, o := range out {
			if foldTerm(o) == foldTerm(t) {
				return
			}
		}
		out = append(out, t)
	}
	for _, t := range SearchTerms(q) {
		add(t)
	}
	for _, alts := range s.SearchParts(q) {
		if len(alts) == 1 {
			continue
		}
		for _, alt := range alts {
			for _, t := range alt {
				if r := []rune(t); isCJK(r[0]) || len(r) >= 3 {
					add(t)
				}
			}
		}
	}
	return out
}

// pruneAlts leaves out the alternatives that another one already finds:
// "abductions" when "abduction" is searched (a prefix of it), "Kim Il-sung"
// beside "Kim Il Sung" (the same terms), "UN Security Council" beside
// "Security Council", 拉致問題 beside 拉致 (a substring of it). What an
// alternative matches is a subset of what one covering it matches, so the
// OR finds the same events with fewer terms to test.
func pruneAlts(alts [][]string) [][]string {
	if len(alts) < 2 {
		return alts
	}
	var out [][]string
	for i, b := range alts {
		redundant := false
		for j, a := range alts {
			// An alternative equal to an earlier one gives way to it; one
			// strictly covered by any other gives way too.
			if i != j && covers(a, b) && (j < i || !covers(b, a)) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, b)
		}
	}
	return out
}

// covers reports whether every event matching all the terms of b matches
// all the terms of a: each term of a covers some term of b, a word being
// covered by the words it begins (a prefix search) and a Japanese, Chinese
// or Korean run by the runs that contain it.
func covers(a, b []string) bool {
	for _, x := range a {
		fx, cjk := foldTerm(x), isCJK([]rune(x)[0])
		found := false
		for _, y := range b {
			fy := foldTerm(y)
			if cjk != isCJK([]rune(y)[0]) {
				continue
			}
			if (cjk && strings.Contains(fy, fx)) || (!cjk && strings.HasPrefix(fy, fx)) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
