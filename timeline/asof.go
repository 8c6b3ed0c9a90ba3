package timeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The chronology as it stood at a moment (as_of): every write is a
// revision holding a full snapshot of its event, so the state at t is, for
// each event, the snapshot of its latest revision at or before t, unless
// that revision deleted it. Events created after t are not in it; events
// deleted since are, as they were. Actors and eras are not versioned: a
// past chronology names them as they are now.

// AsOfForms names the forms ParseAsOf accepts, for messages.
const AsOfForms = "YYYY-MM-DD (the end of that day, UTC), YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS or RFC 3339 in UTC (…Z)"

// ErrAsOf stands for an as_of that is well formed but outside the
// chronology's recorded history (errors.Is).
var ErrAsOf = errors.New("as_of outside the recorded history")

// ParseAsOf reads an as_of parameter: a day (meaning the end of that day,
// UTC, so that the day's changes are in it), or a time of day in UTC, with
// or without seconds, fraction and a trailing Z. A zone other than UTC is
// refused, so that a cited moment is written one way. The problem is keyed
// "as_of".
func ParseAsOf(s string) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, invalid(nil, "as_of", fmt.Sprintf("%q is not a date or time: use %s", clip(s, 40), AsOfForms))
	}
	if s == "" || len(s) > 40 {
		return bad()
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Add(24*time.Hour - time.Microsecond), nil
	}
	v := strings.TrimSuffix(s, "Z")
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		if _, off := t.Zone(); off != 0 {
			return time.Time{}, invalid(nil, "as_of", fmt.Sprintf("%q is not in UTC: write the time in UTC with Z (%s)", clip(s, 40), FormatAsOf(t)))
		}
		return t.UTC(), nil
	}
	return bad()
}

// FormatAsOf writes t as an as_of parameter: the day alone for the end
// of a day (as ParseAsOf reads a day), else to the second when it has no
// fraction ("2026-11-29T06:10:00Z"), to the microsecond otherwise.
func FormatAsOf(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if end := t.Add(time.Microsecond); end.Hour() == 0 && end.Minute() == 0 && end.Second() == 0 && end.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.999999Z")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// AsOf describes the chronology at a moment.
type AsOf struct {
	At time.Time // the moment asked for, UTC
	// State is the time of the last revision at or before At: the
	// chronology at At is the chronology at State, so views of the same
	// state may share one rebuilt copy. Zero when nothing was ever recorded.
	State time.Time
	// Since counts the revisions recorded after At: 0 means the
	// chronology now is the chronology then.
	Since int
	// First is the time of the first revision (zero when there is none).
	First time.Time
}

// Current reports whether nothing has changed since a.At.
func (a AsOf) Current() bool { return a.Since == 0 }

// CiteTime is the moment to cite the state by: State rounded up to the
// second, which shows the same chronology unless two revisions fall within
// one second.
func (a AsOf) CiteTime() time.Time {
	if a.State.IsZero() {
		return time.Time{}
	}
	t := a.State.UTC()
	if r := t.Truncate(time.Second); !r.Equal(t) {
		return r.Add(time.Second)
	}
	return t
}

// AsOfNow describes the chronology as it stands now (for citations of the
// current state).
func (s *Store) AsOfNow(ctx context.Context) (AsOf, error) {
	a := AsOf{At: s.now()}
	var first, last sql.NullString
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT MIN(created_at) FROM revisions), (SELECT MAX(created_at) FROM revisions)`).Scan(&first, &last)
	if err != nil {
		return AsOf{}, fmt.Errorf("timeline: as of now: %w", err)
	}
	a.First, a.State = parseTime(first.String), parseTime(last.String)
	return a, nil
}

// StateAt describes the chronology at t. A t after now, or before the
// first revision, is a *ValidationError keyed "as_of" (errors.Is ErrAsOf)
// naming what may be asked: the future is not yet fixed, and before the
// first revision there is no record of anything.
func (s *Store) StateAt(ctx context.Context, t time.Time) (AsOf, error) {
	t = t.UTC()
	if now := s.now(); t.After(now) {
		return AsOf{}, invalid(ErrAsOf, "as_of", fmt.Sprintf("%s is in the future (it is now %s): leave as_of out for the chronology as it stands", FormatAsOf(t), FormatAsOf(now.Truncate(time.Second))))
	}
	a := AsOf{At: t}
	var first, state sql.NullString
	at := formatTime(t)
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT MIN(created_at) FROM revisions),
		(SELECT MAX(created_at) FROM revisions WHERE created_at <= ?1),
		(SELECT COUNT(*) FROM revisions WHERE created_at > ?1)`, at).Scan(&first, &state, &a.Since)
	if err != nil {
		return AsOf{}, fmt.Errorf("timeline: state at %s: %w", at, err)
	}
	if !first.Valid {
		return AsOf{}, invalid(ErrAsOf, "as_of", "the chronology has no recorded history yet: leave as_of out")
	}
	a.First = parseTime(first.String)
	if !state.Valid {
		return AsOf{}, invalid(ErrAsOf, "as_of", fmt.Sprintf("%s is before the chronology's recorded history, which begins at %s: ask for that time or later", FormatAsOf(t), FormatAsOf(a.First)))
	}
	a.State = parseTime(state.String)
	return a, nil
}

// asOfRevisions selects, for each event, the revision current at ?1 (its
// latest at or before then), leaving out events created later and those
// whose revision then was their deletion. The index
// revisions_event_time makes each pick one seek.
const asOfRevisions = `SELECT e.id, e.created_at, r.version, r.created_at, r.snapshot
	FROM events e JOIN revisions r ON r.id = (
		SELECT r2.id FROM revisions r2 WHERE r2.event_id = e.id AND r2.created_at <= ?1
		ORDER BY r2.created_at DESC, r2.version DESC LIMIT 1)
	WHERE r.action <> 'delete'`

// EventAt returns event slug as it stood at t, from the revision current
// then (live or deleted now). It returns ErrNotFound when the event did
// not exist at t, or had been deleted by then.
func (s *Store) EventAt(ctx context.Context, slug string, t time.Time) (Event, error) {
	var e Event
	var id int64
	var created, updated, snap string
	err := s.read.QueryRowContext(ctx, asOfRevisions+` AND e.slug = ?2`, formatTime(t), slug).Scan(&id, &created, &e.Version, &updated, &snap)
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, fmt.Errorf("timeline: event %q at %s: %w", slug, FormatAsOf(t), ErrNotFound)
	} else if err != nil {
		return Event{}, fmt.Errorf("timeline: event %q at %s: %w", slug, FormatAsOf(t), err)
	}
	if err := snapshotEvent(&e, snap, created, updated); err != nil {
		return Event{}, err
	}
	return e, nil
}

// snapshotEvent fills e from a revision's snapshot, keeping the version
// already scanned, with the event's creation time and the revision's
// time as its last change.
func snapshotEvent(e *Event, snap, created, updated string) error {
	version := e.Version
	if err := json.Unmarshal([]byte(snap), e); err != nil {
		return fmt.Errorf("timeline: bad snapshot of version %d: %w", version, err)
	}
	e.Version, e.CreatedAt, e.UpdatedAt, e.DeletedAt = version, parseTime(created), parseTime(updated), nil
	return nil
}

// EachEventAt calls fn with every event as it stood at t, in the order of
// their ids (creation), stopping at fn's first error.
func (s *Store) EachEventAt(ctx context.Context, t time.Time, fn func(Event) error) error {
	rows, err := s.read.QueryContext(ctx, asOfRevisions+` ORDER BY e.id`, formatTime(t))
	if err != nil {
		return fmt.Errorf("timeline: events at %s: %w", FormatAsOf(t), err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var id int64
		var created, updated, snap string
		if err := rows.Scan(&id, &created, &e.Version, &updated, &snap); err != nil {
			return fmt.Errorf("timeline: events at %s: %w", FormatAsOf(t), err)
		}
		if err := snapshotEvent(&e, snap, created, updated); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Snapshot writes the chronology as it stood at t into a new database at
// path (which must not exist) and returns it open: the events then, with
// the actors, eras and redirects of now, and its revisions left empty.
// Every list, search, count and export of the returned store answers as
// the chronology did at t. The caller closes it and removes its files.
func (s *Store) Snapshot(ctx context.Context, t time.Time, path string) (_ *Store, err error) {
	dst, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			dst.Close()
		}
	}()
	dst.SetClock(s.now)
	conn, err := dst.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous=OFF`); err != nil {
		return nil, err
	}
	// The actors, eras and redirects of now, copied whole from the source.
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS src`, "file:"+s.path+"?mode=ro"); err != nil {
		return nil, fmt.Errorf("timeline: snapshot: attach: %w", err)
	}
	for _, q := range []string{
		`INSERT INTO main.actors SELECT * FROM src.actors`,
		`INSERT INTO main.eras SELECT * FROM src.eras`,
		`INSERT INTO main.slug_redirects SELECT * FROM src.slug_redirects`,
		`UPDATE main.meta SET value = 1 WHERE key = 'dataset_loaded'`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.ExecContext(context.Background(), `DETACH DATABASE src`)
			return nil, fmt.Errorf("timeline: snapshot: %s: %w", q, err)
		}
	}
	if _, err := conn.ExecContext(ctx, `DETACH DATABASE src`); err != nil {
		return nil, err
	}
	actorIDs := map[string]int64{}
	rows, err := conn.QueryContext(ctx, `SELECT slug, id FROM actors`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var slug string
		var id int64
		if err := rows.Scan(&slug, &id); err != nil {
			rows.Close()
			return nil, err
		}
		actorIDs[slug] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	defs, err := dropDerived(ctx, conn)
	if err != nil {
		return nil, err
	}
	restored := false
	defer func() {
		if !restored {
			restoreDerived(context.Background(), conn, defs)
		}
	}()
	var (
		batch   []Event
		related []relationRow
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := snapshotBatch(ctx, conn, batch, actorIDs)
		batch = batch[:0]
		return err
	}
	err = s.EachEventAt(ctx, t, func(e Event) error {
		for i, r := range e.Related {
			related = append(related, relationRow{from: e.Slug, to: r.Slug, relation: r.Relation, position: i})
		}
		batch = append(batch, e)
		if len(batch) == 5000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, fmt.Errorf("timeline: snapshot at %s: %w", FormatAsOf(t), err)
	}
	if err := snapshotRelations(ctx, conn, related); err != nil {
		return nil, fmt.Errorf("timeline: snapshot at %s: %w", FormatAsOf(t), err)
	}
	restored = true
	if err := restoreDerived(ctx, conn, defs); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, bumpSQL); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA analysis_limit=2000; ANALYZE; PRAGMA analysis_limit=0; PRAGMA synchronous=FULL`); err != nil {
		return nil, err
	}
	return dst, nil
}

type relationRow struct {
	from, to, relation string
	position           int
}

// snapshotBatch writes events, with their actors, tags, sources and search
// text, in one transaction; an actor that no longer exists is left out.
func snapshotBatch(ctx context.Context, conn *sql.Conn, evs []Event, actorIDs map[string]int64) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	events := newBulkInsert(ctx, tx, `INSERT INTO events (slug, start, "end", lo, hi, prec, year, approximate, title, title_ja, title_ko,
		summary, body, category, significance, location, version, created_at, updated_at) VALUES `, 19)
	for _, e := range evs {
		if err := events.add(e.Slug, e.Start.String(), e.End.String(), e.Earliest(), e.Latest(), e.Start.Precision(), e.Start.Year,
			e.Approximate, e.Title, e.TitleJA, e.TitleKO, e.Summary, e.Body, string(e.Category), e.Significance, e.Location,
			e.Version, formatTime(e.CreatedAt), formatTime(e.UpdatedAt)); err != nil {
			return err
		}
	}
	if err := events.flush(); err != nil {
		return err
	}
	// The ids the rows were given, in order: this connection alone writes.
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM events`).Scan(&last); err != nil {
		return err
	}
	first := last - int64(len(evs)) + 1
	eventActors := newBulkInsert(ctx, tx, `INSERT OR IGNORE INTO event_actors (event_id, actor_id, position, role) VALUES `, 4)
	tags := newBulkInsert(ctx, tx, `INSERT OR IGNORE INTO event_tags (event_id, tag, position) VALUES `, 3)
	sources := newBulkInsert(ctx, tx, `INSERT INTO sources (event_id, position, publisher, title, url, date, language, note) VALUES `, 8)
	fts := newBulkInsert(ctx, tx, `INSERT INTO events_fts (rowid, title, words, grams) VALUES `, 4)
	for i := range evs {
		e, id := &evs[i], first+int64(i)
		var names []string
		for j, a := range e.Actors {
			actorID, ok := actorIDs[a.Slug]
			if !ok {
				continue
			}
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
		doc := searchDoc(e, names)
		if err := fts.add(id, doc.title, doc.words, doc.grams); err != nil {
			return err
		}
	}
	for _, b := range []*bulkInsert{eventActors, tags, sources, fts} {
		if err := b.flush(); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// snapshotRelations links the events of a snapshot; a link to an event
// that did not exist then is left out.
func snapshotRelations(ctx context.Context, conn *sql.Conn, rels []relationRow) error {
	if len(rels) == 0 {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO relations (event_id, target_id, relation, position)
		SELECT f.id, t.id, ?, ? FROM events f, events t WHERE f.slug = ? AND t.slug = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rels {
		if _, err := stmt.ExecContext(ctx, r.relation, r.position, r.from, r.to); err != nil {
			return fmt.Errorf("related %q → %q: %w", r.from, r.to, err)
		}
	}
	return tx.Commit()
}
