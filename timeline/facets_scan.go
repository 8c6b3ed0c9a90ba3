package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// scanLimit is the most events starting in a range that facetsScanned reads
// (about four years at a million events); a longer range with actors or
// tags is counted from the events they name (facetsCounted).
const scanLimit = 60000

// scannable reports whether f's counts are read by facetsScanned: a range
// with a start, actors or tags, and no search.
func (s *Store) scannable(ctx context.Context, f Filter) (bool, error) {
	if f.From.IsZero() || f.Query != "" || f.Certain || len(f.Actors)+len(f.Tags) == 0 {
		return false, nil
	}
	n, err := s.rangeSize(ctx, f)
	return n <= scanLimit, err
}

// facetsScanned counts a range with actors or tags from facet_events alone,
// read in start order with the range's conditions tested row by row in
// SQLite (the actors and tags as substrings of their lists): one
// sequential pass over the range's events, however common or rare the
// actors and tags, instead of a probe of event_actors or event_tags per
// event and of facet_events per match. As in set, events of at most about a
// year are read from a year before the range, the longer ones from their
// own index.
func (s *Store) facetsScanned(ctx context.Context, f Filter) (Facets, error) {
	from, to := f.From.Earliest(), Date{Year: MaxYear}.Latest()
	if !f.To.IsZero() {
		to = f.To.Latest()
	}
	var span int
	if err := s.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'max_span_days'`).Scan(&span); err != nil {
		return Facets{}, fmt.Errorf("timeline: facets: %w", err)
	}
	conds := []string{"e.lo <= ?", "e.hi >= ?"}
	args := []any{to, from}
	for _, slug := range f.Actors {
		var id int64
		err := s.read.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, slug).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			conds = append(conds, "0")
			continue
		} else if err != nil {
			return Facets{}, fmt.Errorf("timeline: facets: %w", err)
		}
		conds = append(conds, "instr(',' || e.actors || ',', ?) > 0")
		args = append(args, ","+strconv.FormatInt(id, 10)+",")
	}
	for _, t := range f.Tags {
		conds = append(conds, "instr(',' || e.tags || ',', ?) > 0")
		args = append(args, ","+t+",")
	}
	if f.MinSignificance > 0 {
		conds = append(conds, "e.significance >= ?")
		args = append(args, f.MinSignificance)
	}
	w := strings.Join(conds, " AND ")
	const cols = "SELECT group_concat((e.lo / 10000) || ' ' || e.category || ' ' || e.actors || ' ' || e.tags, char(10)) FROM facet_events e"
	var lines [2]sql.NullString
	for i, q := range []struct {
		sql  string
		args []any
	}{
		{cols + " WHERE " + w + " AND e.lo >= ? AND e.hi - e.lo <= 10000", append(slices.Clone(args), from-10000)},
		{cols + " INDEXED BY facet_events_long WHERE " + w + " AND e.lo >= ? AND e.hi - e.lo > 10000", append(slices.Clone(args), from.AddDays(-span))},
	} {
		if err := s.read.QueryRowContext(ctx, q.sql, q.args...).Scan(&lines[i]); err != nil {
			return Facets{}, fmt.Errorf("timeline: facets: %w", err)
		}
	}
	var out Facets
	years := map[int]map[Category]int{}
	catN := map[Category]int{}
	g := newGroupTally()
	for _, l := range lines {
		for line := range strings.SplitSeq(l.String, "\n") {
			if line == "" {
				continue
			}
			year, rest, ok1 := strings.Cut(line, " ")
			cat, rest, ok2 := strings.Cut(rest, " ")
			actors, tags, ok3 := strings.Cut(rest, " ")
			y, err := strconv.Atoi(year)
			if !ok1 || !ok2 || !ok3 || err != nil {
				return Facets{}, fmt.Errorf("timeline: facets: malformed facet_events line %q", line)
			}
			c := categoryIn(cat)
			catN[c]++
			if len(f.Categories) > 0 && !slices.Contains(f.Categories, c) {
				continue
			}
			if years[y] == nil {
				years[y] = map[Category]int{}
			}
			years[y][c]++
			g.add(actors, tags, 1)
		}
	}
	for _, y := range slices.Sorted(mapKeys(years)) {
		yc := YearCount{Year: y, ByCategory: years[y]}
		for _, n := range years[y] {
			yc.Total += n
		}
		out.Years = append(out.Years, yc)
		out.Total += yc.Total
	}
	for _, c := range Categories {
		out.Categories = append(out.Categories, Count{Value: string(c), Label: c.Label(), N: catN[c]})
	}
	var err error
	if out.Actors, out.Tags, err = s.topGroups(ctx, f, g); err != nil {
		return Facets{}, err
	}
	return out, nil
}
