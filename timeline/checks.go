package timeline

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
)

// Check is one recorded verification of an event against a source that is
// independent of the ones the event cites: what was checked, against what,
// when, and with what result.
type Check struct {
	Slug      string // the event checked
	CheckedOn Date   // the day of the check
	Checked   string // what was checked: "date (day), place, names"
	Source    Source // the independent source: publisher, title, URL
	Result    string // one of CheckResults
	Note      string // what the source says, or what differed
}

// CheckResults are the outcomes a check records.
var CheckResults = []string{"confirmed", "corrected", "disputed"}

// Validate reports every problem of the check, keyed by field.
func (c Check) Validate() error {
	p := problems{}
	if c.Slug == "" {
		p.add("slug", "is required")
	}
	if c.CheckedOn.IsZero() || c.CheckedOn.Precision() != PrecisionDay {
		p.add("checked_on", "must be a day, YYYY-MM-DD")
	}
	if c.Checked == "" {
		p.add("checked", "must say what was checked")
	}
	if c.Source.Publisher == "" {
		p.add("publisher", "is required")
	}
	if c.Source.Title == "" {
		p.add("title", "is required")
	}
	if c.Source.URL != "" {
		if rule := checkURL(c.Source.URL); rule != "" {
			p.add("url", "%s", rule)
		}
	}
	if !slices.Contains(CheckResults, c.Result) {
		p.add("result", "must be confirmed, corrected or disputed")
	}
	return p.err()
}

// CheckSummary counts the verification record.
type CheckSummary struct {
	Events    int // live events
	Checked   int // live events with at least one check
	Confirmed int // checks by result
	Corrected int
	Disputed  int
}

// SyncChecks makes the stored verification record equal to checks, in one
// transaction, when it differs from what is stored (a digest in meta says
// which record is there), and reports whether it wrote anything. Checks of
// events that the database does not have are left out and counted.
func (s *Store) SyncChecks(ctx context.Context, checks []Check) (written bool, skipped int, err error) {
	digest := checksDigest(checks)
	var stored int64
	if err := (readPool{s}).QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'checks_digest'`).Scan(&stored); err != nil {
		return false, 0, fmt.Errorf("timeline: sync checks: %w", err)
	}
	if stored == digest {
		return false, 0, nil
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM checks`); err != nil {
			return err
		}
		pos := map[string]int{}
		for _, c := range checks {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, c.Slug).Scan(&id)
			if err == sql.ErrNoRows {
				skipped++
				continue
			}
			if err != nil {
				return err
			}
			pos[c.Slug]++
			if _, err := tx.ExecContext(ctx, `INSERT INTO checks (event_id, position, checked_on, checked, publisher, title, url, result, note)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, pos[c.Slug], c.CheckedOn.String(), c.Checked,
				c.Source.Publisher, c.Source.Title, c.Source.URL, c.Result, c.Note); err != nil {
				return fmt.Errorf("check of %s: %w", c.Slug, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'checks_digest'`, digest); err != nil {
			return err
		}
		return bumpVersion(ctx, tx)
	})
	if err != nil {
		return false, 0, fmt.Errorf("timeline: sync checks: %w", err)
	}
	return true, skipped, nil
}

// checksDigest is a 63-bit hash of the record, never 0 (the value of a
// database that has none).
func checksDigest(checks []Check) int64 {
	h := fnv.New64a()
	for _, c := range checks {
		for _, f := range []string{c.Slug, c.CheckedOn.String(), c.Checked, c.Source.Publisher, c.Source.Title, c.Source.URL, c.Result, c.Note} {
			h.Write([]byte(strconv.Itoa(len(f))))
			h.Write([]byte{':'})
			h.Write([]byte(f))
		}
	}
	return int64(h.Sum64()>>1) | 1
}

// Checks returns the recorded checks of the event slug, in order.
func (s *Store) Checks(ctx context.Context, slug string) ([]Check, error) {
	rows, err := readPool{s}.QueryContext(ctx, `SELECT c.checked_on, c.checked, c.publisher, c.title, c.url, c.result, c.note
		FROM checks c JOIN events e ON e.id = c.event_id WHERE e.slug = ? ORDER BY c.position`, slug)
	if err != nil {
		return nil, fmt.Errorf("timeline: checks of %s: %w", slug, err)
	}
	defer rows.Close()
	var out []Check
	for rows.Next() {
		c := Check{Slug: slug}
		var on string
		if err := rows.Scan(&on, &c.Checked, &c.Source.Publisher, &c.Source.Title, &c.Source.URL, &c.Result, &c.Note); err != nil {
			return nil, fmt.Errorf("timeline: checks of %s: %w", slug, err)
		}
		c.CheckedOn, _ = ParseDate(on)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("timeline: checks of %s: %w", slug, err)
	}
	return out, nil
}

// CheckSummary counts the live events, those checked, and the checks of
// live events by result.
func (s *Store) CheckSummary(ctx context.Context) (CheckSummary, error) {
	var sum CheckSummary
	err := readPool{s}.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM events WHERE deleted_at IS NULL),
		(SELECT COUNT(DISTINCT c.event_id) FROM checks c JOIN events e ON e.id = c.event_id WHERE e.deleted_at IS NULL),
		(SELECT COUNT(*) FROM checks c JOIN events e ON e.id = c.event_id WHERE e.deleted_at IS NULL AND c.result = 'confirmed'),
		(SELECT COUNT(*) FROM checks c JOIN events e ON e.id = c.event_id WHERE e.deleted_at IS NULL AND c.result = 'corrected'),
		(SELECT COUNT(*) FROM checks c JOIN events e ON e.id = c.event_id WHERE e.deleted_at IS NULL AND c.result = 'disputed')`).
		Scan(&sum.Events, &sum.Checked, &sum.Confirmed, &sum.Corrected, &sum.Disputed)
	if err != nil {
		return sum, fmt.Errorf("timeline: check summary: %w", err)
	}
	return sum, nil
}
