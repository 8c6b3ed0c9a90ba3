package timeline

import (
	"context"
	"database/sql"
	"strings"
)

// This file keeps the plain queries beside the clever ones: NaiveList is
// what ListEvents, Count, Facets and Points must agree with (see
// TestPlannerMatchesOracle). It has no index hints, no keyset, no merged
// category branches, no lower bound from the longest event and no
// expanded search terms: just the filter, written out.

// NaiveList returns the slugs of the events f selects, in chronological
// order, or by relevance when relevance is set and f has a query; with at,
// only those starting on or after that day.
func (s *Store) NaiveList(ctx context.Context, f Filter, relevance bool, at Day) ([]string, error) {
	where := []string{"e.deleted_at IS NULL"}
	var args []any
	switch {
	case f.Certain: // every reading inside the range, and no qualifier
		where = append(where, "e.qual = 0")
		if !f.From.IsZero() {
			where = append(where, "e.lo >= ?")
			args = append(args, f.From.Earliest())
		}
		if !f.To.IsZero() {
			where = append(where, "e.hi <= ?")
			args = append(args, f.To.Latest())
		}
	default: // the widest reading overlaps the range
		if !f.From.IsZero() {
			where = append(where, "e.hi >= ?")
			args = append(args, f.From.Earliest())
		}
		if !f.To.IsZero() {
			where = append(where, "e.lo <= ?")
			args = append(args, f.To.Latest())
		}
	}
	if at > 0 {
		where = append(where, "e.lo >= ?")
		args = append(args, at)
	}
	if len(f.Categories) > 0 {
		where = append(where, "e.category IN ("+placeholders(len(f.Categories))+")")
		for _, c := range f.Categories {
			args = append(args, string(c))
		}
	}
	for _, a := range f.Actors {
		where = append(where, "EXISTS (SELECT 1 FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id AND a.slug = ?)")
		args = append(args, a)
	}
	for _, t := range f.Tags {
		where = append(where, "EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = e.id AND t.tag = ?)")
		args = append(args, t)
	}
	if f.MinSignificance > 0 {
		where = append(where, "e.significance >= ?")
		args = append(args, f.MinSignificance)
	}
	from, order := "events e", "e.lo, e.prec, e.title, e.id"
	if f.Query != "" {
		expr := s.ftsQuery(f.Query)
		if expr == "" {
			return nil, nil
		}
		from = "events e JOIN events_fts f ON f.rowid = e.id"
		where = append(where, "events_fts MATCH ?")
		args = append(args, expr)
		if relevance {
			order = "f.rank, e.id"
		}
	}
	rows, err := s.read.QueryContext(ctx, "SELECT e.slug FROM "+from+" WHERE "+strings.Join(where, " AND ")+" ORDER BY "+order, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			return nil, err
		}
		out = append(out, slug)
	}
	return out, rows.Err()
}

// NaiveYearCounts counts the events f selects per start year and category.
func (s *Store) NaiveYearCounts(ctx context.Context, f Filter) (map[int]map[Category]int, error) {
	slugs, err := s.NaiveList(ctx, f, false, 0)
	if err != nil {
		return nil, err
	}
	out := map[int]map[Category]int{}
	for _, slug := range slugs {
		var y int
		var c Category
		if err := s.read.QueryRowContext(ctx, "SELECT year, category FROM events WHERE slug = ?", slug).Scan(&y, &c); err != nil {
			return nil, err
		}
		if out[y] == nil {
			out[y] = map[Category]int{}
		}
		out[y][c]++
	}
	return out, nil
}

// PruneAlts is pruneAlts, for the external tests.
var PruneAlts = pruneAlts

// SetEachChunk makes EachEvent read n events per query (0: the default).
func (s *Store) SetEachChunk(n int) { s.eachChunk = n }

// SetCommonTerm makes n matches a common search term (the walk strategy
// of ListEvents) until the returned function puts it back.
func SetCommonTerm(n int) (restore func()) {
	old := commonTerm
	commonTerm = n
	return func() { commonTerm = old }
}

// SetFewKeyEvents sets how many events an actor or tag may have and be
// read from its own index rather than through the search index's keys
// (keyIDs), and how many matches words may have to be read without the
// range's date words; 0 sends every one within dates through the keys.
func SetFewKeyEvents(n int) (restore func()) {
	old := fewKeyEvents
	fewKeyEvents = n
	return func() { fewKeyEvents = old }
}

// FacetsCounted is Facets counted from the filtered events, without the
// per-month tables.
func (s *Store) FacetsCounted(ctx context.Context, f Filter) (Facets, error) {
	return s.facetsCounted(ctx, f)
}

// FacetsPacked is Facets from the packs (facet_packs.go); packed reports
// whether they answered: f is a date range with a start and an end that
// reads at most maxPackRows packs, and no pack was stale.
func (s *Store) FacetsPacked(ctx context.Context, f Filter) (_ Facets, packed bool, err error) {
	p, ok := monthPlanOf(f)
	if !ok {
		return Facets{}, false, nil
	}
	q, ok := packPlanOf(p)
	if !ok {
		return Facets{}, false, nil
	}
	return s.facetsByPacks(ctx, f, q)
}

// FacetsTables is Facets of a date range from the per-month count tables
// and the events at its ends, without the packs; ok is false for a filter
// they do not answer.
func (s *Store) FacetsTables(ctx context.Context, f Filter) (_ Facets, ok bool, err error) {
	p, ok := monthPlanOf(f)
	if !ok {
		return Facets{}, false, nil
	}
	fc, err := s.facetsByTables(ctx, f, p)
	return fc, true, err
}

// Packs returns every pack by key.
func (s *Store) Packs(ctx context.Context) (map[int][2]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT key, a, b FROM facet_packs`)
	if err != nil {
		return nil, err
	}
	out := map[int][2]string{}
	err = scanAll(rows, func() error {
		var key int
		var a, b []byte
		if err := rows.Scan(&key, &a, &b); err != nil {
			return err
		}
		out[key] = [2]string{string(a), string(b)}
		return nil
	})
	return out, err
}

// RebuildPacks builds every pack again, in one pass (whole) or, as the
// writes do, month by month from the count tables.
func (s *Store) RebuildPacks(ctx context.Context, whole bool) error {
	if !whole {
		defer func(n int) { wholeRebuildMonths = n }(wholeRebuildMonths)
		wholeRebuildMonths = 1 << 30
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if whole {
			return rebuildPacks(ctx, tx)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO facet_pack_stale (key) SELECT lo FROM facet_events UNION SELECT hi FROM facet_events
			UNION SELECT lo / 100 FROM facet_events UNION SELECT month FROM facet_cross UNION SELECT key FROM facet_packs`)
		return err // the write path rebuilds them before it commits
	})
}

// StalePacks is how many packs are marked stale.
func (s *Store) StalePacks(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM facet_pack_stale`).Scan(&n)
	return n, err
}

// NaiveGroupCounts counts the events f selects per actor (by name, as the
// facets list them) and per tag.
func (s *Store) NaiveGroupCounts(ctx context.Context, f Filter) (actors, tags map[string]int, err error) {
	slugs, err := s.NaiveList(ctx, f, false, 0)
	if err != nil {
		return nil, nil, err
	}
	actors, tags = map[string]int{}, map[string]int{}
	for _, slug := range slugs {
		for q, m := range map[string]map[string]int{
			"SELECT a.slug FROM event_actors ea JOIN actors a ON a.id = ea.actor_id JOIN events e ON e.id = ea.event_id WHERE e.slug = ?": actors,
			"SELECT t.tag FROM event_tags t JOIN events e ON e.id = t.event_id WHERE e.slug = ?":                                          tags,
		} {
			rows, err := s.read.QueryContext(ctx, q, slug)
			if err != nil {
				return nil, nil, err
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return nil, nil, err
				}
				m[v]++
			}
			rows.Close()
		}
	}
	return actors, tags, nil
}
