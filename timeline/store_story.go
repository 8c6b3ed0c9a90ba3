package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// GetEra returns the era with the slug, or ErrNotFound.
func (s *Store) GetEra(ctx context.Context, slug string) (Era, error) {
	var r Era
	var start, end string
	err := s.read.QueryRowContext(ctx, `SELECT `+eraColumns+` FROM eras WHERE slug = ?`, slug).
		Scan(&r.Slug, &r.Name, &r.NameJA, &r.NameKO, &start, &end, &r.Description, &r.DescriptionJA, &r.DescriptionKO)
	if errors.Is(err, sql.ErrNoRows) {
		return Era{}, fmt.Errorf("timeline: era %q: %w", slug, ErrNotFound)
	} else if err != nil {
		return Era{}, fmt.Errorf("timeline: era %q: %w", slug, err)
	}
	r.Start, _ = ParseDate(start)
	r.End, _ = ParseDate(end)
	return r, nil
}

// Filter is the era's date range as a filter.
func (r Era) Filter() Filter { return Filter{From: r.Start, To: r.End} }

// Overlaps reports whether any day of the era falls within [lo, hi].
func (r Era) Overlaps(lo, hi Day) bool {
	return r.Start.Earliest() <= hi && lo <= r.End.Latest()
}

// Step is one screen of a story: an event of a view, whole, with its
// place among the view's events and the events either side of it (zero
// Events at the ends; they come without actors, tags, sources or links).
type Step struct {
	Event Event
	// Index is the 0-based position in the view and Total the number of
	// events in it; both are -1 for a search too broad to count quickly
	// (see ErrTooBroad).
	Index, Total int
	Prev, Next   Event
}

// StoryStep returns the step of the view f at the event slug, or at the
// view's first event when slug is "". It returns ErrNotFound when there is
// no such live event, when f does not select it, or when the view is empty.
func (s *Store) StoryStep(ctx context.Context, f Filter, slug string) (Step, error) {
	if slug == "" {
		p, err := s.listEvents(ctx, f, PageRequest{Limit: 1}, false)
		if err != nil {
			return Step{}, err
		}
		if len(p.Events) == 0 {
			return Step{}, fmt.Errorf("timeline: story: empty view: %w", ErrNotFound)
		}
		slug = p.Events[0].Slug
	}
	e, err := s.GetEvent(ctx, slug)
	if err != nil {
		return Step{}, err
	}
	var id int64
	if err := s.read.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, slug).Scan(&id); err != nil {
		return Step{}, fmt.Errorf("timeline: story step %q: %w", slug, err)
	}
	// Walking, a common search word is tested on this one event rather
	// than collected over the whole table.
	sf, err := s.compile(ctx, f, true)
	if err != nil {
		return Step{}, err
	}
	where, args := sf.withCategories().where()
	var in int
	if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM events e WHERE "+where+" AND e.id = ?", append(args, id)...).Scan(&in); err != nil {
		return Step{}, fmt.Errorf("timeline: story step %q: %w", slug, err)
	}
	if in == 0 {
		return Step{}, fmt.Errorf("timeline: event %q is not in this view: %w", slug, ErrNotFound)
	}
	st := Step{Event: e, Index: -1, Total: -1}
	if !sf.commonText {
		if st.Index, err = s.position(ctx, f, sf, e, id); err != nil {
			return Step{}, err
		}
		if st.Total, err = s.Count(ctx, f); err != nil {
			return Step{}, err
		}
	}
	c := cursor{Lo: int64(e.Earliest()), Prec: int64(e.Start.Precision()), Title: e.Title, ID: id}
	next, err := s.listEvents(ctx, f, PageRequest{Cursor: c.encode(), Limit: 1}, false)
	if err != nil {
		return Step{}, err
	}
	c.Back = true
	prev, err := s.listEvents(ctx, f, PageRequest{Cursor: c.encode(), Limit: 1}, false)
	if err != nil {
		return Step{}, err
	}
	if len(next.Events) > 0 {
		st.Next = next.Events[0]
	}
	if len(prev.Events) > 0 {
		st.Prev = prev.Events[0]
	}
	return st, nil
}

// position counts the events of the view f (compiled as sf) before e
// (row id) in the list's order: earliest day, coarser precision first,
// title, id. Unfiltered, the years before e's come from the year counts
// the triggers keep, so only e's own year is counted row by row.
func (s *Store) position(ctx context.Context, f Filter, sf sqlFilter, e Event, id int64) (int, error) {
	key := []any{e.Earliest(), int(e.Start.Precision()), e.Title, id}
	var n int
	if f.IsZero() {
		y := e.Start.Year
		err := s.read.QueryRowContext(ctx, `SELECT
			(SELECT COALESCE(SUM(n), 0) FROM facet_year_category WHERE year < ?) +
			(SELECT COUNT(*) FROM events e WHERE e.deleted_at IS NULL AND e.lo >= ? AND (e.lo, e.prec, e.title, e.id) < (?, ?, ?, ?))`,
			append([]any{y, Day(y*10000 + 101)}, key...)...).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("timeline: story position: %w", err)
		}
		return n, nil
	}
	where, args := sf.withCategories().where()
	if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM events e WHERE "+where+" AND (e.lo, e.prec, e.title, e.id) < (?, ?, ?, ?)",
		append(slices.Clone(args), key...)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("timeline: story position: %w", err)
	}
	return n, nil
}

// Thread returns the chain of typed links through the live event slug:
// the events it links to, and those they link to, up to depth links back,
// and the events that link to it, up to depth links forward, with the
// event itself, in chronological order; at most max of them, nearest
// links first when there are more. The events come without their actors,
// tags, sources and links. It returns ErrNotFound when there is no such
// live event.
func (s *Store) Thread(ctx context.Context, slug string, depth, max int) ([]Event, error) {
	const q = `WITH RECURSIVE
		start(id) AS (SELECT id FROM events WHERE slug = ? AND deleted_at IS NULL),
		back(id, d) AS (SELECT id, 0 FROM start
			UNION SELECT r.target_id, b.d + 1 FROM relations r JOIN back b ON r.event_id = b.id WHERE b.d < ?),
		fwd(id, d) AS (SELECT id, 0 FROM start
			UNION SELECT r.event_id, f.d + 1 FROM relations r JOIN fwd f ON r.target_id = f.id WHERE f.d < ?),
		near(id, d) AS (SELECT id, MIN(d) FROM (SELECT id, d FROM back UNION ALL SELECT id, d FROM fwd) GROUP BY id),
		picked(id) AS (SELECT n.id FROM near n JOIN events e ON e.id = n.id WHERE e.deleted_at IS NULL
			ORDER BY n.d, e.lo, e.id LIMIT ?)
		SELECT ` + eventColumns + ` FROM events e WHERE e.id IN (SELECT id FROM picked)
		ORDER BY e.lo, e.prec, e.title, e.id`
	rows, err := s.read.QueryContext(ctx, q, slug, depth, depth, max)
	if err != nil {
		return nil, fmt.Errorf("timeline: thread %q: %w", slug, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		_, e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("timeline: thread %q: %w", slug, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("timeline: thread %q: %w", slug, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("timeline: event %q: %w", slug, ErrNotFound)
	}
	return out, nil
}
