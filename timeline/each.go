package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// eachChunk is how many events EachEvent reads with one query. Events,
// their actors, tags and sources are stored in the order of their ids,
// which has nothing to do with their dates: read in chronological order,
// each event costs a random read of every one of those tables, as many
// page reads as the CLI's correlated subqueries make. A chunk is instead
// read in id order, so that each page is read about once per chunk
// however many of its events the chunk holds, and sorted by SQLite
// (whose sorter spills to a temporary file, so memory stays flat). The
// larger the chunk, the fewer reads (a chunk of 20,000 out of 1,000,000
// events reads most of each child table's pages once, one of 100,000
// reads most of the events' own), and the longer the wait for its first
// row. With a time budget, that wait must stay well within it, on a busy
// machine too: the first chunk is eachChunkFirst events, and each next
// one as many as would take a third of the budget at the pace of the one
// before (nextChunk); one over the budget before its first event is read
// again, half as large (down to eachChunkFirst). (Doubling while a chunk
// took under a sixth of the budget and halving when over a third kept
// the server's chunks at 40,000 events on a busy machine, each reading
// every child table's pages again: 2.3 s more CPU for 1,000,000 events
// than chunks of 100,000.)
const (
	eachChunk      = 100000
	eachChunkFirst = 5000
)

// EachEvent calls fn for every event f selects, whole (actors, tags,
// sources and related events, as ListEvents gives them), in chronological
// order, reading chunks of events so that memory stays flat however many
// there are. It stops at the first error fn returns.
func (s *Store) EachEvent(ctx context.Context, f Filter, fn func(Event) error) error {
	return s.EachEventWith(ctx, f, EachOptions{}, fn)
}

// EachOptions says how EachEventWith reads.
type EachOptions struct {
	// Budget is the time budget of each chunk's query (selecting, reading
	// and sorting its events): one that has not given its first event
	// within it fails with context.DeadlineExceeded. Once it has, the rest
	// of the chunk is read from SQLite's sorter, and fn may take its time.
	// Zero is no budget.
	Budget time.Duration
	// Slim reads only what a row of a spreadsheet shows: no body, version
	// or times, actors by slug alone, sources by URL alone (those without
	// one left out), no related events.
	Slim bool
}

// EachEventWith is EachEvent read as o says.
func (s *Store) EachEventWith(ctx context.Context, f Filter, o EachOptions, fn func(Event) error) error {
	sf, err := s.compile(ctx, f, true)
	if err != nil {
		return err
	}
	chunk, least := eachChunk, eachChunkFirst
	if o.Budget > 0 {
		chunk = eachChunkFirst
	}
	if s.eachChunk > 0 {
		chunk, least = s.eachChunk, s.eachChunk
	}
	var cur cursor
	for first := true; ; first = false {
		n, last, took, err := s.eachChunkOf(ctx, sf, cur, !first, chunk, o, fn)
		for err != nil && chunk > least && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			// Over the budget before its first event, so that none of it
			// went out (a busy machine's pace changes): read it again, half
			// as large.
			chunk = max(chunk/2, least)
			n, last, took, err = s.eachChunkOf(ctx, sf, cur, !first, chunk, o, fn)
		}
		if err != nil {
			return err
		}
		if n < chunk {
			return nil
		}
		cur = last
		if o.Budget > 0 {
			chunk = nextChunk(chunk, least, took, o.Budget)
		}
	}
}

// nextChunk is the size of the chunk after one of n events whose query
// took took to give its first: as many events as take a third of the
// budget at that pace (a chunk's query takes about as long per event at
// any size, a little less in a larger one), at most twice n and at most
// eachChunk (or least, when larger), and at least least.
func nextChunk(n, least int, took, budget time.Duration) int {
	most := max(eachChunk, least)
	want := most
	if took > 0 {
		want = int(float64(n) * float64(budget/3) / float64(took))
	}
	return max(least, min(want, 2*n, most))
}

// pack makes the SQL that writes its columns (NOT NULL text, or an
// integer, written as text) as one string that unpack reads back exactly:
// each its length in bytes, a colon, then itself.
func pack(cols ...string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "octet_length(" + c + ") || ':' || " + c
	}
	return strings.Join(parts, " || ")
}

// eachChildren reads every child of event e that EachEvent needs, each
// table's rows packed into one column ("" for none), each row led by its
// position: the rows are read as the outer query visits the events, in id
// order, and come in the order SQLite finds them, which unpackChildren
// puts right. (An ORDER BY inside group_concat would make SQLite fill and
// empty a temporary b-tree for every list of every event, about a tenth
// of an export's CPU.)
var eachChildren = `,
	ifnull((SELECT group_concat(` + pack("ea.position", "a.slug", "a.name", "a.name_ja", "a.name_ko", "a.kind", "a.country", "ea.role") + `, '')
		FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id), ''),
	ifnull((SELECT group_concat(` + pack("position", "tag") + `, '') FROM event_tags WHERE event_id = e.id), ''),
	ifnull((SELECT group_concat(` + pack("position", "url", "publisher", "title", "date", "language", "note") + `, '')
		FROM sources WHERE event_id = e.id), ''),
	ifnull((SELECT group_concat(` + pack("r.position", "t.slug", "r.relation", "t.title", "t.title_ja", "t.title_ko", "t.start", `t."end"`) + `, '')
		FROM relations r JOIN events t ON t.id = r.target_id WHERE r.event_id = e.id AND t.deleted_at IS NULL), '')`

// slimColumns and slimChildren are what a slim read (EachOptions.Slim)
// reads of an event and of its children.
const slimColumns = `e.id, e.slug, e.start, e."end", e.title, e.title_ja, e.title_ko,
	e.summary, e.summary_ja, e.summary_ko, e.category, e.significance, e.location, e.location_ja, e.location_ko`

var slimChildren = `,
	ifnull((SELECT group_concat(` + pack("ea.position", "a.slug") + `, '')
		FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id), ''),
	ifnull((SELECT group_concat(` + pack("position", "tag") + `, '') FROM event_tags WHERE event_id = e.id), ''),
	ifnull((SELECT group_concat(` + pack("position", "url") + `, '') FROM sources WHERE event_id = e.id AND url <> ''), ''),
	''`

// errBadPack is a packed column that unpack cannot read (never, unless
// SQLite and this file disagree).
var errBadPack = errors.New("timeline: each event: a packed column does not unpack")

// unpack reads len(fields) values from the front of a packed string into
// fields and returns the rest.
func unpack(s string, fields ...*string) (string, error) {
	for _, f := range fields {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			return "", errBadPack
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || i+1+n > len(s) {
			return "", errBadPack
		}
		*f, s = s[i+1:i+1+n], s[i+1+n:]
	}
	return s, nil
}

// eachChunkOf calls fn for up to n events after cur (from the first with
// keyset false), and returns how many it read, the last one's key and how
// long its query took to give the first.
func (s *Store) eachChunkOf(ctx context.Context, sf sqlFilter, cur cursor, keyset bool, n int, o EachOptions,
	fn func(Event) error) (int, cursor, time.Duration, error) {
	keys, args := chronologicalSelect(sf, cur, keyset, n, true, false)
	cols, children := eventColumns, eachChildren
	if o.Slim {
		cols, children = slimColumns, slimChildren
	}
	// NOT INDEXED: the events are looked up by id in id order (the IN
	// list is sorted), never walked through an index in date order.
	q := "SELECT " + cols + ", e.lo, e.prec" + children + `
		FROM events e NOT INDEXED WHERE e.id IN (SELECT id FROM (` + keys + `)) ORDER BY e.lo, e.prec, e.title, e.id`
	budget := o.Budget
	qctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	start := time.Now()
	var timer *time.Timer
	if budget > 0 {
		timer = time.AfterFunc(budget, func() { cancel(context.DeadlineExceeded) })
		defer timer.Stop()
	}
	fail := func(err error) (int, cursor, time.Duration, error) {
		if c := context.Cause(qctx); c != nil && ctx.Err() == nil {
			err = c
		}
		return 0, cursor{}, 0, fmt.Errorf("timeline: each event: %w", err)
	}
	if s.eachHook != nil {
		s.eachHook(qctx, n)
	}
	rows, err := readPool{s}.QueryContext(qctx, q, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	var took time.Duration
	read := 0
	r := newChunkRow(o.Slim)
	for rows.Next() {
		if read == 0 {
			if took = time.Since(start); timer != nil && (!timer.Stop() || took > budget) {
				return fail(context.DeadlineExceeded)
			}
		}
		e, err := r.scan(rows)
		if err != nil {
			return fail(err)
		}
		read++
		if err := fn(e); err != nil {
			return 0, cursor{}, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return read, r.last, took, nil
}

// chunkRow is what eachChunkOf scans a row into: the same variables for
// every row of a chunk, so that a slim row costs only its text (a whole
// one is read by scanEvent, as a page's are).
type chunkRow struct {
	slim                           bool
	id                             int64
	e                              Event
	start, end                     string
	last                           cursor
	actors, tags, sources, related string
	slimDest, tail                 []any
}

func newChunkRow(slim bool) *chunkRow {
	r := &chunkRow{slim: slim}
	r.tail = []any{&r.last.Lo, &r.last.Prec, &r.actors, &r.tags, &r.sources, &r.related}
	if slim {
		// slimColumns, in order.
		e := &r.e
		r.slimDest = append([]any{&r.id, &e.Slug, &r.start, &r.end, &e.Title, &e.TitleJA, &e.TitleKO,
			&e.Summary, &e.SummaryJA, &e.SummaryKO, &e.Category, &e.Significance, &e.Location, &e.LocationJA, &e.LocationKO}, r.tail...)
	}
	return r
}

// scan reads the row rows is at, and its children, into an event.
func (r *chunkRow) scan(rows *sql.Rows) (Event, error) {
	var e Event
	if r.slim {
		r.e = Event{}
		if err := rows.Scan(r.slimDest...); err != nil {
			return Event{}, err
		}
		e = r.e
		e.Start, _ = ParseEDTF(r.start)
		if r.end != "" {
			e.End, _ = ParseEDTF(r.end)
		}
	} else {
		var err error
		r.id, e, err = scanEvent(scanFunc(func(dest ...any) error {
			return rows.Scan(append(dest, r.tail...)...)
		}))
		if err != nil {
			return Event{}, err
		}
	}
	r.last.ID, r.last.Title = r.id, e.Title
	if err := unpackChildren(&e, r.slim, r.actors, r.tags, r.sources, r.related); err != nil {
		return Event{}, err
	}
	return e, nil
}

// unpackChildren fills e's actors, tags, sources and related events from
// their packed columns, as loadChildren would; slim, from slimChildren's
// (actors' slugs, tags, sources' URLs; related is empty). Each list is put
// in the order of its rows' positions.
func unpackChildren(e *Event, slim bool, actors, tags, sources, related string) error {
	actorFields, sourceFields := 8, 7
	if slim {
		actorFields, sourceFields = 2, 2
	}
	e.Actors = make([]EventActor, 0, packedRows(actors, actorFields))
	e.Tags = make([]string, 0, packedRows(tags, 2))
	e.Sources = make([]Source, 0, packedRows(sources, sourceFields))
	e.Related = make([]Relation, 0, packedRows(related, 8))
	var (
		err     error
		posBuf  [8]int
		pos     = posBuf[:0]
		posText string
	)
	next := func(s string, fields ...*string) (string, error) {
		if s, err = unpack(s, &posText); err != nil {
			return "", err
		}
		p, err := strconv.Atoi(posText)
		if err != nil {
			return "", errBadPack
		}
		pos = append(pos, p)
		return unpack(s, fields...)
	}
	for actors != "" {
		var a EventActor
		fields := []*string{&a.Slug, &a.Name, &a.NameJA, &a.NameKO, &a.Kind, &a.Country, &a.Role}
		if slim {
			fields = fields[:1]
		}
		if actors, err = next(actors, fields...); err != nil {
			return err
		}
		e.Actors = append(e.Actors, a)
	}
	byPosition(e.Actors, pos)
	pos = pos[:0]
	for tags != "" {
		var t string
		if tags, err = next(tags, &t); err != nil {
			return err
		}
		e.Tags = append(e.Tags, t)
	}
	byPosition(e.Tags, pos)
	pos = pos[:0]
	for sources != "" {
		var src Source
		var date string
		fields := []*string{&src.URL, &src.Publisher, &src.Title, &date, &src.Language, &src.Note}
		if slim {
			fields = fields[:1]
		}
		if sources, err = next(sources, fields...); err != nil {
			return err
		}
		if date != "" {
			src.Date, _ = ParseDate(date)
		}
		e.Sources = append(e.Sources, src)
	}
	byPosition(e.Sources, pos)
	pos = pos[:0]
	for related != "" {
		var r Relation
		var start, end string
		if related, err = next(related, &r.Slug, &r.Relation, &r.Title, &r.TitleJA, &r.TitleKO, &start, &end); err != nil {
			return err
		}
		r.Start, _ = ParseEDTF(start)
		r.End, _ = ParseEDTF(end)
		e.Related = append(e.Related, r)
	}
	byPosition(e.Related, pos)
	return nil
}

// packedRows counts the rows of a packed column of fields values each
// (its position included), so that each list is made once at its size.
// What does not unpack is left to unpack to report.
func packedRows(s string, fields int) int {
	values := 0
	for s != "" {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || i+1+n > len(s) {
			break
		}
		s = s[i+1+n:]
		values++
	}
	return values / fields
}

// byPosition sorts items by their positions, pos[i] being items[i]'s
// (an insertion sort: the lists are short, and often in order already).
func byPosition[T any](items []T, pos []int) {
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && pos[j] < pos[j-1]; j-- {
			pos[j], pos[j-1] = pos[j-1], pos[j]
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}
