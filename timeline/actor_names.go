package timeline

import (
	"context"
	"fmt"
	"sync"
)

// actorNames keeps every actor by id, as of one data version, for the
// reader pool's pages: a list's cards and its counts name their actors
// from it instead of joining the actors table for each page (at a million
// events, the join was a third of reading a card's children). A chronology
// of more than maxActorNames actors is not kept: its pages join as before.
type actorNames struct {
	mu      sync.Mutex
	loaded  bool
	version int64 // the data version the actors were read at
	byID    map[int64]Actor
}

// maxActorNames bounds the actors kept (about 100 bytes each).
var maxActorNames = 50_000 // a variable for tests

// actorsByID returns the actors by id, read at the data version ctx reads
// (or a write or two later: a request may see data newer than its version
// says, never older), or nil when there are too many to keep. An actor
// written after that version may be missing: callers then read the table.
func (s *Store) actorsByID(ctx context.Context) (map[int64]Actor, error) {
	version, err := s.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	n := &s.actorNames
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.loaded && n.version == version {
		return n.byID, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, slug, name, name_ja, name_ko, kind, country FROM actors LIMIT ?`, maxActorNames+1)
	if err != nil {
		return nil, fmt.Errorf("timeline: actors: %w", err)
	}
	byID := map[int64]Actor{}
	err = scanAll(rows, func() error {
		var id int64
		var a Actor
		if err := rows.Scan(&id, &a.Slug, &a.Name, &a.NameJA, &a.NameKO, &a.Kind, &a.Country); err != nil {
			return err
		}
		byID[id] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: actors: %w", err)
	}
	if len(byID) > maxActorNames {
		byID = nil
	}
	n.loaded, n.version, n.byID = true, version, byID
	return byID, nil
}
