package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestUserAndTokenCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "cli.db")
	getenv := func(string) string { return "" }
	cli := func(stdin string, args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(ctx, args, getenv, strings.NewReader(stdin), &out, &errOut)
		return out.String(), err
	}
	if _, err := cli("", "init", "--empty", "--db", db); err != nil {
		t.Fatal(err)
	}
	if _, err := cli("correct horse battery\n", "user", "add", "--db", db, "--role", "admin", "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli("short\n", "user", "add", "--db", db, "bob"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("short password: got %v, want a password error", err)
	}
	if _, err := cli("", "user", "add", "--db", db, "--role", "root", "carol"); err == nil {
		t.Error("empty stdin: want an error")
	}
	if out, err := cli("", "user", "list", "--db", db); err != nil || !strings.Contains(out, "alice  admin  active") || !strings.Contains(out, "Editor 1") {
		t.Errorf("user list = %q, %v (shown as Editor 1 until named)", out, err)
	}
	if _, err := cli("", "user", "name", "--db", db, "alice", "A. Researcher"); err != nil {
		t.Fatal(err)
	}
	if out, err := cli("", "user", "list", "--db", db); err != nil || !strings.Contains(out, "A. Researcher") {
		t.Errorf("user list after name = %q, %v", out, err)
	}
	if _, err := cli("", "user", "name", "--db", db, "alice", "  "); err == nil || !strings.Contains(err.Error(), "display_name") {
		t.Errorf("empty display name: got %v, want a display_name problem", err)
	}
	token, err := cli("", "token", "add", "--db", db, "alice")
	if err != nil || !strings.HasPrefix(token, "tl_") {
		t.Fatalf("token add = %q, %v", token, err)
	}
	if out, err := cli("", "token", "list", "--db", db); err != nil || strings.Contains(out, strings.TrimSpace(token)) || !strings.Contains(out, "alice") {
		t.Errorf("token list = %q, %v (must never show the token)", out, err)
	}
	if _, err := cli("", "token", "revoke", "--db", db, "1"); err != nil {
		t.Error(err)
	}
	if _, err := cli("", "user", "disable", "--db", db, "alice"); err != nil {
		t.Error(err)
	}
	if out, _ := cli("", "user", "list", "--db", db); !strings.Contains(out, "disabled") {
		t.Errorf("after disable: %q", out)
	}
	var ue usageError
	for _, args := range [][]string{{"user"}, {"user", "frob"}, {"user", "add", "--db", db}, {"user", "name", "--db", db, "alice"}, {"token", "revoke", "--db", db, "x"}} {
		if _, err := cli("", args...); err == nil {
			t.Errorf("%v: want a usage error", args)
		} else if _, ok := err.(usageError); !ok {
			t.Errorf("%v: got %T %v, want %T", args, err, err, ue)
		}
	}
}
