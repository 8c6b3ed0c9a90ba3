package export

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
)

// Input is an import file as read: its records, a label for each event
// ("line 14", "record 3") and the problems found while reading it.
type Input struct {
	Format   Format
	Dataset  timeline.Dataset
	Labels   []string // Labels[i] names Dataset.Events[i]
	Problems []timeline.ImportProblem

	// partial[i] is set when event i carries only some fields (a CSV or
	// TimelineJS row); nil for a whole record (JSON).
	partial []*partial
	bad     map[int]bool // events that could not be read
}

// partial records what a row of a spreadsheet format says.
type partial struct {
	fields  map[string]bool   // event fields the row carries
	columns map[string]string // event field → the file's column, for problems
	urls    []string          // source URLs, for the sources field
}

func (p *partial) column(field string) string {
	if c := p.columns[field]; c != "" {
		return c
	}
	return field
}

func (in *Input) add(e timeline.Event, label string, p *partial) {
	in.Dataset.Events = append(in.Dataset.Events, e)
	in.Labels = append(in.Labels, label)
	in.partial = append(in.partial, p)
	if in.bad == nil {
		in.bad = map[int]bool{}
	}
}

func (in *Input) problem(record, field, rule string) {
	in.Problems = append(in.Problems, timeline.ImportProblem{Record: record, Field: field, Rule: rule})
}

// Read reads an import file in the named format: "json", "csv" or
// "timelinejs" (the TimelineJS spreadsheet template saved as CSV). With
// format "" it is told from the content: JSON starts with [ or {, and a CSV
// whose header has Headline and Year columns is a TimelineJS sheet.
func Read(r io.Reader, format string) (*Input, error) {
	br := bufio.NewReader(newBOMSkipper(r))
	if format == "" {
		head, _ := br.Peek(4096)
		trimmed := bytes.TrimLeft(head, " \t\r\n")
		switch {
		case len(trimmed) == 0:
			return nil, errors.New("the file is empty")
		case trimmed[0] == '[' || trimmed[0] == '{':
			format = "json"
		default:
			line, _, _ := bytes.Cut(trimmed, []byte("\n"))
			low := strings.ToLower(string(line))
			if strings.Contains(low, "headline") && strings.Contains(low, "year") {
				format = "timelinejs"
			} else {
				format = "csv"
			}
		}
	}
	switch format {
	case "json":
		return ReadJSON(br)
	case "csv":
		return ReadCSV(br)
	case "timelinejs":
		return ReadTimelineJSSheet(br)
	}
	return nil, fmt.Errorf("import format %q is not one of json, csv, timelinejs", format)
}

// Options control an import.
type Options struct {
	// DryRun checks everything and counts what would change, writing nothing.
	DryRun bool
	// Change names the author of every revision the import makes.
	Change timeline.Change
	// DefaultCategory, when set, is the category of a row whose category
	// (CSV category, TimelineJS Group) is empty or not one of ours.
	// Without it such a row is a problem.
	DefaultCategory timeline.Category
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

	// beforeWrite, in tests, runs between the reading of the stored events
	// and the write transaction, where a concurrent edit can fall.
	beforeWrite func()
}

// Check reports a mistake in the options themselves.
func (o Options) Check() error {
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

// Import checks every record of in against the store and, when nothing is
// wrong and this is not a dry run, writes them all in one transaction
// (events matched on slug: updated when present, created otherwise; each
// change a revision by opt.Change.Author). Rows of spreadsheet formats are
// completed first: a row for an existing event keeps what its columns do
// not say (body, sources not listed, actors' roles, related events), and
// such a row is refused if the stored event changes between its reading
// and the write. Related links to events that are neither in the file nor
// in the database are left out, each with a warning. If anything is wrong
// it returns a *timeline.ImportError listing every problem, in file order,
// and writes nothing. The report lists every event, in file order.
func Import(ctx context.Context, s *timeline.Store, in *Input, opt Options) (timeline.ImportReport, error) {
	if err := opt.Check(); err != nil {
		return timeline.ImportReport{}, err
	}
	probs := slices.Clone(in.Problems)
	bad := map[int]bool{}
	for i := range in.bad {
		bad[i] = true
	}
	events := slices.Clone(in.Dataset.Events)
	for i, p := range in.partial {
		if p == nil || bad[i] {
			continue
		}
		e, ps, err := complete(ctx, s, events[i], p, in.Labels[i], opt)
		if err != nil {
			return timeline.ImportReport{}, err
		}
		events[i] = e
		if len(ps) > 0 {
			probs = append(probs, ps...)
			bad[i] = true
		}
	}
	ds := timeline.Dataset{Actors: in.Dataset.Actors, Eras: in.Dataset.Eras}
	var labels []string
	read := map[int]int{} // index in ds.Events → the stored version a row was completed from
	slugs := map[string]int{}
	for i := range events {
		events[i].Normalize()
		slugs[events[i].Slug]++
	}
	var unchanged []timeline.EventChange
	for i, e := range events {
		if bad[i] {
			continue
		}
		// An event that would not change is left out of the store's
		// import: nothing is to be written for it, and the store would
		// write its links a second time.
		if slugs[e.Slug] == 1 && timeline.ValidSlug(e.Slug) {
			old, err := s.GetEventAny(ctx, e.Slug)
			if err != nil && !errors.Is(err, timeline.ErrNotFound) {
				return timeline.ImportReport{}, err
			}
			if err == nil && len(timeline.ChangedFields(old, e)) == 0 {
				unchanged = append(unchanged, timeline.EventChange{Record: in.Labels[i], Slug: e.Slug, Action: timeline.ImportUnchanged})
				continue
			}
		}
		if in.partial[i] != nil {
			read[len(ds.Events)] = e.Version // 0 for a row that made a new event
		}
		ds.Events = append(ds.Events, e)
		labels = append(labels, in.Labels[i])
	}
	dry := opt.DryRun || len(probs) > 0
	if opt.beforeWrite != nil {
		opt.beforeWrite()
	}
	rep, err := s.Import(ctx, ds, opt.Change, timeline.ImportOptions{DryRun: dry, Labels: labels, ReadVersions: read, Progress: opt.Progress})
	rep.Unchanged += len(unchanged)
	rep.Events = append(rep.Events, unchanged...)
	sortByRecord(rep.Events, in.Labels)
	var ie *timeline.ImportError
	if errors.As(err, &ie) {
		rows := make(map[string]*partial, len(in.Labels))
		for i, l := range in.Labels {
			rows[l] = in.partial[i]
		}
		for _, p := range ie.Problems {
			if row := rows[p.Record]; row != nil && row.columns[p.Field] != "" {
				p.Field = row.columns[p.Field] // name the file's column
			}
			probs = append(probs, p)
		}
	} else if err != nil {
		return timeline.ImportReport{}, err
	}
	if len(probs) > 0 {
		sortProblems(probs, in.Labels)
		return timeline.ImportReport{}, &timeline.ImportError{Problems: probs}
	}
	return rep, nil
}

// sortByRecord puts the events of a report in file order.
func sortByRecord(evs []timeline.EventChange, labels []string) {
	pos := make(map[string]int, len(labels))
	for i, l := range labels {
		pos[l] = i
	}
	sort.SliceStable(evs, func(a, b int) bool { return pos[evs[a].Record] < pos[evs[b].Record] })
}

// sortProblems puts problems in file order: the header and the actors and
// eras first, then events in the order of their labels.
func sortProblems(probs []timeline.ImportProblem, labels []string) {
	pos := make(map[string]int, len(labels))
	for i, l := range labels {
		pos[l] = i + 1
	}
	sort.SliceStable(probs, func(a, b int) bool { return pos[probs[a].Record] < pos[probs[b].Record] })
}

// complete turns a spreadsheet row into a whole event: merged onto the
// stored event with the same slug, or, for a new event, given the
// defaults the options allow. It returns the row's problems.
func complete(ctx context.Context, s *timeline.Store, row timeline.Event, p *partial, label string, opt Options) (timeline.Event, []timeline.ImportProblem, error) {
	var probs []timeline.ImportProblem
	bad := func(field, rule string) {
		probs = append(probs, timeline.ImportProblem{Record: label, Field: p.column(field), Rule: rule})
	}
	slug := strings.TrimSpace(row.Slug)
	if slug == "" && strings.TrimSpace(row.Title) != "" && !row.Start.IsZero() {
		slug = row.DefaultSlug()
	}
	var e timeline.Event
	exists := false
	if timeline.ValidSlug(slug) {
		stored, err := s.GetEventAny(ctx, slug)
		switch {
		case err == nil:
			e, exists = stored, true
		case !errors.Is(err, timeline.ErrNotFound):
			return row, nil, err
		}
	}
	e.Slug = slug
	f := p.fields
	if f["start"] {
		e.Start = row.Start
	}
	if f["end"] {
		e.End = row.End
	}
	if f["approximate"] {
		e.Approximate = row.Approximate
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
	if f["location"] {
		e.Location = row.Location
	}
	if f["tags"] {
		e.Tags = row.Tags
	}
	if f["significance"] {
		e.Significance = row.Significance
	}
	if f["actors"] {
		actors := make([]timeline.EventActor, len(row.Actors))
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
		e.Sources = mergeSources(e.Sources, p.urls)
	}
	catRaw := row.Category
	switch {
	case f["category"] && catRaw.Valid():
		e.Category = catRaw
	case f["category"] || !exists:
		if opt.DefaultCategory != "" {
			e.Category = opt.DefaultCategory
		} else if strings.TrimSpace(string(catRaw)) == "" {
			bad("category", "is empty: give one of "+categoryList()+" (or import with a default category)")
		} else {
			bad("category", fmt.Sprintf("%q is not a category: use one of %s (or import with a default category)", catRaw, categoryList()))
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
			e.Sources = []timeline.Source{{Publisher: opt.SourcePublisher, Title: opt.SourceTitle}}
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
func mergeSources(old []timeline.Source, urls []string) []timeline.Source {
	var have []string
	for _, s := range old {
		if s.URL != "" {
			have = append(have, s.URL)
		}
	}
	if slices.Equal(have, urls) {
		return old
	}
	var out []timeline.Source
	for _, u := range urls {
		i := slices.IndexFunc(old, func(s timeline.Source) bool { return s.URL == u })
		if i >= 0 {
			out = append(out, old[i])
			continue
		}
		pub := u
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			pub = strings.TrimPrefix(pu.Host, "www.")
		}
		title := u
		if r := []rune(u); len(r) > timeline.MaxShort {
			title = string(r[:timeline.MaxShort-1]) + "…"
		}
		out = append(out, timeline.Source{Publisher: pub, Title: title, URL: u})
	}
	for _, s := range old {
		if s.URL == "" {
			out = append(out, s)
		}
	}
	return out
}

func categoryList() string {
	names := make([]string, len(timeline.Categories))
	for i, c := range timeline.Categories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// ReportText is a one-line account of an import report.
func ReportText(rep timeline.ImportReport, dry bool) string {
	counts := strconv.Itoa(rep.Created) + " created, " + strconv.Itoa(rep.Updated) + " updated, " + strconv.Itoa(rep.Unchanged) + " unchanged; " +
		plural(rep.Actors, "actor", "actors") + " and " + plural(rep.Eras, "era", "eras")
	if dry {
		return "dry run, nothing written; would import: " + counts + " to add or change"
	}
	return "imported: " + counts + " added or changed"
}

// ReportLines lists, one line each, what an import does (or, dry, would
// do) to every event, "created   SLUG (line 2)", "updated   SLUG (line
// 3): title, summary", "unchanged SLUG (line 4)", then its warnings.
func ReportLines(rep timeline.ImportReport) []string {
	out := make([]string, 0, len(rep.Events)+len(rep.Warnings))
	for _, e := range rep.Events {
		l := fmt.Sprintf("%-9s %s", e.Action, e.Slug)
		if e.Record != "" {
			l += " (" + e.Record + ")"
		}
		if len(e.Fields) > 0 {
			l += ": " + strings.Join(e.Fields, ", ")
		}
		out = append(out, l)
	}
	for _, w := range rep.Warnings {
		out = append(out, "warning: "+w.String())
	}
	return out
}
