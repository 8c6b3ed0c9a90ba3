// The event form as the browser sends it: decoding (readEventForm),
// turning it into an event (toEvent) and checking it (checkEvent), beside
// the form rather than in its handlers (handlers_edit.go), as miniflux
// keeps its forms in ui/form.

package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/views"
)

// Form buttons: "save" stores the event; the others re-render the form
// with one more empty row, so that rows can be added without JavaScript.
const (
	opSave       = "save"
	opAddActor   = "add-actor"
	opAddSource  = "add-source"
	opAddRelated = "add-related"
)

// rowField matches the name of a field in a repeated row:
// "sources[2].publisher".
var rowField = regexp.MustCompile(`^(actors|sources|related)\[(\d{1,4})\]\.([a-z_]+)$`)

// readEventForm reads an event form as typed. Rows marked "remove" and
// rows left wholly empty are dropped, so that the rows shown again are the
// rows of the event and problems keyed "sources[1].url" land beside the
// right row. It returns the button that was pressed.
func readEventForm(form url.Values) (views.EventInput, string) {
	in := views.EventInput{
		Slug:         form.Get("slug"),
		Start:        form.Get("start"),
		End:          form.Get("end"),
		Title:        form.Get("title"),
		TitleJA:      form.Get("title_ja"),
		TitleKO:      form.Get("title_ko"),
		Summary:      form.Get("summary"),
		SummaryJA:    form.Get("summary_ja"),
		SummaryKO:    form.Get("summary_ko"),
		Body:         form.Get("body"),
		Category:     form.Get("category"),
		Significance: form.Get("significance"),
		Location:     form.Get("location"),
		LocationJA:   form.Get("location_ja"),
		LocationKO:   form.Get("location_ko"),
		Tags:         form.Get("tags"),
		EditSummary:  form.Get("edit_summary"),
	}
	rows := map[string]map[int]map[string]string{"actors": {}, "sources": {}, "related": {}}
	for k, vals := range form {
		m := rowField.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		if i > timeline.MaxListLen { // more rows than any event may have
			continue
		}
		if rows[m[1]][i] == nil {
			rows[m[1]][i] = map[string]string{}
		}
		rows[m[1]][i][m[3]] = vals[0]
	}
	for _, r := range orderedRows(rows["actors"]) {
		a := views.ActorInput{Slug: r["slug"], Role: r["role"], Name: r["name"], NameJA: r["name_ja"], Kind: r["kind"], Country: r["country"]}
		if r["remove"] == "" && !blank(a.Slug, a.Role, a.Name, a.NameJA, a.Kind, a.Country) {
			in.Actors = append(in.Actors, a)
		}
	}
	for _, r := range orderedRows(rows["sources"]) {
		s := views.SourceInput{Publisher: r["publisher"], Title: r["title"], URL: r["url"], Date: r["date"], Language: r["language"], Note: r["note"]}
		if r["remove"] == "" && !blank(s.Publisher, s.Title, s.URL, s.Date, s.Note) {
			in.Sources = append(in.Sources, s)
		}
	}
	for _, r := range orderedRows(rows["related"]) {
		rel := views.RelatedInput{Slug: r["slug"], Relation: r["relation"]}
		if r["remove"] == "" && !blank(rel.Slug) {
			in.Related = append(in.Related, rel)
		}
	}
	op := form.Get("op")
	switch op {
	case opAddActor:
		in.Actors = append(in.Actors, views.ActorInput{})
	case opAddSource:
		in.Sources = append(in.Sources, views.SourceInput{Language: "en"})
	case opAddRelated:
		in.Related = append(in.Related, views.RelatedInput{Relation: timeline.Relations[0]})
	default:
		op = opSave
	}
	return in, op
}

func orderedRows(m map[int]map[string]string) []map[string]string {
	idx := make([]int, 0, len(m))
	for i := range m {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	out := make([]map[string]string, len(idx))
	for j, i := range idx {
		out[j] = m[i]
	}
	return out
}

func blank(vals ...string) bool {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// toEvent turns a typed form into an event, with the problems that only
// the form can have (text that is not a date, significance that is not a
// number). The event still needs Normalize and Validate.
func toEvent(in views.EventInput) (timeline.Event, map[string]string) {
	p := map[string]string{}
	date := func(field, s string, required bool) timeline.Date {
		s = strings.TrimSpace(s)
		if s == "" {
			if required {
				p[field] = "is required: " + timeline.EraDateRule
			}
			return timeline.Date{}
		}
		// An era date (平成14年9月17日, H14.9.17) is read as the
		// partial date it means and saved as YYYY-MM-DD.
		d, err := timeline.ParseDateOrEra(s)
		if err != nil {
			p[field] = err.Error()
		}
		return d
	}
	e := timeline.Event{
		Slug:       strings.TrimSpace(in.Slug),
		Title:      in.Title,
		TitleJA:    in.TitleJA,
		TitleKO:    in.TitleKO,
		Summary:    in.Summary,
		SummaryJA:  in.SummaryJA,
		SummaryKO:  in.SummaryKO,
		Body:       in.Body,
		Category:   timeline.Category(strings.TrimSpace(in.Category)),
		Location:   in.Location,
		LocationJA: in.LocationJA,
		LocationKO: in.LocationKO,
	}
	// Start and end are EDTF; a whole interval may be typed in the start.
	// A Japanese era date (平成14年9月17日, H14.9.17) is read as the
	// partial date it means and saved as EDTF.
	era := func(field, s string) string {
		t := strings.TrimSpace(s)
		if !timeline.LooksLikeEraDate(t) {
			return s
		}
		d, err := timeline.ParseEraDate(t)
		if err != nil {
			p[field] = err.Error()
			return s
		}
		return d.String()
	}
	e.SetDates(era("start", in.Start), era("end", in.End), false)
	for k, v := range e.DateProblems() {
		if _, ok := p[k]; !ok {
			p[k] = v
		}
	}
	if strings.TrimSpace(in.Start) == "" {
		p["start"] = "is required: " + timeline.EDTFRule
	}
	if in.Significance != "" {
		n, err := strconv.Atoi(strings.TrimSpace(in.Significance))
		if err != nil {
			p["significance"] = "must be 1 (minor), 2 (notable) or 3 (major)"
		}
		e.Significance = n
	}
	for _, t := range strings.Split(in.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			e.Tags = append(e.Tags, t)
		}
	}
	for _, a := range in.Actors {
		e.Actors = append(e.Actors, timeline.EventActor{Role: a.Role, Actor: timeline.Actor{
			Slug: strings.TrimSpace(a.Slug), Name: a.Name, NameJA: a.NameJA, Kind: strings.TrimSpace(a.Kind),
			Country: strings.ToUpper(strings.TrimSpace(a.Country)),
		}})
	}
	for i, s := range in.Sources {
		e.Sources = append(e.Sources, timeline.Source{Publisher: s.Publisher, Title: s.Title, URL: s.URL,
			Date: date(fmt.Sprintf("sources[%d].date", i), s.Date, false), Language: s.Language, Note: s.Note})
	}
	for _, r := range in.Related {
		e.Related = append(e.Related, timeline.Relation{Slug: strings.TrimSpace(r.Slug), Relation: r.Relation})
	}
	if msg := timeline.CheckText(strings.TrimSpace(in.EditSummary), timeline.MaxShort, false); msg != "" {
		p["edit_summary"] = msg
	}
	return e, p
}

// checkEvent normalizes e and returns every problem of the form at once:
// those toEvent found and those of Validate.
func checkEvent(e *timeline.Event, formProblems map[string]string) map[string]string {
	noSlug := strings.TrimSpace(e.Slug) == ""
	e.Normalize()
	p := map[string]string{}
	var ve *timeline.ValidationError
	if err := e.Validate(); errors.As(err, &ve) {
		for k, v := range ve.Problems {
			p[k] = v
		}
	}
	for k, v := range formProblems { // the form's own reading is the more precise
		p[k] = v
	}
	// A slug left empty is made from the date and title: while either is
	// wrong, the problem is theirs, not the slug's.
	if _, bad := p["start"]; noSlug && (bad || p["title"] != "") {
		delete(p, "slug")
	}
	return p
}

// inputFromEvent fills a form from a stored event. Actors are given by
// slug only: the form is not the place to rename an actor.
func inputFromEvent(e timeline.Event) views.EventInput {
	in := views.EventInput{
		Slug: e.Slug, Start: e.Start.String(), End: e.End.String(),
		Title: e.Title, TitleJA: e.TitleJA, TitleKO: e.TitleKO, Summary: e.Summary,
		SummaryJA: e.SummaryJA, SummaryKO: e.SummaryKO, Body: e.Body, Category: string(e.Category), Significance: strconv.Itoa(e.Significance), Location: e.Location,
		LocationJA: e.LocationJA, LocationKO: e.LocationKO,
		Tags: strings.Join(e.Tags, ", "),
	}
	for _, a := range e.Actors {
		in.Actors = append(in.Actors, views.ActorInput{Slug: a.Slug, Role: a.Role})
	}
	for _, s := range e.Sources {
		in.Sources = append(in.Sources, views.SourceInput{Publisher: s.Publisher, Title: s.Title, URL: s.URL, Date: s.Date.String(), Language: s.Language, Note: s.Note})
	}
	for _, r := range e.Related {
		in.Related = append(in.Related, views.RelatedInput{Slug: r.Slug, Relation: r.Relation})
	}
	return in
}

// formVersion reads the hidden version field.
func formVersion(form url.Values) (int, error) {
	v, err := strconv.Atoi(form.Get("version"))
	if err != nil || v < 1 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "The form's version field is missing or not a positive number: reload the page and try again.")
	}
	return v, nil
}
