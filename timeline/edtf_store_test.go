package timeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"io/fs"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// edtfEvent is testEvent with its dates in EDTF ("1959~/1984~" sets both).
func edtfEvent(t *testing.T, dates, title string) Event {
	t.Helper()
	e := testEvent("2000", title)
	start, end, err := ParseInterval(dates)
	if err != nil {
		t.Fatal(err)
	}
	e.Start, e.End = start, end
	return e
}

// TestEDTFStoreRoundTrip: every kind of EDTF date is stored, indexed and
// read back as written, and its bounds are its widest reading.
func TestEDTFStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	for _, tt := range []struct {
		dates  string
		lo, hi Day
		qual   Qualifier
	}{
		{"2014-05?", 20140501, 20140531, QualUncertain},
		{"1977-11~", 19771101, 19771130, QualApproximate},
		{"1977-11%", 19771101, 19771130, QualBoth},
		{"198X", 19800101, 19891231, 0},
		{"19XX", 19000101, 19991231, 0},
		{"2014-XX", 20140101, 20141231, 0},
		{"2014-05-XX", 20140501, 20140531, 0},
		{"2019-06/..", 20190601, 29991231, 0},
		{"../1950", 10000101, 19501231, 0},
		{"1959~/1984?", 19590101, 19841231, QualBoth},
	} {
		t.Run(tt.dates, func(t *testing.T) {
			e := edtfEvent(t, tt.dates, "Event "+tt.dates)
			e.Slug = Slugify(tt.dates+" "+strings.NewReplacer("?", "q", "~", "a", "%", "b").Replace(tt.dates), 80)
			e = mustCreate(t, s, e)
			got, err := s.GetEvent(ctx, e.Slug)
			if err != nil {
				t.Fatal(err)
			}
			if Interval(got.Start, got.End) != tt.dates {
				t.Errorf("read back as %q, want %q", Interval(got.Start, got.End), tt.dates)
			}
			var lo, hi Day
			var qual Qualifier
			if err := s.read.QueryRowContext(ctx, `SELECT lo, hi, qual FROM events WHERE slug = ?`, e.Slug).Scan(&lo, &hi, &qual); err != nil {
				t.Fatal(err)
			}
			if lo != tt.lo || hi != tt.hi || qual != tt.qual {
				t.Errorf("stored lo %d hi %d qual %d, want %d %d %d", lo, hi, qual, tt.lo, tt.hi, tt.qual)
			}
		})
	}
}

// TestCertaintyFilter: certainty=certain leaves out an uncertain date
// that certainty=possible includes, and keeps only what lies wholly
// inside the range; the oracle agrees on every filter.
func TestCertaintyFilter(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	for _, c := range []struct{ dates, slug string }{
		{"2014-05?", "uncertain-may"},
		{"2014-05-20", "plain-day"},
		{"2014-05~", "about-may"},
		{"2014", "year-2014"},
		{"198X", "the-1980s"},
		{"1985", "plain-1985"},
		{"2019-06/..", "open-end"},
		{"../1950", "open-start"},
	} {
		e := edtfEvent(t, c.dates, c.slug)
		e.Slug = c.slug
		mustCreate(t, s, e)
	}
	tests := []struct {
		query             string
		possible, certain []string
	}{
		{"from=2014-05&to=2014-05", []string{"year-2014", "about-may", "uncertain-may", "plain-day"}, []string{"plain-day"}},
		{"from=2014&to=2014", []string{"year-2014", "about-may", "uncertain-may", "plain-day"}, []string{"year-2014", "plain-day"}},
		{"from=1985&to=1985", []string{"the-1980s", "plain-1985"}, []string{"plain-1985"}},
		{"from=1980&to=1989", []string{"the-1980s", "plain-1985"}, []string{"the-1980s", "plain-1985"}},
		{"from=2030", []string{"open-end"}, nil},
		{"from=2019", []string{"open-end"}, []string{"open-end"}},
		{"from=2019&to=2025", []string{"open-end"}, nil},
		{"to=1940", []string{"open-start"}, nil},
		{"to=1950", []string{"open-start"}, []string{"open-start"}},
		{"", []string{"open-start", "the-1980s", "plain-1985", "year-2014", "about-may", "uncertain-may", "plain-day", "open-end"},
			[]string{"open-start", "the-1980s", "plain-1985", "year-2014", "plain-day", "open-end"}},
	}
	for _, tt := range tests {
		for _, certainty := range []string{"", "possible", "certain"} {
			t.Run(tt.query+" "+certainty, func(t *testing.T) {
				v, _ := url.ParseQuery(tt.query)
				if certainty != "" {
					v.Set("certainty", certainty)
				}
				f, err := s.ResolveFilter(ctx, v)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.possible
				if certainty == "certain" {
					want = tt.certain
				}
				got := list(t, s, f)
				if !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
				naive, err := s.NaiveList(ctx, f, false, 0)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(naive, want) {
					t.Errorf("oracle: got %v, want %v", naive, want)
				}
				if n, err := s.Count(ctx, f); err != nil || n != len(want) {
					t.Errorf("Count = %d, %v; want %d", n, err, len(want))
				}
				if back := f.Values(); (back.Get("certainty") == "certain") != (certainty == "certain") {
					t.Errorf("Values() = %v lost the certainty", back)
				}
			})
		}
	}
	_, err := s.ResolveFilter(ctx, url.Values{"certainty": {"sure"}})
	var ve *ValidationError
	if !errorsAs(err, &ve) || !strings.Contains(ve.Problems["certainty"], "possible") {
		t.Errorf("certainty=sure: %v, want a problem naming certainty and its values", err)
	}
}

func errorsAs(err error, ve **ValidationError) bool {
	v, ok := err.(*ValidationError)
	if ok {
		*ve = v
	}
	return ok
}

// TestEventJSONDates: the event JSON shape carries EDTF strings, reads
// the "approximate" flag of older files as ~ on both dates, takes an
// interval in start, and reports a date it cannot read under its field.
func TestEventJSONDates(t *testing.T) {
	var e Event
	if err := json.Unmarshal([]byte(`{"start":"1959","end":"1984","approximate":true,"title":"T"}`), &e); err != nil {
		t.Fatal(err)
	}
	if e.Start.String() != "1959~" || e.End.String() != "1984~" {
		t.Errorf("approximate read as %s/%s, want 1959~/1984~", e.Start, e.End)
	}
	b, _ := json.Marshal(e)
	if !strings.Contains(string(b), `"start":"1959~","end":"1984~"`) || strings.Contains(string(b), "approximate") {
		t.Errorf("written as %s", b)
	}
	var again Event
	if err := json.Unmarshal(b, &again); err != nil || again.Start != e.Start || again.End != e.End {
		t.Errorf("round trip: %+v %v", again, err)
	}
	if err := json.Unmarshal([]byte(`{"start":"2019-06/.."}`), &e); err != nil || e.Start.String() != "2019-06" || !e.End.Open {
		t.Errorf("interval in start: %s %s %v", e.Start, e.End, err)
	}
	if err := json.Unmarshal([]byte(`{"nope":1}`), &e); err == nil {
		t.Error("an unknown key was accepted")
	}
	for _, tt := range []struct{ doc, field, rule string }{
		{`{"start":"2014-13?"}`, "start", "months must be 01–12"},
		{`{"start":"2014","end":"198x"}`, "end", "EDTF"},
		{`{"start":"2019-06/"}`, "start", "write .. for an open end"},
		{`{"start":".."}`, "start", "needs an end"},
		{`{"start":"..","end":".."}`, "start", "both ends are open"},
		{`{"start":"1990","end":"1980~"}`, "end", "must not be before the start"},
	} {
		t.Run(tt.doc, func(t *testing.T) {
			e := testEvent("2000", "T")
			if err := json.Unmarshal([]byte(tt.doc), &e); err != nil {
				t.Fatal(err)
			}
			var ve *ValidationError
			if err := e.Validate(); !errorsAs(err, &ve) || !strings.Contains(ve.Problems[tt.field], tt.rule) {
				t.Errorf("Validate() = %v, want %s: %s", err, tt.field, tt.rule)
			}
		})
	}
	src := testEvent("2000", "T")
	src.Sources[0].Date = MustDate("2014").WithQual(QualUncertain)
	var ve *ValidationError
	if err := src.Validate(); !errorsAs(err, &ve) || ve.Problems["sources[0].date"] == "" {
		t.Errorf("a qualified source date: %v, want a problem on sources[0].date", err)
	}
}

// TestEDTFMigration: a database from before EDTF, with approximate events
// and revisions that carry the flag, opens with ~ on their dates.
func TestEDTFMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(names)
	for _, name := range names {
		if strings.Contains(name, "_edtf") {
			break
		}
		body, _ := migrationFS.ReadFile(name)
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, '2026-01-01T00:00:00Z')`, name); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range [][]any{
		{"repatriation", "1959", "1984", 19590101, 19841231, 1, 1959, 1},
		{"talks", "2013-10", "", 20131001, 20131031, 2, 2013, 1},
		{"summit", "2002-09-17", "", 20020917, 20020917, 3, 2002, 0},
	} {
		_, err := db.ExecContext(ctx, `INSERT INTO events (slug, start, "end", lo, hi, prec, year, approximate, title, summary, category, significance, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?, 'T', 'S', 'summit', 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`, r...)
		if err != nil {
			t.Fatal(err)
		}
	}
	old := `{"slug":"talks","start":"2013-10","end":"","approximate":true,"title":"T","title_ja":"","title_ko":"","summary":"S","body":"","category":"summit","significance":2,"location":"","actors":[],"tags":[],"sources":[],"related":[],"version":1,"updated_at":"2026-01-01T00:00:00Z"}`
	if _, err := db.ExecContext(ctx, `INSERT INTO revisions (event_id, version, action, snapshot, author, created_at) VALUES ((SELECT id FROM events WHERE slug = 'talks'), 1, 'create', ?, 'test', '2026-01-01T00:00:00Z')`, old); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for slug, want := range map[string]string{"repatriation": "1959~/1984~", "talks": "2013-10~", "summit": "2002-09-17"} {
		e, err := s.GetEvent(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if got := Interval(e.Start, e.End); got != want {
			t.Errorf("%s: %q, want %q", slug, got, want)
		}
	}
	if e, _ := s.GetEvent(ctx, "repatriation"); e.DisplayDate() != "c. 1959–1984" {
		t.Errorf("display %q", e.DisplayDate())
	}
	f, _ := s.ResolveFilter(ctx, url.Values{"certainty": {"certain"}})
	if got := list(t, s, f); !slices.Equal(got, []string{"summit"}) {
		t.Errorf("certain after the migration: %v, want [summit]", got)
	}
	r, err := s.Revision(ctx, "talks", 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Event.Start.String() != "2013-10~" {
		t.Errorf("old revision reads %q, want 2013-10~", r.Event.Start)
	}
}
