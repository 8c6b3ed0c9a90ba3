package timeline

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Count of events having one facet value.
type Count struct {
	Value string
	Label string // readable name (actor name, category label)
	// LabelJA and LabelKO are an actor's Japanese and Korean names, where
	// the data has them (empty for categories and tags, which the
	// interface names itself or shows as written).
	LabelJA, LabelKO string
	N                int
}

// YearCount is the number of events per category that start in one year.
type YearCount struct {
	Year       int
	Total      int
	ByCategory map[Category]int
}

// Facets are counts for a filter: per category (ignoring the filter's own
// categories, so every category can be added), and per year (by start
// year), actor and tag within the filter.
type Facets struct {
	Total      int
	Categories []Count
	Years      []YearCount
	Actors     []Count // the most frequent, and any the filter names
	Tags       []Count
}

// FacetLimit is how many actors and tags Facets returns at most (besides
// those the filter names).
const FacetLimit = 40

// ErrTooBroad is what Facets returns for a search whose words match so many
// events that counting them all would take seconds, within a
// *ValidationError keyed "q" (errors.Is finds it).
var ErrTooBroad = errors.New("search too broad to count")

func tooBroad() error {
	return invalid(ErrTooBroad, "q", "matches too many events to count them quickly: narrow the search with more words, dates or a category")
}

// CheckSearch returns ErrTooBroad (in a *ValidationError keyed "q") when
// f's search words match so many events that going through them all would
// take seconds, as Facets does: exports refuse such a search up front.
func (s *Store) CheckSearch(ctx context.Context, f Filter) error {
	if f.Query == "" {
		return nil
	}
	sf, err := s.compile(ctx, f, false)
	if err != nil {
		return err
	}
	if sf.commonText {
		return tooBroad()
	}
	return nil
}

// Facets counts the events f selects. Without a filter the counts come
// from tables the triggers keep; a date range (with categories or a
// significance or not) sums the per-month tables and counts only the
// events at its edges (facets_months.go); a range of up to a few years
// with actors or tags reads its events from facet_events in one pass
// (facets_scan.go), unless the search index names its few events
// (keyIDs); other filters count the filtered events (read with their
// actors and tags). A search matching more
// than 20,000 events gives ErrTooBroad at once rather than count them.
func (s *Store) Facets(ctx context.Context, f Filter) (Facets, error) {
	if p, ok := monthPlanOf(f); ok {
		return s.facetsByMonth(ctx, f, p)
	}
	// Actors or tags within dates that the index answers with a few
	// thousand events (keyIDs): those are counted, not the range.
	if ids, err := s.keyIDs(ctx, f); err != nil {
		return Facets{}, err
	} else if ids != nil {
		return s.facetsCounted(ctx, f)
	}
	if ok, err := s.scannable(ctx, f); err != nil {
		return Facets{}, err
	} else if ok {
		return s.facetsScanned(ctx, f)
	}
	return s.facetsCounted(ctx, f)
}

// facetsCounted is Facets counted from the events f selects (from the
// tables the triggers keep when f is zero).
func (s *Store) facetsCounted(ctx context.Context, f Filter) (Facets, error) {
	var out Facets
	sf, err := s.compile(ctx, f, false)
	if err != nil {
		return out, err
	}
	if sf.commonText {
		return out, tooBroad()
	}
	set, args := sf.withCategories().setGroups()
	all := f.IsZero()
	catN := map[Category]int{}
	add := func(y int, c Category, n int) {
		c = categoryIn(string(c))
		if len(out.Years) == 0 || out.Years[len(out.Years)-1].Year != y {
			out.Years = append(out.Years, YearCount{Year: y, ByCategory: map[Category]int{}})
		}
		yc := &out.Years[len(out.Years)-1]
		yc.ByCategory[c] += n
		yc.Total += n
		out.Total += n
		catN[c] += n
	}
	if all {
		rows, err := readPool{s}.QueryContext(ctx, "SELECT year, category, n FROM facet_year_category WHERE n > 0 ORDER BY year")
		if err != nil {
			return out, fmt.Errorf("timeline: facets: %w", err)
		}
		err = scanAll(rows, func() error {
			var y, n int
			var c Category
			if err := rows.Scan(&y, &c, &n); err != nil {
				return err
			}
			add(y, c, n)
			return nil
		})
		if err != nil {
			return Facets{}, fmt.Errorf("timeline: facets: %w", err)
		}
	} else {
		// The events are read once, with their actors and tags.
		rows, err := readPool{s}.QueryContext(ctx, set, args...)
		if err != nil {
			return out, fmt.Errorf("timeline: facets: %w", err)
		}
		type yc struct {
			y int
			c Category
		}
		counts := map[yc]int{}
		g := newGroupTally()
		err = scanAll(rows, func() error {
			var id int64
			var k yc
			var actors, tags string
			if err := rows.Scan(&id, &k.y, &k.c, &actors, &tags); err != nil {
				return err
			}
			counts[k]++
			g.add(actors, tags, 1)
			return nil
		})
		if err != nil {
			return Facets{}, fmt.Errorf("timeline: facets: %w", err)
		}
		keys := slices.SortedFunc(mapKeys(counts), func(a, b yc) int { return cmp.Or(cmp.Compare(a.y, b.y), cmp.Compare(a.c, b.c)) })
		for _, k := range keys {
			add(k.y, k.c, counts[k])
		}
		if len(f.Categories) == 0 {
			for _, c := range Categories {
				out.Categories = append(out.Categories, Count{Value: string(c), Label: c.Label(), N: catN[c]})
			}
		} else if out.Categories, err = s.otherCategories(ctx, f, sf); err != nil {
			return Facets{}, err
		}
		if out.Actors, out.Tags, err = s.topGroups(ctx, f, g); err != nil {
			return Facets{}, err
		}
		return out, nil
	}
	if len(f.Categories) == 0 {
		for _, c := range Categories {
			out.Categories = append(out.Categories, Count{Value: string(c), Label: c.Label(), N: catN[c]})
		}
	} else if out.Categories, err = s.otherCategories(ctx, f, sf); err != nil {
		return Facets{}, err
	}
	if out.Actors, err = s.facetCounts(ctx, `SELECT a.slug, a.name, a.name_ja, a.name_ko, fa.n FROM facet_actor fa JOIN actors a ON a.id = fa.actor_id WHERE fa.n > 0 ORDER BY fa.n DESC, a.name, a.slug LIMIT ?`,
		nil, f.Actors, namedActor); err != nil {
		return Facets{}, err
	}
	if out.Tags, err = s.facetCounts(ctx, `SELECT tag, tag, '', '', n FROM facet_tag WHERE n > 0 ORDER BY n DESC, tag LIMIT ?`, nil, f.Tags, namedTag); err != nil {
		return Facets{}, err
	}
	return out, nil
}

// otherCategories counts f's events per category with f's own categories
// left out, so that every category can be added to the selection.
func (s *Store) otherCategories(ctx context.Context, f Filter, sf sqlFilter) ([]Count, error) {
	rest := f
	rest.Categories = nil
	q, a := "SELECT category, SUM(n) FROM facet_year_category", []any(nil)
	if !rest.IsZero() {
		w, wa := sf.set()
		q, a = "SELECT category, COUNT(*) FROM ("+w+")", wa
	}
	rows, err := readPool{s}.QueryContext(ctx, q+" GROUP BY 1", a...)
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	catN := map[Category]int{}
	err = scanAll(rows, func() error {
		var c Category
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return err
		}
		catN[c] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	var out []Count
	for _, c := range Categories {
		out = append(out, Count{Value: string(c), Label: c.Label(), N: catN[c]})
	}
	return out, nil
}

// groupTally counts actors (by id, in decimal) and tags from the lists
// facet_events keeps.
type groupTally struct{ actors, tags map[string]int }

func newGroupTally() groupTally {
	return groupTally{actors: map[string]int{}, tags: map[string]int{}}
}

// categoryIn returns the category named by s, a piece of a longer text,
// as the shipped constant when there is one: a category kept from the piece
// itself (a map key in a cached Facets) would keep the whole text alive,
// hundreds of kilobytes at a million events.
func categoryIn(s string) Category {
	for _, c := range Categories {
		if string(c) == s {
			return c
		}
	}
	return Category(strings.Clone(s))
}

// add counts one event's actors and tags (comma-separated), with a sign.
func (g groupTally) add(actors, tags string, sign int) {
	for k := range strings.SplitSeq(actors, ",") {
		if k != "" {
			g.actors[k] += sign
		}
	}
	for k := range strings.SplitSeq(tags, ",") {
		if k != "" {
			g.tags[k] += sign
		}
	}
}

// topGroups names the most frequent actors and tags of a tally (the
// FacetLimit largest, ties by name), and any f names besides.
func (s *Store) topGroups(ctx context.Context, f Filter, g groupTally) (actors, tags []Count, err error) {
	if actors, err = s.topActors(ctx, g.actors); err != nil {
		return nil, nil, err
	}
	for _, k := range topKeys(maps.All(g.tags)) {
		k := strings.Clone(k) // a piece of the counted text (categoryIn)
		tags = append(tags, Count{Value: k, Label: k, N: g.tags[k]})
	}
	tags = tags[:min(len(tags), FacetLimit)]
	if actors, err = s.named(ctx, actors, f.Actors, namedActor); err != nil {
		return nil, nil, err
	}
	if tags, err = s.named(ctx, tags, f.Tags, namedTag); err != nil {
		return nil, nil, err
	}
	return actors, tags, nil
}

// The queries that name a value a filter names (for named): its value,
// label, Japanese and Korean labels.
const (
	namedActor = `SELECT a.slug, a.name, a.name_ja, a.name_ko FROM actors a WHERE a.slug = ?`
	namedTag   = `SELECT ?1, ?1, '', ''`
)

// facetCounts runs a top-N count query (of value, label, Japanese and
// Korean labels, count) and appends the values the filter names that are
// not in the top N.
func (s *Store) facetCounts(ctx context.Context, top string, args []any, selected []string, one string) ([]Count, error) {
	rows, err := readPool{s}.QueryContext(ctx, top, append(slices.Clone(args), FacetLimit)...)
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	var out []Count
	err = scanAll(rows, func() error {
		var c Count
		if err := rows.Scan(&c.Value, &c.Label, &c.LabelJA, &c.LabelKO, &c.N); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	return s.named(ctx, out, selected, one)
}

// named appends to out the values a filter names that it lacks, read with
// the query one (namedActor, namedTag).
func (s *Store) named(ctx context.Context, out []Count, selected []string, one string) ([]Count, error) {
	for _, v := range selected {
		if slices.ContainsFunc(out, func(c Count) bool { return c.Value == v }) {
			continue
		}
		c := Count{Value: v}
		err := readPool{s}.QueryRowContext(ctx, one, v).Scan(&c.Value, &c.Label, &c.LabelJA, &c.LabelKO)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, c) // N is 0 only if nothing matches; it is in the filter
	}
	return out, nil
}

// scanAll calls scan for each row, then closes rows and returns the first
// error: scan's, or the iteration's. A query that times out or is
// interrupted midway ends Next early, and only rows.Err tells that the
// rows seen so far are not all of them; counts made of them must not be
// returned (or cached) as if they were.
func scanAll(rows *sql.Rows, scan func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// Point is the little an event needs to be drawn on a time axis.
type Point struct {
	ID           int64
	Slug         string
	Title        string
	TitleJA      string // the title in Japanese, when the event has one
	TitleKO      string // and in Korean
	Start, End   Date   // EDTF: qualifiers, X digits and open ends as stored
	Category     Category
	Significance int
}

// Points returns up to max events f selects, in chronological order, with
// only what drawing needs, and whether there were more than max.
func (s *Store) Points(ctx context.Context, f Filter, max int) ([]Point, bool, error) {
	sf, err := s.compile(ctx, f, true)
	if err != nil {
		return nil, false, err
	}
	where, args := sf.withCategories().where()
	rows, err := s.read.QueryContext(ctx, `SELECT e.id, e.slug, e.title, e.title_ja, e.title_ko, e.start, e."end", e.category, e.significance
		FROM events e WHERE `+where+` ORDER BY e.lo, e.prec, e.title, e.id LIMIT ?`, append(args, max+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("timeline: points: %w", err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		var start, end string
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.TitleJA, &p.TitleKO, &start, &end, &p.Category, &p.Significance); err != nil {
			return nil, false, err
		}
		p.Start, _ = ParseEDTF(start)
		p.End, _ = ParseEDTF(end)
		out = append(out, p)
	}
	if len(out) > max {
		return out[:max], true, rows.Err()
	}
	return out, false, rows.Err()
}
