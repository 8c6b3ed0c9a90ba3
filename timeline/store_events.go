package timeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Change says who makes a write and why; it is recorded in the revision.
type Change struct {
	Author  string // user name, or "dataset", "import:NAME"
	Summary string // the edit summary
	// Correction is the reference of the reader's correction the change
	// applies: the revision records it and the correction is accepted in
	// the same transaction (an update only).
	Correction string
}

// Validate checks the edit summary (one line of at most MaxShort
// characters); the problem is keyed "edit_summary".
func (ch Change) Validate() error {
	if msg := CheckText(ch.Summary, MaxShort, false); msg != "" {
		return &ValidationError{Problems: map[string]string{"edit_summary": msg}}
	}
	return nil
}

// Revision is one recorded state of an event.
type Revision struct {
	Version int
	Action  string // create, update, delete, restore
	Author  string // who wrote it: a user's sign-in name, "dataset", "import:NAME"
	// Editor is the author's public name (a display name; see
	// User.DisplayName), the one history shows to readers.
	Editor     string
	Summary    string
	Correction string // the reader's correction it applied, or ""
	CreatedAt  time.Time
	Event      Event // the full snapshot after the change
}

const eventColumns = `e.id, e.slug, e.start, e."end", e.title, e.title_ja, e.title_ko,
	e.summary, e.summary_ja, e.summary_ko, e.body, e.category, e.significance, e.location, e.location_ja, e.location_ko, e.version, e.created_at, e.updated_at, e.deleted_at`

type scanner interface{ Scan(...any) error }

func scanEvent(row scanner) (int64, Event, error) {
	var (
		id               int64
		e                Event
		start, end       string
		created, updated string
		deleted          sql.NullString
	)
	err := row.Scan(&id, &e.Slug, &start, &end, &e.Title, &e.TitleJA, &e.TitleKO,
		&e.Summary, &e.SummaryJA, &e.SummaryKO, &e.Body, &e.Category, &e.Significance, &e.Location, &e.LocationJA, &e.LocationKO, &e.Version, &created, &updated, &deleted)
	if err != nil {
		return 0, Event{}, err
	}
	e.Start, _ = ParseEDTF(start)
	if end != "" {
		e.End, _ = ParseEDTF(end)
	}
	e.CreatedAt, e.UpdatedAt = parseTime(created), parseTime(updated)
	if deleted.Valid {
		t := parseTime(deleted.String)
		e.DeletedAt = &t
	}
	return id, e, nil
}

// GetEvent returns the live event with the given slug, whole: actors, tags,
// sources and related events. It returns ErrNotFound if there is none.
func (s *Store) GetEvent(ctx context.Context, slug string) (Event, error) {
	return s.getEvent(ctx, slug, false)
}

// GetEventAny is GetEvent that also returns deleted events (for editors).
func (s *Store) GetEventAny(ctx context.Context, slug string) (Event, error) {
	return s.getEvent(ctx, slug, true)
}

func (s *Store) getEvent(ctx context.Context, slug string, withDeleted bool) (Event, error) {
	q := `SELECT ` + eventColumns + ` FROM events e WHERE e.slug = ?`
	if !withDeleted {
		q += ` AND e.deleted_at IS NULL`
	}
	id, e, err := scanEvent(s.read.QueryRowContext(ctx, q, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, fmt.Errorf("timeline: event %q: %w", slug, ErrNotFound)
	} else if err != nil {
		return Event{}, fmt.Errorf("timeline: get event %q: %w", slug, err)
	}
	evs := []Event{e}
	if err := loadChildren(ctx, readPool{s}, []int64{id}, evs); err != nil {
		return Event{}, err
	}
	return evs[0], nil
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

// loadChildren fills the actors, tags, sources and related events of evs,
// whose row ids are ids (same order), with one query per table. Read from
// the reader pool, the four queries run at once on separate connections
// (each fills its own field of the events); in a transaction, in turn.
func loadChildren(ctx context.Context, db querier, ids []int64, evs []Event) error {
	return loadChildrenOf(ctx, db, ids, evs, false)
}

// loadChildrenOf is loadChildren; with cardsOnly it reads only what a
// list's cards show (actors and sources), leaving the tags and related
// events empty.
func loadChildrenOf(ctx context.Context, db querier, ids []int64, evs []Event, cardsOnly bool) error {
	if len(ids) == 0 {
		return nil
	}
	pos := make(map[int64]int, len(ids))
	list := make([]byte, 0, len(ids)*8)
	list = append(list, '[')
	for i, id := range ids {
		pos[id] = i
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
		evs[i].Actors, evs[i].Tags, evs[i].Sources, evs[i].Related = []EventActor{}, []string{}, []Source{}, []Relation{}
	}
	// The ids go in as one JSON array, so that each query's text is the
	// same whatever the page size, and its prepared statement is reused.
	args := []any{string(append(list, ']'))}
	in := "SELECT value FROM json_each(?)"
	loaders := []func(context.Context) error{
		func(ctx context.Context) error {
			if p, ok := db.(readPool); ok {
				if done, err := loadActorsNamed(ctx, p, args, pos, evs); done || err != nil {
					return err
				}
			}
			return eachRow(ctx, db, "actors", `SELECT ea.event_id, a.slug, a.name, a.name_ja, a.name_ko, a.kind, a.country, ea.role
				FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id IN (`+in+`) ORDER BY ea.event_id, ea.position`, args,
				func(rows *sql.Rows) error {
					var id int64
					var a EventActor
					if err := rows.Scan(&id, &a.Slug, &a.Name, &a.NameJA, &a.NameKO, &a.Kind, &a.Country, &a.Role); err != nil {
						return err
					}
					evs[pos[id]].Actors = append(evs[pos[id]].Actors, a)
					return nil
				})
		},
		func(ctx context.Context) error {
			return eachRow(ctx, db, "tags", `SELECT event_id, tag FROM event_tags WHERE event_id IN (`+in+`) ORDER BY event_id, position`, args,
				func(rows *sql.Rows) error {
					var id int64
					var t string
					if err := rows.Scan(&id, &t); err != nil {
						return err
					}
					evs[pos[id]].Tags = append(evs[pos[id]].Tags, t)
					return nil
				})
		},
		func(ctx context.Context) error {
			return eachRow(ctx, db, "sources", `SELECT event_id, publisher, title, url, date, language, note FROM sources WHERE event_id IN (`+in+`) ORDER BY event_id, position`, args,
				func(rows *sql.Rows) error {
					var id int64
					var src Source
					var date string
					if err := rows.Scan(&id, &src.Publisher, &src.Title, &src.URL, &date, &src.Language, &src.Note); err != nil {
						return err
					}
					if date != "" {
						src.Date, _ = ParseDate(date)
					}
					evs[pos[id]].Sources = append(evs[pos[id]].Sources, src)
					return nil
				})
		},
		func(ctx context.Context) error {
			return eachRow(ctx, db, "relations", `SELECT r.event_id, t.slug, r.relation, t.title, t.title_ja, t.title_ko, t.start, t."end"
				FROM relations r JOIN events t ON t.id = r.target_id
				WHERE r.event_id IN (`+in+`) AND t.deleted_at IS NULL ORDER BY r.event_id, r.position`, args,
				func(rows *sql.Rows) error {
					var id int64
					var r Relation
					var start, end string
					if err := rows.Scan(&id, &r.Slug, &r.Relation, &r.Title, &r.TitleJA, &r.TitleKO, &start, &end); err != nil {
						return err
					}
					r.Start, _ = ParseEDTF(start)
					r.End, _ = ParseEDTF(end)
					evs[pos[id]].Related = append(evs[pos[id]].Related, r)
					return nil
				})
		},
	}
	if cardsOnly {
		loaders = []func(context.Context) error{loaders[0], loaders[2]} // actors, sources
	}
	// One after another: read on several connections at once, a page's
	// children took more CPU (each connection's cache reading the same
	// pages again) and, at a million events, longer too.
	for _, load := range loaders {
		if err := load(ctx); err != nil {
			return err
		}
	}
	return nil
}

// loadActorsNamed reads the events' actors (ids in args, as a JSON array;
// pos gives each id's place in evs) from event_actors alone, naming them
// from the store's actors by id. It reports false, leaving evs as they
// were, when the store keeps no such dictionary or an actor is missing from
// it (written after it was read): the caller then joins the actors table.
func loadActorsNamed(ctx context.Context, p readPool, args []any, pos map[int64]int, evs []Event) (bool, error) {
	byID, err := p.s.actorsByID(ctx)
	if err != nil || byID == nil {
		return false, err
	}
	type link struct {
		event, actor int64
		role         string
	}
	var links []link
	err = eachRow(ctx, p, "actors", `SELECT event_id, actor_id, role FROM event_actors
		WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY event_id, position`, args,
		func(rows *sql.Rows) error {
			var l link
			if err := rows.Scan(&l.event, &l.actor, &l.role); err != nil {
				return err
			}
			links = append(links, l)
			return nil
		})
	if err != nil {
		return false, err
	}
	for _, l := range links {
		if _, ok := byID[l.actor]; !ok {
			return false, nil
		}
	}
	for _, l := range links {
		i := pos[l.event]
		evs[i].Actors = append(evs[i].Actors, EventActor{Actor: byID[l.actor], Role: l.role})
	}
	return true, nil
}

// eachRow runs a query and calls fn for every row.
func eachRow(ctx context.Context, db querier, what, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("timeline: load %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("timeline: load %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("timeline: load %s: %w", what, err)
	}
	return nil
}

func placeholders(n int) string {
	if n == 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

// Backlinks returns the live events that relate to the event slug, each as a
// Relation naming the other event and the relation it declared
// ("X follows this event").
func (s *Store) Backlinks(ctx context.Context, slug string) ([]Relation, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT f.slug, r.relation, f.title, f.title_ja, f.title_ko, f.start, f."end"
		FROM relations r JOIN events t ON t.id = r.target_id JOIN events f ON f.id = r.event_id
		WHERE t.slug = ? AND f.deleted_at IS NULL ORDER BY f.lo, f.prec, f.title, f.id`, slug)
	if err != nil {
		return nil, fmt.Errorf("timeline: backlinks %q: %w", slug, err)
	}
	defer rows.Close()
	var out []Relation
	for rows.Next() {
		var r Relation
		var start, end string
		if err := rows.Scan(&r.Slug, &r.Relation, &r.Title, &r.TitleJA, &r.TitleKO, &start, &end); err != nil {
			return nil, err
		}
		r.Start, _ = ParseEDTF(start)
		r.End, _ = ParseEDTF(end)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateEvent validates e and stores it as version 1, with a "create"
// revision. A missing slug is made from the date and title. It returns a
// *ValidationError when anything is wrong, naming every field.
func (s *Store) CreateEvent(ctx context.Context, e *Event, ch Change) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := checkRefs(ctx, tx, e, nil, "", true); err != nil {
			return err
		}
		if _, err := insertEvent(ctx, tx, e, now); err != nil {
			return err
		}
		if err := writeRelations(ctx, tx, e); err != nil {
			return err
		}
		return recordRevision(ctx, tx, e, "create", ch, now)
	})
}

// UpdateEvent replaces the live event slug with e, as long as e.Version is
// the stored version; otherwise it returns ErrConflict and changes nothing.
// The slug cannot change. On success e.Version is the new version; an e
// that changes nothing (ChangedFields) is not written, and e becomes the
// stored event, its version unchanged.
func (s *Store) UpdateEvent(ctx context.Context, slug string, e *Event, ch Change) error {
	if e.Slug == "" {
		e.Slug = slug
	}
	e.Normalize()
	p := problems{}
	if err := e.Validate(); err != nil {
		p = problems(err.(*ValidationError).Problems)
	}
	if e.Slug != slug {
		p.add("slug", "cannot be changed (permalinks must stay stable)")
	}
	if err := p.err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if ch.Correction == "" {
			// Unchanged means untouched, as in an import: no revision that
			// changes nothing, and the data version (so ETags and the
			// citations that name it) stays.
			old, err := getEventTx(ctx, tx, e.Slug)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("timeline: update event %q: %w", e.Slug, err)
			}
			if err == nil && old.DeletedAt == nil && old.Version == e.Version && len(ChangedFields(old, *e)) == 0 {
				*e = old
				return nil
			}
		}
		if ch.Correction != "" {
			// Accepted at the version this update makes.
			err := decideCorrection(ctx, tx, ch.Correction, e.Slug, CorrectionAccepted, ch.Author, "", e.Version+1, now)
			if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
				// A problem of the edit's correction, not of the event.
				return &ValidationError{Problems: map[string]string{"correction": correctionProblem(err)}}
			} else if err != nil {
				return err
			}
		}
		return updateEventTx(ctx, tx, e, "update", ch, now, nil, false)
	})
}

// updateEventTx rewrites an existing event (live, or deleted when undelete
// is set) at version e.Version.
func updateEventTx(ctx context.Context, tx *sql.Tx, e *Event, action string, ch Change, now time.Time, batch map[string]bool, undelete bool) error {
	var id int64
	var version int
	var deleted sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id, version, deleted_at FROM events WHERE slug = ?`, e.Slug).Scan(&id, &version, &deleted)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && deleted.Valid && !undelete) {
		return fmt.Errorf("timeline: update event %q: %w", e.Slug, ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("timeline: update event %q: %w", e.Slug, err)
	}
	if e.Version != version {
		return fmt.Errorf("timeline: update event %q at version %d (stored %d): %w", e.Slug, e.Version, version, ErrConflict)
	}
	if err := checkRefs(ctx, tx, e, batch, e.Slug, false); err != nil {
		return err
	}
	e.Version = version + 1
	e.UpdatedAt = now
	_, err = tx.ExecContext(ctx, `UPDATE events SET start=?, "end"=?, lo=?, hi=?, prec=?, year=?, qual=?, title=?, title_ja=?, title_ko=?,
		summary=?, summary_ja=?, summary_ko=?, body=?, category=?, significance=?, location=?, location_ja=?, location_ko=?, version=?, updated_at=?, deleted_at=NULL WHERE id=?`,
		e.Start.String(), e.End.String(), e.Earliest(), e.Latest(), e.Start.Precision(), e.Earliest().Date().Year, e.Qual(),
		e.Title, e.TitleJA, e.TitleKO, e.Summary, e.SummaryJA, e.SummaryKO, e.Body, string(e.Category), e.Significance, e.Location, e.LocationJA, e.LocationKO, e.Version, formatTime(now), id)
	if err != nil {
		return fmt.Errorf("timeline: update event %q: %w", e.Slug, err)
	}
	for _, q := range []string{`DELETE FROM event_actors WHERE event_id = ?`, `DELETE FROM event_tags WHERE event_id = ?`,
		`DELETE FROM sources WHERE event_id = ?`, `DELETE FROM relations WHERE event_id = ?`, `DELETE FROM events_fts WHERE rowid = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("timeline: update event %q: %w", e.Slug, err)
		}
	}
	if err := writeChildren(ctx, tx, id, e); err != nil {
		return err
	}
	if batch == nil { // in a batch, relations are written once every event exists
		if err := writeRelations(ctx, tx, e); err != nil {
			return err
		}
	}
	return recordRevision(ctx, tx, e, action, ch, now)
}

// checkRefs checks that the slug is free (on create) and that every actor
// given by slug alone and every related event exists. batch holds slugs
// created in the same import, which count as existing.
func checkRefs(ctx context.Context, tx *sql.Tx, e *Event, batch map[string]bool, self string, create bool) error {
	return checkRefsWith(ctx, tx, e, batch, nil, create)
}

// checkRefsWith is checkRefs for any reader, with actors (slugs that an
// import would have created by then) counted as existing.
func checkRefsWith(ctx context.Context, tx querier, e *Event, batch, actors map[string]bool, create bool) error {
	p := problems{}
	if create {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE slug = ?`, e.Slug).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			p.add("slug", "%q is already used by another event", e.Slug)
		}
	}
	for i, a := range e.Actors {
		if a.Name != "" || actors[a.Slug] {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM actors WHERE slug = ?`, a.Slug).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			p.add(fmt.Sprintf("actors[%d].slug", i), "no actor has the slug %q: pick an existing actor or give the new actor's name and kind", a.Slug)
		}
	}
	for i, r := range e.Related {
		if batch[r.Slug] {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE slug = ? AND deleted_at IS NULL`, r.Slug).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			p.add(fmt.Sprintf("related[%d].slug", i), "no event has the slug %q", r.Slug)
		}
	}
	return p.err()
}

func insertEvent(ctx context.Context, tx *sql.Tx, e *Event, now time.Time) (int64, error) {
	e.Version = 1
	e.CreatedAt, e.UpdatedAt = now, now
	res, err := tx.ExecContext(ctx, `INSERT INTO events (slug, start, "end", lo, hi, prec, year, qual, title, title_ja, title_ko,
		summary, summary_ja, summary_ko, body, category, significance, location, location_ja, location_ko, version, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.Slug, e.Start.String(), e.End.String(), e.Earliest(), e.Latest(), e.Start.Precision(), e.Earliest().Date().Year, e.Qual(),
		e.Title, e.TitleJA, e.TitleKO, e.Summary, e.SummaryJA, e.SummaryKO, e.Body, string(e.Category), e.Significance, e.Location, e.LocationJA, e.LocationKO, e.Version,
		formatTime(now), formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("timeline: insert event %q: %w", e.Slug, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, writeChildren(ctx, tx, id, e)
}

// writeChildren writes actors (creating any given in full that do not
// exist), tags, sources and the search index row of event id.
func writeChildren(ctx context.Context, tx *sql.Tx, id int64, e *Event) error {
	var names []string
	var actorIDs []int64
	for i := range e.Actors {
		a := &e.Actors[i]
		if a.Name != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO actors (slug, name, name_ja, name_ko, kind, country) VALUES (?,?,?,?,?,?)
				ON CONFLICT (slug) DO NOTHING`, a.Slug, a.Name, a.NameJA, a.NameKO, a.Kind, a.Country); err != nil {
				return fmt.Errorf("timeline: event %q: add actor %q: %w", e.Slug, a.Slug, err)
			}
		}
		var actorID int64
		err := tx.QueryRowContext(ctx, `SELECT id, name, name_ja, name_ko, kind, country FROM actors WHERE slug = ?`, a.Slug).
			Scan(&actorID, &a.Name, &a.NameJA, &a.NameKO, &a.Kind, &a.Country)
		if err != nil {
			return fmt.Errorf("timeline: event %q: actor %q: %w", e.Slug, a.Slug, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_actors (event_id, actor_id, position, role) VALUES (?,?,?,?)`, id, actorID, i, a.Role); err != nil {
			return fmt.Errorf("timeline: event %q: actor %q: %w", e.Slug, a.Slug, err)
		}
		names = append(names, a.Name, a.NameJA, a.NameKO)
		actorIDs = append(actorIDs, actorID)
	}
	for i, t := range e.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_tags (event_id, tag, position) VALUES (?,?,?)`, id, t, i); err != nil {
			return fmt.Errorf("timeline: event %q: tag %q: %w", e.Slug, t, err)
		}
	}
	for i, src := range e.Sources {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources (event_id, position, publisher, title, url, date, language, note) VALUES (?,?,?,?,?,?,?,?)`,
			id, i, src.Publisher, src.Title, src.URL, src.Date.String(), src.Language, src.Note); err != nil {
			return fmt.Errorf("timeline: event %q: source %d: %w", e.Slug, i, err)
		}
	}
	doc := searchDoc(e, names, actorIDs)
	if _, err := tx.ExecContext(ctx, `INSERT INTO events_fts (rowid, title, words, grams, keys) VALUES (?,?,?,?,?)`, id, doc.title, doc.words, doc.grams, doc.keys); err != nil {
		return fmt.Errorf("timeline: event %q: index: %w", e.Slug, err)
	}
	return bumpVersion(ctx, tx)
}

func writeRelations(ctx context.Context, tx *sql.Tx, e *Event) error {
	for i, r := range e.Related {
		_, err := tx.ExecContext(ctx, `INSERT INTO relations (event_id, target_id, relation, position)
			SELECT f.id, t.id, ?, ? FROM events f, events t WHERE f.slug = ? AND t.slug = ?`, r.Relation, i, e.Slug, r.Slug)
		if err != nil {
			return fmt.Errorf("timeline: event %q: related %q: %w", e.Slug, r.Slug, err)
		}
	}
	return nil
}

func recordRevision(ctx context.Context, tx *sql.Tx, e *Event, action string, ch Change, now time.Time) error {
	if err := ch.Validate(); err != nil {
		return err
	}
	snap, err := json.Marshal(e)
	if err != nil {
		return err
	}
	author := ch.Author
	if author == "" {
		author = "unknown"
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO revisions (event_id, version, action, snapshot, author, summary, correction, created_at)
		SELECT id, ?, ?, ?, ?, ?, ?, ? FROM events WHERE slug = ?`, e.Version, action, string(snap), author, ch.Summary, ch.Correction, formatTime(now), e.Slug)
	if err != nil {
		return fmt.Errorf("timeline: event %q: record revision: %w", e.Slug, err)
	}
	return nil
}

// DeleteEvent hides the live event slug from readers, as long as version is
// its stored version (ErrConflict otherwise). The event, its history and
// its links stay, so that editors can see and restore it.
func (s *Store) DeleteEvent(ctx context.Context, slug string, version int, ch Change) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var id int64
		var stored int
		err := tx.QueryRowContext(ctx, `SELECT id, version FROM events WHERE slug = ? AND deleted_at IS NULL`, slug).Scan(&id, &stored)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("timeline: delete event %q: %w", slug, ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("timeline: delete event %q: %w", slug, err)
		}
		if version != stored {
			return fmt.Errorf("timeline: delete event %q at version %d (stored %d): %w", slug, version, stored, ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET version = version + 1, updated_at = ?, deleted_at = ? WHERE id = ?`, formatTime(now), formatTime(now), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM events_fts WHERE rowid = ?`, id); err != nil {
			return err
		}
		if err := bumpVersion(ctx, tx); err != nil {
			return err
		}
		evs := []Event{{}}
		_, evs[0], err = scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = ?`, id))
		if err != nil {
			return err
		}
		if err := loadChildren(ctx, tx, []int64{id}, evs); err != nil {
			return err
		}
		return recordRevision(ctx, tx, &evs[0], "delete", ch, now)
	})
}

// Revisions returns the history of event slug (live or deleted), newest first.
func (s *Store) Revisions(ctx context.Context, slug string) ([]Revision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.version, r.action, r.author, `+publicAuthorSQL+`, r.summary, r.correction, r.created_at, r.snapshot
		FROM revisions r JOIN events e ON e.id = r.event_id WHERE e.slug = ? ORDER BY r.version DESC`, slug)
	if err != nil {
		return nil, fmt.Errorf("timeline: revisions %q: %w", slug, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("timeline: revisions %q: %w", slug, ErrNotFound)
	}
	return out, nil
}

// Revision returns one version of event slug, or ErrNotFound.
func (s *Store) Revision(ctx context.Context, slug string, version int) (Revision, error) {
	r, err := scanRevision(s.read.QueryRowContext(ctx, `SELECT r.version, r.action, r.author, `+publicAuthorSQL+`, r.summary, r.correction, r.created_at, r.snapshot
		FROM revisions r JOIN events e ON e.id = r.event_id WHERE e.slug = ? AND r.version = ?`, slug, version))
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, fmt.Errorf("timeline: revision %d of %q: %w", version, slug, ErrNotFound)
	}
	return r, err
}

func scanRevision(row scanner) (Revision, error) {
	var r Revision
	var created, snap string
	if err := row.Scan(&r.Version, &r.Action, &r.Author, &r.Editor, &r.Summary, &r.Correction, &created, &snap); err != nil {
		return Revision{}, err
	}
	r.CreatedAt = parseTime(created)
	if err := json.Unmarshal([]byte(snap), &r.Event); err != nil {
		return Revision{}, fmt.Errorf("timeline: revision %d: bad snapshot: %w", r.Version, err)
	}
	return r, nil
}

// RestoreEvent makes revision `from` of event slug current again, as a new
// revision, provided the event is still at version `current` (ErrConflict
// otherwise). A deleted event comes back to life.
func (s *Store) RestoreEvent(ctx context.Context, slug string, from, current int, ch Change) (Event, error) {
	rev, err := s.Revision(ctx, slug, from)
	if err != nil {
		return Event{}, err
	}
	e := rev.Event
	e.Version = current
	e.Normalize()
	if err := e.Validate(); err != nil {
		return Event{}, err
	}
	if ch.Summary == "" {
		ch.Summary = fmt.Sprintf("restored version %d", from)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		return updateEventTx(ctx, tx, &e, "restore", ch, s.now(), nil, true)
	})
	return e, err
}
