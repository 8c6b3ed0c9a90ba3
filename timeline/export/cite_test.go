package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// citeEvents are two events whose text holds what each format must
// escape, sharing one source (the same URL, written differently).
func citeEvents() []timeline.Event {
	upd := time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC)
	return []timeline.Event{{
		Slug: "stockholm-agreement-2014", Start: timeline.MustDate("2014-05-29"),
		Title:   `Japan & North Korea agree {in} Stockholm: 100% "progress" #1_a\b ~ $x^2`,
		Summary: "One line;\nanother line.", Category: "agreement", Significance: 3,
		Tags: []string{"abductions", "stockholm-agreement"},
		Sources: []timeline.Source{
			{Publisher: "Ministry of Foreign Affairs of Japan", Title: "Japan–North Korea consultations", URL: "https://www.mofa.go.jp/a_o/na/kp/page4e_000082.html", Date: timeline.MustDate("2014-05-29"), Language: "en"},
			{Publisher: "朝日新聞", Title: "日朝合意　拉致被害者を再調査", Date: timeline.MustDate("2014-05-30"), Language: "ja", Note: "Morning edition, page 1."},
		},
		Version: 3, UpdatedAt: upd,
	}, {
		Slug: "stockholm-report-2014", Start: timeline.MustDate("2014-09"),
		Title: "North Korea delays its first report", Summary: "It did not come.", Category: "abduction", Significance: 2,
		Sources: []timeline.Source{
			{Publisher: "MOFA", Title: "Same page, other words", URL: "HTTPS://WWW.MOFA.GO.JP/a_o/na/kp/page4e_000082.html#top", Language: "en"},
			{Publisher: " 朝日新聞", Title: "日朝合意　拉致被害者を再調査 ", Language: "ja"},
			{Publisher: "Kyodo", Title: "Report delayed", URL: "https://english.kyodonews.net/news/2014/09/report.html?a=1&b=%E3%81%82", Date: timeline.MustDate("2014-09-19"), Language: "en"},
		},
		Version: 1, UpdatedAt: upd,
	}}
}

func citeMeta() Meta {
	return Meta{BaseURL: "https://example.org", Generated: time.Date(2026, 11, 29, 4, 0, 0, 0, time.UTC), Version: 42}
}

func writeCite(t *testing.T, f CiteFormat, sources bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := WriteEventCitations
	if sources {
		w = WriteSourceCitations
	}
	if err := w(&buf, f, citeMeta(), Slice(citeEvents())); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// risRecord is one parsed RIS record: tag to values.
type risRecord map[string][]string

var risLine = regexp.MustCompile(`^([A-Z][A-Z0-9])  - (.*)$`)

// parseRIS reads RIS strictly: every line is "TG  - value" with CRLF,
// a record starts with TY and ends with ER, blank lines only between
// records, and no record is left open.
func parseRIS(b []byte) ([]risRecord, error) {
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		return nil, fmt.Errorf("file does not end with CRLF")
	}
	var out []risRecord
	var cur risRecord
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		n := i + 1
		if strings.ContainsAny(line, "\r\n") {
			return nil, fmt.Errorf("line %d: a bare CR or LF", n)
		}
		if line == "" {
			if cur != nil {
				return nil, fmt.Errorf("line %d: blank line inside a record", n)
			}
			continue
		}
		m := risLine.FindStringSubmatch(line)
		if m == nil && line == "ER  - " {
			m = []string{line, "ER", ""}
		}
		if m == nil {
			return nil, fmt.Errorf("line %d: %q is not a RIS tag line", n, line)
		}
		tag, val := m[1], m[2]
		switch {
		case tag == "TY":
			if cur != nil {
				return nil, fmt.Errorf("line %d: TY inside a record", n)
			}
			cur = risRecord{"TY": {val}}
		case cur == nil:
			return nil, fmt.Errorf("line %d: %s before TY", n, tag)
		case tag == "ER":
			if val != "" {
				return nil, fmt.Errorf("line %d: ER with a value", n)
			}
			out = append(out, cur)
			cur = nil
		default:
			if val == "" {
				return nil, fmt.Errorf("line %d: %s is empty", n, tag)
			}
			cur[tag] = append(cur[tag], val)
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("the last record has no ER")
	}
	return out, nil
}

func TestRISParses(t *testing.T) {
	recs, err := parseRIS(writeCite(t, RIS, false))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	r := recs[0]
	want := map[string]string{
		"TY": "ELEC", "ID": "stockholm-agreement-2014", "T2": DatasetName,
		"UR": "https://example.org/events/stockholm-agreement-2014", "ET": "3",
		"DA": "2026/11/26/", "Y2": "2026/11/29/", "AB": "One line; another line.",
	}
	for k, v := range want {
		if got := r[k]; len(got) != 1 || got[0] != v {
			t.Errorf("%s: got %q, want %q", k, got, v)
		}
	}
	if len(r["KW"]) != 2 || !strings.Contains(r["N1"][0], LicenseName) {
		t.Errorf("KW %q, N1 %q: want two keywords and the licence", r["KW"], r["N1"])
	}
	srcs, err := parseRIS(writeCite(t, RIS, true))
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 3 {
		t.Fatalf("got %d sources, want 3 (one URL written two ways, one publisher and title with stray spaces)", len(srcs))
	}
	if srcs[1]["TY"][0] != "GEN" || srcs[1]["DA"][0] != "2014/05/30/" || srcs[1]["LA"][0] != "ja" {
		t.Errorf("the newspaper without a URL: got %v", srcs[1])
	}
	if got := risDate(timeline.MustDate("2014-09")); got != "2014/09//" {
		t.Errorf("month date: got %q, want 2014/09//", got)
	}
}

func TestCSLJSONShape(t *testing.T) {
	var items []map[string]any
	if err := json.Unmarshal(writeCite(t, CSLJSON, false), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	it := items[0]
	if it["type"] != "webpage" || it["container-title"] != DatasetName || it["version"] != "3" || it["license"] != LicenseURL {
		t.Errorf("got %v", it)
	}
	if fmt.Sprint(it["accessed"]) != "map[date-parts:[[2026 11 29]]]" {
		t.Errorf("accessed: got %v", it["accessed"])
	}
	var srcs []CSLItem
	if err := json.Unmarshal(writeCite(t, CSLJSON, true), &srcs); err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 3 || srcs[2].Issued.DateParts[0][2] != 19 {
		t.Errorf("got %+v", srcs)
	}
	var empty []CSLItem
	var buf bytes.Buffer
	if err := WriteEventCitations(&buf, CSLJSON, citeMeta(), Slice(nil)); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &empty); err != nil || len(empty) != 0 {
		t.Errorf("no events: got %q (%v)", buf.String(), err)
	}
}

func TestSourceKey(t *testing.T) {
	same := [][2]timeline.Source{
		{{URL: "https://Example.org/a/"}, {URL: "HTTPS://example.org/a#x"}},
		{{Publisher: "Asahi ", Title: "A  b"}, {Publisher: "asahi", Title: "a b"}},
	}
	for _, p := range same {
		if SourceKey(p[0]) != SourceKey(p[1]) {
			t.Errorf("%+v and %+v: want the same source", p[0], p[1])
		}
	}
	differ := [][2]timeline.Source{
		{{URL: "https://example.org/A"}, {URL: "https://example.org/a"}},
		{{Publisher: "Asahi", Title: "A"}, {Publisher: "Asahi", Title: "B"}},
		{{Publisher: "Asahi", Title: "A", URL: "https://example.org/1"}, {Publisher: "Asahi", Title: "A", URL: "https://example.org/2"}},
	}
	for _, p := range differ {
		if SourceKey(p[0]) == SourceKey(p[1]) {
			t.Errorf("%+v and %+v: want different sources", p[0], p[1])
		}
	}
	if got := suffix(0) + suffix(25) + suffix(26); got != "azaa" {
		t.Errorf("suffixes: got %q, want azaa", got)
	}
}

func TestFormattedCitations(t *testing.T) {
	e := citeEvents()[1]
	m := citeMeta()
	want := "“North Korea delays its first report (September 2014).” 2026. In Japan–DPRK Diplomacy Timeline, version 1. " +
		"Last modified November 26, 2026. Accessed November 29, 2026. https://example.org/events/stockholm-report-2014."
	if got := Chicago(e, m).String(); got != want {
		t.Errorf("Chicago:\n got %s\nwant %s", got, want)
	}
	want = "North Korea delays its first report (September 2014). (2026, November 26). In Japan–DPRK Diplomacy Timeline " +
		"(Version 1). Retrieved November 29, 2026, from https://example.org/events/stockholm-report-2014"
	if got := APA(e, m).String(); got != want {
		t.Errorf("APA:\n got %s\nwant %s", got, want)
	}
}

// pandocCites renders every entry of a bibliography with pandoc's
// citeproc (the Chicago author-date style it ships), as plain text.
func pandocCites(t *testing.T, bib []byte, name string, keys []string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, bib, 0o644); err != nil {
		t.Fatal(err)
	}
	doc := "---\nnocite: '@*'\n---\n\nCited: " + "[@" + strings.Join(keys, "; @") + "]\n"
	cmd := exec.Command("pandoc", "--citeproc", "--bibliography", path, "-f", "markdown", "-t", "plain", "--wrap=none")
	cmd.Stdin = strings.NewReader(doc)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pandoc: %v: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("pandoc warned: %s", stderr.String())
	}
	return string(out)
}

// TestPandocReadsCitations: pandoc --citeproc renders the BibTeX and the
// CSL-JSON, of events and of their sources, with every field that
// matters. Skipped when pandoc is not installed (.ci/run installs it).
func TestPandocReadsCitations(t *testing.T) {
	if _, err := exec.LookPath("pandoc"); err != nil {
		t.Skip("pandoc is not installed (Debian: pandoc): citations not checked with it")
	}
	for _, f := range []CiteFormat{BibTeX, CSLJSON} {
		t.Run(string(f), func(t *testing.T) {
			out := pandocCites(t, writeCite(t, f, false), "events"+f.Ext(), []string{"stockholm-agreement-2014", "stockholm-report-2014"})
			t.Logf("pandoc:\n%s", out)
			for _, want := range []string{
				"Japan & North Korea Agree {", "} Stockholm: 100% ", `Progress`, `#1_a\b ~ $x^2 (29 May 2014).”`,
				DatasetName, "https://example.org/events/stockholm-agreement-2014",
				"November 26, 2026", "North Korea Delays Its First Report (September 2014).”",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("pandoc's rendering lacks %q", want)
				}
			}
			if strings.Contains(out, "???") || strings.Contains(out, `\textbackslash`) {
				t.Errorf("pandoc could not read something:\n%s", out)
			}
			srcs := pandocCites(t, writeCite(t, f, true), "sources"+f.Ext(), []string{"ministry-of-foreign-affairs-of-japan-2014"})
			t.Logf("pandoc:\n%s", srcs)
			for _, want := range []string{
				"Japan–North Korea Consultations", "https://www.mofa.go.jp/a_o/na/kp/page4e_000082.html",
				"日朝合意　拉致被害者を再調査", "朝日新聞",
				"https://english.kyodonews.net/news/2014/09/report.html?a=1&b=%E3%81%82",
			} {
				if !strings.Contains(srcs, want) {
					t.Errorf("pandoc's rendering of the sources lacks %q", want)
				}
			}
			if n := strings.Count(srcs, "Same page, other words"); n != 0 {
				t.Errorf("the duplicate source was listed")
			}
		})
	}
}

// TestCitationsOfShippedData: every shipped event and source makes a
// RIS file the strict parser reads and CSL-JSON that decodes, and each
// source is listed once.
func TestCitationsOfShippedData(t *testing.T) {
	s := shippedStore(t)
	ctx := context.Background()
	evs := func(yield func(timeline.Event) error) error { return s.EachEvent(ctx, timeline.Filter{}, yield) }
	var buf bytes.Buffer
	if err := WriteSourceCitations(&buf, RIS, citeMeta(), evs); err != nil {
		t.Fatal(err)
	}
	recs, err := parseRIS(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]bool{}
	for _, r := range recs {
		if u := r["UR"]; len(u) > 0 {
			k := SourceKey(timeline.Source{URL: u[0]})
			if urls[k] {
				t.Errorf("source %s listed twice", u[0])
			}
			urls[k] = true
		}
	}
	buf.Reset()
	if err := WriteEventCitations(&buf, BibTeX, citeMeta(), evs); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	depth := 0
	for sc.Scan() {
		line := strings.ReplaceAll(sc.Text(), `\{`, "")
		line = strings.ReplaceAll(line, `\}`, "")
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("unbalanced braces at %q", sc.Text())
		}
	}
	if depth != 0 {
		t.Errorf("braces left open: %d", depth)
	}
}

// TestLicenceInEveryExport: each format with room for metadata names the
// data's licence (CSV's travels in the response headers).
func TestLicenceInEveryExport(t *testing.T) {
	for _, f := range Formats {
		if f == CSV {
			continue
		}
		var buf bytes.Buffer
		if err := f.Write(&buf, citeMeta(), Slice(citeEvents())); err != nil {
			t.Fatal(err)
		}
		// iCalendar folds long lines: unfold before looking.
		out := strings.ReplaceAll(buf.String(), "\r\n ", "")
		if !strings.Contains(out, LicenseURL) || !strings.Contains(out, LicenseName) {
			t.Errorf("%s: no licence", f)
		}
	}
	for _, f := range CiteFormats {
		if !strings.Contains(string(writeCite(t, f, false)), LicenseName) {
			t.Errorf("%s citations: no licence", f)
		}
	}
	var buf bytes.Buffer
	if err := WriteAtom(&buf, "https://example.org", DatasetName, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<link href="`+LicenseURL+`" rel="license">`) {
		t.Errorf("Atom: no licence link:\n%s", buf.String())
	}
}
