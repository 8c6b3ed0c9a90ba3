package timeline

import (
	"context"
	"fmt"
)

// TagCount is a tag with its number of live events.
type TagCount struct {
	Tag    string `json:"tag"`
	Events int    `json:"events"`
}

// ListTags returns every tag that a live event has, with its number of
// live events, in alphabetical order.
func (s *Store) ListTags(ctx context.Context) ([]TagCount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT t.tag, COUNT(*) FROM event_tags t JOIN events e ON e.id = t.event_id
		WHERE e.deleted_at IS NULL GROUP BY t.tag ORDER BY t.tag`)
	if err != nil {
		return nil, fmt.Errorf("timeline: list tags: %w", err)
	}
	defer rows.Close()
	var out []TagCount
	for rows.Next() {
		var tc TagCount
		if err := rows.Scan(&tc.Tag, &tc.Events); err != nil {
			return nil, err
		}
		out = append(out, tc)
	}
	return out, rows.Err()
}

// CheckTag returns ErrNotFound unless a live event has the tag.
func (s *Store) CheckTag(ctx context.Context, tag string) error {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM event_tags t JOIN events e ON e.id = t.event_id
		WHERE t.tag = ? AND e.deleted_at IS NULL)`, tag).Scan(&n)
	if err != nil {
		return fmt.Errorf("timeline: tag %q: %w", tag, err)
	}
	if n == 0 {
		return fmt.Errorf("timeline: tag %q: %w", tag, ErrNotFound)
	}
	return nil
}
