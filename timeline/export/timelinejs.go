package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
)

// TimelineJS 3 JSON (https://timeline.knightlab.com/docs/json-format.html).

// TJSDate is a TimelineJS date: year, month and day as strings, leaving out
// what is not known.
type TJSDate struct {
	Year        string `json:"year"`
	Month       string `json:"month,omitempty"`
	Day         string `json:"day,omitempty"`
	DisplayDate string `json:"display_date,omitempty"`
}

// TJSText is a slide's headline and HTML text.
type TJSText struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

// TJSSlide is one TimelineJS event (or the title slide, without dates).
type TJSSlide struct {
	StartDate   *TJSDate `json:"start_date,omitempty"`
	EndDate     *TJSDate `json:"end_date,omitempty"`
	Text        TJSText  `json:"text"`
	Group       string   `json:"group,omitempty"`
	DisplayDate string   `json:"display_date,omitempty"`
	UniqueID    string   `json:"unique_id,omitempty"`
}

// TJSEra is a TimelineJS era.
type TJSEra struct {
	StartDate TJSDate `json:"start_date"`
	EndDate   TJSDate `json:"end_date"`
	Text      TJSText `json:"text"`
}

func tjsDate(d timeline.Date) *TJSDate {
	t := &TJSDate{Year: strconv.Itoa(d.Year)} // 198X starts in 1980
	if d.Month > 0 {
		t.Month = strconv.Itoa(d.Month)
	}
	if d.Day > 0 {
		t.Day = strconv.Itoa(d.Day)
	}
	return t
}

// tjsEnd writes an end date at its latest day: TimelineJS fills a missing
// month or day with 1, which would end "2004" on 1 January 2004 and
// "July 1984" on 1 July.
func tjsEnd(d timeline.Date) *TJSDate {
	if d.Day > 0 {
		return tjsDate(d)
	}
	return tjsDate(d.Latest().Date())
}

// TimelineJSSlide converts an event into a TimelineJS slide.
func TimelineJSSlide(m Meta, e timeline.Event) TJSSlide {
	start := e.Start
	if start.Open {
		// TimelineJS needs a start: an open one ("../1950") is drawn from
		// its end, and display_date says "until 1950".
		start = e.End
	}
	s := TJSSlide{
		StartDate: tjsDate(start),
		Text:      TJSText{Headline: html.EscapeString(e.Title), Text: tjsText(m, e)},
		Group:     e.Category.Label(),
		UniqueID:  e.Slug,
	}
	if !e.End.IsZero() && !e.End.Open && !e.Start.Open {
		s.EndDate = tjsEnd(e.End)
	}
	if !e.Start.IsPlain() || !e.End.IsPlain() || !e.End.IsZero() && e.End.Day == 0 {
		// A qualified, unspecified or open date, or an end written at a
		// day the sources do not give: show the date as it is known.
		s.DisplayDate = e.DisplayDate()
	}
	return s
}

func tjsText(m Meta, e timeline.Event) string {
	var b strings.Builder
	b.WriteString("<p>" + html.EscapeString(e.Summary) + "</p>")
	if len(e.Sources) > 0 {
		b.WriteString("<p>Sources: ")
		for i, s := range e.Sources {
			if i > 0 {
				b.WriteString("; ")
			}
			if s.URL != "" {
				b.WriteString(`<a href="` + html.EscapeString(s.URL) + `">` + html.EscapeString(sourceText(s)) + "</a>")
			} else {
				b.WriteString(html.EscapeString(sourceText(s)))
			}
		}
		b.WriteString(".</p>")
	}
	b.WriteString(`<p><a href="` + html.EscapeString(m.Permalink(e.Slug)) + `">Permalink</a></p>`)
	return b.String()
}

// WriteTimelineJS writes the TimelineJS 3 JSON that its embed loads:
// {"title": …, "events": […], "eras": […]}. Each event's group is its
// category label, its unique_id its slug; a date that is not plain EDTF
// (qualified, with X digits, open), or an end known only to the month or
// year, gets a display_date ("c. 1980", "the 1980s", "June 2019 onwards",
// "July 2012 – January 2015"); an open end has no end_date, and an open
// start is drawn from its end. Ends (of events and eras) are written at their
// latest day, since TimelineJS reads a missing month or day as 1. The
// title slide holds the citation.
func WriteTimelineJS(w io.Writer, m Meta, evs Events) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	title := TJSSlide{Text: TJSText{Headline: html.EscapeString(m.Title()),
		Text: "<p>" + html.EscapeString(plural(m.Count, "event", "events")+". "+m.citeAs()+": "+m.Citation()) + "</p>"}}
	buf.WriteString(`{"title":`)
	if err := enc.Encode(title); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	buf.WriteString(",\n\"events\":[")
	n := 0
	err := evs(func(e timeline.Event) error {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		buf.WriteByte('\n')
		if err := enc.Encode(TimelineJSSlide(m, e)); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
		_, err := w.Write(buf.Bytes())
		buf.Reset()
		return err
	})
	if err != nil {
		return err
	}
	buf.WriteString("\n],\n\"eras\":[")
	for i, r := range ErasIn(m.Eras, m.Filter) {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		era := TJSEra{StartDate: *tjsDate(r.Start), EndDate: *tjsEnd(r.End), Text: TJSText{Headline: html.EscapeString(r.Name)}}
		if err := enc.Encode(era); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("\n]}\n")
	_, err = w.Write(buf.Bytes())
	return err
}

// TimelineJSColumns are the columns of the TimelineJS Google Sheets
// template, in order.
var TimelineJSColumns = []string{"Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
	"Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background"}

var approxRE = regexp.MustCompile(`(?i)^\s*(c\.|ca\.|circa|about|around|~)`)

// ReadTimelineJSSheet reads the TimelineJS spreadsheet template saved as
// CSV. A row becomes an event: Year/Month/Day its start, End Year/End
// Month/End Day its end, Headline its title, Text its summary (HTML tags
// removed), Group its category when Group is one of our categories (value
// or label, any case), and a Display Date starting "c.", "ca.", "circa",
// "about", "around" or "~" makes it approximate. Media, times and
// Background are not kept. A row of Type "title" is skipped; a row of Type
// "era" becomes an era. The slug is made from the date and the headline.
// TimelineJS has no significance and no sources: Import needs defaults
// for them (Options) or reports every new row.
func ReadTimelineJSSheet(r io.Reader) (*timeline.ImportFile, error) {
	cr := newCSVReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: expected the TimelineJS header row")
	}
	if err != nil {
		return nil, fmt.Errorf("not readable as CSV: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"year", "headline", "text"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("line 1: the header has no %q column: expected the TimelineJS template's columns (%s)",
				need, strings.Join(TimelineJSColumns, ", "))
		}
	}
	in := &timeline.ImportFile{Format: string(TimelineJS)}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("line %d: not readable as CSV: %v", pe.Line, pe.Err)
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		label := "line " + strconv.Itoa(line)
		if blank(rec) {
			continue
		}
		get := func(name string) string {
			if i, ok := col[strings.ToLower(name)]; ok && i < len(rec) {
				return strings.TrimSpace(unneutralize(rec[i]))
			}
			return ""
		}
		var probs []timeline.ImportProblem
		bad := func(c, rule string) {
			probs = append(probs, timeline.ImportProblem{Record: label, Field: c, Rule: rule})
		}
		date := func(y, mo, d string) timeline.Date {
			ys, ms, ds := get(y), get(mo), get(d)
			if ys == "" && ms == "" && ds == "" {
				return timeline.Date{}
			}
			s := ys
			if ms != "" {
				s += "-" + pad2(ms)
				if ds != "" {
					s += "-" + pad2(ds)
				}
			} else if ds != "" {
				bad(d, "a day needs a month")
				return timeline.Date{}
			}
			dt, err := timeline.ParseDate(s)
			if err != nil {
				bad(y+"/"+mo+"/"+d, err.Error())
			}
			return dt
		}
		start := date("Year", "Month", "Day")
		end := date("End Year", "End Month", "End Day")
		headline := htmlText(get("Headline"))
		text := htmlText(get("Text"))
		switch strings.ToLower(get("Type")) {
		case "title":
			continue
		case "era":
			era := timeline.Era{Slug: timeline.Slugify(headline, 80), Name: headline, Start: start, End: end, Description: text}
			if err := era.Validate(); err != nil {
				var ve *timeline.ValidationError
				if errors.As(err, &ve) {
					for _, f := range ve.Fields() {
						bad(tjsColumn(f), ve.Problems[f])
					}
				}
			}
			if len(probs) == 0 {
				in.Dataset.Eras = append(in.Dataset.Eras, era)
			}
			in.Problems = append(in.Problems, probs...)
			continue
		}
		if start.IsZero() && len(probs) == 0 {
			bad("Year", "is required")
		}
		if headline == "" {
			bad("Headline", "is required")
		}
		if text == "" {
			bad("Text", "is required (it becomes the event's summary)")
		}
		e := timeline.Event{Start: start, End: end, Title: headline, Summary: text}
		if approxRE.MatchString(get("Display Date")) {
			e.Start, e.End = start.WithQual(timeline.QualApproximate), end.WithQual(timeline.QualApproximate)
		}
		p := &timeline.ImportRow{
			Fields:  map[string]bool{"start": true, "end": true, "title": true, "summary": true},
			Columns: map[string]string{"start": "Year", "end": "End Year", "title": "Headline", "summary": "Text", "category": "Group"},
		}
		if g := get("Group"); g != "" {
			e.Category = parseCategory(g)
			p.Fields["category"] = true
		}
		in.Add(e, label, p)
		if len(probs) > 0 {
			in.Unreadable()
			in.Problems = append(in.Problems, probs...)
		}
	}
	if len(in.Dataset.Events) == 0 && len(in.Dataset.Eras) == 0 && len(in.Problems) == 0 {
		return nil, errors.New("the sheet has a header but no event rows")
	}
	return in, nil
}

func tjsColumn(field string) string {
	switch field {
	case "name", "slug":
		return "Headline"
	case "start":
		return "Year"
	case "end":
		return "End Year"
	case "description":
		return "Text"
	}
	return field
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	breakRE = regexp.MustCompile(`(?i)</p>\s*<p[^>]*>|<br\s*/?>`)
)

// htmlText turns a TimelineJS HTML cell into plain text: tags removed
// (paragraph and line breaks become line breaks), entities decoded.
func htmlText(s string) string {
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	return strings.TrimSpace(html.UnescapeString(s))
}
