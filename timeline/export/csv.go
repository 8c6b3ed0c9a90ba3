package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
)

// CSVHeader is the header row of our CSV, in column order.
// start and end are EDTF dates (see timeline.ParseEDTF); the column
// "approximate" of files from before EDTF is still read (true is ~).
var CSVHeader = []string{"slug", "start", "end", "display_date", "title", "title_ja", "title_ko",
	"category", "significance", "location", "location_ja", "location_ko", "actors", "tags", "summary", "summary_ja", "summary_ko", "source_urls", "url"}

// ListSep separates the values of a list cell (actors, tags, source URLs).
const ListSep = "; "

// bom starts the file so that spreadsheet programs read it as UTF-8
// (Excel otherwise garbles Japanese and Korean).
const bom = "\uFEFF"

// WriteCSV writes the events as RFC 4180 CSV: UTF-8 with a byte-order
// mark, CRLF line ends, a header row (CSVHeader), one row per event. A
// cell that a spreadsheet would run as a formula is neutralized with a
// leading single quote, which ReadCSV removes again. CSV has no room for a
// citation: serve Meta.Citation alongside (the web server sends it as the
// X-Citation header).
func WriteCSV(w io.Writer, m Meta, evs Events) error {
	var buf bytes.Buffer
	buf.WriteString(bom)
	writeCSVRow(&buf, CSVHeader)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	var list []byte // a list cell, joined
	return evs(func(e timeline.Event) error {
		buf.Reset()
		for i, c := range [...]string{e.Slug, e.Start.String(), e.End.String(), e.DisplayDate(),
			e.Title, e.TitleJA, e.TitleKO, string(e.Category), strconv.Itoa(e.Significance), e.Location, e.LocationJA, e.LocationKO} {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeCSVCell(&buf, c)
		}
		list = list[:0]
		for _, a := range e.Actors {
			list = appendItem(list, a.Slug)
		}
		buf.WriteByte(',')
		writeCSVCell(&buf, list)
		list = list[:0]
		for _, t := range e.Tags {
			list = appendItem(list, t)
		}
		buf.WriteByte(',')
		writeCSVCell(&buf, list)
		for _, c := range [...]string{e.Summary, e.SummaryJA, e.SummaryKO} {
			buf.WriteByte(',')
			writeCSVCell(&buf, c)
		}
		list = list[:0]
		for _, src := range e.Sources {
			if src.URL != "" {
				list = appendItem(list, src.URL)
			}
		}
		buf.WriteByte(',')
		writeCSVCell(&buf, list)
		buf.WriteByte(',')
		writeCSVCell(&buf, m.Permalink(e.Slug))
		buf.WriteString("\r\n")
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// appendItem appends an item to a list cell, after ListSep unless it is
// the first.
func appendItem(list []byte, item string) []byte {
	if len(list) > 0 {
		list = append(list, ListSep...)
	}
	return append(list, item...)
}

// writeCSVRow appends one CRLF-terminated row (writeCSVCell).
func writeCSVRow(buf *bytes.Buffer, cells []string) {
	for i, c := range cells {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeCSVCell(buf, c)
	}
	buf.WriteString("\r\n")
}

// writeCSVCell appends one cell, neutralized (as neutralize does) and
// quoted when it holds a comma, a quote or a line break. A row's cells are
// written one by one, the lists joined in a buffer kept from row to row,
// so that a row allocates next to nothing.
func writeCSVCell[T string | []byte](buf *bytes.Buffer, c T) {
	quote := false
	for i := 0; i < len(c) && !quote; i++ {
		switch c[i] {
		case ',', '"', '\r', '\n':
			quote = true
		}
	}
	if quote {
		buf.WriteByte('"')
	}
	if startsFormula(c) {
		buf.WriteByte('\'')
	}
	for len(c) > 0 {
		n := len(c)
		if quote {
			// Up to and with the next quote, which is doubled.
			for i := 0; i < len(c); i++ {
				if c[i] == '"' {
					n = i + 1
					break
				}
			}
		}
		switch v := any(c[:n]).(type) {
		case string:
			buf.WriteString(v)
		case []byte:
			buf.Write(v)
		}
		if quote && c[n-1] == '"' {
			buf.WriteByte('"')
		}
		c = c[n:]
	}
	if quote {
		buf.WriteByte('"')
	}
}

// formulaStart reports whether a spreadsheet would read a cell beginning
// with b as a formula (or, for tab and CR, a cell that Excel trims into
// one).
func formulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// neutralize prefixes a single quote to a cell that a spreadsheet would run
// as a formula. A cell that already starts with a quote before such a
// character, or with two quotes, gets one more, so that unneutralize can
// always take exactly one away.
func neutralize(c string) string {
	if startsFormula(c) {
		return "'" + c
	}
	return c
}

// startsFormula reports whether neutralize prefixes c.
func startsFormula[T string | []byte](c T) bool {
	return len(c) > 0 && (formulaStart(c[0]) || (c[0] == '\'' && len(c) > 1 && (formulaStart(c[1]) || c[1] == '\'')))
}

// unneutralize undoes neutralize.
func unneutralize(c string) string {
	if len(c) > 1 && c[0] == '\'' && (formulaStart(c[1]) || c[1] == '\'') {
		return c[1:]
	}
	return c
}

// csvColumns maps our CSV's columns to the event fields they fill;
// display_date and url are derived, so they are read and ignored.
var csvColumns = map[string]string{
	"slug": "slug", "start": "start", "end": "end", "approximate": "approximate", "title": "title",
	"title_ja": "title_ja", "title_ko": "title_ko", "category": "category", "significance": "significance",
	"location": "location", "location_ja": "location_ja", "location_ko": "location_ko", "actors": "actors", "tags": "tags", "summary": "summary", "summary_ja": "summary_ja", "summary_ko": "summary_ko", "source_urls": "sources",
	"display_date": "", "url": "",
}

// newCSVReader reads CSV after a byte-order mark, if any, with rows of any
// width (a short row is reported with its line number, not as a failure of
// the whole file).
func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(newBOMSkipper(r))
	cr.FieldsPerRecord = -1
	return cr
}

// ReadCSV reads our CSV (as WriteCSV writes it; columns in any order, and
// any subset of them, as long as rows can be matched by slug or by start
// and title). Each row is labelled by the line it starts on. The events it
// returns are partial: Import fills what the CSV does not carry from the
// stored event with the same slug.
func ReadCSV(r io.Reader) (*timeline.ImportFile, error) {
	cr := newCSVReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: expected a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("not readable as CSV: %w", err)
	}
	in := &timeline.ImportFile{Format: string(CSV)}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		cols[i] = h
		if _, ok := csvColumns[h]; !ok {
			in.Problem("line 1", h, "is not a column of our CSV: use "+strings.Join(CSVHeader, ", "))
		} else if seen[h] {
			in.Problem("line 1", h, "appears twice")
		}
		seen[h] = true
	}
	if !seen["slug"] && !(seen["start"] && seen["title"]) {
		return nil, errors.New("line 1: the header needs a slug column, or start and title columns, to match rows to events")
	}
	if len(in.Problems) > 0 {
		return in, nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		label := "line " + strconv.Itoa(line)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("line %d: not readable as CSV: %v", pe.Line, pe.Err)
			}
			return nil, err
		}
		if blank(rec) {
			continue
		}
		if len(rec) != len(cols) {
			in.Add(timeline.Event{}, label, nil)
			in.Problem(label, "", fmt.Sprintf("has %d cells, the header has %d", len(rec), len(cols)))
			continue
		}
		p := &timeline.ImportRow{Fields: map[string]bool{}, Columns: map[string]string{}}
		var e timeline.Event
		var probs []timeline.ImportProblem
		approximate := false // the column of files from before EDTF: true is ~ on both dates
		bad := func(col, rule string) {
			probs = append(probs, timeline.ImportProblem{Record: label, Field: col, Rule: rule})
		}
		for i, col := range cols {
			field := csvColumns[col]
			if field == "" {
				continue
			}
			p.Fields[field] = true
			p.Columns[field] = col
			v := strings.TrimSpace(unneutralize(rec[i]))
			switch field {
			case "slug":
				e.Slug = v
			case "start", "end":
				if v == "" {
					continue
				}
				d, err := timeline.ParseEDTF(v)
				if err != nil {
					bad(col, err.Error())
				}
				if field == "start" {
					e.Start = d
				} else {
					e.End = d
				}
			case "approximate":
				b, ok := parseBool(v)
				if !ok {
					bad(col, "must be true or false (or yes/no, 1/0, or empty for false)")
				}
				approximate = b
			case "title":
				e.Title = v
			case "title_ja":
				e.TitleJA = v
			case "title_ko":
				e.TitleKO = v
			case "category":
				e.Category = parseCategory(v)
			case "significance":
				n, ok := parseSignificance(v)
				if !ok && v != "" {
					bad(col, "must be 1, 2 or 3 (or minor, notable, major)")
				}
				e.Significance = n
			case "location":
				e.Location = v
			case "location_ja":
				e.LocationJA = v
			case "location_ko":
				e.LocationKO = v
			case "summary":
				e.Summary = v
			case "summary_ja":
				e.SummaryJA = v
			case "summary_ko":
				e.SummaryKO = v
			case "actors":
				for _, s := range splitList(v) {
					e.Actors = append(e.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: s}})
				}
			case "tags":
				e.Tags = splitList(v)
			case "sources":
				p.URLs = splitURLs(v)
			}
		}
		if approximate {
			e.Start, e.End = e.Start.WithQual(timeline.QualApproximate), e.End.WithQual(timeline.QualApproximate)
		}
		in.Add(e, label, p)
		in.Problems = append(in.Problems, probs...)
		if len(probs) > 0 {
			in.Unreadable()
		}
	}
	if len(in.Dataset.Events) == 0 && len(in.Problems) == 0 {
		return nil, errors.New("the file has a header but no rows")
	}
	return in, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "", "false", "no", "0", "n":
		return false, true
	case "true", "yes", "1", "y":
		return true, true
	}
	return false, false
}

// parseCategory accepts a category's value or its label, in any case;
// anything else is kept as written for validation to report.
func parseCategory(s string) timeline.Category {
	for _, c := range timeline.Categories {
		if strings.EqualFold(s, string(c)) || strings.EqualFold(s, c.Label()) {
			return c
		}
	}
	return timeline.Category(s)
}

func parseSignificance(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 3 {
		return n, true
	}
	for n, l := range timeline.SignificanceLabels {
		if strings.EqualFold(s, l) {
			return n, true
		}
	}
	return 0, false
}

// splitList splits a list cell on semicolons.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitURLs splits a cell of URLs on semicolons, keeping a semicolon that
// is part of a URL (the piece after it does not start a new http URL).
func splitURLs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		t := strings.TrimSpace(p)
		if t == "" {
			continue
		}
		if len(out) > 0 && !strings.HasPrefix(t, "http://") && !strings.HasPrefix(t, "https://") {
			out[len(out)-1] += ";" + p
			continue
		}
		out = append(out, t)
	}
	return out
}

// bomSkipper drops a UTF-8 byte-order mark at the start of a stream.
type bomSkipper struct {
	r       io.Reader
	started bool
	pending []byte
}

func newBOMSkipper(r io.Reader) io.Reader { return &bomSkipper{r: r} }

func (b *bomSkipper) Read(p []byte) (int, error) {
	if !b.started {
		b.started = true
		head := make([]byte, 3)
		n, err := io.ReadFull(b.r, head)
		head = head[:n]
		if !bytes.Equal(head, []byte(bom)) {
			b.pending = head
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return 0, err
		}
	}
	if len(b.pending) > 0 {
		n := copy(p, b.pending)
		b.pending = b.pending[n:]
		return n, nil
	}
	return b.r.Read(p)
}
