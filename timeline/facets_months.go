package timeline

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// A date filter's counts from the month tables (migration 0010_facet_months). The events
// a range [F, T] selects (those with lo <= T and hi >= F) are, without
// overlap:
//
//   - those starting in the whole months [bs, be] inside the range: sums of
//     facet_month (and, for actors and tags, of whole years from
//     facet_year_* and the other months from facet_month_*);
//   - those that began in a month before F's and reach F's month: the
//     crossing counts of F's month (facet_cross*), less the few of them that
//     ended in that month before F (read through events_multi_end);
//   - the rest, counted event by event: those starting in F's month before
//     bs (F in mid-month) and those starting after be (T in mid-month).
//
// So a month, a year or two years cost a few hundred table rows and the
// events of at most two partial months, however many events the range
// holds. The plain count (facetsCounted) stays for every other filter,
// and the oracle test holds the two to the same answers.
type monthPlan struct {
	from, to   Day // the range; from is 0 without a start
	fromMonth  int // F's month, YYYYMM (0 without a start)
	ms, me     int // the whole months inside the range, YYYYMM; none when ms > me
	bs, be     Day // their first and last day
	withGroups bool
}

// monthPlanOf plans f's counts, or reports that f is not a filter the
// month tables answer: one with a search, actors or tags, certainty=certain
// (the tables count overlaps), or no dates.
func monthPlanOf(f Filter) (monthPlan, bool) {
	if f.Query != "" || len(f.Actors) > 0 || len(f.Tags) > 0 || f.Certain || (f.From.IsZero() && f.To.IsZero()) {
		return monthPlan{}, false
	}
	p := monthPlan{ms: MinYear*100 + 1, me: MaxYear*100 + 12, to: Date{Year: MaxYear}.Latest()}
	if !f.From.IsZero() {
		p.from = f.From.Earliest()
		p.fromMonth = int(p.from) / 100
		p.ms = p.fromMonth
		if p.from%100 != 1 {
			p.ms = nextMonth(p.fromMonth)
		}
	}
	if !f.To.IsZero() {
		p.to = f.To.Latest()
		p.me = int(p.to) / 100
		if p.to != monthLast(p.me) {
			p.me = prevMonth(p.me)
		}
	}
	if p.ms <= p.me {
		p.bs, p.be = Day(p.ms*100+1), monthLast(p.me)
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

// buckets returns the whole years and the remaining months of [ms, me] as
// ranges: years [y1, y2] (none when y1 > y2) and months [a, b] ranges.
func (p monthPlan) buckets() (y1, y2 int, months [][2]int) {
	if p.ms > p.me {
		return 1, 0, nil
	}
	y1, y2 = p.ms/100, p.me/100
	if p.ms%100 != 1 {
		months = append(months, [2]int{p.ms, min(p.me, y1*100+12)})
		y1++
	}
	if p.me%100 != 12 && y2 >= y1 {
		months = append(months, [2]int{max(p.ms, y2*100+1), p.me})
		y2--
	}
	return y1, y2, months
}

// direct returns the conditions of the events counted one by one, each
// with its sign: +1 for those added, -1 for the crossing events that ended
// before F.
func (p monthPlan) direct() []directPart {
	var out []directPart
	if p.from > 0 {
		start := Day(p.fromMonth*100 + 1)
		end := p.to + 1 // no whole months: everything from F's month to T
		if p.ms <= p.me {
			end = p.bs
		}
		if start < end {
			out = append(out, directPart{1, []string{"e.lo >= ?", "e.lo < ?", "e.hi >= ?"}, []any{start, end, p.from}, ""})
		}
		if p.from > start {
			// Crossing into F's month, gone before F: not in the range.
			out = append(out, directPart{-1, []string{"e.hi >= ?", "e.hi < ?", "e.lo < ?", "e.hi / 100 > e.lo / 100"}, []any{start, p.from, start}, "events_multi_end"})
		}
	} else if p.ms > p.me {
		out = append(out, directPart{1, []string{"e.lo <= ?"}, []any{p.to}, ""})
	}
	if p.ms <= p.me && p.be < p.to {
		out = append(out, directPart{1, []string{"e.lo > ?", "e.lo <= ?"}, []any{p.be, p.to}, ""})
	}
	return out
}

// edgeEvent is an event counted one by one, with the sign it is counted with.
type edgeEvent struct {
	id           int64
	year         int
	category     Category
	significance int
	sign         int
}

// edgeEvents reads the events of p's partial months, once for every count.
func (s *Store) edgeEvents(ctx context.Context, p monthPlan) ([]edgeEvent, error) {
	var out []edgeEvent
	for _, d := range p.direct() {
		q := "SELECT e.id, e.year, e.category, e.significance FROM events e" + indexed(d.index) +
			" WHERE e.deleted_at IS NULL AND " + strings.Join(d.conds, " AND ")
		rows, err := s.read.QueryContext(ctx, q, d.args...)
		if err != nil {
			return nil, fmt.Errorf("timeline: facets: %w", err)
		}
		err = scanAll(rows, func() error {
			e := edgeEvent{sign: d.sign}
			if err := rows.Scan(&e.id, &e.year, &e.category, &e.significance); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("timeline: facets: %w", err)
		}
	}
	return out, nil
}

type directPart struct {
	sign  int
	conds []string
	args  []any
	index string
}

// facetsByMonth is Facets for a filter monthPlanOf accepts.
func (s *Store) facetsByMonth(ctx context.Context, f Filter, p monthPlan) (Facets, error) {
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
				yc.ByCategory[c] = n
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
		// Per category or significance, actors and tags are counted from
		// the events, read once.
		sf, err := s.compile(ctx, f, false)
		if err != nil {
			return Facets{}, err
		}
		set, args := sf.withCategories().set()
		rows, err := s.read.QueryContext(ctx, set, args...)
		if err != nil {
			return Facets{}, fmt.Errorf("timeline: facets: %w", err)
		}
		ids := []int64{}
		err = scanAll(rows, func() error {
			var id int64
			var y int
			var c Category
			if err := rows.Scan(&id, &y, &c); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
		if err != nil {
			return Facets{}, fmt.Errorf("timeline: facets: %w", err)
		}
		if out.Actors, out.Tags, err = s.groupsOf(ctx, f, ids); err != nil {
			return Facets{}, err
		}
		return out, nil
	}
	actorN, err := s.groupCounts(ctx, p, edges, "actor_id", "facet_year_actor", "facet_month_actor", "facet_cross_actor",
		"SELECT actor_id, COUNT(*) FROM event_actors WHERE event_id IN (SELECT value FROM json_each(?)) GROUP BY 1")
	if err != nil {
		return Facets{}, err
	}
	if out.Actors, err = s.topActors(ctx, actorN); err != nil {
		return Facets{}, err
	}
	tagN, err := s.groupCounts(ctx, p, edges, "tag", "facet_year_tag", "facet_month_tag", "facet_cross_tag",
		"SELECT tag, COUNT(*) FROM event_tags WHERE event_id IN (SELECT value FROM json_each(?)) GROUP BY 1")
	if err != nil {
		return Facets{}, err
	}
	out.Tags = topCounts(tagN, func(k any) (string, string) { return k.(string), k.(string) }, func(a, b any) int { return cmp.Compare(a.(string), b.(string)) })
	return out, nil
}

// groupCounts sums an actor or tag table over p's years, months and
// crossing month, then adds and takes away the events counted one by one.
func (s *Store) groupCounts(ctx context.Context, p monthPlan, edges []edgeEvent, key, yearTable, monthTable, crossTable, direct string) (map[any]int, error) {
	counts := map[any]int{}
	var parts []string
	var args []any
	y1, y2, months := p.buckets()
	if y1 <= y2 {
		parts = append(parts, "SELECT "+key+", n FROM "+yearTable+" WHERE year BETWEEN ? AND ?")
		args = append(args, y1, y2)
	}
	for _, m := range months {
		parts = append(parts, "SELECT "+key+", n FROM "+monthTable+" WHERE month BETWEEN ? AND ?")
		args = append(args, m[0], m[1])
	}
	if p.from > 0 {
		parts = append(parts, "SELECT "+key+", n FROM "+crossTable+" WHERE month = ?")
		args = append(args, p.fromMonth)
	}
	scan := func(sign int) func(int, func(...any) error) error {
		return func(_ int, scan func(...any) error) error {
			var k any
			var n int
			if err := scan(&k, &n); err != nil {
				return err
			}
			if b, ok := k.([]byte); ok {
				k = string(b)
			}
			counts[k] += sign * n
			return nil
		}
	}
	if len(parts) > 0 {
		q := "SELECT " + key + ", SUM(n) FROM (" + strings.Join(parts, " UNION ALL ") + ") GROUP BY 1"
		if err := s.sumRows(ctx, []string{q}, args, scan(1), 1); err != nil {
			return nil, err
		}
	}
	for _, sign := range []int{1, -1} {
		var ids []int64
		for _, e := range edges {
			if e.sign == sign {
				ids = append(ids, e.id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		list, _ := json.Marshal(ids)
		if err := s.sumRows(ctx, []string{direct}, []any{string(list)}, scan(sign), 1); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// sumRows runs each query (whose arguments follow one another in args,
// split by the number of ? in each) and calls row for every row.
func (s *Store) sumRows(ctx context.Context, qs []string, args []any, row func(sign int, scan func(...any) error) error, sign int) error {
	for _, q := range qs {
		n := strings.Count(q, "?")
		rows, err := s.read.QueryContext(ctx, q, args[:n]...)
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
// name), as the counting query orders them.
func (s *Store) topActors(ctx context.Context, counts map[any]int) ([]Count, error) {
	ids := topKeys(counts, func(a, b any) int { return cmp.Compare(a.(int64), b.(int64)) })
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.read.QueryContext(ctx, "SELECT id, slug, name FROM actors WHERE id IN ("+placeholders(len(ids))+")", ids...)
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	var out []Count
	err = scanAll(rows, func() error {
		var id int64
		var c Count
		if err := rows.Scan(&id, &c.Value, &c.Label); err != nil {
			return err
		}
		c.N = counts[id]
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Label, b.Label))
	})
	return out[:min(len(out), FacetLimit)], nil
}

// topKeys returns the keys of the FacetLimit largest counts and of every
// count tied with the last of them (their order is settled by name).
func topKeys(counts map[any]int, order func(a, b any) int) []any {
	var keys []any
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b any) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), order(a, b)) })
	if len(keys) > FacetLimit {
		last := counts[keys[FacetLimit-1]]
		end := FacetLimit
		for end < len(keys) && counts[keys[end]] == last {
			end++
		}
		keys = keys[:end]
	}
	return keys
}

func topCounts(counts map[any]int, label func(any) (string, string), order func(a, b any) int) []Count {
	var out []Count
	for _, k := range topKeys(counts, order)[:] {
		v, l := label(k)
		out = append(out, Count{Value: v, Label: l, N: counts[k]})
	}
	return out[:min(len(out), FacetLimit)]
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
