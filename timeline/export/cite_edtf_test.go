package export

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// TestCitationsCarryEDTF: an event's EDTF dates are said in words in the
// title of every format, written to biblatex's eventdate and CSL's
// event-date (with circa), and pandoc reads the BibTeX's approximate
// date as circa and an open end as an open range.
func TestCitationsCarryEDTF(t *testing.T) {
	mk := func(slug, dates string) timeline.Event {
		e := citeEvents()[0]
		e.Slug = slug
		var err error
		if e.Start, e.End, err = timeline.ParseInterval(dates); err != nil {
			t.Fatal(err)
		}
		return e
	}
	evs := []timeline.Event{mk("about", "1977-11~"), mk("open", "2019-06/.."), mk("decade", "198X"), mk("unsure", "2014-05?")}
	var bib, csl, ris bytes.Buffer
	for f, buf := range map[CiteFormat]*bytes.Buffer{BibTeX: &bib, CSLJSON: &csl, RIS: &ris} {
		if err := WriteEventCitations(buf, f, citeMeta(), Slice(evs)); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"eventdate = {1977-11~}", "eventdate = {2019-06/}", "eventdate = {1980/1989}", "eventdate = {2014-05?}", "(c. November 1977)", "(May 2014 (uncertain))"} {
		if !strings.Contains(bib.String(), want) {
			t.Errorf("BibTeX lacks %q", want)
		}
	}
	if !strings.Contains(ris.String(), "(c. November 1977)") || !strings.Contains(ris.String(), "(the 1980s)") {
		t.Error("RIS titles do not say the dates in words")
	}
	var items []CSLItem
	if err := json.Unmarshal(csl.Bytes(), &items); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"about": `{"date-parts":[[1977,11]],"circa":true}`, "open": `{"date-parts":[[2019,6],[0]]}`,
		"decade": `{"date-parts":[[1980],[1989]]}`, "unsure": `{"date-parts":[[2014,5]]}`}
	for _, it := range items {
		got, _ := json.Marshal(it.EventDate)
		if string(got) != want[it.ID] {
			t.Errorf("%s: event-date %s, want %s", it.ID, got, want[it.ID])
		}
	}
	if _, err := exec.LookPath("pandoc"); err != nil {
		t.Skip("pandoc is not installed: its reading of eventdate not checked")
	}
	path := filepath.Join(t.TempDir(), "e.bib")
	if err := os.WriteFile(path, bib.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pandoc", "-f", "biblatex", "-t", "csljson", path).Output()
	if err != nil {
		t.Fatalf("pandoc: %v", err)
	}
	var read []map[string]any
	if err := json.Unmarshal(out, &read); err != nil {
		t.Fatal(err)
	}
	for _, it := range read {
		ed, _ := json.Marshal(it["event-date"])
		switch it["id"] {
		case "about":
			if !strings.Contains(string(ed), `"circa":true`) {
				t.Errorf("pandoc reads about's eventdate as %s, without circa", ed)
			}
		case "open":
			if !strings.Contains(string(ed), `[2019,6],[0]`) {
				t.Errorf("pandoc reads the open end as %s", ed)
			}
		case "decade":
			if !strings.Contains(string(ed), `[1980],[1989]`) {
				t.Errorf("pandoc reads the decade as %s", ed)
			}
		}
	}
}
