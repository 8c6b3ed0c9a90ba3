package export

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
)

// Read reads an import file in the named format: "json", "csv" or
// "timelinejs" (the TimelineJS spreadsheet template saved as CSV). With
// format "" it is told from the content: JSON starts with [ or {, and a CSV
// whose header has Headline and Year columns is a TimelineJS sheet.
func Read(r io.Reader, format string) (*timeline.ImportFile, error) {
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
		var size int64
		if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				size = st.Size()
			}
		}
		return readJSON(br, size)
	case "csv":
		return ReadCSV(br)
	case "timelinejs":
		return ReadTimelineJSSheet(br)
	}
	return nil, fmt.Errorf("import format %q is not one of json, csv, timelinejs", format)
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
