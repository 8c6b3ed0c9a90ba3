package timeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
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
// the actors, eras and redirects of now. Every list, search, count and
// export of the returned store answers as the chronology did at t. It
// copies the database page by page (SQLite's online backup, which writers
// do not wait for), then rolls back, in one transaction, the events changed
// since t: each gets the snapshot of its revision current then, and those
// that did not exist then or were deleted by then are marked deleted. So
// its cost is a file copy and the changes since t, never a rebuild of every
// event. Accounts, sessions, tokens, the audit log and readers'
// corrections are left out of the copy. The caller closes it and removes
// its files.
func (s *Store) Snapshot(ctx context.Context, t time.Time, path string) (_ *Store, err error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("timeline: snapshot: %s already exists", path)
	}
	if err := s.copyTo(ctx, path); err != nil {
		return nil, fmt.Errorf("timeline: snapshot: copy: %w", err)
	}
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
	err = dst.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM sessions`, `DELETE FROM api_tokens`, `DELETE FROM audit_log`, `DELETE FROM corrections`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return rollBackTx(ctx, tx, t)
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: snapshot at %s: %w", FormatAsOf(t), err)
	}
	return dst, nil
}

// copyTo writes a consistent copy of the database to path with SQLite's
// online backup, from a connection of its own.
func (s *Store) copyTo(ctx context.Context, path string) error {
	dsn := "file:" + s.path + "?_pragma=busy_timeout(10000)"
	if s.readOnly {
		dsn += "&mode=ro" // a replica's file is the primary's to write
		if s.immutable {
			dsn += "&immutable=1"
		}
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		b, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver has no online backup")
		}
		bk, err := b.NewBackup(path)
		if err != nil {
			return err
		}
		// All pages in one step, under one read transaction: writers
		// carry on meanwhile, and the copy is of one moment.
		if _, err := bk.Step(-1); err != nil {
			bk.Finish()
			return err
		}
		return bk.Finish()
	})
}

// rollBackTx puts every event changed after t back as it stood at t.
func rollBackTx(ctx context.Context, tx *sql.Tx, t time.Time) error {
	at := formatTime(t)
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT event_id FROM revisions WHERE created_at > ?`, at)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var back []Event // events restored, whose links are written last
	for _, id := range ids {
		var e Event
		var created, updated, snap, action string
		var deleted sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT created_at, deleted_at FROM events WHERE id = ?`, id).Scan(&created, &deleted); err != nil {
			return fmt.Errorf("event %d: %w", id, err)
		}
		err := tx.QueryRowContext(ctx, `SELECT version, action, created_at, snapshot FROM revisions
			WHERE event_id = ? AND created_at <= ? ORDER BY created_at DESC, version DESC LIMIT 1`, id, at).Scan(&e.Version, &action, &updated, &snap)
		if errors.Is(err, sql.ErrNoRows) || err == nil && action == "delete" {
			// Not there at t: made later, or deleted by then.
			if !deleted.Valid {
				if _, err := tx.ExecContext(ctx, `UPDATE events SET deleted_at = ? WHERE id = ?`, at, id); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM events_fts WHERE rowid = ?`, id); err != nil {
					return err
				}
			}
			continue
		} else if err != nil {
			return fmt.Errorf("event %d: %w", id, err)
		}
		if err := snapshotEvent(&e, snap, created, updated); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE events SET slug=?, start=?, "end"=?, lo=?, hi=?, prec=?, year=?, qual=?, title=?, title_ja=?, title_ko=?,
			summary=?, summary_ja=?, summary_ko=?, body=?, category=?, significance=?, location=?, location_ja=?, location_ko=?, version=?, updated_at=?, deleted_at=NULL WHERE id=?`,
			e.Slug, e.Start.String(), e.End.String(), e.Earliest(), e.Latest(), e.Start.Precision(), e.Earliest().Date().Year, e.Qual(),
			e.Title, e.TitleJA, e.TitleKO, e.Summary, e.SummaryJA, e.SummaryKO, e.Body, string(e.Category), e.Significance, e.Location, e.LocationJA, e.LocationKO, e.Version, updated, id)
		if err != nil {
			return fmt.Errorf("event %q: %w", e.Slug, err)
		}
		qs := []string{`DELETE FROM event_actors WHERE event_id = ?`, `DELETE FROM event_tags WHERE event_id = ?`,
			`DELETE FROM sources WHERE event_id = ?`, `DELETE FROM relations WHERE event_id = ?`}
		if !deleted.Valid {
			qs = append(qs, `DELETE FROM events_fts WHERE rowid = ?`) // a deleted event has no search row
		}
		for _, q := range qs {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("event %q: %w", e.Slug, err)
			}
		}
		if err := writeChildren(ctx, tx, id, &e); err != nil {
			return err
		}
		back = append(back, e)
	}
	for i := range back {
		if err := writeRelations(ctx, tx, &back[i]); err != nil {
			return err
		}
	}
	return bumpVersion(ctx, tx)
}
