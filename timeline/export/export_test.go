package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

var testClock = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// newStore opens an empty database with a fixed clock, so that two
// databases filled the same way hold the same times.
func newStore(t *testing.T) *timeline.Store {
	t.Helper()
	s, err := timeline.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return testClock })
	t.Cleanup(func() { s.Close() })
	return s
}

// shippedStore is newStore filled with the shipped dataset.
func shippedStore(t *testing.T) *timeline.Store {
	t.Helper()
	s := newStore(t)
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadDatasetOnce(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	return s
}

// exportAll writes every event of s in format f, made at time gen, read
// slim when the format allows it, as the command and the server read them.
func exportAll(t *testing.T, s *timeline.Store, f Format, gen time.Time) []byte {
	t.Helper()
	return exportAllRead(t, s, f, gen, timeline.EachOptions{Slim: f.Slim()})
}

// exportAllRead is exportAll with the events read as o says.
func exportAllRead(t *testing.T, s *timeline.Store, f Format, gen time.Time, o timeline.EachOptions) []byte {
	t.Helper()
	ctx := context.Background()
	m := Meta{Generated: gen, BaseURL: "https://example.org"}
	var err error
	if m.Count, err = s.Count(ctx, m.Filter); err != nil {
		t.Fatal(err)
	}
	if m.Version, err = s.DataVersion(ctx); err != nil {
		t.Fatal(err)
	}
	if m.Eras, err = s.ListEras(ctx); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err = f.Write(&buf, m, func(yield func(timeline.Event) error) error { return s.EachEventWith(ctx, m.Filter, o, yield) })
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSlimCSVIsTheWholeCSV: the CSV of events read slim is byte for byte
// that of whole events, for the shipped dataset (actors with roles,
// sources with and without URLs, related events).
func TestSlimCSVIsTheWholeCSV(t *testing.T) {
	s := shippedStore(t)
	gen := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	whole := exportAllRead(t, s, CSV, gen, timeline.EachOptions{})
	slim := exportAllRead(t, s, CSV, gen, timeline.EachOptions{Slim: true})
	if !bytes.Equal(slim, whole) {
		t.Errorf("slim CSV differs from the whole one: %s", firstDiff(slim, whole))
	}
	if n := bytes.Count(whole, []byte("\r\n")); n < 100 {
		t.Fatalf("the CSV has %d lines: the dataset did not load", n)
	}
}

func importBytes(t *testing.T, s *timeline.Store, b []byte, format string, opt timeline.ImportFileOptions) timeline.ImportReport {
	t.Helper()
	in, err := Read(bytes.NewReader(b), format)
	if err != nil {
		t.Fatal(err)
	}
	if opt.Change.Author == "" {
		opt.Change.Author = "import"
	}
	rep, err := s.ImportFile(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

var generatedRE = regexp.MustCompile(`"generated":"[^"]*"`)

func TestJSONRoundTripIsByteIdentical(t *testing.T) {
	src := shippedStore(t)
	first := exportAll(t, src, JSON, testClock)

	dst := newStore(t)
	rep := importBytes(t, dst, first, "", timeline.ImportFileOptions{})
	if n, _ := src.Count(context.Background(), timeline.Filter{}); rep.Created != n {
		t.Fatalf("imported %+v", rep)
	}
	second := exportAll(t, dst, JSON, testClock.Add(90*time.Minute))

	if bytes.Equal(first, second) {
		t.Fatal("the generated times differ, so the files should too")
	}
	a := generatedRE.ReplaceAll(first, []byte(`"generated":""`))
	b := generatedRE.ReplaceAll(second, []byte(`"generated":""`))
	if !bytes.Equal(a, b) {
		t.Errorf("JSON round trip differs:\n%s", firstDiff(a, b))
	}
	var doc struct {
		Meta   JSONMeta          `json:"meta"`
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(first, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Meta.Count != len(doc.Events) || doc.Meta.Count < 100 || !strings.Contains(doc.Meta.Citation, "data version") {
		t.Errorf("meta = %+v with %d events", doc.Meta, len(doc.Events))
	}
}

func TestCSVRoundTripIsByteIdentical(t *testing.T) {
	src := shippedStore(t)
	first := exportAll(t, src, CSV, testClock)

	// The CSV names actors by slug only, so the empty database gets the
	// shipped actors (and eras) first; and a CSV row carries source URLs
	// only, so rows without one take the source given in the options.
	dst := newStore(t)
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Import(context.Background(), timeline.Dataset{Actors: ds.Actors, Eras: ds.Eras}, timeline.Change{Author: "test"}, timeline.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rep := importBytes(t, dst, first, "csv", timeline.ImportFileOptions{SourcePublisher: "Round trip", SourceTitle: "CSV test"})
	n, _ := src.Count(context.Background(), timeline.Filter{})
	if rep.Created != n {
		t.Errorf("created %d, want %d", rep.Created, n)
	}
	second := exportAll(t, dst, CSV, testClock.Add(time.Hour))
	if !bytes.Equal(first, second) {
		t.Errorf("CSV round trip differs:\n%s", firstDiff(first, second))
	}
	if !bytes.HasPrefix(first, []byte("\uFEFFslug,start,end,display_date,title,title_ja,title_ko,category,significance,location,location_ja,location_ko,actors,tags,summary,summary_ja,summary_ko,source_urls,url\r\n")) {
		t.Errorf("CSV does not start with the BOM and header: %q", first[:80])
	}
}

// Importing our own CSV back over the same events changes nothing: a row
// keeps what the CSV cannot show (body, roles, sources without URL).
func TestCSVReimportIsUnchanged(t *testing.T) {
	s := shippedStore(t)
	before, _ := s.DataVersion(context.Background())
	rep := importBytes(t, s, exportAll(t, s, CSV, testClock), "csv", timeline.ImportFileOptions{})
	if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged == 0 {
		t.Errorf("report = %+v, want everything unchanged", rep)
	}
	after, _ := s.DataVersion(context.Background())
	if after != before {
		t.Errorf("data version %d → %d, want unchanged", before, after)
	}
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

// tricky returns events with every kind of date and of awkward text.
func tricky() []timeline.Event {
	src := []timeline.Source{{Publisher: "MOFA, Japan", Title: "Press \"release\"; part 1", URL: "https://www.mofa.go.jp/a_o/na/kp/page1e_000001.html", Date: timeline.MustDate("2002-09-17"), Language: "en"}}
	actors := []timeline.EventActor{{Actor: timeline.Actor{Slug: "japan", Name: "Japan", NameJA: "日本", Kind: "state", Country: "JP"}, Role: "party"}}
	upd := time.Date(2025, 12, 24, 8, 0, 0, 0, time.UTC)
	ev := func(slug, start, end string, approx bool, title, titleJA, summary string) timeline.Event {
		e := timeline.Event{Slug: slug, Start: timeline.MustDate(start), Title: title, TitleJA: titleJA,
			Summary: summary, Category: "summit", Significance: 3, Location: "Pyongyang, DPRK", Actors: actors,
			Tags: []string{"summit", "koizumi"}, Sources: src, Version: 1, UpdatedAt: upd}
		if end != "" {
			e.End = timeline.MustDate(end)
		}
		if approx {
			e.Start, e.End = e.Start.WithQual(timeline.QualApproximate), e.End.WithQual(timeline.QualApproximate)
		}
		return e
	}
	evs := []timeline.Event{
		ev("day-event", "2002-09-17", "", false, "Koizumi visits Pyongyang", "小泉首相訪朝・日朝首脳会談", "Koizumi and Kim sign the Pyongyang Declaration, a \"historic\" step; talks, however, stall.\nSecond line."),
		ev("month-event", "2014-05", "", false, "=HYPERLINK(\"http://evil.example\",\"click\")", "ストックホルム合意", "+1 formula-like summary"),
		ev("year-event", "1980", "", true, "-2 approximate year", "", "@SUM(A1:A2) in the summary"),
		ev("day-range", "2014-05-26", "2014-05-28", false, "Stockholm talks, day 1, 2, 3", "", "Three days; commas, semicolons; and \\ backslashes."),
		ev("month-range", "2012-07", "2015-01", false, "'=quoted already", "朝鮮総連中央本部の競売と売却（2012〜2015年）", "\tTab-led summary"),
		ev("year-range", "1959", "1984", true, "Repatriation project", "帰国事業", "日本語の概要。とても長い文章が続きます。"+strings.Repeat("帰国事業の説明文、", 20)),
	}
	evs[0].SummaryJA = "小泉首相と金正日国防委員長が「日朝平壌宣言」に署名した。\n二行目。"
	evs[0].SummaryKO = "고이즈미 총리와 김정일 국방위원장이 \"조일 평양선언\"에 서명했다, 그러나."
	evs[1].SummaryJA = "=数式のような要約"
	evs[2].SummaryKO = "-2로 시작하는 요약"
	return evs
}

func trickyMeta() Meta {
	return Meta{Count: 6, Version: 42, Generated: testClock, BaseURL: "https://example.org",
		Filter: timeline.Filter{From: timeline.MustDate("1959"), To: timeline.MustDate("2015")},
		Eras: []timeline.Era{
			{Slug: "repatriation-project", Name: "The repatriation project", NameJA: "帰国事業", NameKO: "북송사업",
				Start: timeline.MustDate("1959-12"), End: timeline.MustDate("1984-07"),
				Description: "Ships from Niigata.", DescriptionJA: "新潟からの帰国船。", DescriptionKO: "니가타에서 떠난 배."},
			{Slug: "later", Name: "Later", Start: timeline.MustDate("2020"), End: timeline.MustDate("2024")},
		}}
}

func TestCSVWriterNeutralizesAndReadsBack(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, trickyMeta(), Slice(tricky())); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`"'=HYPERLINK(""http://evil.example"",""click"")"`, // neutralized and quoted
		`'+1 formula-like summary`,
		`'-2 approximate year`,
		`'@SUM(A1:A2) in the summary`,
		`''=quoted already`,
		`"Koizumi and Kim sign the Pyongyang Declaration, a ""historic"" step; talks, however, stall.` + "\nSecond line.\"",
		`2014-05-26,2014-05-28,26–28 May 2014,"Stockholm talks, day 1, 2, 3"`,
		`1980~,,c. 1980,`,
		`https://example.org/events/day-event`,
		`japan,summit; koizumi,`,
		`'=数式のような要約`,
		`'-2로 시작하는 요약`,
		"\"小泉首相と金正日国防委員長が「日朝平壌宣言」に署名した。\n二行目。\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q", want)
		}
	}
	// A plain CSV reader sees the neutralized cells; ours undoes it.
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[2][4] != `'=HYPERLINK("http://evil.example","click")` {
		t.Fatalf("rows = %d, title cell %q", len(rows), rows[2][4])
	}
	in, err := ReadCSV(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Problems) > 0 {
		t.Fatalf("problems reading our own CSV: %v", in.Problems)
	}
	for i, want := range tricky() {
		got := in.Dataset.Events[i]
		if got.Title != strings.TrimSpace(want.Title) || got.Summary != strings.TrimSpace(want.Summary) || got.TitleJA != want.TitleJA ||
			got.SummaryJA != want.SummaryJA || got.SummaryKO != want.SummaryKO ||
			got.Start != want.Start || got.End != want.End || got.Slug != want.Slug {
			t.Errorf("row %d read back as %+v, want %+v", i, got, want)
		}
	}
	if in.Labels[1] != "line 5" { // the first row's summaries span lines 2–4
		t.Errorf("label of second row = %q, want line 5", in.Labels[1])
	}
}

func TestNeutralizeRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", "=1+1", "+1", "-2", "@SUM", "\tx", "\rx", "'", "''", "'=x", "''=x", "'x", "'''", "a=b"} {
		n := neutralize(s)
		if n != "" && formulaStart(n[0]) {
			t.Errorf("neutralize(%q) = %q still starts a formula", s, n)
		}
		if got := unneutralize(n); got != s {
			t.Errorf("unneutralize(neutralize(%q)) = %q", s, got)
		}
	}
}

func TestICSParsesAndFollowsRFC5545(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteICS(&buf, trickyMeta(), Slice(tricky())); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for i, l := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if strings.Contains(l, "\n") {
			t.Errorf("line %d has a bare LF", i+1)
		}
		if !strings.HasPrefix(l, " ") && i > 0 && !strings.Contains(l, ":") {
			t.Errorf("line %d is neither a property nor a continuation: %q", i+1, l)
		}
	}
	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") {
		t.Error("calendar does not end with END:VCALENDAR CRLF")
	}
	cal, err := ical.NewDecoder(strings.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("a real iCalendar parser rejects the output: %v", err)
	}
	// METHOD makes the file an iTIP message (RFC 5546), whose PUBLISH
	// requires an ORGANIZER in every event; libical rejects it without one.
	if cal.Props.Get("METHOD") != nil {
		t.Error("calendar has a METHOD without the ORGANIZER that RFC 5546 then requires")
	}
	for _, name := range []string{"PRODID", "VERSION", "CALSCALE", "X-WR-CALNAME", "X-WR-CALDESC"} {
		if cal.Props.Get(name) == nil {
			t.Errorf("calendar lacks %s", name)
		}
	}
	if v := cal.Props.Get("VERSION").Value; v != "2.0" {
		t.Errorf("VERSION = %q", v)
	}
	if d, _ := cal.Props.Text("X-WR-CALDESC"); !strings.Contains(d, "data version 42") || !strings.Contains(d, "https://example.org/events?from=1959&to=2015") {
		t.Errorf("X-WR-CALDESC = %q, want the citation", d)
	}
	evs := cal.Events()
	if len(evs) != 6 {
		t.Fatalf("parsed %d events, want 6", len(evs))
	}
	tests := []struct {
		uid, start, end, precision string
	}{
		{"day-event@japan-dprk-timeline", "20020917", "20020918", "known to the day"},
		{"month-event@japan-dprk-timeline", "20140501", "20140601", "known to the month"},
		{"year-event@japan-dprk-timeline", "19800101", "19810101", "known to the year; approximate"},
		{"day-range@japan-dprk-timeline", "20140526", "20140529", "known to the day"},
		{"month-range@japan-dprk-timeline", "20120701", "20150201", "known to the month"},
		{"year-range@japan-dprk-timeline", "19590101", "19850101", "known to the year; approximate"},
	}
	for i, tt := range tests {
		e := evs[i]
		if uid, _ := e.Props.Text(ical.PropUID); uid != tt.uid {
			t.Errorf("event %d UID = %q, want %q", i, uid, tt.uid)
		}
		ds, de := e.Props.Get(ical.PropDateTimeStart), e.Props.Get(ical.PropDateTimeEnd)
		if ds.Value != tt.start || de.Value != tt.end || ds.Params.Get("VALUE") != "DATE" {
			t.Errorf("%s: DTSTART %q DTEND %q (VALUE=%s), want %s–%s all day", tt.uid, ds.Value, de.Value, ds.Params.Get("VALUE"), tt.start, tt.end)
		}
		if st, _ := e.Props.Get(ical.PropDateTimeStamp).DateTime(time.UTC); !st.Equal(time.Date(2025, 12, 24, 8, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: DTSTAMP = %v", tt.uid, st)
		}
		desc, _ := e.Props.Text(ical.PropDescription)
		if !strings.Contains(desc, "("+tt.precision+")") {
			t.Errorf("%s: description %q does not state %q", tt.uid, desc, tt.precision)
		}
		sum, _ := e.Props.Text(ical.PropSummary)
		if want := strings.TrimSpace(tricky()[i].Title); sum != want {
			t.Errorf("%s: SUMMARY = %q, want %q (escaping round trip)", tt.uid, sum, want)
		}
		if i == 0 && !strings.Contains(desc, "stall.\nSecond line.") {
			t.Errorf("newline not kept in the description: %q", desc)
		}
	}
	if desc, _ := evs[3].Props.Text(ical.PropDescription); !strings.Contains(desc, `Three days; commas, semicolons; and \ backslashes.`) {
		t.Errorf("escaped text read back as %q", desc)
	}
	if desc, _ := evs[5].Props.Text(ical.PropDescription); !strings.Contains(desc, strings.Repeat("帰国事業の説明文、", 20)) {
		t.Errorf("folded Japanese text read back wrong: %q", desc)
	}
}

func TestFoldLineNeverSplitsACharacter(t *testing.T) {
	for _, s := range []string{strings.Repeat("日", 100), "X:" + strings.Repeat("a", 200), "S:" + strings.Repeat("é本a", 60)} {
		var buf bytes.Buffer
		foldLine(&buf, s)
		var joined strings.Builder
		for i, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Errorf("line of %d octets", len(l))
			}
			if i > 0 {
				l = strings.TrimPrefix(l, " ")
			}
			if !utf8Valid(l) {
				t.Errorf("line %d splits a character: %q", i, l)
			}
			joined.WriteString(l)
		}
		if joined.String() != s {
			t.Errorf("unfolded text differs")
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestMarkdownChronology(t *testing.T) {
	var buf bytes.Buffer
	evs := tricky()
	slices.SortStableFunc(evs, func(a, b timeline.Event) int { return int(a.Earliest()) - int(b.Earliest()) })
	if err := WriteMarkdown(&buf, trickyMeta(), Slice(evs)); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"# Japan–DPRK Diplomacy Timeline, 1959–2015\n",
		"> Cite as: Japan–DPRK Diplomacy Timeline, data version 42. https://example.org/events?from=1959&to=2015 (retrieved 1 March 2026).",
		"\n## 2002\n", "\n## 2014\n", "\n## 1980\n",
		"### 17 September 2002: Koizumi visits Pyongyang",
		"### May 2014: =HYPERLINK(\"http://evil.example\",\"click\")",
		"### c. 1980: -2 approximate year",
		"\n@SUM(A1:A2) in the summary\n",
		"\n\\+1 formula-like summary\n",
		"### 26–28 May 2014: Stockholm talks, day 1, 2, 3",
		"### c. 1959–1984: Repatriation project",
		"Three days; commas, semicolons; and \\\\ backslashes.",
		"stall. Second line.",
		"- [MOFA, Japan, “Press \"release\"; part 1” (17 September 2002)](https://www.mofa.go.jp/a_o/na/kp/page1e_000001.html)",
		"[Permalink](https://example.org/events/day-event)",
		"小泉首相訪朝・日朝首脳会談",
		"\n小泉首相と金正日国防委員長が「日朝平壌宣言」に署名した。 二行目。\n",
		"\n\\-2로 시작하는 요약\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if strings.Count(md, "\n## 2014\n") != 1 {
		t.Error("a year heading repeats")
	}
}

func TestTimelineJSShape(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTimelineJS(&buf, trickyMeta(), Slice(tricky())); err != nil {
		t.Fatal(err)
	}
	// Decode into the documented shape, rejecting anything else.
	type date struct {
		Year, Month, Day string
		DisplayDate      string `json:"display_date"`
	}
	type text struct{ Headline, Text string }
	var doc struct {
		Title struct {
			Text text `json:"text"`
		} `json:"title"`
		Events []struct {
			StartDate   *date  `json:"start_date"`
			EndDate     *date  `json:"end_date"`
			Text        text   `json:"text"`
			Group       string `json:"group"`
			DisplayDate string `json:"display_date"`
			UniqueID    string `json:"unique_id"`
		} `json:"events"`
		Eras []struct {
			StartDate date `json:"start_date"`
			EndDate   date `json:"end_date"`
			Text      text `json:"text"`
		} `json:"eras"`
	}
	if err := strictDecode(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not the TimelineJS shape: %v\n%s", err, buf.String())
	}
	if !strings.Contains(doc.Title.Text.Text, "Cite as: Japan–DPRK Diplomacy Timeline, data version 42.") {
		t.Errorf("title text = %q, want the citation", doc.Title.Text.Text)
	}
	if len(doc.Events) != 6 {
		t.Fatalf("%d events", len(doc.Events))
	}
	e := doc.Events
	if *e[0].StartDate != (date{Year: "2002", Month: "9", Day: "17"}) || e[0].EndDate != nil || e[0].DisplayDate != "" {
		t.Errorf("day event: %+v %+v %q", e[0].StartDate, e[0].EndDate, e[0].DisplayDate)
	}
	if *e[1].StartDate != (date{Year: "2014", Month: "5"}) {
		t.Errorf("month event start = %+v, want no day", e[1].StartDate)
	}
	if *e[2].StartDate != (date{Year: "1980"}) || e[2].DisplayDate != "c. 1980" {
		t.Errorf("approximate year: %+v %q", e[2].StartDate, e[2].DisplayDate)
	}
	if *e[3].EndDate != (date{Year: "2014", Month: "5", Day: "28"}) {
		t.Errorf("range end = %+v", e[3].EndDate)
	}
	if e[0].Group != "Summit" || e[0].UniqueID != "day-event" || e[0].Text.Headline != "Koizumi visits Pyongyang" {
		t.Errorf("event 0 = %+v", e[0])
	}
	if e[1].Text.Headline != "=HYPERLINK(&#34;http://evil.example&#34;,&#34;click&#34;)" {
		t.Errorf("headline not HTML-escaped: %q", e[1].Text.Headline)
	}
	if !strings.Contains(e[0].Text.Text, `<a href="https://www.mofa.go.jp/a_o/na/kp/page1e_000001.html">MOFA, Japan, “Press &#34;release&#34;; part 1”`) {
		t.Errorf("sources not linked: %q", e[0].Text.Text)
	}
	if len(doc.Eras) != 1 || doc.Eras[0].Text.Headline != "The repatriation project" || doc.Eras[0].StartDate.Month != "12" || doc.Eras[0].EndDate.Year != "1984" {
		t.Errorf("eras = %+v, want only the era overlapping 1959–2015", doc.Eras)
	}
	// TimelineJS reads a missing month or day as 1: ends known to the month
	// or year are written at their latest day, and shown as known.
	if got := doc.Eras[0].EndDate; got != (date{Year: "1984", Month: "7", Day: "31"}) {
		t.Errorf("era ending July 1984 ends at %+v, want 31 July 1984", got)
	}
	if *e[4].EndDate != (date{Year: "2015", Month: "1", Day: "31"}) || e[4].DisplayDate == "" {
		t.Errorf("month-precision end = %+v, display %q; want 31 January 2015 and a display date", e[4].EndDate, e[4].DisplayDate)
	}
	if *e[5].EndDate != (date{Year: "1984", Month: "12", Day: "31"}) {
		t.Errorf("year-precision end = %+v, want 31 December 1984", e[5].EndDate)
	}
}

func TestImportReportsEveryBadRowAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := shippedStore(t)
	versionBefore, _ := s.DataVersion(ctx)
	countBefore, _ := s.Count(ctx, timeline.Filter{})

	var b strings.Builder
	b.WriteString("slug,start,title,category,significance,summary,actors,tags,source_urls\n")
	bad := map[int]string{17: "start", 58: "category", 96: "title"}
	for i := 1; i <= 100; i++ {
		start, title, cat := fmt.Sprintf("2030-01-%02d", i%28+1), fmt.Sprintf("Synthetic event %d", i), "statement"
		switch bad[i] {
		case "start":
			start = "2030-13-01"
		case "category":
			cat = "party"
		case "title":
			title = ""
		}
		fmt.Fprintf(&b, "synthetic-%d,%s,%s,%s,2,\"Summary, with comma\",abe-shinzo,test,https://example.org/s/%d\n", i, start, title, cat, i)
	}
	in, err := ReadCSV(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ImportFile(ctx, in, timeline.ImportFileOptions{Change: timeline.Change{Author: "import"}})
	var ie *timeline.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an ImportError", err)
	}
	var got []string
	for _, p := range ie.Problems {
		got = append(got, p.Record+" "+p.Field)
	}
	// Row i is on line i+1 (the header is line 1).
	want := []string{"line 18 start", "line 59 category", "line 97 title"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("problems = %v, want %v (all: %v)", got, want, ie.Problems)
	}
	if v, _ := s.DataVersion(ctx); v != versionBefore {
		t.Errorf("data version changed %d → %d", versionBefore, v)
	}
	if n, _ := s.Count(ctx, timeline.Filter{}); n != countBefore {
		t.Errorf("count changed %d → %d", countBefore, n)
	}
}

func TestImportCSVUpdateKeepsWhatTheRowCannotShow(t *testing.T) {
	ctx := context.Background()
	s := shippedStore(t)
	var old timeline.Event
	s.EachEvent(ctx, timeline.Filter{}, func(e timeline.Event) error {
		if old.Slug == "" && e.Body != "" && len(e.Related) > 0 && len(e.Actors) > 0 && e.Actors[0].Role != "" {
			old = e
		}
		return nil
	})
	if old.Slug == "" {
		t.Fatal("no event with a body, related events and roles in the dataset")
	}
	csvText := "slug,title_ja,tags\n" + old.Slug + ",新しい題名,abductions; new-tag\n"
	rep := importBytes(t, s, []byte(csvText), "csv", timeline.ImportFileOptions{Change: timeline.Change{Author: "analyst"}})
	if rep.Updated != 1 {
		t.Fatalf("report = %+v, want one update", rep)
	}
	got, err := s.GetEvent(ctx, old.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.TitleJA != "新しい題名" || fmt.Sprint(got.Tags) != "[abductions new-tag]" {
		t.Errorf("not updated: %q %v", got.TitleJA, got.Tags)
	}
	if got.Body != old.Body || got.Title != old.Title || len(got.Related) != len(old.Related) || got.Actors[0].Role != old.Actors[0].Role ||
		fmt.Sprint(got.Sources) != fmt.Sprint(old.Sources) {
		t.Error("the import lost fields the CSV did not carry")
	}
	revs, _ := s.Revisions(ctx, old.Slug)
	if revs[0].Author != "analyst" || revs[0].Action != "update" {
		t.Errorf("latest revision %+v, want an update by analyst", revs[0])
	}
}

func TestReadTimelineJSSheet(t *testing.T) {
	ctx := context.Background()
	header := strings.Join(TimelineJSColumns, ",") + "\n"
	sheet := header +
		",,,,,,,,,Japan and North Korea,<p>Title slide</p>,,,,,title,,\n" +
		"2002,9,17,,,,,,,Koizumi visits Pyongyang,<p>The <b>first</b> summit &amp; declaration.</p>,,,,,,Summit,\n" +
		"1980,,,,,,,,c. 1980,Approximate thing,Text here,,,,,,Unknown group,\n" +
		"1959,12,,,1984,7,,,,Repatriation era,The era,,,,,era,,\n" +
		"2014,5,26,,2014,5,28,,,Stockholm talks,Three days of talks,,,,,,negotiation,\n"
	in, err := Read(strings.NewReader(sheet), "")
	if err != nil {
		t.Fatal(err)
	}
	if in.Format != string(TimelineJS) || len(in.Dataset.Events) != 3 || len(in.Dataset.Eras) != 1 {
		t.Fatalf("read %s: %d events, %d eras", in.Format, len(in.Dataset.Events), len(in.Dataset.Eras))
	}
	e := in.Dataset.Events[0]
	if e.Start != timeline.MustDate("2002-09-17") || e.Summary != "The first summit & declaration." || e.Category != "summit" {
		t.Errorf("row 1 = %+v", e)
	}
	if !in.Dataset.Events[1].Start.Approximate() || in.Dataset.Events[2].End != timeline.MustDate("2014-05-28") {
		t.Errorf("approximate or end not read: %+v", in.Dataset.Events[1:])
	}

	s := newStore(t)
	_, err = s.ImportFile(ctx, in, timeline.ImportFileOptions{Change: timeline.Change{Author: "import"}})
	var ie *timeline.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want problems (no group match, no significance, no sources)", err)
	}
	want := map[string]bool{
		"line 3: significance": true, "line 3: sources": true,
		"line 4: Group": true, "line 4: significance": true, "line 4: sources": true,
		"line 6: significance": true, "line 6: sources": true,
	}
	for _, p := range ie.Problems {
		k := p.Record + ": " + p.Field
		if !want[k] {
			t.Errorf("unexpected problem %s", p)
		}
		delete(want, k)
	}
	for k := range want {
		t.Errorf("missing problem %s", k)
	}
	if n, _ := s.Count(ctx, timeline.Filter{}); n != 0 {
		t.Errorf("%d events written after a refused import", n)
	}

	rep, err := s.ImportFile(ctx, in, timeline.ImportFileOptions{Change: timeline.Change{Author: "import"}, DefaultCategory: "statement", DefaultSignificance: 2,
		SourcePublisher: "Knight Lab sheet", SourceTitle: "Imported timeline"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 3 || rep.Eras != 1 {
		t.Errorf("report = %+v", rep)
	}
	got, err := s.GetEvent(ctx, "1980-approximate-thing")
	if err != nil {
		t.Fatal(err)
	}
	if got.Category != "statement" || got.Significance != 2 || got.Sources[0].Publisher != "Knight Lab sheet" || got.Start.String() != "1980~" {
		t.Errorf("defaults not applied: %+v", got)
	}
}

func TestReadJSONReportsEachBadRecord(t *testing.T) {
	doc := `[{"slug":"a","start":"2014-05","title":"A"},{"slug":"b","start":2014},{"slug":"c","nope":1}]`
	in, err := ReadJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range in.Problems {
		got = append(got, p.Record)
	}
	if fmt.Sprint(got) != "[record 2 record 3]" {
		t.Errorf("problems = %v", in.Problems)
	}
	if _, err := ReadJSON(strings.NewReader("{\n\"events\": [\n}")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("syntax error = %v, want its line", err)
	}
}

func TestFileNameAndTitle(t *testing.T) {
	tests := []struct {
		filter timeline.Filter
		file   string
	}{
		{timeline.Filter{}, "japan-dprk-all.csv"},
		{timeline.Filter{From: timeline.MustDate("2002"), To: timeline.MustDate("2014")}, "japan-dprk-2002-2014.csv"},
		{timeline.Filter{From: timeline.MustDate("2014-05"), To: timeline.MustDate("2014-05")}, "japan-dprk-2014-05.csv"},
		{timeline.Filter{From: timeline.MustDate("2002"), Actors: []string{"abe-shinzo"}, Categories: []timeline.Category{"summit"}},
			"japan-dprk-from-2002-summit-abe-shinzo.csv"},
		{timeline.Filter{Query: "拉致"}, "japan-dprk-search.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if got := FileName(tt.filter, CSV); got != tt.file {
				t.Errorf("FileName: got %q, want %q", got, tt.file)
			}
		})
	}
	if got := FileName(timeline.Filter{}, TimelineJS); got != "japan-dprk-all.timelinejs.json" {
		t.Errorf("TimelineJS file name = %q", got)
	}
}
