package timeline

import (
	"context"
	"errors"
	"strings"
	"testing"
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
