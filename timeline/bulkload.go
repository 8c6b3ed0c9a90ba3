package timeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// BulkLoad describes a bulk load (Store.BulkLoad): actors first, then
// events made one at a time, so that memory stays flat however many.
type BulkLoad struct {
	// Actors returns the actors the events may name. base is the largest
	// event id already stored (0 in an empty database), to make their slugs
	// unique.
	Actors func(base int64) []Actor
	// Events is how many events to write; Event makes the one with the
	// given id, naming its actors by slug (from Actors).
	Events int
	Event  func(id int64) Event
	// Progress, when set, is called after each batch with the count so far.
	Progress func(done int)
	// Revisions, when set, records a creation revision (with its snapshot)
	// for each event, as a real chronology has, so that the chronology as
	// of a past moment (Store.Snapshot) can be measured.
	Revisions bool
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
	// The full-text index merges its segments as they come (automerge),
	// over and over at a million events; set it aside and merge once at
	// the end ('optimize'), which leaves one segment, the best for
	// searching. The setting comes back whatever happens.
	automerge := 4 // FTS5's default
	if err := conn.QueryRowContext(ctx, `SELECT v FROM events_fts_config WHERE k = 'automerge'`).Scan(&automerge); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 0)`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', ?)`, automerge)
	const batch = 20000
	for done := 0; done < load.Events; done += batch {
		n := min(batch, load.Events-done)
		if err := bulkBatch(ctx, conn, load.Event, base+int64(done), n, actorIDs, now, load.Revisions, counts); err != nil {
			return fmt.Errorf("timeline: bulk load: %w", err)
		}
		if load.Progress != nil {
			load.Progress(done + n)
		}
	}
	restored = true
	if _, err := conn.ExecContext(ctx, `INSERT INTO events_fts (events_fts) VALUES ('optimize')`); err != nil {
		restoreDerived(context.Background(), conn, defs)
		return fmt.Errorf("timeline: bulk load: merge the search index: %w", err)
	}
	if err := counts.write(ctx, conn); err != nil {
		restoreDerived(context.Background(), conn, defs)
		return err
	}
	if _, err := conn.ExecContext(ctx, insertFacetEvents+` AND e.id > ? ORDER BY e.lo, e.id`, base); err != nil {
		restoreDerived(context.Background(), conn, defs)
		return fmt.Errorf("timeline: bulk load: %w", err)
	}
	if err := recreateDerived(ctx, conn, defs); err != nil {
		return err
	}
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
	return dropFTSSamples(ctx, conn)
}

// derivedTables are the tables whose indexes and triggers BulkLoad sets aside.
var derivedTables = []any{"events", "event_actors", "event_tags", "sources", "facet_events"}

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
	return recreateDerived(ctx, conn, defs)
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
	row := "(" + placeholders(b.width) + ")"
	return b.prefix + strings.TrimSuffix(strings.Repeat(row+",", rows), ",") + b.suffix
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

// bulkBatch writes events offset+1 … offset+n in one transaction.
func bulkBatch(ctx context.Context, conn *sql.Conn, event func(int64) Event, offset int64, n int, actorIDs map[string]int64, now string, revisions bool, counts *bulkCounts) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	events := newBulkInsert(ctx, tx, `INSERT INTO events (id, slug, start, "end", lo, hi, prec, year, qual, title, title_ja, title_ko,
		summary, summary_ja, summary_ko, body, category, significance, location, version, created_at, updated_at) VALUES `, 22)
	eventActors := newBulkInsert(ctx, tx, `INSERT OR IGNORE INTO event_actors (event_id, actor_id, position, role) VALUES `, 4)
	tags := newBulkInsert(ctx, tx, `INSERT OR IGNORE INTO event_tags (event_id, tag, position) VALUES `, 3)
	sources := newBulkInsert(ctx, tx, `INSERT INTO sources (event_id, position, publisher, title, url, date, language, note) VALUES `, 8)
	revs := newBulkInsert(ctx, tx, `INSERT INTO revisions (event_id, version, action, snapshot, author, created_at) VALUES `, 6)
	var ids []int64
	docs := make([]ftsDoc, 0, n)
	for i := range int64(n) {
		id := offset + i + 1
		e := event(id)
		if err := events.add(id, e.Slug, e.Start.String(), e.End.String(), e.Earliest(), e.Latest(), e.Start.Precision(), e.Earliest().Date().Year,
			e.Qual(), e.Title, e.TitleJA, e.TitleKO, e.Summary, e.SummaryJA, e.SummaryKO, e.Body, string(e.Category), e.Significance, e.Location, 1, now, now); err != nil {
			return err
		}
		var names []string
		ids = ids[:0]
		for j, a := range e.Actors {
			actorID, ok := actorIDs[a.Slug]
			if !ok {
				return fmt.Errorf("event %q: actor %q: %w", e.Slug, a.Slug, ErrNotFound)
			}
			if slices.Contains(ids, actorID) {
				continue // event_actors keeps an actor once, and so does the search row
			}
			ids = append(ids, actorID)
			if err := eventActors.add(id, actorID, j, a.Role); err != nil {
				return err
			}
			names = append(names, a.Name, a.NameJA, a.NameKO)
		}
		for j, t := range e.Tags {
			if err := tags.add(id, t, j); err != nil {
				return err
			}
		}
		for j, src := range e.Sources {
			if err := sources.add(id, j, src.Publisher, src.Title, src.URL, src.Date.String(), src.Language, src.Note); err != nil {
				return err
			}
		}
		counts.add(e.Earliest(), e.Latest(), e.Category, e.Significance, ids, e.Tags)
		doc := searchDoc(&e, names)
		docs = append(docs, doc)
		if revisions {
			e.Version = 1
			snap, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if err := revs.add(id, 1, "create", string(snap), "synth", now); err != nil {
				return err
			}
		}
	}
	for _, b := range []*bulkInsert{events, eventActors, tags, sources, revs} {
		if err := b.flush(); err != nil {
			return err
		}
	}
	// The search index last, a row to a statement. FTS5 writes the rows it
	// holds in memory out as a new segment of the index whenever a
	// statement of the transaction opens a savepoint, as every statement
	// of many rows does (and every statement into the index itself, of any
	// number): so the other tables first, and then single rows, which open
	// none, make a segment of the whole batch (or of the index's hash size)
	// instead of one every hundred events, which it would merge over and
	// over.
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events_fts (rowid, title, words, grams) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, doc := range docs {
		if _, err := stmt.ExecContext(ctx, offset+int64(i)+1, doc.title, doc.words, doc.grams); err != nil {
			return err
		}
	}
	return tx.Commit()
}
