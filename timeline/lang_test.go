package timeline

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTextInLanguage(t *testing.T) {
	e := Event{Title: "Stockholm agreement", TitleJA: "ストックホルム合意", Summary: "Announced.", SummaryKO: "발표했다."}
	a := Actor{Name: "Abe Shinzo", NameKO: "아베 신조"}
	r := Era{Name: "The six-party talks", NameJA: "六者会合", Description: "Talks.", DescriptionJA: "協議。", DescriptionKO: "회담."}
	for _, tt := range []struct {
		name, lang, got, used, want, wantUsed string
	}{
		{"title en", "en", "", "", "Stockholm agreement", "en"},
		{"title ja", "ja", "", "", "ストックホルム合意", "ja"},
		{"title ja-JP", "ja-JP", "", "", "ストックホルム合意", "ja"},
		{"title ko falls back", "ko", "", "", "Stockholm agreement", "en"},
		{"title unknown", "fr", "", "", "Stockholm agreement", "en"},
		{"summary ja falls back", "ja", "", "", "Announced.", "en"},
		{"summary KO", "KO", "", "", "발표했다.", "ko"},
		{"actor ko", "ko", "", "", "아베 신조", "ko"},
		{"actor ja falls back", "ja", "", "", "Abe Shinzo", "en"},
		{"era name ja", "ja", "", "", "六者会合", "ja"},
		{"era name ko falls back", "ko", "", "", "The six-party talks", "en"},
		{"era description ko", "ko", "", "", "회담.", "ko"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got, used string
			switch tt.name[:3] {
			case "tit":
				got, used = e.TitleIn(tt.lang)
			case "sum":
				got, used = e.SummaryIn(tt.lang)
			case "act":
				got, used = a.NameIn(tt.lang)
			default:
				if tt.name[:8] == "era name" {
					got, used = r.NameIn(tt.lang)
				} else {
					got, used = r.DescriptionIn(tt.lang)
				}
			}
			if got != tt.want || used != tt.wantUsed {
				t.Errorf("got %q (%s), want %q (%s)", got, used, tt.want, tt.wantUsed)
			}
		})
	}
}

// The translated summaries are stored, read back, capped like the summary,
// and found by search.
func TestTranslatedSummariesInTheStore(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	e := testEvent("2014-05-29", "Stockholm agreement")
	e.SummaryJA = "  日朝両政府がストックホルム合意を発表した。\r\n二文目。 "
	e.SummaryKO = "북일 양국 정부가 스톡홀름 합의를 발표했다."
	e = mustCreate(t, s, e)
	got, err := s.GetEvent(ctx, e.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.SummaryJA != "日朝両政府がストックホルム合意を発表した。\n二文目。" || got.SummaryKO != e.SummaryKO {
		t.Errorf("stored %q, %q", got.SummaryJA, got.SummaryKO)
	}
	for _, q := range []string{"二文目", "스톡홀름 합의를"} {
		if n, err := s.Count(ctx, Filter{Query: q}); err != nil || n != 1 {
			t.Errorf("search %q: %d events, %v; want 1", q, n, err)
		}
	}
	bad := testEvent("2014-05-29", "Too long")
	bad.SummaryKO = strings.Repeat("가", MaxSummary+1)
	bad.SummaryJA = "出典のない注[9]。"
	bad.Normalize()
	err = bad.Validate()
	var ve *ValidationError
	ok := errors.As(err, &ve)
	if !ok || ve.Problems["summary_ko"] == "" || ve.Problems["summary_ja"] == "" {
		t.Errorf("Validate = %v, want problems with summary_ko and summary_ja", err)
	}
}

// The translated locations are stored, read back by every reader, found by
// search, listed among an update's changed fields, capped like the
// location, and restored as they were by a snapshot of the past.
func TestTranslatedLocationsInTheStore(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
	e := testEvent("2002-09-17", "Koizumi visits Pyongyang")
	e.Location = "Pyongyang, North Korea"
	e.LocationJA, e.LocationKO = " 平壌（北朝鮮） ", "평양(북한)"
	e = mustCreate(t, s, e)
	created := clock
	got, err := s.GetEvent(ctx, e.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.LocationJA != "平壌（北朝鮮）" || got.LocationKO != "평양(북한)" {
		t.Errorf("stored %q, %q", got.LocationJA, got.LocationKO)
	}
	if text, used := got.LocationIn("ja"); text != "平壌（北朝鮮）" || used != "ja" {
		t.Errorf("LocationIn(ja) = %q, %q", text, used)
	}
	if text, used := (Event{Location: "Tokyo, Japan"}).LocationIn("ko"); text != "Tokyo, Japan" || used != "en" {
		t.Errorf("LocationIn(ko) without a translation = %q, %q, want the English", text, used)
	}
	for _, slim := range []bool{false, true} {
		var read []Event
		if err := s.EachEventWith(ctx, Filter{}, EachOptions{Slim: slim}, func(e Event) error { read = append(read, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(read) != 1 || read[0].LocationJA != got.LocationJA || read[0].LocationKO != got.LocationKO {
			t.Errorf("EachEventWith(slim %v) read %+v", slim, read)
		}
	}
	for _, q := range []string{"平壌", "평양"} {
		if n, err := s.Count(ctx, Filter{Query: q}); err != nil || n != 1 {
			t.Errorf("search %q: %d events, %v; want 1", q, n, err)
		}
	}

	b := got
	b.LocationKO = "평양"
	if changed := ChangedFields(got, b); !slices.Equal(changed, []string{"location_ko"}) {
		t.Errorf("ChangedFields = %v, want [location_ko]", changed)
	}
	if err := s.UpdateEvent(ctx, e.Slug, &b, Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	if now, _ := s.GetEvent(ctx, e.Slug); now.LocationKO != "평양" {
		t.Errorf("after the update: %q", now.LocationKO)
	}
	if then, err := snapshotOf(t, s, created).GetEvent(ctx, e.Slug); err != nil || then.LocationKO != "평양(북한)" || then.LocationJA != "平壌（北朝鮮）" {
		t.Errorf("as of its creation: %q, %q, %v", then.LocationJA, then.LocationKO, err)
	}

	bad := testEvent("2002-09-17", "Too long")
	bad.LocationJA = strings.Repeat("東", MaxShort+1)
	bad.LocationKO = "평양\n북한"
	bad.Normalize()
	var ve *ValidationError
	if err := bad.Validate(); !errors.As(err, &ve) || ve.Problems["location_ja"] == "" || ve.Problems["location_ko"] == "" {
		t.Errorf("Validate = %v, want problems with location_ja and location_ko", err)
	}
}
