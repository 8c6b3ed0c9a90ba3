package timeline

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// A date filter's counts from the month tables (migration 0010_facet_months). The events
// a range [F, T] selects (those with lo <= T and hi >= F) are, without
// overlap:
//
//   - those starting in the months [ms, me]: sums of facet_month (and, for
//     actors and tags, of whole years from facet_year_* and the other months
//     from facet_month_*);
//   - those that began in a month before F's and reach F's month: the
//     crossing counts of F's month (facet_cross*), less the few of them that
//     ended in that month before F (read through facet_events_multi_end);
//   - corrections counted event by event at the two ends, read with their
//     actors and tags from facet_events (migration 0012_facet_events): when
//     F is in mid-month, its month is summed whole (ms is F's month) less
//     the events that start and end in it before F; when T is in mid-month,
//     its month is either summed whole less the events starting after T, or
//     left out (me is the month before) plus the events starting in it up
//     to T, whichever reads fewer days. A range within one month is
//     counted event by event.
//
// So a month, a year or two years cost a few hundred table rows and the
// events of at most a month, however many events the range holds. The
// plain count (facetsCounted) stays for every other filter, and the oracle
// test holds the two to the same answers.
type monthPlan struct {
	from, to   Day          // the range; from is 0 without a start
	fromMonth  int          // F's month, YYYYMM (0 without a start)
	ms, me     int          // the months summed from the tables, YYYYMM; none when ms > me
	direct     []directPart // the events counted one by one
	withGroups bool
}

// directPart is a set of events counted one by one: conditions on
// facet_events e, their arguments, the index to read them with, and the
// sign they are counted with (-1: taken away from the months summed).
type directPart struct {
	sign  int
	conds []string
	args  []any
	index string
}

// monthPlanOf plans f's counts, or reports that f is not a filter the
// month tables answer: one with a search, actors or tags, certainty=certain
// (the tables count overlaps), or no dates.
func monthPlanOf(f Filter) (monthPlan, bool) {
	if f.Query != "" || len(f.Actors) > 0 || len(f.Tags) > 0 || f.Certain || (f.From.IsZero() && f.To.IsZero()) {
		return monthPlan{}, false
	}
	p := monthPlan{to: Date{Year: MaxYear}.Latest()}
	first := MinYear*100 + 1 // the first month counted
	if !f.To.IsZero() {
		p.to = f.To.Latest()
	}
	last := int(p.to) / 100
	if !f.From.IsZero() {
		p.from = f.From.Earliest()
		p.fromMonth = int(p.from) / 100
		first = p.fromMonth
	}
	if last < first {
		return monthPlan{}, false // an empty range: Filter.Validate refuses it
	}
	start := Day(first*100 + 1)
	if p.from > start {
		// Crossing into F's month, gone before F: not in the range.
		p.direct = append(p.direct, directPart{-1, []string{"e.hi >= ?", "e.hi < ?", "e.lo < ?", "e.hi / 100 > e.lo / 100"},
			[]any{start, p.from, start}, "facet_events_multi_end"})
	}
	switch {
	case p.from <= start && p.to == monthLast(last):
		p.ms, p.me = first, last // whole months
	case first == last:
		// Part of one month: its events one by one.
		p.ms, p.me = 1, 0
		if p.from == 0 {
			p.direct = append(p.direct, directPart{1, []string{"e.lo <= ?"}, []any{p.to}, ""})
		} else {
			p.direct = append(p.direct, directPart{1, []string{"e.lo >= ?", "e.lo <= ?", "e.hi >= ?"}, []any{start, p.to, p.from}, ""})
		}
	default:
		p.ms, p.me = first, last
		if p.from > start {
			// F's month whole, less its events over before F.
			p.direct = append(p.direct, directPart{-1, []string{"e.lo >= ?", "e.lo < ?", "e.hi < ?"}, []any{start, p.from, p.from}, ""})
		}
		if end := monthLast(last); p.to != end {
			if day := int(p.to % 100); 2*day >= int(end%100) {
				// T's month whole, less its events after T.
				p.direct = append(p.direct, directPart{-1, []string{"e.lo > ?", "e.lo <= ?"}, []any{p.to, end}, ""})
			} else {
				// The months before T's, and T's events up to T.
				p.me = prevMonth(last)
				p.direct = append(p.direct, directPart{1, []string{"e.lo >= ?", "e.lo <= ?"}, []any{Day(last*100 + 1), p.to}, ""})
			}
		}
	}
	// Actors and tags are kept per month and year, not per category or
	// significance.
	p.withGroups = len(f.Categories) == 0 && f.MinSignificance == 0
	return p, true
}

func nextMonth(m int) int {
	if m%100 == 12 {
		return m + 89
	}
	return m + 1
}

func prevMonth(m int) int {
	if m%100 == 1 {
		return m - 89
	}
	return m - 1
}

func monthLast(m int) Day { return Day(m*100 + daysIn(m/100, m%100)) }

// bucket is a range of rows of an actor or tag table: years [a, b] of the
// per-year table, or months [a, b] (YYYYMM) of the per-month one, summed
// with a sign.
type bucket struct {
	year       bool
	a, b, sign int
}

// buckets covers the months [ms, me] with whole years and months. A year
// that the range holds only part of is either its months, or the whole
// year less the months outside the range, whichever reads fewer rows (a
// year's row of an actor or tag table costs about two months').
func (p monthPlan) buckets() []bucket {
	var out []bucket
	for y := p.ms / 100; p.ms <= p.me && y <= p.me/100; y++ {
		a, b := max(p.ms, y*100+1), min(p.me, y*100+12)
		in := b - a + 1
		switch {
		case in == 12:
			if n := len(out); n > 0 && out[n-1].year && out[n-1].b == y-1 {
				out[n-1].b = y
			} else {
				out = append(out, bucket{true, y, y, 1})
			}
		case 2+12-in < in:
			out = append(out, bucket{true, y, y, 1})
			if a > y*100+1 {
				out = append(out, bucket{false, y*100 + 1, a - 1, -1})
			}
			if b < y*100+12 {
				out = append(out, bucket{false, b + 1, y*100 + 12, -1})
			}
		default:
			out = append(out, bucket{false, a, b, 1})
		}
	}
	return out
}

// edgeEvent is an event counted one by one, with the sign it is counted
// with, and its actors' ids and its tags (comma-separated, as
// facet_events keeps them).
type edgeEvent struct {
	year         int
	category     Category
	significance int
	sign         int
	actors, tags string
}

// edgeEvents reads the events of p's partial months, once for every count,
// from facet_events in one sequential pass each: every event of a part
// comes back as a line of one string (SQLite's group_concat), which costs
// a third of reading it as a row.
func (s *Store) edgeEvents(ctx context.Context, p monthPlan) ([]edgeEvent, error) {
	var out []edgeEvent
	for _, d := range p.direct {
		q := "SELECT group_concat((e.lo / 10000) || ' ' || e.category || ' ' || e.significance || ' ' || e.actors || ' ' || e.tags, char(10)) FROM facet_events e" +
			indexed(d.index) + " WHERE " + strings.Join(d.conds, " AND ")
		var lines sql.NullString
		if err := (readPool{s}).QueryRowContext(ctx, q, d.args...).Scan(&lines); err != nil {
			return nil, fmt.Errorf("timeline: facets: %w", err)
		}
		out = slices.Grow(out, strings.Count(lines.String, "\n")+1)
		for line := range strings.SplitSeq(lines.String, "\n") {
			if line == "" {
				continue
			}
			// year category significance actors tags
			year, rest, ok1 := strings.Cut(line, " ")
			cat, rest, ok2 := strings.Cut(rest, " ")
			sig, rest, ok3 := strings.Cut(rest, " ")
			actors, tags, ok4 := strings.Cut(rest, " ")
			if !ok1 || !ok2 || !ok3 || !ok4 {
				return nil, fmt.Errorf("timeline: facets: malformed facet_events line %q", line)
			}
			e := edgeEvent{sign: d.sign, category: categoryIn(cat), actors: actors, tags: tags}
			var err error
			if e.year, err = strconv.Atoi(year); err == nil {
				e.significance, err = strconv.Atoi(sig)
			}
			if err != nil {
				return nil, fmt.Errorf("timeline: facets: facet_events line %q: %w", line, err)
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// facetsByMonth is Facets for a filter monthPlanOf accepts.
// A range of a few months is read from the packs (facet_packs.go).
func (s *Store) facetsByMonth(ctx context.Context, f Filter, p monthPlan) (Facets, error) {
	if q, ok := packPlanOf(p); ok && s.packs {
		if out, ok, err := s.facetsByPacks(ctx, f, q); err != nil || ok {
			return out, err
		}
	}
	return s.facetsByTables(ctx, f, p)
}

// facetsByTables is facetsByMonth from the count tables.
func (s *Store) facetsByTables(ctx context.Context, f Filter, p monthPlan) (Facets, error) {
	var out Facets
	edges, err := s.edgeEvents(ctx, p)
	if err != nil {
		return Facets{}, err
	}
	// The conditions on each event besides its dates: the filter's
	// categories (not for the category counts) and significance.
	cats := func(withCats bool) (string, []any) {
		var conds []string
		var args []any
		if withCats && len(f.Categories) > 0 {
			conds = append(conds, "category IN ("+placeholders(len(f.Categories))+")")
			for _, c := range f.Categories {
				args = append(args, string(c))
			}
		}
		if f.MinSignificance > 0 {
			conds = append(conds, "significance >= ?")
			args = append(args, f.MinSignificance)
		}
		if len(conds) == 0 {
			return "1", nil
		}
		return strings.Join(conds, " AND "), args
	}
	// yearCat counts per start year and category, with or without the
	// filter's categories.
	yearCat := func(withCats bool) (map[int]map[Category]int, error) {
		w, wa := cats(withCats)
		counts := map[int]map[Category]int{}
		add := func(y int, c Category, n int) {
			if counts[y] == nil {
				counts[y] = map[Category]int{}
			}
			counts[y][c] += n
		}
		var qs []string
		var args []any
		if p.ms <= p.me {
			qs = append(qs, "SELECT month / 100, category, SUM(n) FROM facet_month WHERE month BETWEEN ? AND ? AND "+w+" GROUP BY 1, 2")
			args = append(append(args, p.ms, p.me), wa...)
		}
		if p.from > 0 {
			qs = append(qs, "SELECT year, category, SUM(n) FROM facet_cross WHERE month = ? AND "+w+" GROUP BY 1, 2")
			args = append(append(args, p.fromMonth), wa...)
		}
		if err := s.sumRows(ctx, qs, args, func(sign int, scan func(...any) error) error {
			var y, n int
			var c Category
			if err := scan(&y, &c, &n); err != nil {
				return err
			}
			add(y, c, sign*n)
			return nil
		}, 1); err != nil {
			return nil, err
		}
		for _, e := range edges {
			if (!withCats || len(f.Categories) == 0 || slices.Contains(f.Categories, e.category)) && e.significance >= f.MinSignificance {
				add(e.year, e.category, e.sign)
			}
		}
		return counts, nil
	}
	years, err := yearCat(true)
	if err != nil {
		return Facets{}, err
	}
	catN := map[Category]int{}
	for _, y := range slices.Sorted(mapKeys(years)) {
		yc := YearCount{Year: y, ByCategory: map[Category]int{}}
		for c, n := range years[y] {
			if n != 0 {
				yc.ByCategory[categoryIn(string(c))] = n
				yc.Total += n
				catN[c] += n
			}
		}
		if yc.Total > 0 {
			out.Years = append(out.Years, yc)
			out.Total += yc.Total
		}
	}
	if len(f.Categories) > 0 {
		all, err := yearCat(false)
		if err != nil {
			return Facets{}, err
		}
		catN = map[Category]int{}
		for _, cs := range all {
			for c, n := range cs {
				catN[c] += n
			}
		}
	}
	for _, c := range Categories {
		out.Categories = append(out.Categories, Count{Value: string(c), Label: c.Label(), N: catN[c]})
	}
	if !p.withGroups {
		if out.Actors, out.Tags, err = s.groupsCounted(ctx, f); err != nil {
			return Facets{}, err
		}
		return out, nil
	}
	actorN, err := s.groupCounts(ctx, p, edges, "actor_id", "facet_year_actor", "facet_month_actor", "facet_cross_actor",
		func(e edgeEvent) string { return e.actors })
	if err != nil {
		return Facets{}, err
	}
	if out.Actors, err = s.topActors(ctx, actorN); err != nil {
		return Facets{}, err
	}
	tagN, err := s.groupCounts(ctx, p, edges, "tag", "facet_year_tag", "facet_month_tag", "facet_cross_tag",
		func(e edgeEvent) string { return e.tags })
	if err != nil {
		return Facets{}, err
	}
	for _, k := range topKeys(maps.All(tagN)) {
		k := strings.Clone(k) // a piece of the counted text (categoryIn)
		out.Tags = append(out.Tags, Count{Value: k, Label: k, N: tagN[k]})
	}
	out.Tags = out.Tags[:min(len(out.Tags), FacetLimit)]
	return out, nil
}

// groupsCounted counts the actors and tags of f's events (with its
// categories and significance, which the month tables and packs do not
// keep them by), read once.
func (s *Store) groupsCounted(ctx context.Context, f Filter) (actors, tags []Count, err error) {
	sf, err := s.compile(ctx, f, false)
	if err != nil {
		return nil, nil, err
	}
	set, args := sf.withCategories().setGroups()
	rows, err := s.read.QueryContext(ctx, set, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("timeline: facets: %w", err)
	}
	g := newGroupTally()
	err = scanAll(rows, func() error {
		var id int64
		var y int
		var c Category
		var actors, tags string
		if err := rows.Scan(&id, &y, &c, &actors, &tags); err != nil {
			return err
		}
		g.add(actors, tags, 1)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("timeline: facets: %w", err)
	}
	return s.topGroups(ctx, f, g)
}

// groupCounts sums an actor or tag table over p's years, months and
// crossing month, then adds and takes away the events counted one by one.
// The keys are actor ids (in decimal) or tags. Each table's rows come back
// as one string ("key:n,key:n…"), which costs a third of reading them as
// rows; the sums are made here.
func (s *Store) groupCounts(ctx context.Context, p monthPlan, edges []edgeEvent, key, yearTable, monthTable, crossTable string, of func(edgeEvent) string) (map[string]int, error) {
	counts := make(map[string]int, 1024)
	type part struct {
		q    string
		args []any
		sign int
	}
	var parts []part
	pairs := "SELECT group_concat(" + key + " || ':' || n) FROM "
	for _, b := range p.buckets() {
		if b.year {
			parts = append(parts, part{pairs + yearTable + " WHERE year BETWEEN ? AND ? AND n <> 0", []any{b.a, b.b}, b.sign})
		} else {
			parts = append(parts, part{pairs + monthTable + " WHERE month BETWEEN ? AND ? AND n <> 0", []any{b.a, b.b}, b.sign})
		}
	}
	if p.from > 0 {
		parts = append(parts, part{pairs + crossTable + " WHERE month = ? AND n <> 0", []any{p.fromMonth}, 1})
	}
	for _, pt := range parts {
		var list sql.NullString
		if err := (readPool{s}).QueryRowContext(ctx, pt.q, pt.args...).Scan(&list); err != nil {
			return nil, fmt.Errorf("timeline: facets: %w", err)
		}
		for pair := range strings.SplitSeq(list.String, ",") {
			if pair == "" {
				continue
			}
			// A tag has no colon (slugRule), so the last one ends the key.
			i := strings.LastIndexByte(pair, ':')
			c, err := strconv.Atoi(pair[i+1:])
			if i < 0 || err != nil {
				return nil, fmt.Errorf("timeline: facets: malformed count %q in %s", pair, pt.q)
			}
			counts[pair[:i]] += pt.sign * c
		}
	}
	for _, e := range edges {
		for k := range strings.SplitSeq(of(e), ",") {
			if k != "" {
				counts[k] += e.sign
			}
		}
	}
	return counts, nil
}

// sumRows runs each query (whose arguments follow one another in args,
// split by the number of ? in each) and calls row for every row.
func (s *Store) sumRows(ctx context.Context, qs []string, args []any, row func(sign int, scan func(...any) error) error, sign int) error {
	for _, q := range qs {
		n := strings.Count(q, "?")
		rows, err := readPool{s}.QueryContext(ctx, q, args[:n]...)
		if err != nil {
			return fmt.Errorf("timeline: facets: %w", err)
		}
		args = args[n:]
		if err := scanAll(rows, func() error { return row(sign, rows.Scan) }); err != nil {
			return fmt.Errorf("timeline: facets: %w", err)
		}
	}
	return nil
}

// topActors names the FacetLimit actors with the most events (ties by
// name), as the counting query orders them; counts are keyed by actor id
// in decimal.
func (s *Store) topActors(ctx context.Context, counts map[string]int) ([]Count, error) {
	var ids []int64
	for _, k := range topKeys(maps.All(counts)) {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("timeline: facets: actor id %q: %w", k, err)
		}
		ids = append(ids, id)
	}
	return s.topActorIDs(ctx, ids, func(id int64) int { return counts[strconv.FormatInt(id, 10)] })
}

// topActorIDs names the actors of ids (topKeys of their counts), with
// their counts, the most first and ties by English name (then slug), at
// most FacetLimit. The order is the same in every language: the Japanese
// and Korean labels ride along.
func (s *Store) topActorIDs(ctx context.Context, ids []int64, count func(id int64) int) ([]Count, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := s.namedActorCounts(ctx, ids, count)
	if err != nil || out == nil {
		out, err = s.readActorCounts(ctx, ids, count)
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Label, b.Label), cmp.Compare(a.Value, b.Value))
	})
	return out[:min(len(out), FacetLimit)], nil
}

// namedActorCounts is the counts of ids, named from the store's actors by
// id; nil when it keeps none, or lacks one of them.
func (s *Store) namedActorCounts(ctx context.Context, ids []int64, count func(id int64) int) ([]Count, error) {
	byID, err := s.actorsByID(ctx)
	if err != nil || byID == nil {
		return nil, err
	}
	out := make([]Count, 0, len(ids))
	for _, id := range ids {
		a, ok := byID[id]
		if !ok {
			return nil, nil
		}
		out = append(out, Count{Value: a.Slug, Label: a.Name, LabelJA: a.NameJA, LabelKO: a.NameKO, N: count(id)})
	}
	return out, nil
}

// readActorCounts is the counts of ids, named from the actors table (an id
// no longer there is left out).
func (s *Store) readActorCounts(ctx context.Context, ids []int64, count func(id int64) int) ([]Count, error) {
	// The ids go in as one JSON array, so that the statement's text is
	// the same for any number of them and stays prepared.
	list := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	rows, err := readPool{s}.QueryContext(ctx, "SELECT id, slug, name, name_ja, name_ko FROM actors WHERE id IN (SELECT value FROM json_each(?))", string(append(list, ']')))
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	var out []Count
	err = scanAll(rows, func() error {
		var id int64
		var c Count
		if err := rows.Scan(&id, &c.Value, &c.Label, &c.LabelJA, &c.LabelKO); err != nil {
			return err
		}
		c.N = count(id)
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	return out, nil
}

// topKeys returns the keys of the FacetLimit largest counts and of every
// count tied with the last of them (their order is settled by name), the
// largest first and ties by key.
func topKeys[K cmp.Ordered](counts iter.Seq2[K, int]) []K {
	// The FacetLimit-th largest count, found with a small sorted window,
	// so that only the counts at or above it are sorted.
	var window []int // descending
	for _, n := range counts {
		if n <= 0 || (len(window) == FacetLimit && n <= window[FacetLimit-1]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(window, n, func(a, b int) int { return cmp.Compare(b, a) })
		window = slices.Insert(window, i, n)
		if len(window) > FacetLimit {
			window = window[:FacetLimit]
		}
	}
	if len(window) == 0 {
		return nil
	}
	least := window[len(window)-1]
	type kn struct {
		k K
		n int
	}
	var top []kn
	for k, n := range counts {
		if n >= least {
			top = append(top, kn{k, n})
		}
	}
	slices.SortFunc(top, func(a, b kn) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.k, b.k)) })
	keys := make([]K, len(top))
	for i := range keys {
		keys[i] = top[i].k
	}
	return keys
}

func indexed(index string) string {
	if index == "" {
		return ""
	}
	return " INDEXED BY " + index
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
