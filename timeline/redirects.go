package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Redirect says that the event once at the slug From now lives at To.
type Redirect struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Validate reports every problem of the redirect, keyed by field.
func (r Redirect) Validate() error {
	p := problems{}
	if !ValidSlug(r.From) {
		p.add("from", slugRule)
	}
	if !ValidSlug(r.To) {
		p.add("to", slugRule)
	}
	if r.From == r.To {
		p.add("to", "must differ from from")
	}
	return p.err()
}

// AddRedirects records that each From slug now lives at its To, replacing
// any earlier target of the same From, in one transaction. It writes
// nothing when every redirect is already recorded.
func (s *Store) AddRedirects(ctx context.Context, rs []Redirect) (written int, err error) {
	for _, r := range rs {
		if err := r.Validate(); err != nil {
			return 0, fmt.Errorf("timeline: redirect %s: %w", r.From, err)
		}
	}
	var todo []Redirect
	for _, r := range rs {
		var to string
		err := (readPool{s}).QueryRowContext(ctx, `SELECT new FROM slug_redirects WHERE old = ?`, r.From).Scan(&to)
		if err == nil && to == r.To {
			continue
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("timeline: redirects: %w", err)
		}
		todo = append(todo, r)
	}
	if len(todo) == 0 {
		return 0, nil
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range todo {
			if _, err := tx.ExecContext(ctx, `INSERT INTO slug_redirects (old, new) VALUES (?, ?)
				ON CONFLICT (old) DO UPDATE SET new = excluded.new`, r.From, r.To); err != nil {
				return err
			}
		}
		return bumpVersion(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("timeline: redirects: %w", err)
	}
	return len(todo), nil
}

// RedirectOf returns where the event once at slug now lives, following a
// chain of renames, or ErrNotFound when slug was never renamed (or its
// new home is gone).
func (s *Store) RedirectOf(ctx context.Context, slug string) (string, error) {
	seen := map[string]bool{slug: true}
	cur := slug
	for range 10 {
		var to string
		err := (readPool{s}).QueryRowContext(ctx, `SELECT new FROM slug_redirects WHERE old = ?`, cur).Scan(&to)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("timeline: redirect of %s: %w", slug, err)
		}
		if seen[to] {
			break // a loop: no home
		}
		seen[to], cur = true, to
	}
	if cur == slug {
		return "", ErrNotFound
	}
	var n int
	if err := (readPool{s}).QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE slug = ? AND deleted_at IS NULL`, cur).Scan(&n); err != nil {
		return "", fmt.Errorf("timeline: redirect of %s: %w", slug, err)
	}
	if n == 0 {
		return "", ErrNotFound
	}
	return cur, nil
}
