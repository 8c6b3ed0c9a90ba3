package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBuildSiteCommand runs timeline build-site on a database with two
// events, twice: the second run writes nothing.
func TestBuildSiteCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	out := filepath.Join(dir, "site")
	ctx := context.Background()
	env := func(string) string { return "" }
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"build-site", "--db", db, "--out", out}, env, nil, &stdout, &stderr); err == nil {
		t.Fatalf("a missing database: no error (stdout %q)", stdout.String())
	}
	if err := run(ctx, []string{"init", "--db", db, "--empty"}, env, nil, &stdout, &stderr); err != nil {
		t.Fatal(err, stderr.String())
	}
	if err := run(ctx, []string{"build-site", "--db", db}, env, nil, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("no --out: %v", err)
	}
	stdout.Reset()
	if err := run(ctx, []string{"build-site", "--db", db, "--out", out, "--base-url", "https://copy.example"}, env, nil, &stdout, &stderr); err != nil {
		t.Fatal(err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "files written, 0 unchanged") {
		t.Errorf("first build: %q", stdout.String())
	}
	home, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(home), `href="https://copy.example/about/"`) {
		t.Errorf("links are not under --base-url: %.2000s", home)
	}
	// A file of an earlier build that the site no longer holds.
	if err := os.WriteFile(filepath.Join(out, "stale.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(ctx, []string{"build-site", "--db", db, "--out", out, "--base-url", "https://copy.example"}, env, nil, &stdout, &stderr); err != nil {
		t.Fatal(err, stderr.String())
	}
	m := regexp.MustCompile(`^(\d+) files \(.*\): 0 files written, (\d+) unchanged, 1 removed, in `).FindStringSubmatch(stdout.String())
	if m == nil || m[1] != m[2] {
		t.Errorf("rebuild: %q, want every file unchanged and the stale one removed", stdout.String())
	}
}
