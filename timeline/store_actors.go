package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ListActors returns every actor with its number of live events, by name.
func (s *Store) ListActors(ctx context.Context) ([]ActorSummary, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.slug, a.name, a.name_ja, a.name_ko, a.kind, a.country,
		(SELECT COUNT(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE ea.actor_id = a.id AND e.deleted_at IS NULL)
		FROM actors a ORDER BY a.name`)
	if err != nil {
		return nil, fmt.Errorf("timeline: list actors: %w", err)
	}
	defer rows.Close()
	var out []ActorSummary
	for rows.Next() {
		var a ActorSummary
		if err := rows.Scan(&a.Slug, &a.Name, &a.NameJA, &a.NameKO, &a.Kind, &a.Country, &a.Events); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ActorSummary is an actor with its number of events.
type ActorSummary struct {
	Actor
	Events int `json:"events"`
}

// GetActor returns the actor with the slug, or ErrNotFound.
func (s *Store) GetActor(ctx context.Context, slug string) (Actor, error) {
	var a Actor
	err := s.read.QueryRowContext(ctx, `SELECT slug, name, name_ja, name_ko, kind, country FROM actors WHERE slug = ?`, slug).
		Scan(&a.Slug, &a.Name, &a.NameJA, &a.NameKO, &a.Kind, &a.Country)
	if errors.Is(err, sql.ErrNoRows) {
		return Actor{}, fmt.Errorf("timeline: actor %q: %w", slug, ErrNotFound)
	}
	return a, err
}

// eraColumns are the columns an Era is scanned from, in its field order.
const eraColumns = `slug, name, name_ja, name_ko, start, "end", description, description_ja, description_ko`

// ListEras returns every era in time order.
func (s *Store) ListEras(ctx context.Context) ([]Era, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+eraColumns+` FROM eras ORDER BY lo, hi`)
	if err != nil {
		return nil, fmt.Errorf("timeline: list eras: %w", err)
	}
	defer rows.Close()
	var out []Era
	for rows.Next() {
		var r Era
		var start, end string
		if err := rows.Scan(&r.Slug, &r.Name, &r.NameJA, &r.NameKO, &start, &end, &r.Description, &r.DescriptionJA, &r.DescriptionKO); err != nil {
			return nil, err
		}
		r.Start, _ = ParseDate(start)
		r.End, _ = ParseDate(end)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Neighbours returns the live events just before and just after e in
// chronological order (zero Events where there is none).
func (s *Store) Neighbours(ctx context.Context, e Event) (prev, next Event, err error) {
	var id int64
	if err := s.read.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, e.Slug).Scan(&id); err != nil {
		return prev, next, fmt.Errorf("timeline: neighbours %q: %w", e.Slug, err)
	}
	key := []any{e.Earliest(), int(e.Start.Precision()), e.Title, id}
	for _, q := range []struct {
		dst *Event
		sql string
	}{
		{&prev, `SELECT ` + eventColumns + ` FROM events e WHERE e.deleted_at IS NULL AND (e.lo, e.prec, e.title, e.id) < (?,?,?,?) ORDER BY e.lo DESC, e.prec DESC, e.title DESC, e.id DESC LIMIT 1`},
		{&next, `SELECT ` + eventColumns + ` FROM events e WHERE e.deleted_at IS NULL AND (e.lo, e.prec, e.title, e.id) > (?,?,?,?) ORDER BY e.lo, e.prec, e.title, e.id LIMIT 1`},
	} {
		_, ev, err := scanEvent(s.read.QueryRowContext(ctx, q.sql, key...))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return prev, next, fmt.Errorf("timeline: neighbours %q: %w", e.Slug, err)
		}
		*q.dst = ev
	}
	return prev, next, nil
}

// EventsAround returns up to before live events that f selects just
// before e, and up to after just after it, in chronological order, never e
// itself. It lists an actor's other events near an event, so the events
// come without their actors, tags, sources and related events.
func (s *Store) EventsAround(ctx context.Context, f Filter, e Event, before, after int) ([]Event, error) {
	var id int64
	if err := s.read.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, e.Slug).Scan(&id); err != nil {
		return nil, fmt.Errorf("timeline: events around %q: %w", e.Slug, err)
	}
	c := cursor{Lo: int64(e.Earliest()), Prec: int64(e.Start.Precision()), Title: e.Title, ID: id}
	var out []Event
	if before > 0 {
		back := c
		back.Back = true
		p, err := s.listEvents(ctx, f, PageRequest{Cursor: back.encode(), Limit: before}, false)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Events...)
	}
	if after > 0 {
		p, err := s.listEvents(ctx, f, PageRequest{Cursor: c.encode(), Limit: after}, false)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Events...)
	}
	return out, nil
}
