package data

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/japan-dprk/timeline/timeline"
)

//go:embed verification/*.tsv
var verificationFiles embed.FS

// checkColumns is the header every verification file starts with.
var checkColumns = []string{"slug", "checked_on", "checked", "publisher", "title", "url", "result", "note"}

// Checks decodes the verification record, data/verification/*.tsv: one
// line per check of an event against an independent source, files in name
// order. A line that breaks the format or a check's rules is an error
// naming the file and line.
func Checks() ([]timeline.Check, error) {
	names, err := fs.Glob(verificationFiles, "verification/*.tsv")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []timeline.Check
	for _, name := range names {
		b, err := verificationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		if len(lines) == 0 || lines[0] != strings.Join(checkColumns, "\t") {
			return nil, fmt.Errorf("data: %s: line 1: the header must be %q", name, strings.Join(checkColumns, "\t"))
		}
		for i, line := range lines[1:] {
			at := fmt.Sprintf("data: %s: line %d", name, i+2)
			f := strings.Split(line, "\t")
			if len(f) != len(checkColumns) {
				return nil, fmt.Errorf("%s: has %d fields, want %d (tab-separated: %s)", at, len(f), len(checkColumns), strings.Join(checkColumns, ", "))
			}
			on, err := timeline.ParseDate(f[1])
			if err != nil {
				return nil, fmt.Errorf("%s: checked_on: %w", at, err)
			}
			c := timeline.Check{Slug: f[0], CheckedOn: on, Checked: f[2],
				Source: timeline.Source{Publisher: f[3], Title: f[4], URL: f[5]}, Result: f[6], Note: f[7]}
			if err := c.Validate(); err != nil {
				return nil, fmt.Errorf("%s: %w", at, err)
			}
			out = append(out, c)
		}
	}
	return out, nil
}
