package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
)

// Dataset is a set of records to import together: actors, eras and events
// in the one JSON shape.
type Dataset struct {
	Actors []Actor `json:"actors"`
	Eras   []Era   `json:"eras"`
	Events []Event `json:"events"`
}

// ImportProblem is one thing wrong with one record of an import.
type ImportProblem struct {
	Record string // "event 12 (slug)", "actor 3", "line 14"
	Field  string
	Rule   string
}

func (p ImportProblem) String() string {
	if p.Field == "" {
		return p.Record + ": " + p.Rule
	}
	return p.Record + ": " + p.Field + ": " + p.Rule
}

// ImportError holds every problem found in an import; nothing was written.
type ImportError struct{ Problems []ImportProblem }

func (e *ImportError) Error() string {
	s := fmt.Sprintf("import refused, nothing written: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			s += fmt.Sprintf("; … and %d more", len(e.Problems)-20)
			break
		}
		s += "; " + p.String()
	}
	return s
}

// ImportReport says what an import did (or, dry, would do).
type ImportReport struct {
	Created, Updated, Unchanged int
	Actors, Eras                int // actors and eras added or updated
}

// ImportOptions control an import.
type ImportOptions struct {
	DryRun bool
	// Labels names each event for problem reports, e.g. "line 14"; when nil
	// events are called "event N".
	Labels []string
}

// Import writes a whole dataset in one transaction: actors and eras are
// added or updated by slug; events are matched on slug and updated when
// present (each change a revision by ch.Author), created otherwise. Every
// record is checked first; if anything is wrong it returns an
// *ImportError listing every problem and writes nothing. With DryRun it
// checks and counts but writes nothing either.
func (s *Store) Import(ctx context.Context, ds Dataset, ch Change, opt ImportOptions) (ImportReport, error) {
	return s.importWith(ctx, ds, ch, opt, nil)
}

// errSkip stops an import whose guard says it must not run.
var errSkip = errors.New("import skipped")

// importWith is Import with a guard run first inside the write
// transaction; when the guard says false, nothing is written and errSkip
// is returned.
func (s *Store) importWith(ctx context.Context, ds Dataset, ch Change, opt ImportOptions, guard func(*sql.Tx) (bool, error)) (ImportReport, error) {
	var rep ImportReport
	var probs []ImportProblem
	label := func(i int) string {
		if i < len(opt.Labels) {
			return opt.Labels[i]
		}
		return fmt.Sprintf("event %d", i+1)
	}
	addAll := func(rec string, err error) {
		var ve *ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields() {
				probs = append(probs, ImportProblem{Record: rec, Field: f, Rule: ve.Problems[f]})
			}
		} else if err != nil {
			probs = append(probs, ImportProblem{Record: rec, Rule: err.Error()})
		}
	}
	actorSlugs := map[string]bool{}
	for i, a := range ds.Actors {
		addAll(fmt.Sprintf("actor %d (%s)", i+1, a.Slug), a.Validate())
		if actorSlugs[a.Slug] {
			addAll(fmt.Sprintf("actor %d", i+1), fmt.Errorf("slug %q appears twice", a.Slug))
		}
		actorSlugs[a.Slug] = true
	}
	for i, r := range ds.Eras {
		addAll(fmt.Sprintf("era %d (%s)", i+1, r.Slug), r.Validate())
	}
	batch := map[string]bool{}
	seenDateTitle := map[string]string{}
	for i := range ds.Events {
		e := &ds.Events[i]
		e.Normalize()
		addAll(label(i), e.Validate())
		if batch[e.Slug] {
			probs = append(probs, ImportProblem{Record: label(i), Field: "slug", Rule: fmt.Sprintf("%q appears twice in the file", e.Slug)})
		}
		batch[e.Slug] = true
		key := e.Start.String() + "\x00" + e.Title
		if other, ok := seenDateTitle[key]; ok {
			probs = append(probs, ImportProblem{Record: label(i), Field: "title", Rule: fmt.Sprintf("same date and title as %s", other)})
		}
		seenDateTitle[key] = label(i)
	}
	if len(probs) > 0 {
		return rep, &ImportError{Problems: probs}
	}
	errRollback := errors.New("dry run")
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if guard != nil {
			ok, err := guard(tx)
			if err != nil {
				return err
			}
			if !ok {
				return errSkip
			}
		}
		now := s.now()
		written := make([]bool, len(ds.Events)) // unchanged events keep their links as they are
		for _, a := range ds.Actors {
			if err := upsertActor(ctx, tx, a); err != nil {
				return err
			}
			rep.Actors++
		}
		for _, r := range ds.Eras {
			if err := upsertEra(ctx, tx, r); err != nil {
				return err
			}
			rep.Eras++
		}
		for i := range ds.Events {
			e := &ds.Events[i]
			var version int
			err := tx.QueryRowContext(ctx, `SELECT version FROM events WHERE slug = ?`, e.Slug).Scan(&version)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if err := checkRefs(ctx, tx, e, batch, "", true); err != nil {
					addAll(label(i), err)
					continue
				}
				if _, err := insertEvent(ctx, tx, e, now); err != nil {
					return err
				}
				if err := recordRevision(ctx, tx, e, "create", ch, now); err != nil {
					return err
				}
				written[i] = true
				rep.Created++
			case err != nil:
				return err
			default:
				old, err := getEventTx(ctx, tx, e.Slug)
				if err != nil {
					return err
				}
				if sameContent(old, *e) {
					rep.Unchanged++
					continue
				}
				e.Version = version
				if err := updateEventTx(ctx, tx, e, "update", ch, now, batch, true); err != nil {
					addAll(label(i), err)
					continue
				}
				written[i] = true
				rep.Updated++
			}
		}
		if len(probs) > 0 {
			return &ImportError{Problems: probs}
		}
		for i := range ds.Events {
			if !written[i] {
				continue
			}
			if err := writeRelations(ctx, tx, &ds.Events[i]); err != nil {
				return err
			}
		}
		if opt.DryRun {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

func getEventTx(ctx context.Context, tx *sql.Tx, slug string) (Event, error) {
	id, e, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.slug = ?`, slug))
	if err != nil {
		return Event{}, err
	}
	evs := []Event{e}
	err = loadChildren(ctx, tx, []int64{id}, evs)
	return evs[0], err
}

// sameContent reports whether two events say the same thing (ignoring
// version, times and the details of actors, which are kept by slug).
func sameContent(a, b Event) bool {
	if a.DeletedAt != nil || a.Start != b.Start || a.End != b.End || a.Approximate != b.Approximate || a.Title != b.Title ||
		a.TitleJA != b.TitleJA || a.TitleKO != b.TitleKO || a.Summary != b.Summary || a.Body != b.Body ||
		a.Category != b.Category || a.Significance != b.Significance || a.Location != b.Location ||
		len(a.Actors) != len(b.Actors) || len(a.Tags) != len(b.Tags) || len(a.Sources) != len(b.Sources) || len(a.Related) != len(b.Related) {
		return false
	}
	for i := range a.Actors {
		if a.Actors[i].Slug != b.Actors[i].Slug || a.Actors[i].Role != b.Actors[i].Role {
			return false
		}
	}
	for i := range a.Tags {
		if a.Tags[i] != b.Tags[i] {
			return false
		}
	}
	for i := range a.Sources {
		if a.Sources[i] != b.Sources[i] {
			return false
		}
	}
	ra, rb := relKeys(a.Related), relKeys(b.Related)
	for i := range ra {
		if ra[i] != rb[i] {
			return false
		}
	}
	return true
}

func relKeys(rs []Relation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Slug + " " + r.Relation
	}
	sort.Strings(out)
	return out
}

func upsertActor(ctx context.Context, tx *sql.Tx, a Actor) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO actors (slug, name, name_ja, name_ko, kind, country) VALUES (?,?,?,?,?,?)
		ON CONFLICT (slug) DO UPDATE SET name=excluded.name, name_ja=excluded.name_ja, name_ko=excluded.name_ko, kind=excluded.kind, country=excluded.country`,
		a.Slug, a.Name, a.NameJA, a.NameKO, a.Kind, a.Country)
	if err != nil {
		return fmt.Errorf("timeline: actor %q: %w", a.Slug, err)
	}
	return bumpVersion(ctx, tx)
}

func upsertEra(ctx context.Context, tx *sql.Tx, r Era) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO eras (slug, name, name_ja, start, "end", lo, hi, description) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT (slug) DO UPDATE SET name=excluded.name, name_ja=excluded.name_ja, start=excluded.start, "end"=excluded."end",
		lo=excluded.lo, hi=excluded.hi, description=excluded.description`,
		r.Slug, r.Name, r.NameJA, r.Start.String(), r.End.String(), r.Start.Earliest(), r.End.Latest(), r.Description)
	if err != nil {
		return fmt.Errorf("timeline: era %q: %w", r.Slug, err)
	}
	return bumpVersion(ctx, tx)
}

// LoadDatasetOnce imports ds only if no dataset was ever loaded into this
// database, marking it loaded in the same transaction, so that it happens
// once even with several processes starting together. It reports whether
// it loaded anything.
func (s *Store) LoadDatasetOnce(ctx context.Context, ds Dataset) (bool, error) {
	_, err := s.importWith(ctx, ds, Change{Author: "dataset", Summary: "shipped dataset"}, ImportOptions{}, func(tx *sql.Tx) (bool, error) {
		res, err := tx.ExecContext(ctx, `UPDATE meta SET value = 1 WHERE key = 'dataset_loaded' AND value = 0`)
		if err != nil {
			return false, err
		}
		n, err := res.RowsAffected()
		return n == 1, err
	})
	if errors.Is(err, errSkip) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("timeline: load dataset: %w", err)
	}
	return true, s.Analyze(ctx)
}
