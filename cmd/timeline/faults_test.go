package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damagedShippedDB writes the shipped dataset to a new file, folds its
// write-ahead log in, and overwrites 16 KiB in the middle of it.
func damagedShippedDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "damaged.db")
	store := newShippedDB(t, path)
	if _, _, err := store.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	store.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 4096))
	if _, err := f.WriteAt(junk, fi.Size()/2-8192); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckCommand(t *testing.T) {
	sound := filepath.Join(t.TempDir(), "sound.db")
	newShippedDB(t, sound).Close()
	out, _, err := runCmd(t, "", "check", "--db", sound)
	if err != nil || !strings.Contains(out, ": ok") {
		t.Errorf("check of a sound database: got %q, %v, want ok", out, err)
	}

	damaged := damagedShippedDB(t)
	out, _, err = runCmd(t, "", "check", "--db", damaged)
	if err == nil {
		t.Fatalf("check of a damaged database: got no error, want one; printed %q", out)
	}
	for _, want := range []string{"timeline restore --db " + damaged} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("check's error %q does not name %q", err, want)
		}
	}
	if out == "" {
		t.Errorf("check of a damaged database printed nothing, want its problems")
	}

	if _, _, err := runCmd(t, "", "check", "--db", filepath.Join(t.TempDir(), "typo.db")); err == nil || !strings.Contains(err.Error(), "typo.db") {
		t.Errorf("check of a missing file: got %v, want an error naming it", err)
	}
}

func TestServeRefusesADamagedDatabase(t *testing.T) {
	damaged := damagedShippedDB(t)
	_, _, err := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--db", damaged)
	if err == nil {
		t.Fatal("serve on a damaged database started; want a refusal")
	}
	for _, want := range []string{damaged, "timeline check", "timeline restore", "--read-only"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("serve's refusal %q does not name %q", err, want)
		}
	}
}

func TestErrorsReadOnce(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0", "--db", garbage},
		{"export", "--format", "json", "--db", garbage},
		{"check", "--db", garbage},
	} {
		_, _, err := runCmd(t, "", args...)
		if err == nil {
			t.Errorf("%s on a file of garbage: no error", args[0])
			continue
		}
		msg := err.Error()
		if strings.Count(msg, "timeline:") > 1 || strings.Contains(msg, "timeline: timeline:") {
			t.Errorf("%s: the error repeats its prefix: %q", args[0], msg)
		}
		if !strings.Contains(msg, garbage) {
			t.Errorf("%s: the error %q does not name the file", args[0], msg)
		}
	}
}
