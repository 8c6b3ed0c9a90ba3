package timeline

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Filter selects events. The zero Filter selects every live event.
// Categories combine with OR (an event has one category); actors and tags
// combine with AND (each narrows the list further).
type Filter struct {
	From            Date // events whose dates overlap [From.Earliest, To.Latest]
	To              Date
	Categories      []Category // any of these
	Actors          []string   // actor slugs, all of them
	Tags            []string   // all of these tags
	MinSignificance int        // 0 or 1–3
	Query           string     // words; see SearchTerms
}

// Filter limits.
const (
	MaxFilterValues = 20
	MaxQueryLen     = 200
)

// ParseFilter reads a filter from query parameters: from, to, category
// (repeatable), actor (repeatable), tag (repeatable), sig, q. Every bad
// value is reported at once in a *ValidationError keyed by parameter name.
func ParseFilter(v url.Values) (Filter, error) {
	var f Filter
	p := problems{}
	for _, k := range []string{"from", "to"} {
		s := strings.TrimSpace(v.Get(k))
		if s == "" {
			continue
		}
		d, err := ParseDate(s)
		if err != nil {
			p.add(k, "%v", err)
		}
		if k == "from" {
			f.From = d
		} else {
			f.To = d
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Latest() < f.From.Earliest() {
		p.add("to", "must not be before from (%s)", f.From)
	}
	for _, c := range nonEmpty(v["category"]) {
		if !Category(c).Valid() {
			p.add("category", "%q is not a category: use one of %s", c, strings.Join(categoryNames(), ", "))
		} else if !slices.Contains(f.Categories, Category(c)) {
			f.Categories = append(f.Categories, Category(c))
		}
	}
	for _, a := range nonEmpty(v["actor"]) {
		if !ValidSlug(a) {
			p.add("actor", "%q is not an actor slug: %s", a, slugRule)
		} else if !slices.Contains(f.Actors, a) {
			f.Actors = append(f.Actors, a)
		}
	}
	for _, t := range nonEmpty(v["tag"]) {
		t = strings.ToLower(t)
		if !ValidSlug(t) {
			p.add("tag", "%q is not a tag: %s", t, slugRule)
		} else if !slices.Contains(f.Tags, t) {
			f.Tags = append(f.Tags, t)
		}
	}
	for k, n := range map[string]int{"category": len(f.Categories), "actor": len(f.Actors), "tag": len(f.Tags)} {
		if n > MaxFilterValues {
			p.add(k, "at most %d values", MaxFilterValues)
		}
	}
	if s := strings.TrimSpace(v.Get("sig")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 3 {
			p.add("sig", "must be 1 (minor and up), 2 (notable and up) or 3 (major only)")
		}
		f.MinSignificance = n
	}
	f.Query = strings.TrimSpace(v.Get("q"))
	if len([]rune(f.Query)) > MaxQueryLen {
		p.add("q", "must be at most %d characters", MaxQueryLen)
	}
	return f, p.err()
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Values writes the filter back as query parameters, in a stable order, so
// that a filtered view has one permalink.
func (f Filter) Values() url.Values {
	v := url.Values{}
	if !f.From.IsZero() {
		v.Set("from", f.From.String())
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.String())
	}
	for _, c := range f.Categories {
		v.Add("category", string(c))
	}
	for _, a := range f.Actors {
		v.Add("actor", a)
	}
	for _, t := range f.Tags {
		v.Add("tag", t)
	}
	if f.MinSignificance > 0 {
		v.Set("sig", strconv.Itoa(f.MinSignificance))
	}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	return v
}

// IsZero reports whether the filter selects everything.
func (f Filter) IsZero() bool {
	return f.From.IsZero() && f.To.IsZero() && len(f.Categories) == 0 && len(f.Actors) == 0 &&
		len(f.Tags) == 0 && f.MinSignificance == 0 && f.Query == ""
}

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
func (s *Store) compile(ctx context.Context, f Filter, skipCategories, walk bool) (sqlFilter, error) {
	q := sqlFilter{conds: []string{"e.deleted_at IS NULL"}}
	if !f.From.IsZero() {
		var span int
		if err := (readPool{s}).QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'max_span_days'`).Scan(&span); err != nil {
			return q, fmt.Errorf("timeline: filter: %w", err)
		}
		q.conds = append(q.conds, "e.hi >= ?")
		q.args = append(q.args, f.From.Earliest())
		q.from, q.loBound = f.From.Earliest(), f.From.Earliest().AddDays(-span)
	}
	if !f.To.IsZero() {
		q.conds = append(q.conds, "e.lo <= ?")
		q.args = append(q.args, f.To.Latest())
	}
	if !skipCategories {
		q.categories = f.Categories
	}
	for _, a := range f.Actors {
		q.conds = append(q.conds, "e.id IN (SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = (SELECT id FROM actors WHERE slug = ?))")
		q.args = append(q.args, a)
	}
	for _, t := range f.Tags {
		q.conds = append(q.conds, "e.id IN (SELECT event_id FROM event_tags WHERE tag = ?)")
		q.args = append(q.args, t)
	}
	if f.MinSignificance > 0 {
		q.conds = append(q.conds, "e.significance >= ?")
		q.args = append(q.args, f.MinSignificance)
	}
	if f.Query != "" {
		expr := ftsQuery(f.Query)
		if expr == "" {
			q.conds = append(q.conds, "0")
			return q, nil
		}
		var n int
		err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ?)`, expr, commonTerm+1).Scan(&n)
		if err != nil {
			return q, fmt.Errorf("timeline: search: %w", err)
		}
		q.commonText = n > commonTerm
		if n <= commonTerm || !walk {
			q.conds = append(q.conds, "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
			q.args = append(q.args, expr)
		} else {
			exact, err := s.expandQuery(ctx, f.Query)
			if err != nil {
				return q, err
			}
			q.conds = append(q.conds, "EXISTS (SELECT 1 FROM events_fts WHERE events_fts MATCH ? AND rowid = e.id)")
			q.args = append(q.args, exact)
		}
	}
	return q, nil
}

// Sort orders.
const (
	SortDate      = "date"      // chronological (the default)
	SortRelevance = "relevance" // best text match first; needs a query
)

// PageRequest asks for one page of a list.
type PageRequest struct {
	Cursor string // from Page.Next or Page.Prev; "" for the first page
	Limit  int    // 1–500; 0 means 50
	Sort   string // SortDate or SortRelevance
	// At starts a chronological first page at the first event that begins
	// on or after this day (the "jump to year" of a list); ignored with a
	// cursor.
	At Day
}

// Page is one page of events with cursors to the pages after and before
// it ("" where there is none).
type Page struct {
	Events []Event
	Next   string
	Prev   string
}

// cursor is a position in a list: the sort key of the row it follows (or,
// backwards, precedes).
type cursor struct {
	Back  bool    `json:"b,omitempty"`
	Lo    int64   `json:"l,omitempty"`
	Prec  int64   `json:"p,omitempty"`
	Title string  `json:"t,omitempty"`
	Rank  float64 `json:"r,omitempty"`
	ID    int64   `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrBadCursor is returned for a cursor that this store did not make.
var ErrBadCursor = &ValidationError{Problems: map[string]string{"cursor": "is not a cursor from this chronology: start again from the first page"}}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 1000 || json.Unmarshal(b, &c) != nil || c.ID <= 0 {
		return cursor{}, ErrBadCursor
	}
	return c, nil
}

// ListEvents returns one page of the events f selects, in chronological
// order (earliest day, coarser precision first, title) or by relevance.
// Pages are keyset pages: they never skip or repeat an event.
func (s *Store) ListEvents(ctx context.Context, f Filter, pr PageRequest) (Page, error) {
	return s.listEvents(ctx, f, pr, true)
}

// listEvents is ListEvents; without children it leaves each event's
// actors, tags, sources and related events empty, for lists that show only
// dates and titles.
func (s *Store) listEvents(ctx context.Context, f Filter, pr PageRequest, children bool) (Page, error) {
	limit := pr.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	var cur cursor
	if pr.Cursor != "" {
		var err error
		if cur, err = decodeCursor(pr.Cursor); err != nil {
			return Page{}, err
		}
	}
	relevance := pr.Sort == SortRelevance && ftsQuery(f.Query) != ""
	jump := pr.Cursor == "" && pr.At > 0 && !relevance
	if jump {
		cur = cursor{Lo: int64(pr.At)}
	}
	sf, err := s.compile(ctx, f, false, true)
	if err != nil {
		return Page{}, err
	}
	var q string
	var args []any
	if relevance {
		q, args = relevanceQuery(sf.withCategories(), ftsQuery(f.Query), cur, pr.Cursor != "", limit)
	} else {
		q, args = chronologicalQuery(sf, cur, pr.Cursor != "" || jump, limit)
	}
	rows, err := readPool{s}.QueryContext(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("timeline: list events: %w", err)
	}
	var ids []int64
	var evs []Event
	var keysOf []cursor
	for rows.Next() {
		var c cursor
		id, e, err := scanEvent(scanFunc(func(dest ...any) error {
			return rows.Scan(append(dest, &c.Lo, &c.Prec, &c.Rank)...)
		}))
		if err != nil {
			rows.Close()
			return Page{}, err
		}
		c.ID, c.Title = id, e.Title
		ids, evs, keysOf = append(ids, id), append(evs, e), append(keysOf, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("timeline: list events: %w", err)
	}
	more := len(evs) > limit
	if more {
		ids, evs, keysOf = ids[:limit], evs[:limit], keysOf[:limit]
	}
	if cur.Back {
		slices.Reverse(ids)
		slices.Reverse(evs)
		slices.Reverse(keysOf)
	}
	if children {
		if err := loadChildren(ctx, readPool{s}, ids, evs); err != nil {
			return Page{}, err
		}
	}
	page := Page{Events: evs}
	if len(evs) == 0 {
		return page, nil
	}
	first, last := keysOf[0], keysOf[len(keysOf)-1]
	first.Back, last.Back = true, false
	// Going forward, a further page exists when we fetched one row too many;
	// an earlier one exists when we came from a cursor. Backwards, the reverse.
	if (!cur.Back && more) || cur.Back {
		page.Next = last.encode()
	}
	if (cur.Back && more) || (!cur.Back && (pr.Cursor != "" || jump)) {
		page.Prev = first.encode()
	}
	return page, nil
}

const chronoKeys = "lo, prec, title, id"

// chronologicalQuery selects limit+1 events after (or, backwards, before)
// the cursor in chronological order. With several categories it reads each
// category's index in order and merges them (UNION ALL of ordered,
// limited branches), so that a page costs a few index steps per category
// instead of a sort of every matching event.
func chronologicalQuery(sf sqlFilter, cur cursor, keyset bool, limit int) (string, []any) {
	order := "e.lo, e.prec, e.title, e.id"
	outer := chronoKeys
	if cur.Back {
		order = "e.lo DESC, e.prec DESC, e.title DESC, e.id DESC"
		outer = "lo DESC, prec DESC, title DESC, id DESC"
	}
	branch := func(extra []string, extraArgs []any, index string) (string, []any) {
		where, args := sf.whereUnbounded()
		args = slices.Clone(args)
		for _, x := range extra {
			where += " AND " + x
		}
		args = append(args, extraArgs...)
		if keyset {
			op := ">"
			if cur.Back {
				op = "<"
			}
			where += " AND (e.lo, e.prec, e.title, e.id) " + op + " (?, ?, ?, ?)"
			args = append(args, cur.Lo, cur.Prec, cur.Title, cur.ID)
		}
		from := "events e"
		if index != "" {
			from += " INDEXED BY " + index
		}
		q := "SELECT " + eventColumns + ", e.lo, e.prec, 0.0 FROM " + from + " WHERE " + where + " ORDER BY " + order + " LIMIT ?"
		return q, append(args, limit+1)
	}
	// Each category reads its own index in order. With a start of range,
	// events of at most a year (hi - lo <= 10000 in YYYYMMDD terms, so an
	// event ending on or after F began on or after F - 10000) are read from
	// just before the range, and the fewer longer ones from their own
	// index, back as far as the longest event reaches.
	type part struct {
		conds []string
		args  []any
		index string // an index the branch must use, or ""
	}
	parts := []part{{}}
	if len(sf.categories) > 0 {
		parts = nil
		for _, c := range sf.categories {
			parts = append(parts, part{[]string{"e.category = ?"}, []any{string(c)}, ""})
		}
	}
	if sf.from > 0 {
		var split []part
		for _, p := range parts {
			split = append(split,
				part{append(slices.Clone(p.conds), "e.lo >= ?", "e.hi - e.lo <= 10000"), append(slices.Clone(p.args), sf.from-10000), ""},
				part{append(slices.Clone(p.conds), "e.lo >= ?", "e.hi - e.lo > 10000"), append(slices.Clone(p.args), sf.loBound), "events_long"})
		}
		parts = split
	}
	if len(parts) == 1 {
		return branch(parts[0].conds, parts[0].args, parts[0].index)
	}
	var qs []string
	var args []any
	for _, p := range parts {
		q, a := branch(p.conds, p.args, p.index)
		qs = append(qs, "SELECT * FROM ("+q+")")
		args = append(args, a...)
	}
	return strings.Join(qs, " UNION ALL ") + " ORDER BY " + outer + " LIMIT ?", append(args, limit+1)
}

// relevanceQuery selects limit+1 events by text rank after the cursor.
func relevanceQuery(sf sqlFilter, expr string, cur cursor, keyset bool, limit int) (string, []any) {
	where, args := sf.where()
	args = slices.Clone(args)
	where += " AND events_fts MATCH ?"
	args = append(args, expr)
	order := "f.rank, e.id"
	if keyset {
		op := ">"
		if cur.Back {
			op, order = "<", "f.rank DESC, e.id DESC"
		}
		where += " AND (f.rank, e.id) " + op + " (?, ?)"
		args = append(args, cur.Rank, cur.ID)
	}
	q := "SELECT " + eventColumns + ", e.lo, e.prec, f.rank FROM events_fts f JOIN events e ON e.id = f.rowid WHERE " + where + " ORDER BY " + order + " LIMIT ?"
	return q, append(args, limit+1)
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// Count returns how many events f selects.
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	var n int
	if f.IsZero() {
		err := s.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM facet_year_category`).Scan(&n)
		return n, err
	}
	sf, err := s.compile(ctx, f, false, false)
	if err != nil {
		return 0, err
	}
	where, args := sf.withCategories().where()
	if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM events e WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("timeline: count events: %w", err)
	}
	return n, nil
}

// EachEvent calls fn for every event f selects, in chronological order,
// reading in keyset chunks so that memory stays flat however many there are.
// It stops at the first error fn returns.
func (s *Store) EachEvent(ctx context.Context, f Filter, fn func(Event) error) error {
	pr := PageRequest{Limit: 500}
	for {
		page, err := s.ListEvents(ctx, f, pr)
		if err != nil {
			return err
		}
		for _, e := range page.Events {
			if err := fn(e); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		pr.Cursor = page.Next
	}
}

// Count of events having one facet value.
type Count struct {
	Value string
	Label string // readable name (actor name, category label)
	N     int
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

// ErrTooBroad is returned by Facets for a search whose words match so
// many events that counting them all would take seconds.
var ErrTooBroad = &ValidationError{Problems: map[string]string{"q": "matches too many events to count them quickly: narrow the search with more words, dates or a category"}}

// Facets counts the events f selects. Without a filter the counts come
// from tables the triggers keep; with one, from the filtered events (read
// first, then joined to their actors and tags). A search matching more
// than 20,000 events gives ErrTooBroad at once rather than count them.
func (s *Store) Facets(ctx context.Context, f Filter) (Facets, error) {
	var out Facets
	sf, err := s.compile(ctx, f, false, false)
	if err != nil {
		return out, err
	}
	if sf.commonText {
		return out, ErrTooBroad
	}
	where, args := sf.withCategories().where()
	all := f.IsZero()
	yearQ := "SELECT e.year, e.category, COUNT(*) FROM events e WHERE " + where + " GROUP BY e.year, e.category ORDER BY e.year"
	yearArgs := args
	if all {
		yearQ, yearArgs = "SELECT year, category, n FROM facet_year_category WHERE n > 0 ORDER BY year", nil
	}
	rows, err := s.read.QueryContext(ctx, yearQ, yearArgs...)
	if err != nil {
		return out, fmt.Errorf("timeline: facets: %w", err)
	}
	catN := map[Category]int{}
	for rows.Next() {
		var y, n int
		var c Category
		if err := rows.Scan(&y, &c, &n); err != nil {
			rows.Close()
			return out, err
		}
		if len(out.Years) == 0 || out.Years[len(out.Years)-1].Year != y {
			out.Years = append(out.Years, YearCount{Year: y, ByCategory: map[Category]int{}})
		}
		yc := &out.Years[len(out.Years)-1]
		yc.ByCategory[c] += n
		yc.Total += n
		out.Total += n
		catN[c] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("timeline: facets: %w", err)
	}
	if len(f.Categories) > 0 {
		// Category counts leave out the filter's own categories, so that
		// every category can be added to the selection.
		rest := f
		rest.Categories = nil
		q, a := "SELECT category, SUM(n) FROM facet_year_category", []any(nil)
		if !rest.IsZero() {
			w, wa := sf.where()
			q, a = "SELECT e.category, COUNT(*) FROM events e WHERE "+w, wa
		}
		rows, err := s.read.QueryContext(ctx, q+" GROUP BY 1", a...)
		if err != nil {
			return out, fmt.Errorf("timeline: facets: %w", err)
		}
		catN = map[Category]int{}
		for rows.Next() {
			var c Category
			var n int
			if err := rows.Scan(&c, &n); err != nil {
				rows.Close()
				return out, err
			}
			catN[c] = n
		}
		rows.Close()
	}
	for _, c := range Categories {
		out.Categories = append(out.Categories, Count{Value: string(c), Label: c.Label(), N: catN[c]})
	}
	actorQ := `SELECT a.slug, a.name, COUNT(*) AS n FROM events e CROSS JOIN event_actors ea ON ea.event_id = e.id JOIN actors a ON a.id = ea.actor_id
		 WHERE ` + where + ` GROUP BY ea.actor_id ORDER BY n DESC, a.name LIMIT ?`
	tagQ := `SELECT t.tag, t.tag, COUNT(*) AS n FROM events e CROSS JOIN event_tags t ON t.event_id = e.id
		 WHERE ` + where + ` GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?`
	facetArgs := args
	if all {
		actorQ = `SELECT a.slug, a.name, fa.n FROM facet_actor fa JOIN actors a ON a.id = fa.actor_id WHERE fa.n > 0 ORDER BY fa.n DESC, a.name LIMIT ?`
		tagQ = `SELECT tag, tag, n FROM facet_tag WHERE n > 0 ORDER BY n DESC, tag LIMIT ?`
		facetArgs = nil
	}
	if out.Actors, err = s.facetCounts(ctx, actorQ, facetArgs, f.Actors, `SELECT a.slug, a.name FROM actors a WHERE a.slug = ?`); err != nil {
		return out, err
	}
	out.Tags, err = s.facetCounts(ctx, tagQ, facetArgs, f.Tags, `SELECT ?1, ?1`)
	return out, err
}

// facetCounts runs a top-N count query and appends the values the filter
// names that are not in the top N.
func (s *Store) facetCounts(ctx context.Context, top string, args []any, selected []string, one string) ([]Count, error) {
	rows, err := s.read.QueryContext(ctx, top, append(slices.Clone(args), FacetLimit)...)
	if err != nil {
		return nil, fmt.Errorf("timeline: facets: %w", err)
	}
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Value, &c.Label, &c.N); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	for _, v := range selected {
		if slices.ContainsFunc(out, func(c Count) bool { return c.Value == v }) {
			continue
		}
		c := Count{Value: v}
		err := s.read.QueryRowContext(ctx, one, v).Scan(&c.Value, &c.Label)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, c) // N is 0 only if nothing matches; it is in the filter
	}
	return out, rows.Err()
}

// Point is the little an event needs to be drawn on a time axis.
type Point struct {
	Slug         string
	Title        string
	Start, End   Date
	Approximate  bool
	Category     Category
	Significance int
}

// Points returns up to max events f selects, in chronological order, with
// only what drawing needs, and whether there were more than max.
func (s *Store) Points(ctx context.Context, f Filter, max int) ([]Point, bool, error) {
	sf, err := s.compile(ctx, f, false, true)
	if err != nil {
		return nil, false, err
	}
	where, args := sf.withCategories().where()
	rows, err := s.read.QueryContext(ctx, `SELECT e.slug, e.title, e.start, e."end", e.approximate, e.category, e.significance
		FROM events e WHERE `+where+` ORDER BY e.lo, e.prec, e.title, e.id LIMIT ?`, append(args, max+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("timeline: points: %w", err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		var start, end string
		if err := rows.Scan(&p.Slug, &p.Title, &start, &end, &p.Approximate, &p.Category, &p.Significance); err != nil {
			return nil, false, err
		}
		p.Start, _ = ParseDate(start)
		p.End, _ = ParseDate(end)
		out = append(out, p)
	}
	if len(out) > max {
		return out[:max], true, rows.Err()
	}
	return out, false, rows.Err()
}
