package timeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Category is the one kind an event belongs to, from a fixed vocabulary.
type Category string

// Categories lists the vocabulary in display order.
var Categories = []Category{
	"summit", "negotiation", "agreement", "statement", "sanctions",
	"abduction", "repatriation", "missile", "nuclear", "incident",
	"humanitarian", "domestic-politics", "legal",
}

// Valid reports whether c is in the vocabulary.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Label is the category for readers: "domestic-politics" reads "Domestic politics".
func (c Category) Label() string {
	s := strings.ReplaceAll(string(c), "-", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Significance labels, indexed by significance 1–3.
var SignificanceLabels = map[int]string{1: "minor", 2: "notable", 3: "major"}

// ActorKinds lists the kinds of actor.
var ActorKinds = []string{"person", "organization", "state"}

// Relations lists how an event can relate to another: "this event follows that one".
var Relations = []string{"follows", "responds-to", "implements", "reverses", "part-of"}

// InverseRelationLabels reads a relation from the other end: when A follows B,
// B is "followed by" A.
var InverseRelationLabels = map[string]string{
	"follows":     "followed by",
	"responds-to": "answered by",
	"implements":  "implemented by",
	"reverses":    "reversed by",
	"part-of":     "includes",
}

// SourceLanguages lists the languages a source may be in.
var SourceLanguages = []string{"en", "ja", "ko", "other"}

// Event is one dated happening in the chronology. Its JSON form is the one
// shape used by the dataset, the API, import and export.
type Event struct {
	Slug         string       `json:"slug"`
	Start        Date         `json:"start"` // an EDTF date (see ParseEDTF), or .. with an end
	End          Date         `json:"end"`   // an EDTF date, .. (open), or empty (no end)
	Title        string       `json:"title"`
	TitleJA      string       `json:"title_ja"`
	TitleKO      string       `json:"title_ko"`
	Summary      string       `json:"summary"`
	SummaryJA    string       `json:"summary_ja"` // optional translations of the summary
	SummaryKO    string       `json:"summary_ko"`
	Body         string       `json:"body"`
	Category     Category     `json:"category"`
	Significance int          `json:"significance"`
	Location     string       `json:"location"`
	LocationJA   string       `json:"location_ja"` // optional translations of the location
	LocationKO   string       `json:"location_ko"`
	Actors       []EventActor `json:"actors"`
	Tags         []string     `json:"tags"`
	Sources      []Source     `json:"sources"`
	Related      []Relation   `json:"related"`
	Version      int          `json:"version"`
	UpdatedAt    time.Time    `json:"updated_at"`

	CreatedAt time.Time  `json:"-"`
	DeletedAt *time.Time `json:"-"` // set on deleted events, which only editors see

	// dateProblems holds what UnmarshalJSON could not read of start and
	// end, for Validate to report by field.
	dateProblems map[string]string
}

// UnmarshalJSON reads the event JSON shape. start and end are EDTF dates
// (a start may also be a whole interval, "2019-06/..", when end is empty);
// a date that cannot be read is a problem Validate reports under its
// field, not an error here. Unknown keys are an error. The key
// "approximate" of files from before EDTF is read: true marks both dates
// approximate (~), as the flag marked the whole span.
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	var in struct {
		plain
		Start       string `json:"start"`
		End         string `json:"end"`
		Approximate bool   `json:"approximate"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return err
	}
	*e = Event(in.plain)
	e.dateProblems = nil
	e.SetDates(in.Start, in.End, in.Approximate)
	return nil
}

// SetDates sets start and end from their EDTF text (as a form, a file or
// the API gives them; spaces around them are trimmed), keeping what cannot
// be read as a problem for Validate. A start holding an interval
// ("1959~/1984~") sets both when end is empty. approximate marks both
// dates ~ (the flag of files from before EDTF).
func (e *Event) SetDates(start, end string, approximate bool) {
	start, end = strings.TrimSpace(start), strings.TrimSpace(end)
	e.Start, e.End = Date{}, Date{}
	delete(e.dateProblems, "start")
	delete(e.dateProblems, "end")
	bad := func(field string, err error) {
		if e.dateProblems == nil {
			e.dateProblems = map[string]string{}
		}
		e.dateProblems[field] = err.Error()
	}
	switch {
	case start == "":
	case strings.Contains(start, "/") && end == "":
		a, b, _ := strings.Cut(start, "/")
		if a == "" || b == "" {
			bad("start", fmt.Errorf("%q: %w", start, ErrUnknownEnd))
			return
		}
		var err error
		if e.Start, err = ParseEDTF(a); err != nil {
			bad("start", err)
		}
		if e.End, err = ParseEDTF(b); err != nil {
			bad("start", err) // the end was written in the start field
		}
	default:
		var err error
		if e.Start, err = ParseEDTF(start); err != nil {
			bad("start", err)
		}
	}
	if end != "" {
		var err error
		if e.End, err = ParseEDTF(end); err != nil {
			bad("end", err)
		}
	}
	if approximate {
		e.Start, e.End = e.Start.WithQual(QualApproximate), e.End.WithQual(QualApproximate)
	}
}

// DateProblems returns what SetDates (or UnmarshalJSON) could not read
// of start and end, keyed by field; Validate reports the same.
func (e Event) DateProblems() map[string]string {
	out := map[string]string{}
	for k, v := range e.dateProblems {
		out[k] = v
	}
	return out
}

// Year is the first year the event's dates name: the start's (its first,
// for 198X), or the end's when the start is open. Lists head events by it.
func (e Event) Year() int {
	if e.Start.Open {
		return e.End.Year
	}
	return e.Start.Year
}

// Qual is what the event's dates say of their certainty together: the
// qualifiers of start and end combined.
func (e Event) Qual() Qualifier { return e.Start.Qual | e.End.Qual }

// Actor is a person, organization or state that takes part in events.
type Actor struct {
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	NameJA  string `json:"name_ja"`
	NameKO  string `json:"name_ko"`
	Kind    string `json:"kind"`    // person, organization or state
	Country string `json:"country"` // ISO 3166 alpha-2, or "" for international bodies
}

// EventActor is an actor with its role in one event.
type EventActor struct {
	Actor
	Role string `json:"role"`
}

// Source is one citable source for an event.
type Source struct {
	Publisher string `json:"publisher"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Date      Date   `json:"date"`
	Language  string `json:"language"` // en, ja, ko or other
	Note      string `json:"note"`
}

// Relation links an event to another: this event <Relation> the event Slug.
type Relation struct {
	Slug     string `json:"slug"`
	Relation string `json:"relation"`
	// Title and Start describe the other event when read from the store.
	Title   string `json:"-"`
	TitleJA string `json:"-"`
	TitleKO string `json:"-"`
	Start   Date   `json:"-"`
	End     Date   `json:"-"`
}

// Era is a named period, drawn as a band on the timeline.
type Era struct {
	Slug          string `json:"slug"`
	Name          string `json:"name"`
	NameJA        string `json:"name_ja"`
	NameKO        string `json:"name_ko"`
	Start         Date   `json:"start"`
	End           Date   `json:"end"`
	Description   string `json:"description"`
	DescriptionJA string `json:"description_ja"` // optional translations of the description
	DescriptionKO string `json:"description_ko"`
}

// DisplayDate renders the event's dates for readers ("26–28 May 2014").
func (e Event) DisplayDate() string { return FormatSpan(e.Start, e.End) }

// Earliest and Latest bound the days the event can cover, in their widest
// reading: an open start (..) begins with MinYear, an open end runs to the
// end of MaxYear.
func (e Event) Earliest() Day { return e.Start.Earliest() }

// Latest is the last day of the end date, or of the start when there is no end.
func (e Event) Latest() Day {
	if !e.End.IsZero() {
		return e.End.Latest()
	}
	return e.Start.Latest()
}

// Limits on event fields.
const (
	MaxTitle   = 200
	MaxSummary = 2000
	MaxBody    = 20000
	MaxShort   = 300 // location, role, publisher, source title, names, tags
	MaxURL     = 2000
	MaxNote    = 1000
	MaxListLen = 100 // actors, tags, sources, related
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a URL-safe slug: lowercase ASCII letters and
// digits in words joined by single hyphens, at most 120 characters.
func ValidSlug(s string) bool { return len(s) <= 120 && slugRE.MatchString(s) }

const slugRule = "must be lowercase letters a–z and digits in words joined by single hyphens, at most 120 characters"

// ReservedSlugs are the words the site's routes use where a slug could
// stand (/events/new, /events/SLUG/edit, /tags): an event, actor or era
// with one of them as its slug would be unreachable or ambiguous. The web
// package's tests check that every route's words are listed.
var ReservedSlugs = []string{
	"about", "actors", "admin", "api", "audit", "changes", "confirm", "correct", "corrections", "decline", "delete", "deleted", "disable", "edit", "enable",
	"eras", "events", "facets", "favicon", "feed", "files", "healthz", "history", "import", "ja", "ko", "lang", "login", "logout", "new",
	"openapi", "read", "readyz", "restore", "role", "static", "story", "tags", "timeline", "users", "v1", "write",
}

// checkSlug returns the rule slug breaks, or "".
func checkSlug(slug string) string {
	if !ValidSlug(slug) {
		return slugRule
	}
	if slices.Contains(ReservedSlugs, slug) {
		return fmt.Sprintf("%q is a word the site's addresses use: choose another slug", slug)
	}
	return ""
}

// Slugify makes a slug from free text: ASCII letters and digits kept,
// everything else a hyphen; at most max characters, cut at a word.
func Slugify(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > max {
		out = out[:max]
		if i := strings.LastIndexByte(out, '-'); i > 0 {
			out = out[:i]
		}
	}
	return out
}

// DefaultSlug makes a slug from the event's start date and title, as used
// when an event is created without one: "2014-05-29-stockholm-agreement".
func (e Event) DefaultSlug() string {
	s := Slugify(e.Start.String()+" "+e.Title, 80)
	if s == "" {
		return "event"
	}
	return s
}

// lf turns CRLF line ends into LF: text is stored with "\n" alone, so
// that a file written on Windows, or a CSV round trip, does not change it.
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// Normalize trims spaces, lowercases tags and drops duplicate tags, turns
// CRLF line ends into LF, and fills the slug from the date and title when
// it is empty. Validate after it.
func (e *Event) Normalize() {
	e.Slug = strings.TrimSpace(e.Slug)
	e.Title = strings.TrimSpace(e.Title)
	e.TitleJA = strings.TrimSpace(e.TitleJA)
	e.TitleKO = strings.TrimSpace(e.TitleKO)
	e.Summary = strings.TrimSpace(lf(e.Summary))
	e.SummaryJA = strings.TrimSpace(lf(e.SummaryJA))
	e.SummaryKO = strings.TrimSpace(lf(e.SummaryKO))
	e.Body = strings.TrimSpace(lf(e.Body))
	e.Location = strings.TrimSpace(e.Location)
	e.LocationJA = strings.TrimSpace(e.LocationJA)
	e.LocationKO = strings.TrimSpace(e.LocationKO)
	if e.Slug == "" && e.Title != "" && !e.Start.IsZero() {
		e.Slug = e.DefaultSlug()
	}
	var tags []string
	for _, t := range e.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	e.Tags = tags
	for i := range e.Actors {
		a := &e.Actors[i]
		a.Slug, a.Name, a.Role = strings.TrimSpace(a.Slug), strings.TrimSpace(a.Name), strings.TrimSpace(a.Role)
		a.NameJA, a.NameKO = strings.TrimSpace(a.NameJA), strings.TrimSpace(a.NameKO)
		if a.Slug == "" && a.Name != "" {
			a.Slug = Slugify(a.Name, 80)
		}
	}
	for i := range e.Sources {
		s := &e.Sources[i]
		s.Publisher, s.Title, s.URL = strings.TrimSpace(s.Publisher), strings.TrimSpace(s.Title), strings.TrimSpace(s.URL)
		s.Language, s.Note = strings.TrimSpace(s.Language), strings.TrimSpace(lf(s.Note))
		if s.Language == "" {
			s.Language = "en"
		}
	}
	for i := range e.Related {
		e.Related[i].Slug = strings.TrimSpace(e.Related[i].Slug)
	}
}

// Validate checks every field and returns a *ValidationError holding every
// problem at once, or nil. It does not check that actors and related events
// exist: the store does that.
func (e Event) Validate() error {
	p := problems{}
	if e.Slug == "" {
		p.add("slug", "is required (or give a title and start date to make one)")
	} else if msg := checkSlug(e.Slug); msg != "" {
		p.add("slug", "%s", msg)
	}
	checkText(p, "title", e.Title, MaxTitle, true)
	checkText(p, "title_ja", e.TitleJA, MaxTitle, false)
	checkText(p, "title_ko", e.TitleKO, MaxTitle, false)
	checkLongText(p, "summary", e.Summary, MaxSummary, true)
	checkLongText(p, "summary_ja", e.SummaryJA, MaxSummary, false)
	checkLongText(p, "summary_ko", e.SummaryKO, MaxSummary, false)
	checkLongText(p, "body", e.Body, MaxBody, false)
	checkFootnotes(p, "summary", e.Summary, len(e.Sources))
	checkFootnotes(p, "summary_ja", e.SummaryJA, len(e.Sources))
	checkFootnotes(p, "summary_ko", e.SummaryKO, len(e.Sources))
	checkFootnotes(p, "body", e.Body, len(e.Sources))
	checkText(p, "location", e.Location, MaxShort, false)
	checkText(p, "location_ja", e.LocationJA, MaxShort, false)
	checkText(p, "location_ko", e.LocationKO, MaxShort, false)
	for _, f := range []string{"start", "end"} {
		if msg, bad := e.dateProblems[f]; bad {
			p.add(f, "%s", msg)
		}
	}
	if _, bad := e.dateProblems["start"]; !bad {
		switch msg := CheckSpan(e.Start, e.End); {
		case e.Start.IsZero():
			p.add("start", "is required: %s", EDTFRule)
		case msg == "the end is before the start":
			p.add("end", "must not be before the start (%s)", e.Start)
		case msg != "" && e.Start.Open:
			p.add("start", "%s", msg)
		case msg != "":
			p.add("end", "%s", msg)
		}
	}
	if e.Category == "" {
		p.add("category", "is required: one of %s", strings.Join(categoryNames(), ", "))
	} else if !e.Category.Valid() {
		p.add("category", "must be one of %s", strings.Join(categoryNames(), ", "))
	}
	if e.Significance < 1 || e.Significance > 3 {
		p.add("significance", "must be 1 (minor), 2 (notable) or 3 (major)")
	}
	if len(e.Actors) > MaxListLen {
		p.add("actors", "at most %d actors", MaxListLen)
	}
	seenActor := map[string]bool{}
	for i, a := range e.Actors {
		f := fmt.Sprintf("actors[%d]", i)
		if a.Slug == "" {
			p.add(f+".slug", "is required")
		} else if !ValidSlug(a.Slug) {
			p.add(f+".slug", "%s", slugRule)
		} else if seenActor[a.Slug] {
			p.add(f+".slug", "lists %q twice", a.Slug)
		}
		seenActor[a.Slug] = true
		checkText(p, f+".role", a.Role, MaxShort, false)
		if a.Name != "" || a.Kind != "" { // an actor given in full, not by slug alone
			p.merge(a.Actor.problems(f + "."))
		}
	}
	if len(e.Tags) > MaxListLen {
		p.add("tags", "at most %d tags", MaxListLen)
	}
	for i, t := range e.Tags {
		if !ValidSlug(t) {
			p.add(fmt.Sprintf("tags[%d]", i), "%q %s", t, slugRule)
		}
	}
	if len(e.Sources) == 0 {
		p.add("sources", "at least one source is required")
	} else if len(e.Sources) > MaxListLen {
		p.add("sources", "at most %d sources", MaxListLen)
	}
	for i, s := range e.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		checkText(p, f+".publisher", s.Publisher, MaxShort, true)
		checkText(p, f+".title", s.Title, MaxShort, true)
		checkLongText(p, f+".note", s.Note, MaxNote, false)
		if s.URL != "" {
			if msg := checkURL(s.URL); msg != "" {
				p.add(f+".url", "%s", msg)
			}
		}
		if !slices.Contains(SourceLanguages, s.Language) {
			p.add(f+".language", "must be one of en, ja, ko, other")
		}
		if !s.Date.IsPlain() {
			p.add(f+".date", "%q: a source's date is plain: YYYY, YYYY-MM or YYYY-MM-DD", s.Date)
		}
	}
	seenRel := map[string]bool{}
	for i, r := range e.Related {
		f := fmt.Sprintf("related[%d]", i)
		if !ValidSlug(r.Slug) {
			p.add(f+".slug", "%s", slugRule)
		} else if r.Slug == e.Slug {
			p.add(f+".slug", "an event cannot relate to itself")
		}
		if !slices.Contains(Relations, r.Relation) {
			p.add(f+".relation", "must be one of %s", strings.Join(Relations, ", "))
		}
		if seenRel[r.Slug+" "+r.Relation] {
			p.add(f+".slug", "lists %q %s twice", r.Slug, r.Relation)
		}
		seenRel[r.Slug+" "+r.Relation] = true
	}
	return p.err()
}

func (p problems) merge(q problems) {
	for k, v := range q {
		p.add(k, "%s", v)
	}
}

// Validate checks an actor given in full.
func (a Actor) Validate() error { return a.problems("").err() }

func (a Actor) problems(prefix string) problems {
	p := problems{}
	if msg := checkSlug(a.Slug); msg != "" {
		p.add(prefix+"slug", "%s", msg)
	}
	checkText(p, prefix+"name", a.Name, MaxShort, true)
	checkText(p, prefix+"name_ja", a.NameJA, MaxShort, false)
	checkText(p, prefix+"name_ko", a.NameKO, MaxShort, false)
	if !slices.Contains(ActorKinds, a.Kind) {
		p.add(prefix+"kind", "must be one of person, organization, state")
	}
	if a.Country != "" && !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(a.Country) {
		p.add(prefix+"country", "must be a two-letter country code such as JP or KP, or empty")
	}
	return p
}

// Validate checks an era.
func (r Era) Validate() error {
	p := problems{}
	if msg := checkSlug(r.Slug); msg != "" {
		p.add("slug", "%s", msg)
	}
	checkText(p, "name", r.Name, MaxShort, true)
	checkText(p, "name_ja", r.NameJA, MaxShort, false)
	checkText(p, "name_ko", r.NameKO, MaxShort, false)
	checkLongText(p, "description", r.Description, MaxSummary, false)
	checkLongText(p, "description_ja", r.DescriptionJA, MaxSummary, false)
	checkLongText(p, "description_ko", r.DescriptionKO, MaxSummary, false)
	if r.Start.IsZero() {
		p.add("start", "is required: %s", DateRule)
	} else if !r.Start.IsPlain() {
		p.add("start", "%q %s", r.Start, DateRule)
	}
	if !r.End.IsPlain() {
		p.add("end", "%q %s", r.End, DateRule)
	} else if r.End.IsZero() {
		p.add("end", "is required: %s", DateRule)
	} else if r.End.Latest() < r.Start.Earliest() {
		p.add("end", "must not be before the start")
	}
	return p.err()
}

func categoryNames() []string {
	out := make([]string, len(Categories))
	for i, c := range Categories {
		out[i] = string(c)
	}
	return out
}

// checkText checks a one-line text field (a title, a name); checkLongText
// a field that may hold paragraphs.
func checkText(p problems, field, s string, max int, required bool) {
	if required && strings.TrimSpace(s) == "" {
		p.add(field, "is required")
	} else if msg := CheckText(s, max, false); msg != "" {
		p.add(field, "%s", msg)
	}
}

func checkLongText(p problems, field, s string, max int, required bool) {
	if required && strings.TrimSpace(s) == "" {
		p.add(field, "is required")
	} else if msg := CheckText(s, max, true); msg != "" {
		p.add(field, "%s", msg)
	}
}

// CheckText returns the rule that the text s breaks, or "": every text the
// chronology stores is valid UTF-8, at most max characters, without
// control characters other than tab, and, when multiline, newlines (LF or
// CRLF). Control characters would reach CSV, iCalendar, Markdown and
// terminals raw.
func CheckText(s string, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8 text"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("must be at most %d characters (has %d)", max, n)
	}
	for i, r := range s {
		switch {
		case r == '\t':
		case r == '\n' && multiline:
		case r == '\r' && multiline && strings.HasPrefix(s[i+1:], "\n"):
		case r == '\n' || r == '\r':
			return "must be one line (no line breaks)"
		case unicode.IsControl(r):
			return fmt.Sprintf("must not contain control characters (U+%04X at byte %d)", r, i)
		}
	}
	return ""
}

func checkURL(s string) string {
	if len(s) > MaxURL {
		return fmt.Sprintf("must be at most %d characters", MaxURL)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	return ""
}
