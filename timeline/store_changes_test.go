package timeline

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestChangesPagesCreationsUpdatesAndDeletions(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)

	// Changes name their authors publicly: a display name, "Editor N"
	// without one, never the sign-in name.
	editor, err := s.CreateUser(ctx, "editor", RoleEditor, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "admin", RoleAdmin, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisplayName(ctx, "admin", "K. Tanaka"); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { clock = clock.Add(time.Minute); return clock })
	a := mustCreate(t, s, testEvent("2002-09-17", "Pyongyang summit"))
	b := mustCreate(t, s, testEvent("2004-05-22", "Second summit"))
	a.Title = "Pyongyang summit and declaration"
	if err := s.UpdateEvent(ctx, a.Slug, &a, Change{Author: "editor", Summary: "title"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEvent(ctx, b.Slug, b.Version, Change{Author: "admin"}); err != nil {
		t.Fatal(err)
	}

	var got []string
	cursor := ""
	pages := 0
	for {
		p, err := s.Changes(ctx, time.Time{}, cursor, 3)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range p.Changes {
			got = append(got, fmt.Sprintf("%s %d %s %s %q", c.Slug, c.Version, c.Action, c.Author, c.Title))
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	want := []string{
		a.Slug + ` 1 create an editor "Pyongyang summit"`, // "test" is no user
		b.Slug + ` 1 create an editor "Second summit"`,
		a.Slug + ` 2 update Editor ` + fmt.Sprint(editor.ID) + ` "Pyongyang summit and declaration"`,
		b.Slug + ` 2 delete K. Tanaka "Second summit"`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("changes = %q, want %q", got, want)
	}
	if pages != 2 {
		t.Errorf("pages = %d, want 2 (3 + 1)", pages)
	}

	// since is inclusive: the time of the third change gives the last two.
	p, err := s.Changes(ctx, time.Date(2026, 1, 1, 0, 3, 0, 0, time.UTC), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 2 || p.Changes[0].Action != "update" || p.Next != "" {
		t.Errorf("since third change: got %+v", p)
	}

	recent, err := s.RecentChanges(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 2 || recent[0].Action != "delete" || recent[1].Action != "update" {
		t.Errorf("recent = %+v, want delete then update", recent)
	}

	if _, err := s.Changes(ctx, time.Time{}, "not-a-cursor", 10); !errors.Is(err, ErrBadChangeCursor) {
		t.Errorf("bad cursor: err = %v, want ErrBadChangeCursor", err)
	}
}
