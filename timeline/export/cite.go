package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// The licence of the data, named in every export and in the JSON-LD.
const (
	LicenseName = "CC BY 4.0"
	LicenseURL  = "https://creativecommons.org/licenses/by/4.0/"
)

// CiteFormat is a bibliography format that reference managers read:
// BibTeX (biblatex), RIS and CSL-JSON.
type CiteFormat string

// The bibliography formats.
const (
	BibTeX  CiteFormat = "bib"
	RIS     CiteFormat = "ris"
	CSLJSON CiteFormat = "csl.json"
)

// CiteFormats lists the bibliography formats in menu order.
var CiteFormats = []CiteFormat{BibTeX, RIS, CSLJSON}

// Ext is the file extension with its dot: ".bib", ".csl.json".
func (f CiteFormat) Ext() string { return "." + string(f) }

// ContentType is the media type to serve the format with.
func (f CiteFormat) ContentType() string {
	switch f {
	case BibTeX:
		return "application/x-bibtex; charset=utf-8"
	case RIS:
		return "application/x-research-info-systems; charset=utf-8"
	}
	return "application/vnd.citationstyles.csl+json"
}

// Label names the format in menus.
func (f CiteFormat) Label() string {
	switch f {
	case BibTeX:
		return "BibTeX"
	case RIS:
		return "RIS"
	}
	return "CSL-JSON"
}

// citeWriter writes a stream of bibliography entries in one format: begin,
// an entry per item, end. CSL-JSON needs the brackets and commas; the
// others write nothing around their entries.
type citeWriter struct {
	f   CiteFormat
	w   io.Writer
	n   int
	buf bytes.Buffer
}

func (cw *citeWriter) begin() error {
	if cw.f == CSLJSON {
		_, err := io.WriteString(cw.w, "[")
		return err
	}
	return nil
}

func (cw *citeWriter) end() error {
	if cw.f == CSLJSON {
		s := "]\n"
		if cw.n > 0 {
			s = "\n]\n"
		}
		_, err := io.WriteString(cw.w, s)
		return err
	}
	return nil
}

func (cw *citeWriter) entry(it citeItem) error {
	cw.buf.Reset()
	switch cw.f {
	case BibTeX:
		it.bibtex(&cw.buf)
	case RIS:
		it.ris(&cw.buf)
	case CSLJSON:
		if cw.n > 0 {
			cw.buf.WriteByte(',')
		}
		cw.buf.WriteString("\n")
		if err := it.csl(&cw.buf); err != nil {
			return err
		}
	default:
		return fmt.Errorf("export: unknown bibliography format %q", cw.f)
	}
	cw.n++
	_, err := cw.w.Write(cw.buf.Bytes())
	return err
}

// WriteEventCitations writes a citation of each event in format f: the
// event's page as an entry of the chronology (the container), with its
// permalink (Meta.Permalink), its version and date (the event's version
// and last change) and the access date (Meta.Generated).
func WriteEventCitations(w io.Writer, f CiteFormat, m Meta, evs Events) error {
	cw := &citeWriter{f: f, w: w}
	if err := cw.begin(); err != nil {
		return err
	}
	if err := evs(func(e timeline.Event) error { return cw.entry(eventItem(e, m)) }); err != nil {
		return err
	}
	return cw.end()
}

// WriteSourceCitations writes, in format f, every source cited by the
// events once, in the order first cited. Sources are the same when their
// URLs are (SourceKey), or, without a URL, their publisher and title.
func WriteSourceCitations(w io.Writer, f CiteFormat, m Meta, evs Events) error {
	cw := &citeWriter{f: f, w: w}
	if err := cw.begin(); err != nil {
		return err
	}
	seen := map[string]bool{}
	keys := map[string]bool{}
	err := evs(func(e timeline.Event) error {
		for _, s := range e.Sources {
			k := SourceKey(s)
			if seen[k] {
				continue
			}
			seen[k] = true
			if err := cw.entry(sourceItem(s, citeKey(s, keys))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return cw.end()
}

// SourceKey is what makes two sources the same: the URL without its
// fragment and trailing slash, the scheme and host in lower case; or,
// without a URL, the publisher and title with case and spacing folded.
func SourceKey(s timeline.Source) string {
	if u := strings.TrimSpace(s.URL); u != "" {
		u, _, _ = strings.Cut(u, "#")
		if scheme, rest, ok := strings.Cut(u, "://"); ok {
			host, path, _ := strings.Cut(rest, "/")
			u = strings.ToLower(scheme) + "://" + strings.ToLower(host) + "/" + path
		}
		return "url " + strings.TrimRight(u, "/")
	}
	fold := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	return "pt " + fold(s.Publisher) + "\x00" + fold(s.Title)
}

// citeKey makes a BibTeX key for a source from its publisher and year
// ("ministry-of-foreign-affairs-2014"), with a letter added when taken.
func citeKey(s timeline.Source, taken map[string]bool) string {
	base := timeline.Slugify(s.Publisher, 40)
	if base == "" {
		base = "source"
	}
	if !s.Date.IsZero() {
		base += "-" + strconv.Itoa(s.Date.Year)
	}
	k := base
	for i := 0; taken[k]; i++ {
		k = base + suffix(i)
	}
	taken[k] = true
	return k
}

// suffix is a, b, … z, aa, ab, …
func suffix(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('a'+(i-1)%26)) + s
	}
	return s
}

// citeItem is one bibliography entry before it is written in a format.
type citeItem struct {
	key       string
	online    bool   // a web page (it has a URL)
	title     string // the entry's title
	container string // the work it is part of
	publisher string
	issued    timeline.Date
	accessed  timeline.Date
	// eventStart and eventEnd are the dates of the event an entry cites
	// (biblatex eventdate, CSL event-date); the title says them in words.
	eventStart, eventEnd timeline.Date
	url                  string
	version              string
	abstract             string
	keywords             []string
	language             string // en, ja, ko or other
	note                 string
	license              string
}

// CiteTitle is an event's title in citations: its title and its date,
// "Japan and North Korea announce the Stockholm agreement (29 May 2014)".
func CiteTitle(e timeline.Event) string { return e.Title + " (" + e.DisplayDate() + ")" }

func eventItem(e timeline.Event, m Meta) citeItem {
	return citeItem{
		key: e.Slug, online: true, title: CiteTitle(e), container: DatasetName,
		issued: timeline.DateOf(e.UpdatedAt.UTC()), accessed: timeline.DateOf(m.Generated.UTC()),
		eventStart: e.Start, eventEnd: e.End,
		url: m.Permalink(e.Slug), version: strconv.Itoa(e.Version), abstract: e.Summary,
		keywords: e.Tags, language: "en", license: LicenseURL,
		note: "Version " + strconv.Itoa(e.Version) + asOfClause(m) + ". Licensed " + LicenseName + ".",
	}
}

// asOfClause is ", as of …" for a citation of the chronology at m.AsOf.
func asOfClause(m Meta) string {
	if m.AsOf.IsZero() {
		return ""
	}
	return ", as of " + m.AsOfText()
}

func sourceItem(s timeline.Source, key string) citeItem {
	return citeItem{key: key, online: s.URL != "", title: s.Title, publisher: s.Publisher,
		issued: s.Date, url: s.URL, language: s.Language, note: s.Note}
}

// flat folds line breaks, tabs and runs of ASCII spaces into single
// spaces, for fields of one line; other spaces (the ideographic space
// of a Japanese title) are kept.
func flat(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}), " ")
}

var biblatexLang = map[string]string{"en": "english", "ja": "japanese", "ko": "korean"}

// bibEscape escapes the characters TeX treats specially, so that a
// title reads as written.
var bibEscape = strings.NewReplacer(
	`\`, `\textbackslash{}`, `{`, `\{`, `}`, `\}`, `&`, `\&`, `%`, `\%`, `$`, `\$`,
	`#`, `\#`, `_`, `\_`, `^`, `\^{}`, `~`, `\~{}`,
)

// bibURL keeps a URL verbatim (biblatex reads the url field so) except
// for braces and spaces, which could end or break the field.
var bibURL = strings.NewReplacer(`{`, `%7B`, `}`, `%7D`, ` `, `%20`, `\`, `%5C`)

func (it citeItem) bibtex(b *bytes.Buffer) {
	typ := "misc"
	if it.online {
		typ = "online"
	}
	fmt.Fprintf(b, "@%s{%s,\n", typ, it.key)
	field := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "  %s = {%s},\n", k, bibEscape.Replace(flat(v)))
		}
	}
	field("title", it.title)
	// Braced twice: a name of an organization, not a person's.
	if it.container != "" {
		fmt.Fprintf(b, "  organization = {{%s}},\n", bibEscape.Replace(it.container))
	}
	if it.publisher != "" {
		fmt.Fprintf(b, "  publisher = {{%s}},\n", bibEscape.Replace(flat(it.publisher)))
	}
	if !it.issued.IsZero() {
		field("date", it.issued.String())
	}
	if !it.eventStart.IsZero() {
		// biblatex reads EDTF here (and pandoc turns ~ into circa).
		b.WriteString("  eventdate = {" + bibEventDate(it.eventStart, it.eventEnd) + "},\n")
	}
	if it.url != "" {
		fmt.Fprintf(b, "  url = {%s},\n", bibURL.Replace(it.url))
	}
	if !it.accessed.IsZero() {
		field("urldate", it.accessed.String())
	}
	field("version", it.version)
	field("abstract", it.abstract)
	field("keywords", strings.Join(it.keywords, ", "))
	field("langid", biblatexLang[it.language])
	field("note", it.note)
	b.WriteString("}\n\n")
}

// bibEventDate writes an event's dates as biblatex's eventdate takes
// them: EDTF, with an open side left empty ("2019-06/", "/1950"), as
// biblatex and pandoc read open ranges, and unknown digits as the range
// they allow ("198X" as "1980/1989"), which pandoc reads while it drops X.
func bibEventDate(start, end timeline.Date) string {
	one := func(d timeline.Date, first bool) string {
		switch {
		case d.Open:
			return ""
		case d.YearX > 0 && first:
			return timeline.Date{Year: d.Year, Qual: d.Qual}.String()
		case d.YearX > 0:
			return timeline.Date{Year: d.Latest().Date().Year, Qual: d.Qual}.String()
		}
		return d.String()
	}
	if end.IsZero() {
		if start.YearX > 0 {
			return one(start, true) + "/" + one(start, false)
		}
		return one(start, true)
	}
	return one(start, true) + "/" + one(end, false)
}

// risDate writes a partial date as RIS does: "2014/05/29", "2014/05//", "2014///".
func risDate(d timeline.Date) string {
	s := strconv.Itoa(d.Year) + "/"
	if d.Month > 0 {
		s += fmt.Sprintf("%02d", d.Month)
	}
	s += "/"
	if d.Day > 0 {
		s += fmt.Sprintf("%02d", d.Day)
	}
	return s + "/"
}

func (it citeItem) ris(b *bytes.Buffer) {
	tag := func(t, v string) {
		if v = flat(v); v != "" {
			b.WriteString(t + "  - " + v + "\r\n")
		}
	}
	if it.online {
		tag("TY", "ELEC")
	} else {
		tag("TY", "GEN")
	}
	tag("ID", it.key)
	tag("TI", it.title)
	tag("T2", it.container)
	tag("PB", it.publisher)
	if !it.issued.IsZero() {
		tag("PY", strconv.Itoa(it.issued.Year))
		tag("DA", risDate(it.issued))
	}
	tag("UR", it.url)
	if !it.accessed.IsZero() {
		tag("Y2", risDate(it.accessed))
	}
	tag("ET", it.version)
	tag("AB", it.abstract)
	for _, k := range it.keywords {
		tag("KW", k)
	}
	tag("LA", it.language)
	tag("N1", it.note)
	b.WriteString("ER  - \r\n\r\n")
}

// CSLItem is one item of CSL-JSON (the Citation Style Language's input,
// as read by citeproc processors, pandoc and Zotero).
type CSLItem struct {
	ID             string   `json:"id"`
	Type           string   `json:"type"`
	Title          string   `json:"title"`
	ContainerTitle string   `json:"container-title,omitempty"`
	Publisher      string   `json:"publisher,omitempty"`
	Issued         *CSLDate `json:"issued,omitempty"`
	EventDate      *CSLDate `json:"event-date,omitempty"`
	Accessed       *CSLDate `json:"accessed,omitempty"`
	URL            string   `json:"URL,omitempty"`
	Version        string   `json:"version,omitempty"`
	Abstract       string   `json:"abstract,omitempty"`
	Keyword        string   `json:"keyword,omitempty"`
	Language       string   `json:"language,omitempty"`
	Note           string   `json:"note,omitempty"`
	License        string   `json:"license,omitempty"`
}

// CSLDate is a CSL date: its parts, as precise as known (two for a
// range, [0] for an open side, as pandoc writes one), and circa for an
// approximate date.
type CSLDate struct {
	DateParts [][]int `json:"date-parts"`
	Circa     bool    `json:"circa,omitempty"`
}

// cslEventDate is an event's dates as CSL's event-date: 198X as the range
// 1980–1989, an open side as [0], circa when either date is approximate
// (CSL has no word for uncertain: the title says it).
func cslEventDate(start, end timeline.Date) *CSLDate {
	if start.IsZero() {
		return nil
	}
	parts := func(d timeline.Date, first bool) []int {
		switch {
		case d.Open:
			return []int{0}
		case d.YearX > 0 && !first:
			return []int{d.Latest().Date().Year}
		}
		return cslDate(timeline.Date{Year: d.Year, Month: d.Month, Day: d.Day}).DateParts[0]
	}
	out := &CSLDate{Circa: start.Approximate() || end.Approximate()}
	switch {
	case !end.IsZero():
		out.DateParts = [][]int{parts(start, true), parts(end, false)}
	case start.YearX > 0:
		out.DateParts = [][]int{parts(start, true), parts(start, false)}
	default:
		out.DateParts = [][]int{parts(start, true)}
	}
	return out
}

func cslDate(d timeline.Date) *CSLDate {
	if d.IsZero() {
		return nil
	}
	parts := []int{d.Year}
	if d.Month > 0 {
		parts = append(parts, d.Month)
		if d.Day > 0 {
			parts = append(parts, d.Day)
		}
	}
	return &CSLDate{DateParts: [][]int{parts}}
}

func (it citeItem) cslItem() CSLItem {
	typ := "document"
	if it.online {
		typ = "webpage"
	}
	lang := it.language
	if lang == "other" {
		lang = ""
	}
	return CSLItem{ID: it.key, Type: typ, Title: it.title, ContainerTitle: it.container, Publisher: it.publisher,
		Issued: cslDate(it.issued), EventDate: cslEventDate(it.eventStart, it.eventEnd), Accessed: cslDate(it.accessed), URL: it.url, Version: it.version,
		Abstract: it.abstract, Keyword: strings.Join(it.keywords, ", "), Language: lang, Note: it.note, License: it.license}
}

func (it citeItem) csl(b *bytes.Buffer) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(it.cslItem()); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode ends with a newline
	return nil
}

// EventCSL is an event's citation as a CSL-JSON item.
func EventCSL(e timeline.Event, m Meta) CSLItem { return eventItem(e, m).cslItem() }

// Run is a stretch of a formatted citation, in italics or not.
type Run struct {
	Text   string
	Italic bool
}

// Formatted is a citation in a house style, as runs of text.
type Formatted []Run

// String is the citation as plain text.
func (f Formatted) String() string {
	var b strings.Builder
	for _, r := range f {
		b.WriteString(r.Text)
	}
	return b.String()
}

// usDate is "November 26, 2026", as Chicago and APA write dates.
func usDate(t time.Time) string { return t.UTC().Format("January 2, 2006") }

// Chicago cites an event in Chicago author-date style (17th edition, a
// web page without an author: the title stands first).
func Chicago(e timeline.Event, m Meta) Formatted {
	return Formatted{
		{Text: "“" + CiteTitle(e) + ".” " + strconv.Itoa(e.UpdatedAt.UTC().Year()) + ". In "},
		{Text: DatasetName, Italic: true},
		{Text: fmt.Sprintf(", version %d%s. Last modified %s. Accessed %s. %s.",
			e.Version, asOfClause(m), usDate(e.UpdatedAt), usDate(m.Generated), m.Permalink(e.Slug))},
	}
}

// APA cites an event in APA style (7th edition, an entry in a reference
// work that changes over time: with its retrieval date).
func APA(e timeline.Event, m Meta) Formatted {
	u := e.UpdatedAt.UTC()
	return Formatted{
		{Text: CiteTitle(e) + ". (" + u.Format("2006, January 2") + "). In "},
		{Text: DatasetName, Italic: true},
		{Text: fmt.Sprintf(" (Version %d%s). Retrieved %s, from %s", e.Version, asOfClause(m), usDate(m.Generated), m.Permalink(e.Slug))},
	}
}
