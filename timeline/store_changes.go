package timeline

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// ChangeRecord is one recorded change of an event (a revision without its
// snapshot), for mirrors and feeds.
type ChangeRecord struct {
	Slug    string `json:"slug"`
	Version int    `json:"version"`
	Action  string `json:"action"` // create, update, delete, restore
	Author  string `json:"author"` // the author's public name (Revision.Editor)
	Summary string `json:"summary"`
	Title   string `json:"title"` // the event's title after the change
	// TitleJA and TitleKO are its Japanese and Korean titles then, for
	// pages in those languages.
	TitleJA string    `json:"-"`
	TitleKO string    `json:"-"`
	Time    time.Time `json:"time"`
}

// ChangePage is one page of changes, oldest first; Next continues it ("" at
// the end).
type ChangePage struct {
	Changes []ChangeRecord
	Next    string
}

// MaxChangesLimit bounds one page of changes.
const MaxChangesLimit = 1000

// changeCursor is the position after the last change of a page.
type changeCursor struct {
	Time string `json:"t"`
	ID   int64  `json:"i"`
}

// ErrBadChangeCursor is returned for a changes cursor this store did not make.
var ErrBadChangeCursor = &ValidationError{Problems: map[string]string{"cursor": "is not a cursor from this change list: start again with since"}}

const changeColumns = `r.id, e.slug, r.version, r.action, ` + publicAuthorSQL + `, r.summary, COALESCE(json_extract(r.snapshot, '$.title'), ''),
	COALESCE(json_extract(r.snapshot, '$.title_ja'), ''), COALESCE(json_extract(r.snapshot, '$.title_ko'), ''), r.created_at`

// Changes returns the creations, updates, deletions and restores of events
// recorded at or after since (inclusive, so that a mirror asking again
// from the time of the last change it saw misses nothing; slug and
// version identify a change), oldest first, at most limit of them (1–1000;
// 0 means 100), continuing after cursor when it is set. It returns
// ErrBadChangeCursor for a cursor it did not make.
func (s *Store) Changes(ctx context.Context, since time.Time, cursor string, limit int) (ChangePage, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, MaxChangesLimit)
	q := `SELECT ` + changeColumns + ` FROM revisions r JOIN events e ON e.id = r.event_id WHERE r.created_at >= ?`
	args := []any{formatTime(since)}
	if cursor != "" {
		var c changeCursor
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || len(b) > 200 || json.Unmarshal(b, &c) != nil || c.ID <= 0 {
			return ChangePage{}, ErrBadChangeCursor
		}
		q += ` AND (r.created_at, r.id) > (?, ?)`
		args = append(args, c.Time, c.ID)
	}
	q += ` ORDER BY r.created_at, r.id LIMIT ?`
	rows, err := s.read.QueryContext(ctx, q, append(args, limit+1)...)
	if err != nil {
		return ChangePage{}, fmt.Errorf("timeline: changes: %w", err)
	}
	defer rows.Close()
	var page ChangePage
	var last changeCursor
	for rows.Next() {
		if len(page.Changes) == limit {
			b, _ := json.Marshal(last)
			page.Next = base64.RawURLEncoding.EncodeToString(b)
			break
		}
		id, c, created, err := scanChange(rows)
		if err != nil {
			return ChangePage{}, err
		}
		page.Changes = append(page.Changes, c)
		last = changeCursor{Time: created, ID: id}
	}
	if err := rows.Err(); err != nil {
		return ChangePage{}, fmt.Errorf("timeline: changes: %w", err)
	}
	return page, nil
}

// RecentChanges returns the n latest changes, newest first (for feeds).
func (s *Store) RecentChanges(ctx context.Context, n int) ([]ChangeRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+changeColumns+` FROM revisions r JOIN events e ON e.id = r.event_id
		ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, max(n, 1))
	if err != nil {
		return nil, fmt.Errorf("timeline: recent changes: %w", err)
	}
	defer rows.Close()
	var out []ChangeRecord
	for rows.Next() {
		_, c, _, err := scanChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanChange(row scanner) (int64, ChangeRecord, string, error) {
	var id int64
	var c ChangeRecord
	var created string
	if err := row.Scan(&id, &c.Slug, &c.Version, &c.Action, &c.Author, &c.Summary, &c.Title, &c.TitleJA, &c.TitleKO, &created); err != nil {
		return 0, ChangeRecord{}, "", fmt.Errorf("timeline: changes: %w", err)
	}
	c.Time = parseTime(created)
	return id, c, created, nil
}
