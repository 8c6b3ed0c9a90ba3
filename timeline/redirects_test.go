package timeline

import (
	"context"
	"errors"
	"testing"
)

func TestRedirects(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	e := mustCreate(t, s, testEvent("1955-10-18", "Diet delegation meets Kim Il Sung"))
	rs := []Redirect{{From: "1955-10-20-diet-delegation", To: "1955-10-19-interim"}, {From: "1955-10-19-interim", To: e.Slug}}
	if n, err := s.AddRedirects(ctx, rs); err != nil || n != 2 {
		t.Fatalf("add: got %d, %v; want 2 written", n, err)
	}
	if n, err := s.AddRedirects(ctx, rs); err != nil || n != 0 {
		t.Errorf("add again: got %d, %v; want nothing written", n, err)
	}
	for _, tt := range []struct {
		slug, want string
		err        error
	}{
		{"1955-10-20-diet-delegation", e.Slug, nil}, // through a chain
		{"1955-10-19-interim", e.Slug, nil},
		{e.Slug, "", ErrNotFound},
		{"never-existed", "", ErrNotFound},
	} {
		got, err := s.RedirectOf(ctx, tt.slug)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("RedirectOf(%s): got %q, %v; want %q, %v", tt.slug, got, err, tt.want, tt.err)
		}
	}
	if _, err := s.AddRedirects(ctx, []Redirect{{From: "Bad Slug", To: e.Slug}}); err == nil {
		t.Errorf("a redirect from an invalid slug was accepted")
	}
	// A target that is deleted leaves the old slug without a home.
	if err := s.DeleteEvent(ctx, e.Slug, e.Version, Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedirectOf(ctx, "1955-10-20-diet-delegation"); !errors.Is(err, ErrNotFound) {
		t.Errorf("redirect to a deleted event: got %v, want ErrNotFound", err)
	}
}
