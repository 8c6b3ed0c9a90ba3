// Package export holds the file formats, and nothing else: it writes the
// chronology in the formats people take away (CSV, JSON, iCalendar,
// Markdown, TimelineJS, the Atom feed of changes, and citations as BibTeX,
// RIS and CSL-JSON with Chicago and APA text in cite.go) and reads the formats
// they bring back (our JSON and CSV, and the TimelineJS spreadsheet
// template saved as CSV).
//
// Writers stream: they take an io.Writer, a Meta describing the view and an
// Events iterator, and write each event as it comes, so that memory stays
// flat however large the export. Readers return a timeline.ImportFile with
// a label per event ("line 14", "record 3") for problem reports, which
// timeline.Store.ImportFile checks and writes, all or nothing.
//
// It never touches a Store, and imports no web code.
package export

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// DatasetName is the name of the dataset in citations and file headers.
const DatasetName = "Japan–DPRK Diplomacy Timeline"

// Events yields the events of an export in order. It stops at, and
// returns, the first error yield returns.
type Events func(yield func(timeline.Event) error) error

// Slice turns a list into an Events iterator (for tests and small exports).
func Slice(evs []timeline.Event) Events {
	return func(yield func(timeline.Event) error) error {
		for _, e := range evs {
			if err := yield(e); err != nil {
				return err
			}
		}
		return nil
	}
}

// Meta describes an export: which view it is, of which data, when, and
// how to cite it.
type Meta struct {
	Filter    timeline.Filter
	Count     int       // how many events the export holds
	Version   int64     // the store's data version (Store.DataVersion)
	Generated time.Time // when the export was made
	// BaseURL is the site's absolute address without a trailing slash
	// ("https://example.org"); permalinks and the view's URL start with it.
	BaseURL string
	// Eras are the named periods drawn with the events (TimelineJS eras,
	// and the eras of the JSON export).
	Eras []timeline.Era
	// CiteLine and CiteAs, when set, are the citation line and its label
	// ("Cite as") in the reader's language, written by the caller; empty,
	// the English ones are used.
	CiteLine, CiteAs string
	// AsOf, when set, is the moment of the chronology the export shows
	// (as_of): permalinks and the view's URL carry it, so that a cited
	// address keeps showing what was cited, and the citation names it.
	AsOf time.Time
}

// citeAs is the label before the citation line.
func (m Meta) citeAs() string {
	if m.CiteAs != "" {
		return m.CiteAs
	}
	return "Cite as"
}

// asOfQuery is "?as_of=…" for m.AsOf, or "".
func (m Meta) asOfQuery() string {
	if m.AsOf.IsZero() {
		return ""
	}
	return "?" + url.Values{"as_of": {timeline.FormatAsOf(m.AsOf)}}.Encode()
}

// AsOfText is the moment in words ("29 November 2026 06:10:07 UTC"), or "".
func (m Meta) AsOfText() string {
	if m.AsOf.IsZero() {
		return ""
	}
	return AsOfWords(m.AsOf)
}

// AsOfWords writes a moment for readers: "29 November 2026 06:10:07 UTC",
// or the day alone for the end of a day as as_of reads one.
func AsOfWords(t time.Time) string {
	if s := timeline.FormatAsOf(t); len(s) == len("2006-01-02") {
		return t.UTC().Format("2 January 2006") + " (end of day, UTC)"
	}
	return t.UTC().Format("2 January 2006 15:04:05 UTC")
}

// ViewURL is the absolute permalink of the chronology the export holds.
func (m Meta) ViewURL() string {
	u := m.BaseURL + "/events"
	v := m.Filter.Values()
	if !m.AsOf.IsZero() {
		v.Set("as_of", timeline.FormatAsOf(m.AsOf))
	}
	if q := v.Encode(); q != "" {
		u += "?" + q
	}
	return u
}

// Permalink is the absolute address of an event's page, as of m.AsOf
// when that is set.
func (m Meta) Permalink(slug string) string {
	return m.BaseURL + "/events/" + url.PathEscape(slug) + m.asOfQuery()
}

// Citation is the line to cite the export by: the dataset, its version,
// the view's address, the retrieval date and the licence.
func (m Meta) Citation() string {
	if m.CiteLine != "" {
		return m.CiteLine
	}
	if !m.AsOf.IsZero() {
		return fmt.Sprintf("%s, as of %s. %s (retrieved %s). Licensed %s (%s).",
			DatasetName, m.AsOfText(), m.ViewURL(), timeline.DateOf(m.Generated.UTC()).Format(), LicenseName, LicenseURL)
	}
	return fmt.Sprintf("%s, data version %d. %s (retrieved %s). Licensed %s (%s).",
		DatasetName, m.Version, m.ViewURL(), timeline.DateOf(m.Generated.UTC()).Format(), LicenseName, LicenseURL)
}

// Title names the view for readers: "Japan–DPRK Diplomacy Timeline, 2002–2014".
func (m Meta) Title() string {
	f := m.Filter
	var parts []string
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, timeline.FormatSpan(f.From, f.To))
	case !f.From.IsZero():
		parts = append(parts, "from "+f.From.Format())
	case !f.To.IsZero():
		parts = append(parts, "to "+f.To.Format())
	}
	for _, c := range f.Categories {
		parts = append(parts, c.Label())
	}
	parts = append(parts, f.Actors...)
	for _, t := range f.Tags {
		parts = append(parts, "#"+t)
	}
	if f.MinSignificance > 0 {
		parts = append(parts, timeline.SignificanceLabels[f.MinSignificance]+" and up")
	}
	if f.Query != "" {
		parts = append(parts, "“"+f.Query+"”")
	}
	if len(parts) == 0 {
		return DatasetName
	}
	return DatasetName + ", " + strings.Join(parts, ", ")
}

// ErasIn returns the eras that overlap the filter's date range (all of
// them when it has none).
func ErasIn(eras []timeline.Era, f timeline.Filter) []timeline.Era {
	var out []timeline.Era
	for _, r := range eras {
		if !f.From.IsZero() && r.End.Latest() < f.From.Earliest() {
			continue
		}
		if !f.To.IsZero() && r.Start.Earliest() > f.To.Latest() {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Format is one export format.
type Format string

// The export formats.
const (
	CSV        Format = "csv"
	JSON       Format = "json"
	ICS        Format = "ics"
	Markdown   Format = "md"
	TimelineJS Format = "timelinejs"
)

// Formats lists the export formats in menu order.
var Formats = []Format{CSV, JSON, ICS, Markdown, TimelineJS}

// ParseFormat reads a format name; "markdown" is accepted for md.
func ParseFormat(s string) (Format, error) {
	if s == "markdown" {
		return Markdown, nil
	}
	if f := Format(s); slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("format %q is not one of csv, json, ics, md, timelinejs", s)
}

// Ext is the file extension with its dot: ".csv", ".timelinejs.json".
func (f Format) Ext() string {
	if f == TimelineJS {
		return ".timelinejs.json"
	}
	return "." + string(f)
}

// ContentType is the media type to serve the format with.
func (f Format) ContentType() string {
	switch f {
	case CSV:
		return "text/csv; charset=utf-8"
	case ICS:
		return "text/calendar; charset=utf-8"
	case Markdown:
		return "text/markdown; charset=utf-8"
	}
	return "application/json"
}

// Label names the format in menus.
func (f Format) Label() string {
	switch f {
	case CSV:
		return "CSV (spreadsheet)"
	case JSON:
		return "JSON"
	case ICS:
		return "iCalendar (.ics)"
	case Markdown:
		return "Markdown"
	case TimelineJS:
		return "TimelineJS"
	}
	return string(f)
}

// Slim reports whether the format shows only what
// timeline.EachOptions.Slim reads of an event (CSV), so that its events
// may be read slim.
func (f Format) Slim() bool { return f == CSV }

// Write writes the events in format f.
func (f Format) Write(w io.Writer, m Meta, evs Events) error {
	switch f {
	case CSV:
		return WriteCSV(w, m, evs)
	case JSON:
		return WriteJSON(w, m, evs)
	case ICS:
		return WriteICS(w, m, evs)
	case Markdown:
		return WriteMarkdown(w, m, evs)
	case TimelineJS:
		return WriteTimelineJS(w, m, evs)
	}
	return fmt.Errorf("export: unknown format %q", f)
}

// FileName is a descriptive download name for the view in format f:
// "japan-dprk-2002-2014.csv", "japan-dprk-all.csv".
func FileName(flt timeline.Filter, f Format) string { return FileNameExt(flt, f.Ext()) }

// FileNameExt is FileName with the extension given: "-sources.bib".
func FileNameExt(flt timeline.Filter, ext string) string {
	var parts []string
	switch {
	case !flt.From.IsZero() && !flt.To.IsZero() && flt.From == flt.To:
		parts = append(parts, flt.From.String())
	case !flt.From.IsZero() && !flt.To.IsZero():
		parts = append(parts, flt.From.String(), flt.To.String())
	case !flt.From.IsZero():
		parts = append(parts, "from", flt.From.String())
	case !flt.To.IsZero():
		parts = append(parts, "to", flt.To.String())
	}
	for _, c := range flt.Categories {
		parts = append(parts, string(c))
	}
	parts = append(parts, flt.Actors...)
	parts = append(parts, flt.Tags...)
	if flt.MinSignificance > 0 {
		parts = append(parts, timeline.SignificanceLabels[flt.MinSignificance])
	}
	if flt.Query != "" {
		if q := timeline.Slugify(flt.Query, 40); q != "" {
			parts = append(parts, q)
		} else {
			parts = append(parts, "search")
		}
	}
	name := timeline.Slugify(strings.Join(parts, " "), 100)
	if name == "" {
		name = "all"
	}
	return "japan-dprk-" + name + ext
}
