package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// runCmd runs the program with args and returns its output and error.
// Every test that runs serve this way expects a refusal; should serve
// start instead, it is stopped after serveRefusalDeadline and the test
// fails with what serve printed, rather than hanging until the suite's
// timeout.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	ctx := context.Background()
	if len(args) > 0 && args[0] == "serve" {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, serveRefusalDeadline)
		defer cancel()
	}
	err := run(ctx, args, getenv, strings.NewReader(stdin), &stdout, &stderr)
	if ctx.Err() != nil {
		t.Fatalf("%s was still running after %v; want it to refuse at once:\n%s%s", strings.Join(args, " "), serveRefusalDeadline, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String(), err
}

// serveRefusalDeadline bounds a serve that runCmd expects to refuse.
const serveRefusalDeadline = 2 * time.Minute

// initDB creates a database with the shipped dataset, as timeline init does.
func initDB(t *testing.T, path string, flags ...string) {
	t.Helper()
	if _, stderr, err := runCmd(t, "", append([]string{"init", "--db", path}, flags...)...); err != nil {
		t.Fatalf("init %s: %v\n%s", path, err, stderr)
	}
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	out := filepath.Join(dir, "summits.csv")
	initDB(t, db)
	if _, stderr, err := runCmd(t, "", "export", "--db", db, "--format", "csv", "--from", "2002", "--to", "2014",
		"--category", "summit", "--category", "negotiation", "--out", out, "--base-url", "https://timeline.example/"); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	if !strings.HasPrefix(lines[0], "\uFEFFslug,start,end") || len(lines) < 5 {
		t.Fatalf("CSV has %d lines, starting %q", len(lines), lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, ",summit,") && !strings.Contains(l, ",negotiation,") {
			t.Errorf("row outside the filter: %s", l)
		}
		if !strings.Contains(l, "https://timeline.example/events/") {
			t.Errorf("row without a permalink: %s", l)
		}
	}

	stdout, _, err := runCmd(t, "", "export", "--db", db, "--format", "md", "--actor", "abe-shinzo")
	if err != nil || !strings.HasPrefix(stdout, "# Japan–DPRK Diplomacy Timeline, abe-shinzo\n") {
		t.Errorf("markdown to stdout: %v, %q", err, stdout[:min(80, len(stdout))])
	}

	// The shipped informal-talks-2013 is 2013-10?: possibly in 2013, not certainly.
	for certainty, want := range map[string]bool{"possible": true, "certain": false} {
		stdout, _, err := runCmd(t, "", "export", "--db", db, "--format", "csv", "--from", "2013", "--to", "2013", "--certainty", certainty)
		if err != nil || strings.Contains(stdout, "\r\ninformal-talks-2013,2013-10?,") != want {
			t.Errorf("--certainty %s: %v; informal-talks-2013 listed %v, want %v", certainty, err, !want, want)
		}
	}

	for _, args := range [][]string{
		{"--format", "xml"},
		{"--format", "csv", "--certainty", "sure"},
		{"--format", "csv", "--from", "2014-13"},
		{"--format", "csv", "--actor", "no-such-actor"},
	} {
		_, _, err := runCmd(t, "", append([]string{"export", "--db", db, "--out", filepath.Join(dir, "nothing.csv")}, args...)...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("export %v: err = %v, want a usage error", args, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nothing.csv")); !os.IsNotExist(err) {
		t.Error("a refused export left a file")
	}
}

func TestImportCommandRoundTripAndRefusal(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	file := filepath.Join(dir, "all.json")
	initDB(t, src)
	initDB(t, dst)
	if _, stderr, err := runCmd(t, "", "export", "--db", src, "--format", "json", "--out", file); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	// dst starts with the shipped dataset too: importing the same events
	// changes nothing.
	stdout, stderr, err := runCmd(t, "", "import", "--db", dst, "--user", "mirror", file)
	if err != nil || !strings.Contains(stdout, "0 created, 0 updated") {
		t.Fatalf("import: %v, %q %q", err, stdout, stderr)
	}

	csvFile := "slug,start,title,category,significance,summary,source_urls\n" +
		"cli-one,2033-01,First,statement,1,One,https://example.org/1\n" +
		"cli-two,2033-13,Second,statement,1,Two,https://example.org/2\n" +
		"cli-three,2033-03,Third,unknown,1,Three,https://example.org/3\n"
	_, stderr, err = runCmd(t, csvFile, "import", "--db", dst, "--format", "csv", "-")
	if err == nil || !strings.Contains(stderr, "line 3: start:") || !strings.Contains(stderr, "line 4: category:") {
		t.Fatalf("bad CSV: err %v, stderr %q", err, stderr)
	}
	stdout, _, err = runCmd(t, csvFile[:strings.Index(csvFile, "cli-two")], "import", "--db", dst, "--dry-run", "-")
	if err != nil || !strings.Contains(stdout, "dry run") || !strings.Contains(stdout, "1 created") {
		t.Fatalf("dry run: %v %q", err, stdout)
	}
	out, _, _ := runCmd(t, "", "export", "--db", dst, "--format", "csv", "--from", "2033")
	if strings.Contains(out, "cli-one") {
		t.Error("a refused or dry-run import wrote an event")
	}
	if _, _, err := runCmd(t, "", "import", "--db", dst, "--source-publisher", "half", file); err == nil {
		t.Error("--source-publisher without --source-title was accepted")
	}
}

// timeline export searches with the shipped aliases, as serve does: a
// Korean term exports the same events as the English one.
func TestExportSearchesAcrossLanguages(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	initDB(t, db)
	export := func(q string) string {
		t.Helper()
		stdout, stderr, err := runCmd(t, "", "export", "--db", db, "--format", "csv", "--q", q)
		if err != nil {
			t.Fatalf("export --q %s: %v\n%s", q, err, stderr)
		}
		return stdout
	}
	en, ko := export("six-party talks"), export("6자회담")
	if n := strings.Count(en, "\r\n"); n < 4 || en != ko {
		t.Errorf("--q 6자회담 exports %d lines, --q 'six-party talks' %d; want the same several", strings.Count(ko, "\r\n"), n)
	}
}

// export --as-of writes the chronology as it stood then, from a copy
// rolled back to it, and names the moment; a moment outside the recorded
// history is a usage error naming the flag.
func TestExportAsOf(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	initDB(t, db)
	ctx := context.Background()
	st, err := timeline.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.GetEvent(ctx, "stockholm-agreement-2014")
	if err != nil {
		t.Fatal(err)
	}
	old := e.Title
	e.Title = "Stockholm agreement, renamed"
	if err := st.UpdateEvent(ctx, e.Slug, &e, timeline.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	revs, err := st.Revisions(ctx, e.Slug)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions: %d, %v", len(revs), err)
	}
	st.Close()
	before := timeline.FormatAsOf(revs[1].CreatedAt) // the first version's moment

	out, stderr, err := runCmd(t, "", "export", "--db", db, "--format", "json", "--q", "stockholm", "--as-of", before)
	if err != nil {
		t.Fatalf("export --as-of: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, old) || strings.Contains(out, "renamed") || !strings.Contains(out, "as_of=") {
		t.Errorf("export as of before the edit:\n%.2000s", out)
	}
	if matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "timeline-asof-*", "asof.db")); len(matches) > 0 {
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) < time.Minute {
				t.Errorf("the copy %s was left behind", m)
			}
		}
	}
	_, _, err = runCmd(t, "", "export", "--db", db, "--as-of", "1999-01-01")
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--as-of") || !strings.Contains(err.Error(), "before") {
		t.Errorf("--as-of 1999-01-01: got %v, want a usage error naming --as-of", err)
	}
}
