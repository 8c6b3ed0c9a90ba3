package timeline

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// ImportFile is an import file as a reader (timeline/export) read it: its
// records, a label for each event ("line 14", "record 3") and the problems
// found while reading it. Store.ImportFile checks and writes it.
type ImportFile struct {
	Format   string // the format it was read in: "json", "csv", "timelinejs"
	Dataset  Dataset
	Labels   []string // Labels[i] names Dataset.Events[i]
	Problems []ImportProblem

	// rows[i] is set when event i carries only some fields (a CSV or
	// TimelineJS row); nil for a whole record (JSON).
	rows []*ImportRow
	bad  map[int]bool // events that could not be read

	problemCount int // problems found while reading, kept or not
	dropped      int // events past MaxImportEvents, counted only
}

// ImportRow is what a row of a spreadsheet format says: an event read from
// one is completed from the stored event of its slug (Store.ImportFile).
type ImportRow struct {
	Fields  map[string]bool   // event fields the row carries
	Columns map[string]string // event field → the file's column, for problems
	URLs    []string          // source URLs, for the sources field
}

func (p *ImportRow) column(field string) string {
	if c := p.Columns[field]; c != "" {
		return c
	}
	return field
}

// MaxImportEvents is the most events one import file may hold: past it,
// events are counted, not kept, and the file is refused, so that a
// hostile file cannot take the memory of the server.
const MaxImportEvents = 20_000

// Add appends an event read from the file, with the spreadsheet row it
// came from (nil for a whole record, as in JSON). Past MaxImportEvents it
// only counts it; the file then has a problem.
func (in *ImportFile) Add(e Event, label string, row *ImportRow) {
	if len(in.Dataset.Events) >= MaxImportEvents {
		if in.dropped == 0 {
			in.Problem(label, "", fmt.Sprintf("the file holds more than %d events, the most one import takes: split it into smaller files", MaxImportEvents))
		}
		in.dropped++
		return
	}
	in.Dataset.Events = append(in.Dataset.Events, e)
	in.Labels = append(in.Labels, label)
	in.rows = append(in.rows, row)
	if in.bad == nil {
		in.bad = map[int]bool{}
	}
}

// Unreadable marks the event added last as one that could not be read:
// it is reported, never written.
func (in *ImportFile) Unreadable() {
	if in.dropped == 0 && len(in.Dataset.Events) > 0 {
		in.bad[len(in.Dataset.Events)-1] = true
	}
}

// Problem records a problem of the file: the first MaxReportedProblems
// are kept, all are counted.
func (in *ImportFile) Problem(record, field, rule string) {
	in.problemCount++
	if len(in.Problems) < MaxReportedProblems {
		in.Problems = append(in.Problems, ImportProblem{Record: record, Field: field, Rule: rule})
	}
}

// Full reports whether the file has reached MaxImportEvents: a reader
// may then skip the rest rather than decode it (Add only counts them).
func (in *ImportFile) Full() bool { return len(in.Dataset.Events) >= MaxImportEvents }

// ImportFileOptions control Store.ImportFile.
type ImportFileOptions struct {
	// DryRun checks everything and counts what would change, writing nothing.
	DryRun bool
	// Change names the author of every revision the import makes.
	Change Change
	// DefaultCategory, when set, is the category of a row whose category
	// (CSV category, TimelineJS Group) is empty or not one of ours.
	// Without it such a row is a problem.
	DefaultCategory Category
	// DefaultSignificance (1–3), when set, is the significance of a new
	// event from a row that gives none (TimelineJS has no column for it).
	DefaultSignificance int
	// SourcePublisher and SourceTitle, set together, make the source of a
	// new event from a row that names no source URL (TimelineJS rows have
	// no source columns). Without them such a row is a problem.
	SourcePublisher, SourceTitle string
	// Progress, when set, is called now and then with how many events have
	// been handled and how many there are.
	Progress func(done, total int)

	// BeforeWrite, when set, runs between the reading of the stored events
	// and the write transaction, where a concurrent edit can fall (tests
	// stage one there).
	BeforeWrite func()
}

// Check reports a mistake in the options themselves.
func (o ImportFileOptions) Check() error {
	var msgs []string
	if o.DefaultCategory != "" && !o.DefaultCategory.Valid() {
		msgs = append(msgs, fmt.Sprintf("default category %q is not a category", o.DefaultCategory))
	}
	if o.DefaultSignificance < 0 || o.DefaultSignificance > 3 {
		msgs = append(msgs, "default significance must be 1, 2 or 3")
	}
	if (o.SourcePublisher == "") != (o.SourceTitle == "") {
		msgs = append(msgs, "give the source publisher and the source title together")
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

// ImportFile checks every record of in against the store and, when nothing is
// wrong and this is not a dry run, writes them all in one transaction
// (events matched on slug: updated when present, created otherwise; each
// change a revision by opt.Change.Author). Rows of spreadsheet formats are
// completed first: a row for an existing event keeps what its columns do
// not say (body, sources not listed, actors' roles, related events), and
// such a row is refused if the stored event changes between its reading
// and the write. Related links to events that are neither in the file nor
// in the database are left out, each with a warning. If anything is wrong
// it returns a *ImportError listing every problem, in file order,
// and writes nothing. The report lists every event, in file order.
func (s *Store) ImportFile(ctx context.Context, in *ImportFile, opt ImportFileOptions) (ImportReport, error) {
	if err := opt.Check(); err != nil {
		return ImportReport{}, err
	}
	// Each source of problems is in file order and keeps its first
	// MaxReportedProblems, so the first of them all are among those kept.
	probs := slices.Clone(in.Problems)
	total := in.problemCount
	if total == 0 {
		total = len(in.Problems)
	}
	bad := map[int]bool{}
	for i := range in.bad {
		bad[i] = true
	}
	events := slices.Clone(in.Dataset.Events)
	for i, p := range in.rows {
		if p == nil || bad[i] {
			continue
		}
		e, ps, err := s.completeRow(ctx, events[i], p, in.Labels[i], opt)
		if err != nil {
			return ImportReport{}, err
		}
		events[i] = e
		if len(ps) > 0 {
			total += len(ps)
			if len(probs) < 4*MaxReportedProblems {
				probs = append(probs, ps...)
			}
			bad[i] = true
		}
	}
	ds := Dataset{Actors: in.Dataset.Actors, Eras: in.Dataset.Eras}
	var labels []string
	read := map[int]int{} // index in ds.Events → the stored version a row was completed from
	slugs := map[string]int{}
	for i := range events {
		events[i].Normalize()
		slugs[events[i].Slug]++
	}
	var unchanged []EventChange
	for i, e := range events {
		if bad[i] {
			continue
		}
		// An event that would not change is left out of the store's
		// import: nothing is to be written for it, and the store would
		// write its links a second time.
		if slugs[e.Slug] == 1 && ValidSlug(e.Slug) {
			old, err := s.GetEventAny(ctx, e.Slug)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return ImportReport{}, err
			}
			if err == nil && len(ChangedFields(old, e)) == 0 {
				unchanged = append(unchanged, EventChange{Record: in.Labels[i], Slug: e.Slug, Action: ImportUnchanged})
				continue
			}
		}
		if in.rows[i] != nil {
			read[len(ds.Events)] = e.Version // 0 for a row that made a new event
		}
		ds.Events = append(ds.Events, e)
		labels = append(labels, in.Labels[i])
	}
	dry := opt.DryRun || total > 0
	if opt.BeforeWrite != nil {
		opt.BeforeWrite()
	}
	rep, err := s.Import(ctx, ds, opt.Change, ImportOptions{DryRun: dry, Labels: labels, ReadVersions: read, Progress: opt.Progress})
	rep.Unchanged += len(unchanged)
	rep.Events = append(rep.Events, unchanged...)
	sortByRecord(rep.Events, in.Labels)
	var ie *ImportError
	if errors.As(err, &ie) {
		rows := make(map[string]*ImportRow, len(in.Labels))
		for i, l := range in.Labels {
			rows[l] = in.rows[i]
		}
		for _, p := range ie.Problems {
			if row := rows[p.Record]; row != nil && row.Columns[p.Field] != "" {
				p.Field = row.Columns[p.Field] // name the file's column
			}
			probs = append(probs, p)
		}
		total += max(ie.Total, len(ie.Problems))
	} else if err != nil {
		return ImportReport{}, err
	}
	if total > 0 {
		sortProblems(probs, in.Labels)
		return ImportReport{}, &ImportError{Problems: probs[:min(len(probs), MaxReportedProblems)], Total: total}
	}
	return rep, nil
}

// sortByRecord puts the events of a report in file order.
func sortByRecord(evs []EventChange, labels []string) {
	pos := make(map[string]int, len(labels))
	for i, l := range labels {
		pos[l] = i
	}
	sort.SliceStable(evs, func(a, b int) bool { return pos[evs[a].Record] < pos[evs[b].Record] })
}

// sortProblems puts problems in file order: the header and the actors and
// eras first, then events in the order of their labels.
func sortProblems(probs []ImportProblem, labels []string) {
	pos := make(map[string]int, len(labels))
	for i, l := range labels {
		pos[l] = i + 1
	}
	sort.SliceStable(probs, func(a, b int) bool { return pos[probs[a].Record] < pos[probs[b].Record] })
}

// completeRow turns a spreadsheet row into a whole event: merged onto the
// stored event with the same slug, or, for a new event, given the
// defaults the options allow. It returns the row's problems.
func (s *Store) completeRow(ctx context.Context, row Event, p *ImportRow, label string, opt ImportFileOptions) (Event, []ImportProblem, error) {
	var probs []ImportProblem
	bad := func(field, rule string) {
		probs = append(probs, ImportProblem{Record: label, Field: p.column(field), Rule: rule})
	}
	slug := strings.TrimSpace(row.Slug)
	if slug == "" && strings.TrimSpace(row.Title) != "" && !row.Start.IsZero() {
		slug = row.DefaultSlug()
	}
	var e Event
	exists := false
	if ValidSlug(slug) {
		stored, err := s.GetEventAny(ctx, slug)
		switch {
		case err == nil:
			e, exists = stored, true
		case !errors.Is(err, ErrNotFound):
			return row, nil, err
		}
	}
	e.Slug = slug
	f := p.Fields
	if f["start"] {
		e.Start = row.Start
	}
	if f["end"] {
		e.End = row.End
	}
	if f["title"] {
		e.Title = row.Title
	}
	if f["title_ja"] {
		e.TitleJA = row.TitleJA
	}
	if f["title_ko"] {
		e.TitleKO = row.TitleKO
	}
	if f["summary"] {
		e.Summary = row.Summary
	}
	if f["summary_ja"] {
		e.SummaryJA = row.SummaryJA
	}
	if f["summary_ko"] {
		e.SummaryKO = row.SummaryKO
	}
	if f["location"] {
		e.Location = row.Location
	}
	if f["location_ja"] {
		e.LocationJA = row.LocationJA
	}
	if f["location_ko"] {
		e.LocationKO = row.LocationKO
	}
	if f["tags"] {
		e.Tags = row.Tags
	}
	if f["significance"] {
		e.Significance = row.Significance
	}
	if f["actors"] {
		actors := make([]EventActor, len(row.Actors))
		for i, a := range row.Actors {
			actors[i] = a
			for _, old := range e.Actors {
				if old.Slug == a.Slug {
					actors[i] = old // keeps the role the row cannot show
				}
			}
		}
		e.Actors = actors
	}
	if f["sources"] {
		e.Sources = mergeSources(e.Sources, p.URLs)
	}
	catRaw := row.Category
	switch {
	case f["category"] && catRaw.Valid():
		e.Category = catRaw
	case f["category"] || !exists:
		if opt.DefaultCategory != "" {
			e.Category = opt.DefaultCategory
		} else if strings.TrimSpace(string(catRaw)) == "" {
			bad("category", "is empty: give one of "+strings.Join(categoryNames(), ", ")+" (or import with a default category)")
		} else {
			bad("category", fmt.Sprintf("%q is not a category: use one of %s (or import with a default category)", catRaw, strings.Join(categoryNames(), ", ")))
		}
	}
	if !exists && e.Significance == 0 {
		if opt.DefaultSignificance > 0 {
			e.Significance = opt.DefaultSignificance
		} else if !f["significance"] {
			bad("significance", "this format has no significance: import with a default significance (1 minor, 2 notable, 3 major)")
		}
	}
	if !exists && len(e.Sources) == 0 {
		if opt.SourcePublisher != "" {
			e.Sources = []Source{{Publisher: opt.SourcePublisher, Title: opt.SourceTitle}}
		} else if f["sources"] {
			bad("sources", "a new event needs at least one source: list its URLs (or import with a source publisher and title)")
		} else {
			bad("sources", "this format has no sources: import with a source publisher and title for its rows")
		}
	}
	return e, probs, nil
}

// mergeSources makes the sources of an event whose spreadsheet row lists
// urls: unchanged when the row lists the URLs the event has; otherwise the
// stored sources of the listed URLs, in the row's order, then a new source
// for each new URL (publisher: the URL's host; title: the URL), then the
// stored sources without a URL, which the row cannot show.
func mergeSources(old []Source, urls []string) []Source {
	var have []string
	for _, s := range old {
		if s.URL != "" {
			have = append(have, s.URL)
		}
	}
	if slices.Equal(have, urls) {
		return old
	}
	var out []Source
	for _, u := range urls {
		i := slices.IndexFunc(old, func(s Source) bool { return s.URL == u })
		if i >= 0 {
			out = append(out, old[i])
			continue
		}
		pub := u
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			pub = strings.TrimPrefix(pu.Host, "www.")
		}
		title := u
		if r := []rune(u); len(r) > MaxShort {
			title = string(r[:MaxShort-1]) + "…"
		}
		out = append(out, Source{Publisher: pub, Title: title, URL: u})
	}
	for _, s := range old {
		if s.URL == "" {
			out = append(out, s)
		}
	}
	return out
}
