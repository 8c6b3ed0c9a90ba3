package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// sqlFilter is a filter turned into SQL conditions on events e, with
// every value a parameter.
type sqlFilter struct {
	conds []string
	args  []any
	// categories are kept apart so that a list can read each category's
	// index in order and merge them (see ListEvents).
	categories []Category
	// commonText: the query's words match more than commonTerm events.
	commonText bool
	// from is the first day of the range (0 for none), and loBound the
	// earliest start an event ending on or after it can have, given the
	// longest span stored: "e.lo >= loBound" makes the range an index range.
	from, loBound Day
}

// where returns the conditions and their arguments.
func (q sqlFilter) where() (string, []any) {
	w, args := q.whereUnbounded()
	if q.loBound > 0 {
		return w + " AND e.lo >= ?", append(slices.Clone(args), q.loBound)
	}
	return w, args
}

// whereUnbounded is where without the lower bound on lo, for a query that
// bounds lo itself.
func (q sqlFilter) whereUnbounded() (string, []any) {
	return strings.Join(q.conds, " AND "), q.args
}

// set selects the id, start year and category of every event q selects,
// for counting. A range's events of at most a year are read from a year
// before its start, the longer ones from their own index, as lists read
// them (chronologicalQuery), rather than all from as far back as the
// longest event reaches.
func (q sqlFilter) set() (string, []any) {
	w, args := q.whereUnbounded()
	const cols = "SELECT e.id, e.year, e.category FROM events e"
	if q.from == 0 {
		return cols + " WHERE " + w, args
	}
	all := append(append(append(slices.Clone(args), q.from-10000), args...), q.loBound)
	return cols + " WHERE " + w + " AND e.lo >= ? AND e.hi - e.lo <= 10000 UNION ALL " +
		cols + " INDEXED BY events_long WHERE " + w + " AND e.lo >= ? AND e.hi - e.lo > 10000", all
}

// setGroups is set with each event's actors' ids and tags from
// facet_events (one probe of its primary key per event, instead of one
// of event_actors and one of event_tags).
func (q sqlFilter) setGroups() (string, []any) {
	w, args := q.whereUnbounded()
	const cols = "SELECT e.id, e.year, e.category, f.actors, f.tags FROM events e"
	const join = " CROSS JOIN facet_events f ON f.lo = e.lo AND f.id = e.id"
	if q.from == 0 {
		return cols + join + " WHERE " + w, args
	}
	all := append(append(append(slices.Clone(args), q.from-10000), args...), q.loBound)
	return cols + join + " WHERE " + w + " AND e.lo >= ? AND e.hi - e.lo <= 10000 UNION ALL " +
		cols + " INDEXED BY events_long" + join + " WHERE " + w + " AND e.lo >= ? AND e.hi - e.lo > 10000", all
}

// withCategories adds the categories back as an IN condition.
func (q sqlFilter) withCategories() sqlFilter {
	if len(q.categories) == 0 {
		return q
	}
	out := sqlFilter{conds: slices.Clone(q.conds), args: slices.Clone(q.args), commonText: q.commonText, from: q.from, loBound: q.loBound}
	out.conds = append(out.conds, "e.category IN ("+placeholders(len(q.categories))+")")
	for _, c := range q.categories {
		out.args = append(out.args, string(c))
	}
	return out
}

// commonTerm is how many matches make a search term common: above it, a
// list walks the chronological index testing each event, instead of
// collecting every match first.
var commonTerm = 20000

// compile turns f into SQL. The date range becomes a range on the order
// index: an event ending on or after day F began no earlier than F minus
// the longest span stored. The text query becomes an FTS5 expression in
// which every term is quoted; a rare query is collected once, a common one
// is tested event by event as the index is walked (with prefixes expanded
// into the words they stand for, which FTS5 can test cheaply) when walk is
// set: a list that stops after a page. Counts read every match, so they
// always collect.
func (s *Store) compile(ctx context.Context, f Filter, walk bool) (sqlFilter, error) {
	q := sqlFilter{conds: []string{"e.deleted_at IS NULL"}}
	if f.Certain {
		// Every reading inside the range: lo and hi within it, which is a
		// range on the order index from the first day on.
		q.conds = append(q.conds, "e.qual = 0")
		if !f.From.IsZero() {
			q.conds = append(q.conds, "e.lo >= ?")
			q.args = append(q.args, f.From.Earliest())
			q.from, q.loBound = f.From.Earliest(), f.From.Earliest()
		}
		if !f.To.IsZero() {
			q.conds = append(q.conds, "e.hi <= ?", "e.lo <= ?")
			q.args = append(q.args, f.To.Latest(), f.To.Latest())
		}
	} else if !f.From.IsZero() {
		var span int
		if err := (readPool{s}).QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'max_span_days'`).Scan(&span); err != nil {
			return q, fmt.Errorf("timeline: filter: %w", err)
		}
		q.conds = append(q.conds, "e.hi >= ?")
		q.args = append(q.args, f.From.Earliest())
		q.from, q.loBound = f.From.Earliest(), f.From.Earliest().AddDays(-span)
	}
	if !f.To.IsZero() && !f.Certain {
		q.conds = append(q.conds, "e.lo <= ?")
		q.args = append(q.args, f.To.Latest())
	}
	q.categories = f.Categories
	if f.MinSignificance > 0 {
		q.conds = append(q.conds, "e.significance >= ?")
		q.args = append(q.args, f.MinSignificance)
	}
	// Actors, tags or words with a date range: the index intersects them
	// with the range's words (search_dates.go), and a few thousand matches
	// are named by id, for all of them.
	if ids, err := s.keyIDs(ctx, f); err != nil {
		return q, err
	} else if ids != nil {
		q.conds = append(q.conds, "e.id IN (SELECT value FROM json_each(?))")
		q.args = append(q.args, ids)
		return q, nil
	}
	// An actor or a tag with a date range: whichever has fewer events
	// leads. An actor or tag in more events than the range holds is tested
	// event by event as the range is read (EXISTS, a primary-key probe),
	// never collected whole first; a rarer one is read from its own index.
	ranged := -1
	if len(f.Actors)+len(f.Tags) > 0 && (!f.From.IsZero() || !f.To.IsZero()) {
		var err error
		if ranged, err = s.rangeSize(ctx, f); err != nil {
			return q, err
		}
	}
	for _, a := range f.Actors {
		probe, err := s.leadsNot(ctx, ranged, `SELECT COALESCE((SELECT fa.n FROM facet_actor fa JOIN actors a ON a.id = fa.actor_id WHERE a.slug = ?), 0)`, a)
		if err != nil {
			return q, err
		}
		if probe {
			q.conds = append(q.conds, "EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.id AND ea.actor_id = (SELECT id FROM actors WHERE slug = ?))")
		} else {
			q.conds = append(q.conds, "e.id IN (SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = (SELECT id FROM actors WHERE slug = ?))")
		}
		q.args = append(q.args, a)
	}
	for _, t := range f.Tags {
		probe, err := s.leadsNot(ctx, ranged, `SELECT COALESCE((SELECT n FROM facet_tag WHERE tag = ?), 0)`, t)
		if err != nil {
			return q, err
		}
		if probe {
			q.conds = append(q.conds, "EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = e.id AND t.tag = ?)")
		} else {
			q.conds = append(q.conds, "e.id IN (SELECT event_id FROM event_tags WHERE tag = ?)")
		}
		q.args = append(q.args, t)
	}
	if f.Query != "" {
		expr := s.ftsQuery(f.Query)
		if expr == "" {
			q.conds = append(q.conds, "0")
			return q, nil
		}
		// With a date range, the index intersects the words with the
		// range's date words: the events matching both are counted.
		if !f.From.IsZero() || !f.To.IsZero() {
			r, err := s.searchRange(ctx, f)
			if err != nil {
				return q, err
			}
			if r != "" {
				expr = "(" + expr + ") AND " + r
			}
		}
		// A few matches are collected once and named by id: every query of
		// the filter (a list's or a count's branches) then reads them
		// without running the search again.
		ids, err := s.matchIDs(ctx, expr, min(maxListedMatches, commonTerm))
		if err != nil {
			return q, err
		}
		if ids != nil {
			q.conds = append(q.conds, "e.id IN (SELECT value FROM json_each(?))")
			q.args = append(q.args, ids)
			return q, nil
		}
		var n int
		err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ?)`, expr, commonTerm+1).Scan(&n)
		if err != nil {
			return q, fmt.Errorf("timeline: search: %w", err)
		}
		q.commonText = n > commonTerm
		if n <= commonTerm || !walk {
			q.conds = append(q.conds, "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
			q.args = append(q.args, expr)
		} else {
			conds, args, err := s.walkConds(ctx, f.Query)
			if err != nil {
				return q, err
			}
			q.conds = append(q.conds, conds...)
			q.args = append(q.args, args...)
		}
	}
	return q, nil
}

// keyIDs returns, as a JSON array, the ids of the events f selects by its
// actors, tags and words within its date range, when the range is narrow
// enough to have date words (searchRange) and the index finds at most a
// few thousand (maxListedMatches; for words, no more than commonTerm);
// nil otherwise. The range's exact conditions are the caller's: the date
// words select a superset.
func (s *Store) keyIDs(ctx context.Context, f Filter) (any, error) {
	if (f.From.IsZero() && f.To.IsZero()) || len(f.Actors)+len(f.Tags) == 0 && f.Query == "" {
		return nil, nil
	}
	var parts []string
	limit := maxListedMatches
	if f.Query != "" {
		expr := s.ftsQuery(f.Query)
		if expr == "" {
			return nil, nil
		}
		parts, limit = append(parts, "("+expr+")"), min(limit, commonTerm)
		// Words alone in a few events need no date words: all of a small
		// chronology's searches, whose hundred date words would cost more
		// than reading every match.
		if len(f.Actors)+len(f.Tags) == 0 {
			if ids, err := s.matchIDs(ctx, expr, min(fewKeyEvents, limit)); err != nil || ids != nil {
				return ids, err
			}
		}
	}
	rarest := -1 // the fewest events of any actor or tag named
	for _, slug := range f.Actors {
		var id int64
		var n int
		err := readPool{s}.QueryRowContext(ctx, `SELECT a.id, COALESCE(fa.n, 0) FROM actors a LEFT JOIN facet_actor fa ON fa.actor_id = a.id WHERE a.slug = ?`, slug).Scan(&id, &n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("timeline: filter: %w", err)
		}
		parts = append(parts, actorKey(id)) // id 0, no actor: no events
		if rarest < 0 || n < rarest {
			rarest = n
		}
	}
	for _, t := range f.Tags {
		var n int
		if err := (readPool{s}).QueryRowContext(ctx, `SELECT COALESCE((SELECT n FROM facet_tag WHERE tag = ?), 0)`, t).Scan(&n); err != nil {
			return nil, fmt.Errorf("timeline: filter: %w", err)
		}
		parts = append(parts, tagKey(t))
		if rarest < 0 || n < rarest {
			rarest = n
		}
	}
	// Without words, an actor or tag in more than maxKeyEvents events is
	// left to the other paths: the index would walk its whole list (100,000
	// events took it 60 ms, the range's scan 24); so is one in at most
	// fewKeyEvents, whose events are read from its own index.
	if f.Query == "" && (rarest > maxKeyEvents || rarest <= fewKeyEvents) {
		return nil, nil
	}
	r, err := s.searchRange(ctx, f)
	if err != nil || r == "" {
		return nil, err
	}
	return s.matchIDs(ctx, strings.Join(append(parts, r), " AND "), limit)
}

// searchRange returns the date words f's range asks a search for
// (rangeExpr), "" for none. A range open on one side or wider than
// maxRangeYears is first cut to the years events start in: an event
// overlapping the range shares with it a day no earlier than its own start
// (so no earlier than the first start) and no later than its start or the
// range's start, whichever is later.
func (s *Store) searchRange(ctx context.Context, f Filter) (string, error) {
	from, to := Date{Open: true}.Earliest(), Date{Open: true}.Latest()
	if !f.From.IsZero() {
		from = f.From.Earliest()
	}
	if !f.To.IsZero() {
		to = f.To.Latest()
	}
	if r := rangeExpr(from, to); r != "" {
		return r, nil
	}
	var first, last int
	err := readPool{s}.QueryRowContext(ctx, `SELECT COALESCE(MIN(year), 0), COALESCE(MAX(year), 0) FROM facet_year_category WHERE n > 0`).Scan(&first, &last)
	if err != nil {
		return "", fmt.Errorf("timeline: filter: %w", err)
	}
	if first == 0 {
		return "", nil
	}
	from = max(from, Date{Year: first}.Earliest())
	to = min(to, max(from, Date{Year: last}.Latest()))
	return rangeExpr(from, to), nil
}

// maxKeyEvents is the most events an actor or tag may have for keyIDs to
// intersect it with a range in the index when there are no words.
const maxKeyEvents = 20000

// fewKeyEvents is how many events an actor, a tag or a search's words may
// have and be read whole, without the range's date words.
var fewKeyEvents = 1000

// maxListedMatches is how many matches a search may have and still be
// collected once and named by id (compile).
var maxListedMatches = 5000

// matchCache keeps the matches of recent searches with the data version
// they were read at: a page compiles its filter twice (for the list and
// for the counts), and the second finds the first's matches; later pages
// searching the same words (within any dates, at a small chronology's
// scale) find them too. It holds at most matchCacheBytes of ids, the
// oldest entries going first.
type matchCache struct {
	mu      sync.Mutex
	entries map[matchKey]matchEntry
	order   []matchKey // oldest first
	bytes   int
}

type matchKey struct {
	expr string
	max  int
}

type matchEntry struct {
	version int64
	ids     any // a JSON array, or nil: too many
}

// matchCacheBytes bounds the ids a matchCache keeps: 5,000 ids (the most
// an entry holds) take about 40 KB, a word of a small chronology a few
// hundred bytes.
const matchCacheBytes = 2 << 20

// size is what an entry counts against matchCacheBytes.
func (e matchEntry) size(k matchKey) int {
	n := len(k.expr) + 64
	if s, ok := e.ids.(string); ok {
		n += len(s)
	}
	return n
}

func (c *matchCache) get(expr string, max int, version int64) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[matchKey{expr, max}]
	if !ok || e.version != version {
		return nil, false
	}
	return e.ids, true
}

func (c *matchCache) put(expr string, max int, e matchEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := matchKey{expr, max}
	if c.entries == nil {
		c.entries = map[matchKey]matchEntry{}
	}
	if old, ok := c.entries[k]; ok {
		// An entry of an older version is replaced where it stands in
		// the order.
		c.bytes -= old.size(k)
	} else {
		c.order = append(c.order, k)
	}
	c.entries[k] = e
	c.bytes += e.size(k)
	for c.bytes > matchCacheBytes && len(c.order) > 1 {
		oldest := c.order[0]
		c.order = c.order[1:]
		c.bytes -= c.entries[oldest].size(oldest)
		delete(c.entries, oldest)
	}
}

// matchIDs returns the rowids matching the FTS5 expression as a JSON array,
// or nil when there are more than max.
func (s *Store) matchIDs(ctx context.Context, expr string, max int) (any, error) {
	// The version is read first: a write after it makes the entry one no
	// later reader asks for.
	version, err := s.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	if ids, ok := s.matches.get(expr, max, version); ok {
		return ids, nil
	}
	ids, err := s.readMatchIDs(ctx, expr, max)
	if err == nil {
		s.matches.put(expr, max, matchEntry{version, ids})
	}
	return ids, err
}

func (s *Store) readMatchIDs(ctx context.Context, expr string, max int) (any, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?`, expr, max+1)
	if err != nil {
		return nil, fmt.Errorf("timeline: search: %w", err)
	}
	b := []byte{'['}
	n := 0
	err = scanAll(rows, func() error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if n++; n > 1 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: search: %w", err)
	}
	if n > max {
		return nil, nil
	}
	return string(append(b, ']')), nil
}

// rangeSize estimates how many events f's date range holds: those starting
// in its months (from the per-month counts; a few hundred rows).
func (s *Store) rangeSize(ctx context.Context, f Filter) (int, error) {
	lo, hi := MinYear*100+1, MaxYear*100+12
	if !f.From.IsZero() {
		lo = int(f.From.Earliest()) / 100
	}
	if !f.To.IsZero() {
		hi = int(f.To.Latest()) / 100
	}
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM facet_month WHERE month BETWEEN ? AND ?`, lo, hi).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("timeline: filter: %w", err)
	}
	return n, nil
}

// leadsNot reports whether the actor or tag whose count q reads is in more
// events than a range of ranged events (-1: no range), so that the range
// should lead.
func (s *Store) leadsNot(ctx context.Context, ranged int, q string, v string) (bool, error) {
	if ranged < 0 {
		return false, nil
	}
	var n int
	if err := s.read.QueryRowContext(ctx, q, v).Scan(&n); err != nil {
		return false, fmt.Errorf("timeline: filter: %w", err)
	}
	return n > ranged, nil
}
