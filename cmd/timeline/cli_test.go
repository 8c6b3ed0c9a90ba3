package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// A mistyped --db must not create a database: every command but serve,
// init, synth and restore refuses one that does not exist, naming it.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.db")
	file := filepath.Join(dir, "in.json")
	if err := os.WriteFile(file, []byte(`{"events": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"export", "--db", typo},
		{"export", "--db", typo, "--format", "csv", "--out", filepath.Join(dir, "out.csv")},
		{"import", "--db", typo, file},
		{"import", "--db", typo, "--dry-run", file},
		{"user", "add", "--db", typo, "alice"},
		{"user", "list", "--db", typo},
		{"user", "disable", "--db", typo, "alice"},
		{"user", "enable", "--db", typo, "alice"},
		{"token", "add", "--db", typo, "alice"},
		{"token", "list", "--db", typo},
		{"token", "revoke", "--db", typo, "1"},
		{"backup", "--db", typo, filepath.Join(dir, "copy.db")},
	} {
		_, _, err := runCmd(t, "a long enough passphrase\n", args...)
		if err == nil || !strings.Contains(err.Error(), "no database at "+typo) || !strings.Contains(err.Error(), "timeline init") {
			t.Errorf("%v: got %v, want an error naming %s and timeline init", args, err, typo)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("%v created %s", args, typo)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("a refused export wrote its --out file")
	}
}

func TestInitCreatesADatabase(t *testing.T) {
	dir := t.TempDir()
	full, empty := filepath.Join(dir, "full.db"), filepath.Join(dir, "empty.db")
	out, _, err := runCmd(t, "", "init", "--db", full)
	if err != nil || !strings.Contains(out, "shipped dataset") {
		t.Fatalf("init: %q, %v", out, err)
	}
	if out, _, err = runCmd(t, "", "init", "--empty", "--db", empty); err != nil || !strings.Contains(out, "empty") {
		t.Fatalf("init --empty: %q, %v", out, err)
	}
	count := func(db string) int {
		t.Helper()
		out, stderr, err := runCmd(t, "", "export", "--db", db, "--format", "json")
		if err != nil {
			t.Fatalf("export %s: %v\n%s", db, err, stderr)
		}
		var doc struct {
			Events []json.RawMessage `json:"events"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		return len(doc.Events)
	}
	if n := count(full); n < 100 {
		t.Errorf("init: %d events, want the shipped dataset", n)
	}
	// The empty database stays empty: no later command loads the dataset.
	if n := count(empty); n != 0 {
		t.Errorf("init --empty: %d events, want 0", n)
	}
	if _, _, err := runCmd(t, "", "init", "--db", full); err == nil || !strings.Contains(err.Error(), full+" already exists") {
		t.Errorf("init over an existing database: got %v, want a refusal naming it", err)
	}
}

// --help on every command exits 0 and names its arguments.
func TestHelpNamesTheArguments(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"serve", "--help"}, []string{"timeline serve", "-addr", "TIMELINE_ADDR"}},
		{[]string{"init", "--help"}, []string{"timeline init", "-empty"}},
		{[]string{"import", "--help"}, []string{"timeline import [flags] FILE|-", "-dry-run"}},
		{[]string{"import", "-h"}, []string{"FILE"}},
		{[]string{"export", "--help"}, []string{"timeline export", "-out", "-format"}},
		{[]string{"backup", "--help"}, []string{"timeline backup [--db PATH] [--force] DEST"}},
		{[]string{"restore", "--help"}, []string{"timeline restore [--db PATH] SRC"}},
		{[]string{"synth", "--help"}, []string{"timeline synth", "-events"}},
		{[]string{"user", "--help"}, []string{"timeline user add", "NAME"}},
		{[]string{"user", "add", "--help"}, []string{"timeline user add [--db PATH] [--role editor|admin] NAME", "-role"}},
		{[]string{"user", "list", "--help"}, []string{"timeline user list"}},
		{[]string{"token", "--help"}, []string{"timeline token add", "USER"}},
		{[]string{"token", "add", "--help"}, []string{"timeline token add [--db PATH] [--label TEXT] USER"}},
		{[]string{"token", "revoke", "--help"}, []string{"timeline token revoke [--db PATH] ID"}},
		{[]string{"help", "backup"}, []string{"DEST"}},
		{[]string{"--help"}, []string{"timeline init", "timeline backup"}},
	} {
		stdout, stderr, err := runCmd(t, "", tt.args...)
		if err != nil {
			t.Errorf("%v: %v, want success", tt.args, err)
			continue
		}
		if stderr != "" {
			t.Errorf("%v wrote to standard error: %q", tt.args, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%v: the help lacks %q:\n%s", tt.args, w, stdout)
			}
		}
	}
	// A mistake still fails, with the usage on standard error.
	_, stderr, err := runCmd(t, "", "import", "--no-such-flag", "f.json")
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(stderr, "Usage: timeline import") {
		t.Errorf("unknown flag: got %v, stderr %q; want a usage error and the usage", err, stderr)
	}
}

func TestFlagsMayFollowTheArguments(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	initDB(t, db, "--empty")
	file := filepath.Join(dir, "one.csv")
	csv := "slug,start,title,category,significance,summary,source_urls\n" +
		"after-flags,2030-01,After flags,statement,1,One,https://example.org/1\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, stderr, err := runCmd(t, "", "import", file, "--db", db, "--user", "late"); err != nil || !strings.Contains(out, "1 created") {
		t.Fatalf("import FILE --db: %q, %v\n%s", out, err, stderr)
	}
	dest := filepath.Join(dir, "copy.db")
	if _, stderr, err := runCmd(t, "", "backup", dest, "--db", db); err != nil {
		t.Fatalf("backup DEST --db: %v\n%s", err, stderr)
	}
	if _, stderr, err := runCmd(t, "", "backup", dest, "--force", "--db", db); err != nil {
		t.Fatalf("backup DEST --force --db: %v\n%s", err, stderr)
	}
	// After "--" everything is an argument.
	if _, _, err := runCmd(t, "", "import", "--db", db, "--", "--db"); err == nil || !strings.Contains(err.Error(), "--db") {
		t.Errorf(`import -- --db: got %v, want the file "--db" not found`, err)
	}
}

func TestServeNamesTheAddressFlagWhenThePortIsBusy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	db := filepath.Join(t.TempDir(), "t.db")
	_, _, err = runCmd(t, "", "serve", "--db", db, "--addr", ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), ln.Addr().String()) || !strings.Contains(err.Error(), "--addr") || !strings.Contains(err.Error(), "TIMELINE_ADDR") {
		t.Errorf("busy port: got %v, want a message naming the address, --addr and TIMELINE_ADDR", err)
	}
}

// export --out writes a file with the mode a plain create gives it.
func TestExportOutHasTheUsualMode(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	initDB(t, db)
	out := filepath.Join(dir, "all.ics")
	if _, stderr, err := runCmd(t, "", "export", "--db", db, "--format", "ics", "--out", out); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o644 {
		t.Errorf("mode %v, want -rw-r--r-- under umask 022", got)
	}
	// Replacing a file keeps its mode.
	if err := os.Chmod(out, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "", "export", "--db", db, "--format", "ics", "--out", out); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file: mode %v, want -rw------- kept", fi.Mode().Perm())
	}
}

func TestMakeRunTakesADDR(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	out, err := exec.CommandContext(context.Background(), "make", "-n", "-C", "../..", "run", "ADDR=127.0.0.1:9123").CombinedOutput()
	if err != nil {
		t.Fatalf("make -n run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "serve --db ./timeline.db --addr 127.0.0.1:9123") {
		t.Errorf("make run ADDR=… runs %q, want --addr 127.0.0.1:9123", out)
	}
}

// A filtered export imports into an empty database, links to events left
// out becoming warnings; the dry run lists every event.
func TestFilteredExportImportsIntoAnEmptyDatabase(t *testing.T) {
	dir := t.TempDir()
	full, empty := filepath.Join(dir, "full.db"), filepath.Join(dir, "empty.db")
	initDB(t, full)
	initDB(t, empty, "--empty")
	file := filepath.Join(dir, "summits.json")
	if _, stderr, err := runCmd(t, "", "export", "--db", full, "--category", "summit", "--out", file); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	out, stderr, err := runCmd(t, "", "import", "--db", empty, "--dry-run", file)
	if err != nil || !strings.Contains(out, "created   koizumi-kim-summit-2002 (record 1)") || !strings.Contains(out, "warning: record 1: related: ") {
		t.Fatalf("dry run: %v\n%s%s", err, out, stderr)
	}
	if out, stderr, err = runCmd(t, "", "import", "--db", empty, file); err != nil || !strings.Contains(out, "imported: ") || !strings.Contains(out, "warning: ") {
		t.Fatalf("import of a filtered export into an empty database: %q, %v\n%s", out, err, stderr)
	}
	out, _, err = runCmd(t, "", "import", "--db", empty, "--dry-run", file)
	if err != nil || !strings.Contains(out, "unchanged koizumi-kim-summit-2002 (record 1)") || !strings.Contains(out, "0 created, 0 updated") || !strings.Contains(out, "0 actors and 0 eras") {
		t.Errorf("dry run of the same file again: %v\n%s", err, out)
	}
}

// openPTY opens a pseudo-terminal: the program writes to tty, the test
// reads what a terminal would show from pty.
func openPTY(t *testing.T) (pty, tty *os.File) {
	t.Helper()
	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(pty.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(pty.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return pty, tty
}

// A large import shows its progress on standard error when that is a
// terminal, and nothing of the kind when it is not.
func TestLargeImportShowsProgressOnATerminal(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	initDB(t, db, "--empty")
	var b strings.Builder
	b.WriteString("slug,start,title,category,significance,summary,source_urls\n")
	for i := range 1200 {
		fmt.Fprintf(&b, "bulk-%d,2030-01,Bulk event %d,statement,1,Summary,https://example.org/%d\n", i, i, i)
	}
	file := filepath.Join(dir, "bulk.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	pty, tty := openPTY(t)
	defer pty.Close()
	shown := make(chan string)
	go func() {
		var all []byte
		buf := make([]byte, 4096)
		for {
			n, err := pty.Read(buf)
			all = append(all, buf[:n]...)
			if err != nil { // EIO once the terminal side is closed
				shown <- string(all)
				return
			}
		}
	}()
	var stdout strings.Builder
	err := run(context.Background(), []string{"import", "--db", db, "--dry-run", file}, func(string) string { return "" }, strings.NewReader(""), &stdout, tty)
	tty.Close()
	if err != nil {
		t.Fatal(err)
	}
	screen := <-shown
	if !strings.Contains(screen, "checked 100 of 1200 events") || !strings.Contains(screen, "checked 1200 of 1200 events") {
		t.Errorf("the terminal showed %q, want progress up to 1200 of 1200", screen)
	}
	if strings.Contains(stdout.String(), "checked ") {
		t.Error("progress went to standard output")
	}
	_, stderr, err := runCmd(t, "", "import", "--db", db, "--dry-run", file)
	if err != nil || strings.Contains(stderr, "checked ") {
		t.Errorf("not a terminal: %v, stderr %q; want no progress", err, stderr)
	}
}

// A mistake on the command line is a usage error (exit 2) that names it,
// before anything is created, asked for or served: a flag missing its value
// at the end of the line (it took the "--" that ends the flags as its
// value, so that serve created ./timeline.db and then failed to listen on
// "--"), an unknown role (asked for the password first, then exit 1), and
// arguments to version.
func TestMistakesAreUsageErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	initDB(t, db, "--empty")
	fresh := filepath.Join(dir, "fresh.db")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--db", fresh, "--addr"}, "flag needs an argument: -addr"},
		{[]string{"export", "--db", db, "--format"}, "flag needs an argument: -format"},
		{[]string{"import", "f.json", "--db"}, "flag needs an argument: -db"},
		{[]string{"user", "add", "--db", db, "--role", "god", "bob"}, `--role "god": must be editor or admin`},
		{[]string{"version", "--x"}, "version: unexpected argument"},
	} {
		_, _, err := runCmd(t, "a long enough passphrase\n", tt.args...)
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want a usage error saying %q", tt.args, err, tt.want)
		}
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Errorf("serve --addr without a value created %s", fresh)
	}
	if out, _, err := runCmd(t, "", "user", "list", "--db", db); err != nil || strings.Contains(out, "bob") {
		t.Errorf("user list: %q, %v; want no bob", out, err)
	}
	if out, _, err := runCmd(t, "", "version", "--help"); err != nil || !strings.Contains(out, "timeline version") {
		t.Errorf("version --help: %q, %v", out, err)
	}
}
