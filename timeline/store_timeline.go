package timeline

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// Bucket is the number of events of one category that start in one month
// or year of a drawn window, with one of its most significant events.
type Bucket struct {
	Start    Day // the bucket's first day; events starting before the window count in its first bucket
	Category Category
	N        int
	Top      Point // one of the bucket's most significant events; Top.ID is 0 when none was read
}

// bucketScanLimit is how many events Buckets reads one by one to find each
// bucket's most significant event; above it, it probes each bucket for a
// major event instead.
const bucketScanLimit = 20000

// maxProbes is how many buckets, the busiest first, are probed for a
// major event in a dense view: more than a drawing has room to label.
const maxProbes = 80

// Buckets counts the events f selects per category and per month
// (byMonth) or year of their start, for drawing a view too dense to draw
// event by event. Events that start before f.From count in the bucket of
// f.From. Each bucket carries one of its most significant events, for
// labelling; call FillPoints for the slugs of those you draw.
//
// Yearly counts of a view filtered only by whole years and categories come
// from the counts the triggers keep (by start year), so the whole span of a
// million events costs a few milliseconds. In a view of more than 20,000
// events the busiest buckets are probed for a major event along the order
// index instead of reading every event.
func (s *Store) Buckets(ctx context.Context, f Filter, byMonth bool) ([]Bucket, error) {
	out, sf, key, first, err := s.bucketCounts(ctx, f, byMonth)
	if err != nil {
		return nil, err
	}
	where, args := sf.withCategories().where()
	total := 0
	for _, b := range out {
		total += b.N
	}
	if total <= bucketScanLimit {
		// SQLite fills the bare columns of a MAX() aggregate from the row
		// that holds the maximum: one of the most significant events.
		return s.bucketRows(ctx, `SELECT `+key+` AS b, e.category, COUNT(*), MAX(e.significance), e.id, e.title, e.lo, e.hi
			FROM events e WHERE `+where+` GROUP BY b, e.category ORDER BY b`, args, true)
	}
	// Probe the busiest buckets, one query each along the order index.
	type span struct {
		lo, hi Day
		n      int
	}
	var spans []span
	for _, b := range out {
		if len(spans) > 0 && spans[len(spans)-1].lo == b.Start {
			spans[len(spans)-1].n += b.N
			continue
		}
		hi := Date{Year: int(b.Start) / 10000}.Latest()
		if byMonth {
			hi = Date{Year: int(b.Start) / 10000, Month: int(b.Start) / 100 % 100}.Latest()
		}
		spans = append(spans, span{b.Start, hi, b.N})
	}
	slices.SortStableFunc(spans, func(a, b span) int { return cmp.Compare(b.n, a.n) })
	spans = spans[:min(len(spans), maxProbes)]
	where, args = sf.withCategories().whereUnbounded()
	for _, sp := range spans {
		lo := sp.lo
		if lo == first && !f.From.IsZero() {
			lo = f.From.Earliest()
		}
		hi := sp.hi
		if !f.To.IsZero() {
			hi = min(hi, f.To.Latest())
		}
		var p Point
		var plo, phi Day
		err := s.read.QueryRowContext(ctx, `SELECT e.id, e.title, e.lo, e.hi, e.category, e.significance FROM events e
			WHERE `+where+` AND e.lo >= ? AND e.lo <= ? AND e.significance = 3 ORDER BY e.lo LIMIT 1`,
			append(slices.Clone(args), lo, hi)...).
			Scan(&p.ID, &p.Title, &plo, &phi, &p.Category, &p.Significance)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("timeline: buckets: %w", err)
		}
		for i := range out {
			if out[i].Start == sp.lo && out[i].Category == p.Category {
				out[i].Top = p
				break
			}
		}
	}
	return out, nil
}

// bucketCounts counts events per bucket and category (see Buckets) and
// returns the compiled filter, the bucket expression and the first bucket
// for the query that finds each bucket's most significant event.
func (s *Store) bucketCounts(ctx context.Context, f Filter, byMonth bool) ([]Bucket, sqlFilter, string, Day, error) {
	sf, err := s.compile(ctx, f, false)
	if err != nil {
		return nil, sf, "", 0, err
	}
	if sf.commonText {
		return nil, sf, "", 0, tooBroad()
	}
	where, args := sf.withCategories().where()
	key := "e.year * 10000 + 101"
	first := Day(0)
	if byMonth {
		key = "e.lo / 100 * 100 + 1"
	}
	if !f.From.IsZero() {
		first = f.From.Earliest()
		if byMonth {
			first = first/100*100 + 1
		} else {
			first = first/10000*10000 + 101
		}
		key = fmt.Sprintf("max(%s, %d)", key, first)
	}
	wholeYears := !byMonth && f.From.Precision() <= PrecisionYear && f.To.Precision() <= PrecisionYear
	var out []Bucket
	if wholeYears && !f.Certain && len(f.Actors) == 0 && len(f.Tags) == 0 && f.MinSignificance == 0 && f.Query == "" {
		q, qa := `SELECT year * 10000 + 101, category, n FROM facet_year_category WHERE n > 0`, []any{}
		if !f.From.IsZero() {
			q += ` AND year >= ?`
			qa = append(qa, f.From.Year)
		}
		if !f.To.IsZero() {
			q += ` AND year <= ?`
			qa = append(qa, f.To.Year)
		}
		if len(f.Categories) > 0 {
			q += ` AND category IN (` + placeholders(len(f.Categories)) + `)`
			for _, c := range f.Categories {
				qa = append(qa, string(c))
			}
		}
		out, err = s.bucketRows(ctx, q+` ORDER BY 1, 2`, qa, false)
	} else {
		out, err = s.bucketRows(ctx, `SELECT `+key+` AS b, e.category, COUNT(*) FROM events e WHERE `+where+` GROUP BY b, e.category ORDER BY b`, args, false)
	}
	return out, sf, key, first, err
}

// YearCounts counts the events f selects per start year and category, as
// Facets does but without the actor and tag counts: for a view filtered
// by categories only it reads the counts the triggers keep.
func (s *Store) YearCounts(ctx context.Context, f Filter) ([]YearCount, error) {
	bs, _, _, _, err := s.bucketCounts(ctx, f, false)
	if err != nil {
		return nil, err
	}
	var out []YearCount
	for _, b := range bs {
		y := int(b.Start) / 10000
		if len(out) == 0 || out[len(out)-1].Year != y {
			out = append(out, YearCount{Year: y, ByCategory: map[Category]int{}})
		}
		out[len(out)-1].ByCategory[b.Category] += b.N
		out[len(out)-1].Total += b.N
	}
	return out, nil
}

func (s *Store) bucketRows(ctx context.Context, q string, args []any, tops bool) ([]Bucket, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("timeline: buckets: %w", err)
	}
	defer rows.Close()
	var out []Bucket
	for rows.Next() {
		var b Bucket
		var lo, hi Day
		dest := []any{&b.Start, &b.Category, &b.N}
		if tops {
			dest = append(dest, &b.Top.Significance, &b.Top.ID, &b.Top.Title, &lo, &hi)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		b.Top.Category = b.Category
		out = append(out, b)
	}
	return out, rows.Err()
}

// FillPoints completes points known only by ID (such as Bucket.Top) with
// their slug, titles in Japanese and Korean and dates, as stored.
func (s *Store) FillPoints(ctx context.Context, ps []*Point) error {
	if len(ps) == 0 {
		return nil
	}
	byID := map[int64][]*Point{}
	args := make([]any, 0, len(ps))
	for _, p := range ps {
		if _, ok := byID[p.ID]; !ok {
			args = append(args, p.ID)
		}
		byID[p.ID] = append(byID[p.ID], p)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, slug, title_ja, title_ko, start, "end" FROM events WHERE id IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return fmt.Errorf("timeline: points: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var slug, titleJA, titleKO, start, end string
		if err := rows.Scan(&id, &slug, &titleJA, &titleKO, &start, &end); err != nil {
			return err
		}
		for _, p := range byID[id] {
			p.Slug, p.TitleJA, p.TitleKO = slug, titleJA, titleKO
			p.Start, _ = ParseEDTF(start)
			p.End, _ = ParseEDTF(end)
		}
	}
	return rows.Err()
}

// PointActors returns, for each event ID, the slugs of its actors in their
// stored order, and those actors (with their names in each language) by
// slug.
func (s *Store) PointActors(ctx context.Context, ids []int64) (map[int64][]string, map[string]Actor, error) {
	out, names := map[int64][]string{}, map[string]Actor{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		ids = ids[n:]
		rows, err := s.read.QueryContext(ctx, `SELECT ea.event_id, a.slug, a.name, a.name_ja, a.name_ko FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
			WHERE ea.event_id IN (`+placeholders(n)+`) ORDER BY ea.event_id, ea.position`, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("timeline: point actors: %w", err)
		}
		for rows.Next() {
			var id int64
			var a Actor
			if err := rows.Scan(&id, &a.Slug, &a.Name, &a.NameJA, &a.NameKO); err != nil {
				rows.Close()
				return nil, nil, err
			}
			out[id] = append(out[id], a.Slug)
			names[a.Slug] = a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return out, names, nil
}
