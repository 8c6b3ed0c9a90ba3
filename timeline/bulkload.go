package timeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// BulkLoad describes a bulk load (Store.BulkLoad): actors first, then
// events made one at a time, so that memory stays flat however many.
type BulkLoad struct {
	// Actors returns the actors the events may name. base is the largest
	// event id already stored (0 in an empty database), to make their slugs
	// unique.
	Actors func(base int64) []Actor
	// Events is how many events to write; Event makes the one with the
	// given id, naming its actors by slug (from Actors). It is called in
	// order of id on a goroutine of its own, while the events made before
	// are written, and never after BulkLoad returns.
	Events int
	Event  func(id int64) Event
	// Progress, when set, is called after each batch with the count so far.
	Progress func(done int)
	// Revisions, when set, records a creation revision (with its snapshot)
	// for each event, as a real chronology has, so that the chronology as
	// of a past moment (Store.Snapshot) can be measured.
	Revisions bool
	// Phase, when set, is called as each phase of the load ends, with its
	// name and how long it took, for measuring the load.
	Phase func(name string, took time.Duration)
}

// BulkLoad appends load's actors and events to the store in large
// transactions, with the indexes and triggers of the event tables set
// aside and rebuilt at the end, the counts the triggers keep gathered as
// the events are made and added in one pass (bulkcounts.go), and the
// search index merged once at the end, bypassing validation (and revisions unless load.Revisions). It is
// for measuring (see timeline/synth), never for the real chronology: the
// store afterwards refuses the shipped dataset.
func (s *Store) BulkLoad(ctx context.Context, load BulkLoad) error {
	if s.readOnly {
		return ErrReadOnly
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	began := time.Now()
	phase := func(name string) {
		if load.Phase != nil {
			now := time.Now()
			load.Phase(name, now.Sub(began))
			began = now
		}
	}
	// A generated database can be made again: trade durability for speed.
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous=OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA synchronous=FULL`)
	// The rows it writes refer only to each other and to the actors it
	// has just written (an unknown actor is an error below), so the
	// foreign keys need no checking; unchecked, each table's rows go out in
	// full statements of their own instead of waiting on the events they
	// refer to.
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys=OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA foreign_keys=ON`)
	// The rows go in at the ends of their tables, which a small page cache
	// holds; the sorts that build the indexes at the end take as much
	// memory again as the cache. Half the usual keeps the whole load
	// under 150 MB.
	var cache int
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size=-16000`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size=%d`, cache))

	var base int64
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&base); err != nil {
		return err
	}
	actorIDs, err := bulkActors(ctx, conn, load.Actors(base))
	if err != nil {
		return err
	}
	// Set the indexes and triggers of the event tables aside while loading:
	// building them once at the end is far cheaper than keeping them
	// current row by row. They come back whatever happens.
	defs, err := dropDerived(ctx, conn)
	if err != nil {
		return err
	}
	restored := false
	defer func() {
		if !restored {
			restoreDerived(context.Background(), conn, defs)
		}
	}()
	now := formatTime(s.now())
	counts := newBulkCounts()
	// The full-text index merges its segments as they come (automerge,
	// and crisismerge when a level has 16), over and over at a million
	// events; set that aside and merge once at the end ('optimize'), which
	// leaves one segment, the best for searching. A larger hash makes a
	// batch's rows one segment rather than one per megabyte. The settings
	// come back whatever happens.
	for _, set := range []struct {
		key       string
		def, load int
	}{{"automerge", 4, 0}, {"crisismerge", 16, 1999}, {"hashsize", 1 << 20, 8 << 20}} { // FTS5's defaults
		v := set.def
		if err := conn.QueryRowContext(ctx, `SELECT v FROM events_fts_config WHERE k = ?`, set.key).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO events_fts (events_fts, rank) VALUES (?, ?)`, set.key, set.load); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `INSERT INTO events_fts (events_fts, rank) VALUES (?, ?)`, set.key, v)
	}
	// The events are made (and their rows, counts and search rows
	// gathered) on a second goroutine while this one writes the ones made
	// before: the two take about as long, and the machine has cores to
	// spare. A few chunks in flight bound the memory.
	chunks, free, stop := make(chan *bulkChunk, 2), make(chan *bulkChunk, 4), make(chan struct{})
	made := make(chan struct{})
	go func() {
		defer close(made)
		bulkMake(load, base, actorIDs, now, counts, chunks, free, stop)
	}()
	// However the load ends, the maker has stopped before BulkLoad returns
	// (the caller's Event is never called after that).
	defer func() {
		close(stop)
		<-made
	}()
	// While the rows go in, a rollback journal in memory instead of the
	// write-ahead log: the batches add pages at the ends of the tables,
	// which a rollback journal need not keep (the log writes every page
	// twice, once to it and once to the database). The log comes back
	// before the search index is merged, which rewrites old pages. When
	// other connections have the database open (SQLITE_BUSY), the log
	// stays.
	var mode string
	conn.QueryRowContext(ctx, `PRAGMA journal_mode=MEMORY`).Scan(&mode)
	wal := func() error {
		if mode != "memory" {
			return nil
		}
		mode = ""
		_, err := conn.ExecContext(context.Background(), `PRAGMA journal_mode=WAL`)
		return err
	}
	defer wal()
	// The batches' statements run without the caller's cancellation, which
	// is checked between batches instead (half a second apart): the
	// driver watches a cancellable statement on a goroutine of its own and
	// has SQLite call back into Go every thousand steps, for each of the
	// million statements of a million events. Each batch is a transaction
	// and leaves one segment of the search index (or one per hash size),
	// which the merge at the end reads again: batches of 20,000 events
	// leave a quarter as many segments as batches of 5,000, and the merge
	// took a sixth less time at a million (4.2 -> 3.6 s), for some 15 MB
	// more of search rows held per batch.
	const batch = 20000
	for done := 0; done < load.Events; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := bulkBatch(context.WithoutCancel(ctx), conn, chunks, free, min(batch, load.Events-done))
		if err != nil {
			return fmt.Errorf("timeline: bulk load: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("timeline: bulk load: the events ran out at %d of %d", done, load.Events)
		}
		done += n
		if load.Progress != nil {
			load.Progress(done)
		}
	}
	<-made // the maker is done with the counts
	// Into an empty database the counts, facet_events, the indexes and the
	// packs are new pages too, and go in before the log comes back; into
	// one that had events they would rewrite old pages, which the journal
	// in memory would keep.
	if base > 0 {
		if err := wal(); err != nil {
			return err
		}
	}
	phase("events")
	// What follows sorts (facet_events, the indexes, the index merge):
	// SQLite's worker threads sort parts of each sort on a second core,
	// each part in a buffer the size of the page cache, which a smaller
	// cache keeps within the memory the load had.
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size=-8000; PRAGMA threads=2`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA threads=0`)
	restored = true
	if err := counts.write(ctx, conn); err != nil {
		restoreDerived(context.Background(), conn, defs)
		return err
	}
	phase("counts")
	if _, err := conn.ExecContext(ctx, insertFacetEvents+` AND e.id > ? ORDER BY e.lo, e.id`, base); err != nil {
		restoreDerived(context.Background(), conn, defs)
		return fmt.Errorf("timeline: bulk load: %w", err)
	}
	phase("facet_events")
	if err := recreateDerived(ctx, conn, defs); err != nil {
		return err
	}
	phase("indexes")
	// The packs read the indexes of facet_events.
	if err := rebuildPacksConn(ctx, conn); err != nil {
		return fmt.Errorf("timeline: bulk load: %w", err)
	}
	phase("packs")
	if err := wal(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO events_fts (events_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("timeline: bulk load: merge the search index: %w", err)
	}
	phase("search index merge")
	if _, err := conn.ExecContext(ctx, bumpSQL); err != nil {
		return err
	}
	// A bulk-loaded database is for measuring, never for the real
	// chronology: commands that open it must not add the shipped dataset.
	if _, err := conn.ExecContext(ctx, `UPDATE meta SET value = 1 WHERE key = 'dataset_loaded'`); err != nil {
		return err
	}
	// Approximate statistics are enough for the planner and take seconds,
	// not minutes, at a million rows.
	if _, err := conn.ExecContext(ctx, `PRAGMA analysis_limit=2000; ANALYZE; PRAGMA analysis_limit=0`); err != nil {
		return err
	}
	if err := dropSamples(ctx, conn); err != nil {
		return err
	}
	phase("analyze")
	return nil
}

// derivedTables are the tables whose indexes and triggers BulkLoad sets aside.
var derivedTables = []any{"events", "event_actors", "event_tags", "sources", "facet_events", "facet_cross", "facet_cross_actor", "facet_cross_tag"}

// dropDerived drops the indexes and triggers of derivedTables and returns
// their definitions, indexes first.
func dropDerived(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (`+placeholders(len(derivedTables))+`) ORDER BY type, name`, derivedTables...)
	if err != nil {
		return nil, err
	}
	var defs, drops []string
	for rows.Next() {
		var typ, name, def string
		if err := rows.Scan(&typ, &name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		defs = append(defs, def)
		drops = append(drops, "DROP "+strings.ToUpper(typ)+` "`+name+`"`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, d := range drops {
		if _, err := conn.ExecContext(ctx, d); err != nil {
			restoreDerived(ctx, conn, defs)
			return nil, err
		}
	}
	return defs, nil
}

// restoreDerived rebuilds the counts the triggers keep, then recreates the
// indexes and triggers from their definitions.
func restoreDerived(ctx context.Context, conn *sql.Conn, defs []string) error {
	for _, q := range []string{
		`DELETE FROM facet_year_category`, `DELETE FROM facet_actor`, `DELETE FROM facet_tag`,
		`INSERT INTO facet_year_category (year, category, n)
			SELECT year, category, COUNT(*) FROM events WHERE deleted_at IS NULL GROUP BY year, category`,
		`INSERT INTO facet_actor (actor_id, n)
			SELECT ea.actor_id, COUNT(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE e.deleted_at IS NULL GROUP BY ea.actor_id`,
		`INSERT INTO facet_tag (tag, n)
			SELECT t.tag, COUNT(*) FROM event_tags t JOIN events e ON e.id = t.event_id WHERE e.deleted_at IS NULL GROUP BY t.tag`,
		`DELETE FROM facet_month`, `DELETE FROM facet_month_actor`, `DELETE FROM facet_year_actor`,
		`DELETE FROM facet_month_tag`, `DELETE FROM facet_year_tag`,
		`DELETE FROM facet_cross`, `DELETE FROM facet_cross_actor`, `DELETE FROM facet_cross_tag`,
		`INSERT INTO facet_month (month, category, significance, n)
			SELECT lo / 100, category, significance, COUNT(*) FROM events WHERE deleted_at IS NULL GROUP BY 1, 2, 3`,
		`INSERT INTO facet_month_actor (month, actor_id, n)
			SELECT e.lo / 100, ea.actor_id, COUNT(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE e.deleted_at IS NULL GROUP BY 1, 2`,
		`INSERT INTO facet_year_actor (year, actor_id, n) SELECT month / 100, actor_id, SUM(n) FROM facet_month_actor GROUP BY 1, 2`,
		`INSERT INTO facet_month_tag (month, tag, n)
			SELECT e.lo / 100, t.tag, COUNT(*) FROM event_tags t JOIN events e ON e.id = t.event_id WHERE e.deleted_at IS NULL GROUP BY 1, 2`,
		`INSERT INTO facet_year_tag (year, tag, n) SELECT month / 100, tag, SUM(n) FROM facet_month_tag GROUP BY 1, 2`,
		`INSERT INTO facet_cross (month, year, category, significance, n)
			SELECT c.month, e.lo / 10000, e.category, e.significance, COUNT(*) FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
			WHERE e.deleted_at IS NULL AND e.hi / 100 > e.lo / 100 GROUP BY 1, 2, 3, 4`,
		`INSERT INTO facet_cross_actor (month, actor_id, n)
			SELECT c.month, ea.actor_id, COUNT(*) FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
			JOIN event_actors ea ON ea.event_id = e.id WHERE e.deleted_at IS NULL AND e.hi / 100 > e.lo / 100 GROUP BY 1, 2`,
		`INSERT INTO facet_cross_tag (month, tag, n)
			SELECT c.month, t.tag, COUNT(*) FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
			JOIN event_tags t ON t.event_id = e.id WHERE e.deleted_at IS NULL AND e.hi / 100 > e.lo / 100 GROUP BY 1, 2`,
		`DELETE FROM facet_events`,
		insertFacetEvents + ` ORDER BY e.lo, e.id`,
		`UPDATE meta SET value = (SELECT COALESCE(MAX(CAST(
			julianday(printf('%04d-%02d-%02d', hi / 10000, hi / 100 % 100, hi % 100)) -
			julianday(printf('%04d-%02d-%02d', lo / 10000, lo / 100 % 100, lo % 100)) AS INTEGER)), 0) FROM events)
		 WHERE key = 'max_span_days'`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("timeline: rebuild counts: %w", err)
		}
	}
	if err := recreateDerived(ctx, conn, defs); err != nil {
		return err
	}
	if err := rebuildPacksConn(ctx, conn); err != nil {
		return fmt.Errorf("timeline: rebuild counts: %w", err)
	}
	return nil
}

// rebuildPacksConn builds every pack (facet_packs.go) in a transaction of
// its own.
func rebuildPacksConn(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := rebuildPacks(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// insertFacetEvents selects the live events into facet_events (see
// migration 0012_facet_events); conditions on e may follow.
const insertFacetEvents = `INSERT INTO facet_events (lo, id, hi, category, significance, actors, tags)
	SELECT e.lo, e.id, e.hi, e.category, e.significance,
		COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = e.id), ''),
		COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = e.id), '')
	FROM events e WHERE e.deleted_at IS NULL`

// recreateDerived creates the indexes and triggers dropDerived dropped.
func recreateDerived(ctx context.Context, conn *sql.Conn, defs []string) error {
	for _, d := range defs {
		if _, err := conn.ExecContext(ctx, d); err != nil {
			return fmt.Errorf("timeline: recreate %q: %w", d[:min(len(d), 60)], err)
		}
	}
	return nil
}

// bulkActors writes actors and returns their ids by slug.
func bulkActors(ctx context.Context, conn *sql.Conn, actors []Actor) (map[string]int64, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids := make(map[string]int64, len(actors))
	for _, a := range actors {
		res, err := tx.ExecContext(ctx, `INSERT INTO actors (slug, name, name_ja, name_ko, kind, country) VALUES (?,?,?,?,?,?)`,
			a.Slug, a.Name, a.NameJA, a.NameKO, a.Kind, a.Country)
		if err != nil {
			return nil, err
		}
		ids[a.Slug], _ = res.LastInsertId()
	}
	return ids, tx.Commit()
}

// bulkInsert gathers rows and writes them many to a statement, which
// saves most of the per-statement cost of the driver.
type bulkInsert struct {
	ctx    context.Context
	tx     *sql.Tx
	prefix string // "INSERT INTO t (a, b) VALUES "
	suffix string // after the rows: " ON CONFLICT …", or ""
	width  int    // columns per row
	rows   int    // rows gathered
	args   []any
	full   *sql.Stmt // the statement for a full batch
}

const bulkRows = 100

func newBulkInsert(ctx context.Context, tx *sql.Tx, prefix string, width int) *bulkInsert {
	return &bulkInsert{ctx: ctx, tx: tx, prefix: prefix, width: width}
}

func (b *bulkInsert) add(args ...any) error {
	b.args = append(b.args, args...)
	b.rows++
	if b.rows == bulkRows {
		return b.flush()
	}
	return nil
}

func (b *bulkInsert) query(rows int) string {
	return bulkQuery(b.prefix, b.suffix, b.width, rows)
}

// bulkQuery is an INSERT of rows rows of width columns each.
func bulkQuery(prefix, suffix string, width, rows int) string {
	row := "(" + placeholders(width) + ")"
	return prefix + strings.TrimSuffix(strings.Repeat(row+",", rows), ",") + suffix
}

func (b *bulkInsert) flush() error {
	if b.rows == 0 {
		return nil
	}
	var err error
	if b.rows == bulkRows {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(b.ctx, b.query(bulkRows)); err != nil {
				return err
			}
		}
		_, err = b.full.ExecContext(b.ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.query(b.rows), b.args...)
	}
	b.args, b.rows = b.args[:0], 0
	return err
}

// bulkChunk is a run of events made ready to write: the arguments of
// their rows, table by table and row after row, and their search rows.
type bulkChunk struct {
	n                                   int // events
	events, actors, tags, sources, revs []any
	docs                                []ftsDoc
	err                                 error
}

// Columns of the rows bulkChunk gathers, per table.
const (
	bulkEventCols  = 24
	bulkActorCols  = 4
	bulkTagCols    = 3
	bulkSourceCols = 8
	bulkRevCols    = 6
)

// bulkChunkEvents is how many events a bulkChunk holds.
const bulkChunkEvents = 500

// bulkMake makes the events of load, base+1 on, into chunks sent to out,
// gathering their counts, until all are made, a chunk fails (its err set,
// the last sent) or done is closed. It closes out. free returns chunks to
// reuse.
func bulkMake(load BulkLoad, base int64, actorIDs map[string]int64, now string, counts *bulkCounts, out chan<- *bulkChunk, free <-chan *bulkChunk, done <-chan struct{}) {
	defer close(out)
	var ids []int64
	var names []string
	for made := 0; made < load.Events; {
		var c *bulkChunk
		select {
		case c = <-free:
			c.events, c.actors, c.tags, c.sources, c.revs, c.docs = c.events[:0], c.actors[:0], c.tags[:0], c.sources[:0], c.revs[:0], c.docs[:0]
		default:
			c = &bulkChunk{}
		}
		c.n = min(bulkChunkEvents, load.Events-made)
		for i := range c.n {
			id := base + int64(made+i) + 1
			e := load.Event(id)
			// Driver values (see rawInsert).
			c.events = append(c.events, id, e.Slug, e.Start.String(), e.End.String(), int64(e.Earliest()), int64(e.Latest()), int64(e.Start.Precision()), int64(e.Earliest().Date().Year),
				int64(e.Qual()), e.Title, e.TitleJA, e.TitleKO, e.Summary, e.SummaryJA, e.SummaryKO, e.Body, string(e.Category), int64(e.Significance), e.Location, e.LocationJA, e.LocationKO, int64(1), now, now)
			ids, names = ids[:0], names[:0]
			for j, a := range e.Actors {
				actorID, ok := actorIDs[a.Slug]
				if !ok {
					c.err = fmt.Errorf("event %q: actor %q: %w", e.Slug, a.Slug, ErrNotFound)
					break
				}
				if slices.Contains(ids, actorID) {
					continue // event_actors keeps an actor once, and so does the search row
				}
				ids = append(ids, actorID)
				c.actors = append(c.actors, id, actorID, int64(j), a.Role)
				names = append(names, a.Name, a.NameJA, a.NameKO)
			}
			for j, t := range e.Tags {
				c.tags = append(c.tags, id, t, int64(j))
			}
			for j, src := range e.Sources {
				c.sources = append(c.sources, id, int64(j), src.Publisher, src.Title, src.URL, src.Date.String(), src.Language, src.Note)
			}
			counts.add(e.Earliest(), e.Latest(), e.Category, e.Significance, ids, e.Tags)
			c.docs = append(c.docs, searchDoc(&e, names, ids))
			if load.Revisions && c.err == nil {
				e.Version = 1
				snap, err := json.Marshal(e)
				if err != nil {
					c.err = err
				}
				c.revs = append(c.revs, id, int64(1), "create", string(snap), "synth", now)
			}
			if c.err != nil {
				break
			}
		}
		select {
		case out <- c:
		case <-done:
			return
		}
		if c.err != nil {
			return
		}
		made += c.n
	}
}

// bulkBatch writes the events of the chunks it takes from in, up to n of
// them, in one transaction, and returns how many it wrote (fewer when in
// runs dry). Each chunk goes back to free once written. It works on the
// driver's connection itself (rawInsert): database/sql's checks and
// conversions of every argument of a million events' statements took a
// tenth of the writing goroutine's time.
func bulkBatch(ctx context.Context, conn *sql.Conn, in <-chan *bulkChunk, free chan<- *bulkChunk, n int) (int, error) {
	wrote := 0
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(rawConn)
		if !ok {
			return fmt.Errorf("the driver's connection (%T) cannot prepare and execute with a context", dc)
		}
		if _, err := c.ExecContext(ctx, `BEGIN IMMEDIATE`, nil); err != nil {
			return err
		}
		committed := false
		defer func() {
			if !committed {
				c.ExecContext(context.Background(), `ROLLBACK`, nil)
			}
		}()
		events := newRawInsert(ctx, c, `INSERT INTO events (id, slug, start, "end", lo, hi, prec, year, qual, title, title_ja, title_ko,
		summary, summary_ja, summary_ko, body, category, significance, location, location_ja, location_ko, version, created_at, updated_at) VALUES `, bulkEventCols)
		eventActors := newRawInsert(ctx, c, `INSERT OR IGNORE INTO event_actors (event_id, actor_id, position, role) VALUES `, bulkActorCols)
		tags := newRawInsert(ctx, c, `INSERT OR IGNORE INTO event_tags (event_id, tag, position) VALUES `, bulkTagCols)
		sources := newRawInsert(ctx, c, `INSERT INTO sources (event_id, position, publisher, title, url, date, language, note) VALUES `, bulkSourceCols)
		revs := newRawInsert(ctx, c, `INSERT INTO revisions (event_id, version, action, snapshot, author, created_at) VALUES `, bulkRevCols)
		inserts := []*rawInsert{events, eventActors, tags, sources, revs}
		defer func() {
			for _, b := range inserts {
				b.close()
			}
		}()
		var docs []ftsDoc
		var firstID int64
		for wrote < n {
			ch, ok := <-in
			if !ok {
				break
			}
			if ch.err != nil {
				return ch.err
			}
			if wrote == 0 {
				firstID = ch.events[0].(int64)
			}
			for _, t := range []struct {
				b    *rawInsert
				args []any
			}{{events, ch.events}, {eventActors, ch.actors}, {tags, ch.tags}, {sources, ch.sources}, {revs, ch.revs}} {
				for i := 0; i < len(t.args); i += t.b.width {
					if err := t.b.add(t.args[i : i+t.b.width]); err != nil {
						return err
					}
				}
			}
			docs = append(docs, ch.docs...)
			wrote += ch.n
			select {
			case free <- ch:
			default:
			}
		}
		for _, b := range inserts {
			if err := b.flush(); err != nil {
				return err
			}
		}
		// The search index last, a row to a statement. FTS5 writes the rows
		// it holds in memory out as a new segment of the index whenever a
		// statement of the transaction opens a savepoint, as every
		// statement of many rows does (and every statement into the index
		// itself, of any number): so the other tables first, and then
		// single rows, which open none, make a segment of the whole batch
		// (or of the index's hash size) instead of one every hundred
		// events, which it would merge over and over.
		stmt, err := c.PrepareContext(ctx, `INSERT INTO events_fts (rowid, title, words, grams, keys) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		exec, ok := stmt.(driver.StmtExecContext)
		if !ok {
			return fmt.Errorf("the driver's statement (%T) cannot execute with a context", stmt)
		}
		args := []driver.NamedValue{{Ordinal: 1}, {Ordinal: 2}, {Ordinal: 3}, {Ordinal: 4}, {Ordinal: 5}}
		for i, doc := range docs {
			args[0].Value, args[1].Value, args[2].Value, args[3].Value, args[4].Value = firstID+int64(i), doc.title, doc.words, doc.grams, doc.keys
			if _, err := exec.ExecContext(ctx, args); err != nil {
				return err
			}
		}
		if _, err := c.ExecContext(ctx, `COMMIT`, nil); err != nil {
			return err
		}
		committed = true
		return nil
	})
	return wrote, err
}

// rawConn is what bulkBatch needs of the driver's connection.
type rawConn interface {
	driver.ExecerContext
	driver.ConnPrepareContext
}

// rawInsert is bulkInsert on the driver's connection: the arguments go
// to the driver as they are, so they must be driver values (int64, not
// int or Day; string, not Category).
type rawInsert struct {
	ctx    context.Context
	conn   rawConn
	prefix string
	width  int
	rows   int
	args   []driver.NamedValue // bulkRows rows, numbered
	full   driver.StmtExecContext
	closer driver.Stmt
}

func newRawInsert(ctx context.Context, conn rawConn, prefix string, width int) *rawInsert {
	args := make([]driver.NamedValue, bulkRows*width)
	for i := range args {
		args[i].Ordinal = i + 1
	}
	return &rawInsert{ctx: ctx, conn: conn, prefix: prefix, width: width, args: args}
}

func (b *rawInsert) add(row []any) error {
	for j, v := range row {
		b.args[b.rows*b.width+j].Value = v
	}
	b.rows++
	if b.rows == bulkRows {
		return b.flush()
	}
	return nil
}

func (b *rawInsert) flush() error {
	if b.rows == 0 {
		return nil
	}
	var err error
	if b.rows == bulkRows {
		if b.full == nil {
			stmt, err := b.conn.PrepareContext(b.ctx, bulkQuery(b.prefix, "", b.width, bulkRows))
			if err != nil {
				return err
			}
			b.closer = stmt
			full, ok := stmt.(driver.StmtExecContext)
			if !ok {
				return fmt.Errorf("the driver's statement (%T) cannot execute with a context", stmt)
			}
			b.full = full
		}
		_, err = b.full.ExecContext(b.ctx, b.args)
	} else {
		_, err = b.conn.ExecContext(b.ctx, bulkQuery(b.prefix, "", b.width, b.rows), b.args[:b.rows*b.width])
	}
	b.rows = 0
	return err
}

func (b *rawInsert) close() {
	if b.closer != nil {
		b.closer.Close()
	}
}
