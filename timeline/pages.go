package timeline

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

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
	// Cards fills only what a list's cards show of each event: its actors
	// and sources, not its tags or related events (left empty).
	Cards bool
	// Bare, if set, names the events the caller needs no actors, tags,
	// sources or relations of (a card it keeps already): they are left
	// without them, unread.
	Bare func(Event) bool
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

// ErrBadCursor is what a list returns for a cursor that this store did not
// make, within a *ValidationError keyed "cursor" (errors.Is finds it).
var ErrBadCursor = errors.New("bad cursor")

func badCursor() error {
	return invalid(ErrBadCursor, "cursor", "is not a cursor from this chronology: start again from the first page")
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 1000 || json.Unmarshal(b, &c) != nil || c.ID <= 0 {
		return cursor{}, badCursor()
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
	relevance := pr.Sort == SortRelevance && s.ftsQuery(f.Query) != ""
	jump := pr.Cursor == "" && pr.At > 0 && !relevance
	if jump {
		cur = cursor{Lo: int64(pr.At)}
	}
	sf, err := s.compile(ctx, f, true)
	if err != nil {
		return Page{}, err
	}
	var q string
	var args []any
	if relevance {
		q, args = relevanceQuery(sf.withCategories(), s.ftsQuery(f.Query), cur, pr.Cursor != "", limit)
	} else {
		q, args = chronologicalQuery(sf, cur, pr.Cursor != "" || jump, limit, f.Query == "")
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
		if err := loadChildrenExcept(ctx, readPool{s}, ids, evs, pr.Cards, pr.Bare); err != nil {
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
func chronologicalQuery(sf sqlFilter, cur cursor, keyset bool, limit int, tiers bool) (string, []any) {
	return chronologicalSelect(sf, cur, keyset, limit+1, false, tiers)
}

// chronologicalSelect selects n events after (or, backwards, before) the
// cursor in chronological order: their listed columns, or with keysOnly
// only their keys (id, lo, prec, title), in that order. With tiers (a
// filter without a search) a range without categories reads its events of
// at most a year in two tiers (below).
func chronologicalSelect(sf sqlFilter, cur cursor, keyset bool, n int, keysOnly, tiers bool) (string, []any) {
	const keyCols = "e.id, e.lo, e.prec, e.title"
	order := "e.lo, e.prec, e.title, e.id"
	outer := chronoKeys
	if cur.Back {
		order = "e.lo DESC, e.prec DESC, e.title DESC, e.id DESC"
		outer = "lo DESC, prec DESC, title DESC, id DESC"
	}
	branch := func(cols string, extra []string, extraArgs []any, index string) (string, []any) {
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
		q := "SELECT " + cols + " FROM " + from + " WHERE " + where + " ORDER BY " + order + " LIMIT ?"
		return q, append(args, n)
	}
	// Each category reads its own index in order. With a start of range,
	// events of at most a year (hi - lo <= 10000 in YYYYMMDD terms, so an
	// event ending on or after F began on or after F - 10000) are read from
	// just before the range, and the fewer longer ones from their own
	// index, back as far as the longest event reaches. With tiers and
	// without categories, those of at most a year are read in two: the shortest (hi - lo <= 100,
	// begun on or after F - 100, about a month before F) from the whole
	// index, the others from their own (events_mid), so that a range reads
	// a month of every event and a year of a sixth of them before its
	// start, not a year of every event.
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
	if sf.from > 0 && tiers && len(sf.categories) == 0 {
		parts = []part{
			{[]string{"e.lo >= ?", "e.hi - e.lo <= 100"}, []any{sf.from - 100}, ""},
			{[]string{"e.lo >= ?", "e.hi - e.lo > 100", "e.hi - e.lo <= 10000"}, []any{sf.from - 10000}, "events_mid"},
			{[]string{"e.lo >= ?", "e.hi - e.lo > 10000"}, []any{sf.loBound}, "events_long"},
		}
	} else if sf.from > 0 {
		var split []part
		for _, p := range parts {
			split = append(split,
				part{append(slices.Clone(p.conds), "e.lo >= ?", "e.hi - e.lo <= 10000"), append(slices.Clone(p.args), sf.from-10000), ""},
				part{append(slices.Clone(p.conds), "e.lo >= ?", "e.hi - e.lo > 10000"), append(slices.Clone(p.args), sf.loBound), "events_long"})
		}
		parts = split
	}
	cols := eventColumns + ", e.lo, e.prec, 0.0"
	if keysOnly {
		cols = keyCols
	}
	if len(parts) == 1 {
		return branch(cols, parts[0].conds, parts[0].args, parts[0].index)
	}
	// The branches read only their (covering) indexes; the page's rows are
	// read from the table once the merge has chosen them.
	var qs []string
	var args []any
	for _, p := range parts {
		q, a := branch(keyCols, p.conds, p.args, p.index)
		qs = append(qs, "SELECT * FROM ("+q+")")
		args = append(args, a...)
	}
	keys := strings.Join(qs, " UNION ALL ") + " ORDER BY " + outer + " LIMIT ?"
	if keysOnly {
		return keys, append(args, n)
	}
	return "SELECT " + cols + " FROM (" + keys + ") k JOIN events e ON e.id = k.id ORDER BY " + "k." + strings.ReplaceAll(outer, ", ", ", k."), append(args, n)
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
	// One actor or one tag alone: the count the triggers keep (an event
	// page asks this for each of its actors).
	alone := f
	alone.Actors, alone.Tags = nil, nil
	if alone.IsZero() && len(f.Actors)+len(f.Tags) == 1 {
		q := `SELECT COALESCE((SELECT fa.n FROM facet_actor fa JOIN actors a ON a.id = fa.actor_id WHERE a.slug = ?), 0)`
		v := append(slices.Clone(f.Actors), f.Tags...)[0]
		if len(f.Tags) == 1 {
			q = `SELECT COALESCE((SELECT n FROM facet_tag WHERE tag = ?), 0)`
		}
		if err := s.read.QueryRowContext(ctx, q, v).Scan(&n); err != nil {
			return 0, fmt.Errorf("timeline: count events: %w", err)
		}
		return n, nil
	}
	sf, err := s.compile(ctx, f, false)
	if err != nil {
		return 0, err
	}
	where, args := sf.withCategories().where()
	if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM events e WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("timeline: count events: %w", err)
	}
	return n, nil
}

// loadChildrenExcept is loadChildrenOf for the events bare does not name
// (all of them without bare).
func loadChildrenExcept(ctx context.Context, db querier, ids []int64, evs []Event, cardsOnly bool, bare func(Event) bool) error {
	if bare == nil {
		return loadChildrenOf(ctx, db, ids, evs, cardsOnly)
	}
	var need []int
	for i := range evs {
		if !bare(evs[i]) {
			need = append(need, i)
		}
	}
	if len(need) == len(evs) {
		return loadChildrenOf(ctx, db, ids, evs, cardsOnly)
	}
	someIDs, some := make([]int64, len(need)), make([]Event, len(need))
	for k, i := range need {
		someIDs[k], some[k] = ids[i], evs[i]
	}
	if err := loadChildrenOf(ctx, db, someIDs, some, cardsOnly); err != nil {
		return err
	}
	for k, i := range need {
		evs[i] = some[k]
	}
	return nil
}
