package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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

// MaxReportedProblems is how many problems an ImportError lists: a
// hostile file can have millions, and the answer must stay small.
const MaxReportedProblems = 100

// ImportError holds the first MaxReportedProblems problems found in an
// import, in file order, and how many there are in all; nothing was
// written.
type ImportError struct {
	Problems []ImportProblem
	Total    int // every problem found, listed or not (≥ len(Problems))
}

func (e *ImportError) Error() string {
	total := max(e.Total, len(e.Problems))
	s := fmt.Sprintf("import refused, nothing written: %d problem(s)", total)
	for i, p := range e.Problems {
		if i == 20 {
			break
		}
		s += "; " + p.String()
	}
	if n := total - min(len(e.Problems), 20); n > 0 {
		s += fmt.Sprintf("; … and %d more", n)
	}
	return s
}

// problemList keeps the first MaxReportedProblems problems added and
// counts them all.
type problemList struct {
	list []ImportProblem
	n    int
}

func (l *problemList) add(p ImportProblem) {
	l.n++
	if len(l.list) < MaxReportedProblems {
		l.list = append(l.list, p)
	}
}

func (l *problemList) err() error {
	if l.n == 0 {
		return nil
	}
	return &ImportError{Problems: l.list, Total: l.n}
}

// ImportReport says what an import did (or, dry, would do).
type ImportReport struct {
	Created, Updated, Unchanged int
	Actors, Eras                int // actors and eras added or changed; unchanged ones are not written
	// Events says what happened to each event, in the order of the file.
	Events []EventChange
	// Warnings are what the import left out without refusing the file: a
	// related link whose target event is not in this database (as in an
	// export filtered to some events).
	Warnings []ImportProblem
}

// What an import does to one event.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// EventChange is what an import does (or, dry, would do) to one event.
type EventChange struct {
	Record string // the event's label: "line 14", "record 3"
	Slug   string
	Action string   // ImportCreated, ImportUpdated or ImportUnchanged
	Fields []string // for an update, the fields that change (ChangedFields)
}

// ImportOptions control an import.
type ImportOptions struct {
	DryRun bool
	// Labels names each event for problem reports, e.g. "line 14"; when nil
	// events are called "event N".
	Labels []string
	// ReadVersions, when set for an event (by its index), is the version of
	// the stored event that the caller read to build it, 0 if there was
	// none: the import refuses the event if the stored one has changed
	// since (a spreadsheet row completed from the stored event must not
	// undo a concurrent edit).
	ReadVersions map[int]int
	// Progress, when set, is called now and then with how many events have
	// been checked or written, and how many there are.
	Progress func(done, total int)
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
	var probs problemList
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
				probs.add(ImportProblem{Record: rec, Field: f, Rule: ve.Problems[f]})
			}
		} else if err != nil {
			probs.add(ImportProblem{Record: rec, Rule: err.Error()})
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
			probs.add(ImportProblem{Record: label(i), Field: "slug", Rule: fmt.Sprintf("%q appears twice in the file", e.Slug)})
		}
		batch[e.Slug] = true
		key := e.Start.String() + "\x00" + e.Title
		if other, ok := seenDateTitle[key]; ok {
			probs.add(ImportProblem{Record: label(i), Field: "title", Rule: fmt.Sprintf("same date and title as %s", other)})
		}
		seenDateTitle[key] = label(i)
	}
	if err := probs.err(); err != nil {
		return rep, err
	}
	if opt.DryRun && guard == nil {
		// A dry run reads, in a read transaction of its own: writers go on
		// meanwhile, and it sees one consistent state.
		return s.dryImport(ctx, ds, ch, opt, label, batch, &probs, addAll)
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
			changed, err := upsertActor(ctx, tx, a)
			if err != nil {
				return err
			}
			if changed {
				rep.Actors++
			}
		}
		for _, r := range ds.Eras {
			changed, err := upsertEra(ctx, tx, r)
			if err != nil {
				return err
			}
			if changed {
				rep.Eras++
			}
		}
		for i := range ds.Events {
			if opt.Progress != nil && i > 0 && i%progressStep == 0 {
				opt.Progress(i, len(ds.Events))
			}
			e := &ds.Events[i]
			dropped, err := dropMissingRelated(ctx, tx, e, batch)
			if err != nil {
				return err
			}
			for _, slug := range dropped {
				rep.Warnings = append(rep.Warnings, ImportProblem{Record: label(i), Field: "related",
					Rule: fmt.Sprintf("no event %q in this database: the link was left out", slug)})
			}
			var version int
			err = tx.QueryRowContext(ctx, `SELECT version FROM events WHERE slug = ?`, e.Slug).Scan(&version)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if read, ok := opt.ReadVersions[i]; ok && read != version {
				rule := fmt.Sprintf("someone changed the event (now version %d) after the file was checked against version %d: check the file again", version, read)
				if read == 0 {
					rule = "someone created an event with this slug after the file was checked: check the file again"
				}
				probs.add(ImportProblem{Record: label(i), Field: "slug", Rule: rule})
				continue
			}
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
				rep.Events = append(rep.Events, EventChange{Record: label(i), Slug: e.Slug, Action: ImportCreated})
			default:
				old, err := getEventTx(ctx, tx, e.Slug)
				if err != nil {
					return err
				}
				fields := ChangedFields(old, *e)
				if len(fields) == 0 {
					rep.Unchanged++
					rep.Events = append(rep.Events, EventChange{Record: label(i), Slug: e.Slug, Action: ImportUnchanged})
					continue
				}
				e.Version = version
				if err := updateEventTx(ctx, tx, e, "update", ch, now, batch, true); err != nil {
					addAll(label(i), err)
					continue
				}
				written[i] = true
				rep.Updated++
				rep.Events = append(rep.Events, EventChange{Record: label(i), Slug: e.Slug, Action: ImportUpdated, Fields: fields})
			}
		}
		if opt.Progress != nil && len(ds.Events) > 0 {
			opt.Progress(len(ds.Events), len(ds.Events))
		}
		if err := probs.err(); err != nil {
			return err
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

// dryImport works out what importWith would do, reading only: the same
// checks, in the same order, with actors and events that the import would
// create counted as existing.
func (s *Store) dryImport(ctx context.Context, ds Dataset, ch Change, opt ImportOptions, label func(int) string,
	batch map[string]bool, probs *problemList, addAll func(string, error)) (ImportReport, error) {
	var rep ImportReport
	if err := ch.Validate(); err != nil {
		return rep, err
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, err
	}
	defer tx.Rollback()
	actors := map[string]bool{} // actors the import would create
	for _, a := range ds.Actors {
		changed, err := actorDiffers(ctx, tx, a)
		if err != nil {
			return rep, err
		}
		if changed {
			rep.Actors++
		}
		actors[a.Slug] = true
	}
	for _, r := range ds.Eras {
		changed, err := eraDiffers(ctx, tx, r)
		if err != nil {
			return rep, err
		}
		if changed {
			rep.Eras++
		}
	}
	for i := range ds.Events {
		if opt.Progress != nil && i > 0 && i%progressStep == 0 {
			opt.Progress(i, len(ds.Events))
		}
		e := &ds.Events[i]
		dropped, err := dropMissingRelated(ctx, tx, e, batch)
		if err != nil {
			return rep, err
		}
		for _, slug := range dropped {
			rep.Warnings = append(rep.Warnings, ImportProblem{Record: label(i), Field: "related",
				Rule: fmt.Sprintf("no event %q in this database: the link was left out", slug)})
		}
		var version int
		err = tx.QueryRowContext(ctx, `SELECT version FROM events WHERE slug = ?`, e.Slug).Scan(&version)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return rep, err
		}
		if read, ok := opt.ReadVersions[i]; ok && read != version {
			rule := fmt.Sprintf("someone changed the event (now version %d) after the file was checked against version %d: check the file again", version, read)
			if read == 0 {
				rule = "someone created an event with this slug after the file was checked: check the file again"
			}
			probs.add(ImportProblem{Record: label(i), Field: "slug", Rule: rule})
			continue
		}
		exists := err == nil
		var fields []string
		if exists {
			old, err := getEventTx(ctx, tx, e.Slug)
			if err != nil {
				return rep, err
			}
			if fields = ChangedFields(old, *e); len(fields) == 0 {
				rep.Unchanged++
				rep.Events = append(rep.Events, EventChange{Record: label(i), Slug: e.Slug, Action: ImportUnchanged})
				continue
			}
		}
		if err := checkRefsWith(ctx, tx, e, batch, actors, !exists); err != nil {
			addAll(label(i), err)
			continue
		}
		for _, a := range e.Actors {
			if a.Name != "" {
				actors[a.Slug] = true // created with this event
			}
		}
		if exists {
			rep.Updated++
			rep.Events = append(rep.Events, EventChange{Record: label(i), Slug: e.Slug, Action: ImportUpdated, Fields: fields})
		} else {
			rep.Created++
			rep.Events = append(rep.Events, EventChange{Record: label(i), Slug: e.Slug, Action: ImportCreated})
		}
	}
	if opt.Progress != nil && len(ds.Events) > 0 {
		opt.Progress(len(ds.Events), len(ds.Events))
	}
	if err := probs.err(); err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

func getEventTx(ctx context.Context, tx querier, slug string) (Event, error) {
	id, e, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.slug = ?`, slug))
	if err != nil {
		return Event{}, err
	}
	evs := []Event{e}
	err = loadChildren(ctx, tx, []int64{id}, evs)
	return evs[0], err
}

// progressStep is how many events an import handles between two calls of
// its Progress function.
const progressStep = 100

// dropMissingRelated removes from e the related links whose target is
// neither in the import (batch) nor a live event of the database, and
// returns their slugs: an export filtered to some events links to others.
func dropMissingRelated(ctx context.Context, tx querier, e *Event, batch map[string]bool) ([]string, error) {
	var dropped []string
	kept := e.Related[:0:0]
	for _, r := range e.Related {
		if !batch[r.Slug] {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE slug = ? AND deleted_at IS NULL`, r.Slug).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				dropped = append(dropped, r.Slug)
				continue
			}
		}
		kept = append(kept, r)
	}
	if dropped != nil {
		e.Related = kept
	}
	return dropped, nil
}

// ChangedFields names the fields in which the stored event old and the
// event b differ, as the JSON shape names them ("restored" when old is
// deleted): nil when b says nothing new. Version, times and the details of
// actors, which are kept by slug, are not compared; related events are
// compared as a set.
func ChangedFields(old, b Event) []string {
	var out []string
	add := func(field string, same bool) {
		if !same {
			out = append(out, field)
		}
	}
	add("restored", old.DeletedAt == nil)
	add("start", old.Start == b.Start)
	add("end", old.End == b.End)
	add("title", old.Title == b.Title)
	add("title_ja", old.TitleJA == b.TitleJA)
	add("title_ko", old.TitleKO == b.TitleKO)
	add("summary", old.Summary == b.Summary)
	add("summary_ja", old.SummaryJA == b.SummaryJA)
	add("summary_ko", old.SummaryKO == b.SummaryKO)
	add("body", old.Body == b.Body)
	add("category", old.Category == b.Category)
	add("significance", old.Significance == b.Significance)
	add("location", old.Location == b.Location)
	add("location_ja", old.LocationJA == b.LocationJA)
	add("location_ko", old.LocationKO == b.LocationKO)
	add("actors", slices.EqualFunc(old.Actors, b.Actors, func(x, y EventActor) bool { return x.Slug == y.Slug && x.Role == y.Role }))
	add("tags", slices.Equal(old.Tags, b.Tags))
	add("sources", slices.Equal(old.Sources, b.Sources))
	add("related", slices.Equal(relKeys(old.Related), relKeys(b.Related)))
	return out
}

func relKeys(rs []Relation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Slug + " " + r.Relation
	}
	sort.Strings(out)
	return out
}

// upsertActor adds or updates an actor, and reports whether it wrote:
// an actor stored as it is given is left alone, so that re-importing an
// export changes nothing (not even the data version).
func upsertActor(ctx context.Context, tx *sql.Tx, a Actor) (bool, error) {
	if differs, err := actorDiffers(ctx, tx, a); err != nil || !differs {
		return false, err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO actors (slug, name, name_ja, name_ko, kind, country) VALUES (?,?,?,?,?,?)
		ON CONFLICT (slug) DO UPDATE SET name=excluded.name, name_ja=excluded.name_ja, name_ko=excluded.name_ko, kind=excluded.kind, country=excluded.country`,
		a.Slug, a.Name, a.NameJA, a.NameKO, a.Kind, a.Country)
	if err != nil {
		return false, fmt.Errorf("timeline: actor %q: %w", a.Slug, err)
	}
	return true, bumpVersion(ctx, tx)
}

// actorDiffers reports whether a is missing from the store or stored
// differently.
func actorDiffers(ctx context.Context, tx querier, a Actor) (bool, error) {
	var old Actor
	err := tx.QueryRowContext(ctx, `SELECT slug, name, name_ja, name_ko, kind, country FROM actors WHERE slug = ?`, a.Slug).
		Scan(&old.Slug, &old.Name, &old.NameJA, &old.NameKO, &old.Kind, &old.Country)
	if err == nil && old.Name == a.Name && old.NameJA == a.NameJA && old.NameKO == a.NameKO && old.Kind == a.Kind && old.Country == a.Country {
		return false, nil
	} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("timeline: actor %q: %w", a.Slug, err)
	}
	return true, nil
}

// eraDiffers reports whether r is missing from the store or stored
// differently.
func eraDiffers(ctx context.Context, tx querier, r Era) (bool, error) {
	r.normalizeText()
	var old Era
	var start, end string
	err := tx.QueryRowContext(ctx, `SELECT name, name_ja, name_ko, start, "end", description, description_ja, description_ko FROM eras WHERE slug = ?`, r.Slug).
		Scan(&old.Name, &old.NameJA, &old.NameKO, &start, &end, &old.Description, &old.DescriptionJA, &old.DescriptionKO)
	if err == nil && old.Name == r.Name && old.NameJA == r.NameJA && old.NameKO == r.NameKO && start == r.Start.String() && end == r.End.String() &&
		old.Description == r.Description && old.DescriptionJA == r.DescriptionJA && old.DescriptionKO == r.DescriptionKO {
		return false, nil
	} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("timeline: era %q: %w", r.Slug, err)
	}
	return true, nil
}

// upsertEra adds or updates an era, and reports whether it wrote (an era
// stored as it is given is left alone).
func upsertEra(ctx context.Context, tx *sql.Tx, r Era) (bool, error) {
	r.normalizeText()
	if differs, err := eraDiffers(ctx, tx, r); err != nil || !differs {
		return false, err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO eras (slug, name, name_ja, name_ko, start, "end", lo, hi, description, description_ja, description_ko)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (slug) DO UPDATE SET name=excluded.name, name_ja=excluded.name_ja, name_ko=excluded.name_ko, start=excluded.start,
		"end"=excluded."end", lo=excluded.lo, hi=excluded.hi, description=excluded.description,
		description_ja=excluded.description_ja, description_ko=excluded.description_ko`,
		r.Slug, r.Name, r.NameJA, r.NameKO, r.Start.String(), r.End.String(), r.Start.Earliest(), r.End.Latest(),
		r.Description, r.DescriptionJA, r.DescriptionKO)
	if err != nil {
		return false, fmt.Errorf("timeline: era %q: %w", r.Slug, err)
	}
	return true, bumpVersion(ctx, tx)
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
