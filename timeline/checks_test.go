package timeline

import (
	"context"
	"testing"
)

func TestSyncChecks(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	a := mustCreate(t, s, testEvent("2002-09-17", "Summit"))
	b := mustCreate(t, s, testEvent("2004-05-22", "Second summit"))
	checks := []Check{
		{Slug: a.Slug, CheckedOn: MustDate("2026-11-29"), Checked: "date (day)", Source: Source{Publisher: "Asahi Shimbun", Title: "日朝首脳会談"}, Result: "confirmed"},
		{Slug: b.Slug, CheckedOn: MustDate("2026-11-29"), Checked: "date (day), place", Source: Source{Publisher: "Yonhap", Title: "고이즈미 방북", URL: "https://www.yna.co.kr/"}, Result: "corrected", Note: "the place was wrong"},
		{Slug: "no-such-event", CheckedOn: MustDate("2026-11-29"), Checked: "date", Source: Source{Publisher: "X", Title: "Y"}, Result: "confirmed"},
	}
	for _, c := range checks {
		if err := c.Validate(); err != nil {
			t.Fatalf("check of %s: %v", c.Slug, err)
		}
	}
	v0, _ := s.DataVersion(ctx)
	written, skipped, err := s.SyncChecks(ctx, checks)
	if err != nil || !written || skipped != 1 {
		t.Fatalf("first sync: got written %v, skipped %d, %v; want written, 1 skipped", written, skipped, err)
	}
	if v1, _ := s.DataVersion(ctx); v1 == v0 {
		t.Errorf("data version after a sync that wrote: unchanged at %d, want it bumped", v1)
	}
	if written, _, err := s.SyncChecks(ctx, checks); err != nil || written {
		t.Errorf("second sync of the same record: got written %v, %v; want nothing written", written, err)
	}
	got, err := s.Checks(ctx, b.Slug)
	if err != nil || len(got) != 1 || got[0].Source.Publisher != "Yonhap" || got[0].Result != "corrected" || got[0].CheckedOn.String() != "2026-11-29" {
		t.Errorf("checks of %s: got %+v, %v", b.Slug, got, err)
	}
	sum, err := s.CheckSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (CheckSummary{Events: 2, Checked: 2, Confirmed: 1, Corrected: 1}); sum != want {
		t.Errorf("summary: got %+v, want %+v", sum, want)
	}
	// A changed record replaces the old one.
	if written, _, err := s.SyncChecks(ctx, checks[:1]); err != nil || !written {
		t.Fatalf("sync of a shorter record: got %v, %v", written, err)
	}
	if got, _ := s.Checks(ctx, b.Slug); len(got) != 0 {
		t.Errorf("checks of %s after it left the record: got %+v, want none", b.Slug, got)
	}
}

func TestCheckValidate(t *testing.T) {
	bad := Check{CheckedOn: MustDate("2026-11"), Source: Source{URL: "ftp://x"}, Result: "fine"}
	err := bad.Validate()
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	for _, f := range []string{"slug", "checked_on", "checked", "publisher", "title", "url", "result"} {
		if ve.Problems[f] == "" {
			t.Errorf("no problem reported for %s: %v", f, ve.Problems)
		}
	}
}
