package web

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFilesServesRegularFilesOnly: --files DIR serves the regular files in
// DIR and nothing else: no listings, no dotfiles, no symlinks out.
func TestFilesServesRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write := func(path, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "dump.json"), `{"events":[]}`)
	write(filepath.Join(dir, "sub", "old.csv"), "slug\n")
	write(filepath.Join(dir, ".env"), "SECRET=1")
	write(filepath.Join(dir, ".git", "config"), "[core]")
	write(filepath.Join(outside, "passwd"), "root:x:0:0")
	if err := os.Symlink(filepath.Join(outside, "passwd"), filepath.Join(dir, "passwd")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("dump.json", filepath.Join(dir, "latest.json")); err != nil {
		t.Fatal(err)
	}
	env := newAuthEnv(t, Config{FilesDir: dir})
	for _, tt := range []struct {
		path   string
		status int
		body   string
	}{
		{"/files/dump.json", http.StatusOK, `{"events":[]}`},
		{"/files/sub/old.csv", 200, "slug\n"},
		{"/files/latest.json", 200, `{"events":[]}`}, // a relative symlink inside the folder
		{"/files/", 404, ""},
		{"/files/sub/", 404, ""},
		{"/files/sub", 404, ""},
		{"/files/.env", 404, ""},
		{"/files/.git/config", 404, ""},
		{"/files/passwd", 404, ""},
		{"/files/out/passwd", 404, ""},
		{"/files/../files_test.go", 404, ""},
		{"/files/%2e%2e/passwd", 404, ""},
	} {
		resp := env.request("GET", tt.path, nil, nil)
		b := respBody(t, resp)
		if resp.StatusCode != tt.status || (tt.status == 200 && b != tt.body) {
			t.Errorf("GET %s: status %d, body %.60q; want %d", tt.path, resp.StatusCode, b, tt.status)
		}
		if strings.Contains(b, "root:x") || strings.Contains(b, "SECRET") || strings.Contains(b, "<pre>") {
			t.Errorf("GET %s leaked %.60q", tt.path, b)
		}
	}
}
