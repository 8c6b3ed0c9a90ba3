package timeline

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestTextRules(t *testing.T) {
	for _, tt := range []struct {
		name      string
		s         string
		multiline bool
		ok        bool
	}{
		{"plain", "Stockholm agreement", false, true},
		{"Japanese and Korean", "ストックホルム合意 · 스톡홀름 합의", false, true},
		{"tab", "a\tb", false, true},
		{"escape", "a\x1b[31mred", false, false},
		{"NUL", "a\x00b", true, false},
		{"DEL", "a\x7fb", true, false},
		{"C1 control", "a\u0085b", true, false},
		{"invalid UTF-8", "a\xffb", true, false},
		{"newline in one line", "a\nb", false, false},
		{"newline in text", "a\nb", true, true},
		{"CRLF in text", "a\r\nb", true, true},
		{"lone CR", "a\rb", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckText(tt.s, 100, tt.multiline)
			if (got == "") != tt.ok {
				t.Errorf("CheckText(%q) = %q, want ok %v", tt.s, got, tt.ok)
			}
		})
	}
	if got := CheckText(strings.Repeat("あ", 101), 100, false); got == "" {
		t.Error("101 characters passed a limit of 100")
	}
}

func TestEventTextRefusesControlCharacters(t *testing.T) {
	e := testEvent("2014-05-29", "Stockholm\x1b]0;pwned\x07 agreement")
	e.Location = "Tokyo\nJapan"
	e.Summary = "Two lines:\nboth fine."
	e.Sources[0].Title = "Bluebook\x00"
	e.Actors[0].Role = "party\x1b"
	e.Normalize()
	var ve *ValidationError
	if err := e.Validate(); !errors.As(err, &ve) {
		t.Fatalf("got %v, want a validation error", err)
	}
	for _, f := range []string{"title", "location", "sources[0].title", "actors[0].role"} {
		if ve.Problems[f] == "" {
			t.Errorf("no problem for %s: %v", f, ve.Problems)
		}
	}
	if ve.Problems["summary"] != "" {
		t.Errorf("a summary with a newline was refused: %s", ve.Problems["summary"])
	}
}

func TestReservedSlugs(t *testing.T) {
	for _, slug := range []string{"new", "edit", "history", "tags"} {
		e := testEvent("2014-05-29", "Stockholm agreement")
		e.Slug = slug
		var ve *ValidationError
		if err := e.Validate(); !errors.As(err, &ve) || ve.Problems["slug"] == "" {
			t.Errorf("slug %q: got %v, want a slug problem", slug, err)
		}
	}
	e := testEvent("2014-05-29", "Stockholm agreement")
	e.Slug = "new-talks"
	if err := e.Validate(); err != nil {
		t.Errorf("slug new-talks: %v", err)
	}
}

func TestChangeSummaryIsChecked(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	for _, summary := range []string{"bad\x00", "bad\xff", strings.Repeat("x", MaxShort+1), "two\nlines"} {
		e := testEvent("2014-05-29", "Stockholm agreement")
		err := s.CreateEvent(ctx, &e, Change{Author: "test", Summary: summary})
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Problems["edit_summary"] == "" {
			t.Errorf("summary %q: got %v, want an edit_summary problem", summary, err)
		}
	}
	e := mustCreate(t, s, testEvent("2014-05-29", "Stockholm agreement"))
	var ve *ValidationError
	if err := s.DeleteEvent(ctx, e.Slug, e.Version, Change{Author: "test", Summary: "gone\x1b"}); !errors.As(err, &ve) {
		t.Errorf("delete with a bad summary: got %v, want a validation error", err)
	}
}

func TestFilterQueryIsChecked(t *testing.T) {
	for _, q := range []string{"abc\x1b", "abc\xff", "two\nlines"} {
		if _, p := parseFilter(map[string][]string{"q": {q}}); p["q"] == "" {
			t.Errorf("q=%q: got problems %v, want a q problem", q, p)
		}
	}
}

func TestTokenLabelIsChecked(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, "alice", RoleEditor, "a long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	if _, err := s.CreateToken(ctx, "alice", "laptop\x1b[2J"); !errors.As(err, &ve) || ve.Problems["label"] == "" {
		t.Errorf("a label with ESC: got %v, want a label problem", err)
	}
}
