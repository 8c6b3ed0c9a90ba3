package export

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
)

// exportFiltered writes the events f selects as JSON.
func exportFiltered(t *testing.T, s *timeline.Store, f timeline.Filter) []byte {
	t.Helper()
	ctx := context.Background()
	m := Meta{Generated: testClock, BaseURL: "https://example.org", Filter: f}
	var err error
	if m.Count, err = s.Count(ctx, f); err != nil {
		t.Fatal(err)
	}
	if m.Eras, err = s.ListEras(ctx); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := JSON.Write(&buf, m, func(yield func(timeline.Event) error) error { return s.EachEvent(ctx, f, yield) }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func dataVersion(t *testing.T, s *timeline.Store) int64 {
	t.Helper()
	v, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int64(v)
}

// Re-importing an unchanged export writes nothing: no event, actor or era
// is rewritten, the data version (and so ETags and citations) stays, and
// the dry run says every event is unchanged.
func TestReimportingAnUnchangedExportWritesNothing(t *testing.T) {
	s := shippedStore(t)
	file := exportAll(t, s, JSON, testClock)
	before := dataVersion(t, s)
	dry := importBytes(t, s, file, "", timeline.ImportFileOptions{DryRun: true})
	if dry.Created != 0 || dry.Updated != 0 || dry.Actors != 0 || dry.Eras != 0 || dry.Unchanged == 0 {
		t.Errorf("dry run = %s, want everything unchanged", ReportText(dry, true))
	}
	if len(dry.Events) != dry.Unchanged || slices.ContainsFunc(dry.Events, func(e timeline.EventChange) bool { return e.Action != timeline.ImportUnchanged }) {
		t.Errorf("dry run lists %d events, not all unchanged", len(dry.Events))
	}
	rep := importBytes(t, s, file, "", timeline.ImportFileOptions{})
	if rep.Created != 0 || rep.Updated != 0 || rep.Actors != 0 || rep.Eras != 0 {
		t.Errorf("import = %s, want nothing written", ReportText(rep, false))
	}
	if after := dataVersion(t, s); after != before {
		t.Errorf("data version %d → %d, want unchanged", before, after)
	}
}

// A JSON export filtered to some events links to events outside the
// filter: into an empty database the links whose targets exist are
// imported and the rest reported as warnings, and the same file again
// changes nothing.
func TestFilteredExportImportsIntoAnEmptyDatabase(t *testing.T) {
	src := shippedStore(t)
	f := timeline.Filter{Categories: []timeline.Category{"summit", "negotiation"}}
	file := exportFiltered(t, src, f)
	dst := newStore(t)
	rep := importBytes(t, dst, file, "", timeline.ImportFileOptions{})
	n, _ := src.Count(context.Background(), f)
	if rep.Created != n || len(rep.Warnings) == 0 {
		t.Fatalf("import = %s with %d warnings, want %d created and warnings for the links left out", ReportText(rep, false), len(rep.Warnings), n)
	}
	for _, w := range rep.Warnings {
		if w.Field != "related" || !strings.Contains(w.Rule, "left out") {
			t.Errorf("warning %q, want a related link left out", w.String())
		}
	}
	// Links between imported events are kept.
	kept := 0
	err := dst.EachEvent(context.Background(), timeline.Filter{}, func(e timeline.Event) error {
		kept += len(e.Related)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if kept == 0 {
		t.Error("no related link between imported events was kept")
	}
	before := dataVersion(t, dst)
	again := importBytes(t, dst, file, "", timeline.ImportFileOptions{})
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != n || again.Actors != 0 || again.Eras != 0 {
		t.Errorf("second import = %s, want every event unchanged", ReportText(again, false))
	}
	if after := dataVersion(t, dst); after != before {
		t.Errorf("data version %d → %d, want unchanged", before, after)
	}
}

// Text with CRLF line ends is stored with LF, so that a CSV round trip
// leaves it as it is.
func TestCRLFIsStoredAsLF(t *testing.T) {
	s := newStore(t)
	csv := "slug,start,title,category,significance,summary,source_urls\r\n" +
		"crlf-event,2030-01,CRLF,statement,1,\"First line\r\nsecond line\",https://example.org/1\r\n"
	importBytes(t, s, []byte(csv), "csv", timeline.ImportFileOptions{})
	e, err := s.GetEvent(context.Background(), "crlf-event")
	if err != nil {
		t.Fatal(err)
	}
	if e.Summary != "First line\nsecond line" {
		t.Errorf("summary %q, want LF line ends", e.Summary)
	}
	before := dataVersion(t, s)
	rep := importBytes(t, s, exportAll(t, s, CSV, testClock), "csv", timeline.ImportFileOptions{})
	if rep.Unchanged != 1 || dataVersion(t, s) != before {
		t.Errorf("CSV round trip: %s, want unchanged", ReportText(rep, false))
	}
	e.Body = "Body\r\nwith CRLF"
	if err := s.UpdateEvent(context.Background(), e.Slug, &e, timeline.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetEvent(context.Background(), "crlf-event"); got.Body != "Body\nwith CRLF" {
		t.Errorf("body saved as %q, want LF line ends", got.Body)
	}
	era := timeline.Era{Slug: "crlf-era", Name: "CRLF era", Start: timeline.MustDate("2030"), End: timeline.MustDate("2031"), Description: "One\r\ntwo"}
	if _, err := s.Import(context.Background(), timeline.Dataset{Eras: []timeline.Era{era}}, timeline.Change{Author: "test"}, timeline.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	eras, err := s.ListEras(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eras {
		if r.Slug == "crlf-era" && r.Description != "One\ntwo" {
			t.Errorf("era description %q, want LF line ends", r.Description)
		}
	}
}

// A dry run lists, per event, what would change and in which fields.
func TestDryRunListsEachEventsChange(t *testing.T) {
	s := shippedStore(t)
	var first timeline.Event
	err := s.EachEvent(context.Background(), timeline.Filter{}, func(e timeline.Event) error {
		if first.Slug == "" {
			first = e
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	csv := "slug,start,title,category,significance,summary\n" +
		first.Slug + "," + first.Start.String() + ",New title," + string(first.Category) + "," + strconv.Itoa(first.Significance) + ",New summary\n" +
		"dry-run-new,2031-02,A new one,statement,1,Something\n"
	rep := importBytes(t, s, []byte(csv), "csv", timeline.ImportFileOptions{DryRun: true, SourcePublisher: "Test", SourceTitle: "Dry run"})
	if len(rep.Events) != 2 {
		t.Fatalf("dry run lists %d events, want 2: %v", len(rep.Events), ReportLines(rep))
	}
	upd, cre := rep.Events[0], rep.Events[1]
	if upd.Action != timeline.ImportUpdated || upd.Slug != first.Slug || !slices.Contains(upd.Fields, "title") || !slices.Contains(upd.Fields, "summary") || slices.Contains(upd.Fields, "start") {
		t.Errorf("first row: %+v, want updated in title and summary", upd)
	}
	if cre.Action != timeline.ImportCreated || cre.Record != "line 3" {
		t.Errorf("second row: %+v, want created at line 3", cre)
	}
	lines := ReportLines(rep)
	if !strings.HasPrefix(lines[0], "updated   "+first.Slug+" (line 2): ") || !strings.Contains(lines[0], "title") {
		t.Errorf("report line %q", lines[0])
	}
}

// A spreadsheet row is completed from the stored event before the write
// transaction; an edit made in between must not be undone by the import.
func TestSpreadsheetImportRefusesAnEventChangedMeanwhile(t *testing.T) {
	s := shippedStore(t)
	ctx := context.Background()
	var target timeline.Event
	err := s.EachEvent(ctx, timeline.Filter{}, func(e timeline.Event) error {
		if target.Slug == "" {
			target = e
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	csv := "slug,title\n" + target.Slug + ",Title from the sheet\n"
	in, err := Read(strings.NewReader(csv), "csv")
	if err != nil {
		t.Fatal(err)
	}
	opt := timeline.ImportFileOptions{Change: timeline.Change{Author: "sheet"}, BeforeWrite: func() {
		e, err := s.GetEvent(ctx, target.Slug)
		if err != nil {
			t.Fatal(err)
		}
		e.Summary = "An editor's concurrent change"
		if err := s.UpdateEvent(ctx, e.Slug, &e, timeline.Change{Author: "editor"}); err != nil {
			t.Fatal(err)
		}
	}}
	_, err = s.ImportFile(ctx, in, opt)
	var ie *timeline.ImportError
	if !errors.As(err, &ie) || !strings.Contains(ie.Problems[0].Rule, "after the file was checked") {
		t.Fatalf("got %v, want the row refused as changed meanwhile", err)
	}
	got, err := s.GetEvent(ctx, target.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Summary != "An editor's concurrent change" || got.Title != target.Title {
		t.Errorf("stored event: title %q, summary %q; want the editor's change kept and the sheet's refused", got.Title, got.Summary)
	}
}

// The translated summaries and era texts travel through a JSON export
// into an empty database, and through a CSV export back onto the events.
func TestTranslationsRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := newStore(t)
	file := []byte(`{"eras": [{"slug": "stockholm-process", "name": "The Stockholm process", "name_ja": "ストックホルム合意",
		"name_ko": "스톡홀름 합의", "start": "2014-05", "end": "2016-02", "description": "From the talks to the dissolution.",
		"description_ja": "協議から解体まで。", "description_ko": "협의에서 해체까지."}],
	"events": [{"slug": "stockholm-agreement", "start": "2014-05-29", "title": "Stockholm agreement", "title_ja": "ストックホルム合意",
		"summary": "Japan and North Korea announce the agreement [1].", "summary_ja": "日朝両政府が合意を発表した[1]。",
		"summary_ko": "북일 양국 정부가 합의를 발표했다[1].", "category": "agreement", "significance": 3,
		"sources": [{"publisher": "MOFA", "title": "Press release", "url": "https://www.mofa.go.jp/"}]}]}`)
	if rep := importBytes(t, src, file, "", timeline.ImportFileOptions{}); rep.Created != 1 || rep.Eras != 1 {
		t.Fatalf("import = %s", ReportText(rep, false))
	}
	want, err := src.GetEvent(ctx, "stockholm-agreement")
	if err != nil {
		t.Fatal(err)
	}
	if want.SummaryJA != "日朝両政府が合意を発表した[1]。" || want.SummaryKO != "북일 양국 정부가 합의를 발표했다[1]." {
		t.Fatalf("stored summaries %q, %q", want.SummaryJA, want.SummaryKO)
	}

	dst := newStore(t)
	importBytes(t, dst, exportAll(t, src, JSON, testClock), "", timeline.ImportFileOptions{})
	got, err := dst.GetEvent(ctx, want.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.SummaryJA != want.SummaryJA || got.SummaryKO != want.SummaryKO {
		t.Errorf("after JSON: summaries %q, %q, want %q, %q", got.SummaryJA, got.SummaryKO, want.SummaryJA, want.SummaryKO)
	}
	eras, err := dst.ListEras(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(eras) != 1 || eras[0].NameKO != "스톡홀름 합의" || eras[0].DescriptionJA != "協議から解体まで。" || eras[0].DescriptionKO != "협의에서 해체까지." {
		t.Errorf("after JSON: eras %+v", eras)
	}

	// A CSV row without the translation columns keeps them; one with them
	// replaces them, and a second import of the same CSV changes nothing.
	csvKeep := "slug,title\r\nstockholm-agreement,Stockholm agreement announced\r\n"
	importBytes(t, dst, []byte(csvKeep), "csv", timeline.ImportFileOptions{})
	if got, _ = dst.GetEvent(ctx, want.Slug); got.SummaryJA != want.SummaryJA || got.SummaryKO != want.SummaryKO {
		t.Errorf("a CSV without the columns changed the summaries to %q, %q", got.SummaryJA, got.SummaryKO)
	}
	csvFile := exportAll(t, dst, CSV, testClock)
	if !bytes.Contains(csvFile, []byte("日朝両政府が合意を発表した[1]。,북일 양국 정부가 합의를 발표했다[1].,")) {
		t.Errorf("CSV lacks the translated summaries:\n%s", csvFile)
	}
	edited := bytes.Replace(csvFile, []byte("日朝両政府が合意を発表した[1]。"), []byte("日朝両政府がストックホルム合意を発表した[1]。"), 1)
	if rep := importBytes(t, dst, edited, "csv", timeline.ImportFileOptions{}); rep.Updated != 1 {
		t.Fatalf("CSV import = %s, want one update", ReportText(rep, false))
	} else if len(rep.Events) != 1 || !slices.Equal(rep.Events[0].Fields, []string{"summary_ja"}) {
		t.Errorf("CSV import changed %+v, want summary_ja alone", rep.Events)
	}
	if got, _ = dst.GetEvent(ctx, want.Slug); got.SummaryJA != "日朝両政府がストックホルム合意を発表した[1]。" || got.SummaryKO != want.SummaryKO {
		t.Errorf("after CSV: summaries %q, %q", got.SummaryJA, got.SummaryKO)
	}
	if rep := importBytes(t, dst, edited, "csv", timeline.ImportFileOptions{}); rep.Updated != 0 || rep.Unchanged != 1 {
		t.Errorf("the same CSV again = %s, want unchanged", ReportText(rep, false))
	}
}

// The translated locations travel through a JSON export into an empty
// database, through a CSV export (columns after location) back onto the
// event, and into the Markdown export.
func TestLocationTranslationsRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := newStore(t)
	file := []byte(`{"events": [{"slug": "koizumi-visit", "start": "2002-09-17", "title": "Koizumi visits Pyongyang",
		"summary": "The first summit.", "category": "summit", "significance": 3,
		"location": "Pyongyang, North Korea", "location_ja": "平壌（北朝鮮）", "location_ko": "평양(북한)",
		"sources": [{"publisher": "MOFA", "title": "Press release", "url": "https://www.mofa.go.jp/"}]}]}`)
	if rep := importBytes(t, src, file, "", timeline.ImportFileOptions{}); rep.Created != 1 {
		t.Fatalf("import = %s", ReportText(rep, false))
	}
	dst := newStore(t)
	importBytes(t, dst, exportAll(t, src, JSON, testClock), "", timeline.ImportFileOptions{})
	got, err := dst.GetEvent(ctx, "koizumi-visit")
	if err != nil {
		t.Fatal(err)
	}
	if got.LocationJA != "平壌（北朝鮮）" || got.LocationKO != "평양(북한)" {
		t.Errorf("after JSON: locations %q, %q", got.LocationJA, got.LocationKO)
	}
	if md := exportAll(t, dst, Markdown, testClock); !bytes.Contains(md, []byte("Pyongyang, North Korea · 平壌（北朝鮮） · 평양(북한)")) {
		t.Errorf("Markdown lacks the translated locations:\n%s", md)
	}

	importBytes(t, dst, []byte("slug,location\r\nkoizumi-visit,\"Pyongyang, North Korea\"\r\n"), "csv", timeline.ImportFileOptions{})
	if got, _ = dst.GetEvent(ctx, got.Slug); got.LocationJA != "平壌（北朝鮮）" || got.LocationKO != "평양(북한)" {
		t.Errorf("a CSV without the columns changed the locations to %q, %q", got.LocationJA, got.LocationKO)
	}
	csvFile := exportAll(t, dst, CSV, testClock)
	if !bytes.Contains(csvFile, []byte(`,"Pyongyang, North Korea",平壌（北朝鮮）,평양(북한),`)) {
		t.Errorf("CSV lacks the translated locations after location:\n%s", csvFile)
	}
	edited := bytes.Replace(csvFile, []byte(",평양(북한),"), []byte(",평양,"), 1)
	if rep := importBytes(t, dst, edited, "csv", timeline.ImportFileOptions{}); rep.Updated != 1 {
		t.Fatalf("CSV import = %s, want one update", ReportText(rep, false))
	} else if len(rep.Events) != 1 || !slices.Equal(rep.Events[0].Fields, []string{"location_ko"}) {
		t.Errorf("CSV import changed %+v, want location_ko alone", rep.Events)
	}
	if got, _ = dst.GetEvent(ctx, got.Slug); got.LocationKO != "평양" || got.LocationJA != "平壌（北朝鮮）" {
		t.Errorf("after CSV: locations %q, %q", got.LocationJA, got.LocationKO)
	}
}
