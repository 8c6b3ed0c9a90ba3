package timeline

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestCorrectionLifecycle: a suggestion gets a reference, is open, is
// accepted by the update that applies it (its revision names it), and
// cannot be decided twice; another is declined with its reason.
func TestCorrectionLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	e := mustCreate(t, s, testEvent("2002-09-17", "Koizumi visits Pyongyang"))
	c := Correction{EventSlug: e.Slug, What: "The date is wrong.\r\nIt was the 17th.", Evidence: "https://www.mofa.go.jp/region/asia-paci/n_korea/pmv0209/"}
	if err := s.CreateCorrection(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`).MatchString(c.Ref) {
		t.Errorf("reference %q", c.Ref)
	}
	got, err := s.GetCorrection(ctx, strings.ToLower(strings.ReplaceAll(c.Ref, "-", "")))
	if err != nil || got.Status != CorrectionOpen || got.What != "The date is wrong.\nIt was the 17th." {
		t.Fatalf("got %+v, %v", got, err)
	}
	open, _ := s.ListCorrections(ctx, CorrectionOpen, 10)
	if len(open) != 1 {
		t.Errorf("open: got %d, want 1", len(open))
	}
	e.Title = "Koizumi visits Pyongyang for a day"
	if err := s.UpdateEvent(ctx, e.Slug, &e, Change{Author: "alice", Summary: "title", Correction: c.Ref}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetCorrection(ctx, c.Ref)
	if got.Status != CorrectionAccepted || got.Version != e.Version || got.DecidedBy != "alice" {
		t.Errorf("after the update: got %+v, want accepted at version %d", got, e.Version)
	}
	revs, _ := s.Revisions(ctx, e.Slug)
	if revs[0].Correction != c.Ref || revs[1].Correction != "" {
		t.Errorf("revisions: got %q, %q", revs[0].Correction, revs[1].Correction)
	}
	// Applying it again, or declining it, is a conflict and changes nothing.
	if err := s.UpdateEvent(ctx, e.Slug, &e, Change{Author: "bob", Correction: c.Ref}); !strings.Contains(fmt.Sprint(err), "is already accepted") {
		t.Errorf("second acceptance: got %v, want a problem naming it accepted", err)
	}
	if err := s.DeclineCorrection(ctx, c.Ref, "bob", "no"); !errors.Is(err, ErrConflict) {
		t.Errorf("declining an accepted one: got %v, want ErrConflict", err)
	}
	d := Correction{EventSlug: e.Slug, What: "Wrong city.", Evidence: "Asahi Shimbun, 18 September 2002, p. 1"}
	if err := s.CreateCorrection(ctx, &d); err != nil {
		t.Fatal(err)
	}
	other := mustCreate(t, s, testEvent("2004-05-22", "Second summit"))
	err = s.UpdateEvent(ctx, other.Slug, &other, Change{Author: "bob", Correction: d.Ref})
	if ve, ok := errors.AsType[*ValidationError](err); !ok || !strings.Contains(ve.Problems["correction"], "is of event") {
		t.Errorf("applied to another event: got %v, want a correction problem", err)
	}
	if err := s.DeclineCorrection(ctx, d.Ref, "bob", " "); err == nil {
		t.Error("declined without a reason")
	}
	if err := s.DeclineCorrection(ctx, d.Ref, "bob", "The event says Pyongyang, as the source does."); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetCorrection(ctx, d.Ref)
	if got.Status != CorrectionDeclined || got.Reason != "The event says Pyongyang, as the source does." {
		t.Errorf("declined: got %+v", got)
	}
	if _, err := s.GetCorrection(ctx, "0000-0000"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown reference: got %v", err)
	}
	if err := s.CreateCorrection(ctx, &Correction{EventSlug: "no-such-event", What: "x", Evidence: "y"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown event: got %v", err)
	}
}

func TestCorrectionValidate(t *testing.T) {
	long := strings.Repeat("a", MaxCorrectionText+1)
	for _, tt := range []struct {
		c      Correction
		fields []string
	}{
		{Correction{What: "x", Evidence: "Asahi, 1 May 2014"}, nil},
		{Correction{}, []string{"what", "evidence"}},
		{Correction{What: long, Evidence: "https://"}, []string{"what", "evidence"}},
		{Correction{What: "x", Evidence: "y", Name: "a\nb", Contact: strings.Repeat("c", MaxCorrectionName+1)}, []string{"name", "contact"}},
		{Correction{What: "x\x00", Evidence: "y"}, []string{"what"}},
	} {
		err := tt.c.Validate()
		var ve *ValidationError
		errors.As(err, &ve)
		if len(tt.fields) == 0 {
			if err != nil {
				t.Errorf("%+v: got %v", tt.c, err)
			}
			continue
		}
		if ve == nil || len(ve.Problems) != len(tt.fields) {
			t.Errorf("%+v: got %v, want problems with %v", tt.c, err, tt.fields)
			continue
		}
		for _, f := range tt.fields {
			if ve.Problems[f] == "" {
				t.Errorf("%+v: no problem for %s: %v", tt.c, f, ve.Problems)
			}
		}
	}
	if got := NormalizeRef(" k7q2 m9xo "); got != "K7Q2-M9X0" {
		t.Errorf("NormalizeRef: got %q", got)
	}
}
