package views

import (
	"errors"
	"strings"
	"testing"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// TestDateProblemsTranslated: the problems the date parsers give for what
// a reader or editor types are shown in Japanese and Korean, repeating the
// value typed, with no formatting debris.
func TestDateProblemsTranslated(t *testing.T) {
	var problems []string
	for _, in := range []string{"sometime", "", "19XXX", "198X-05", "2014-XX-05", "2014-13", "2014-02-30", "昭和64年1月8日"} {
		var err error
		if timeline.LooksLikeEraDate(in) {
			_, err = timeline.ParseEraDate(in)
		} else {
			_, err = timeline.ParseEDTF(in)
		}
		if err == nil {
			t.Fatalf("%q parsed", in)
		}
		problems = append(problems, err.Error())
	}
	// The problems of as_of: malformed, not UTC, in the future, before
	// the recorded history.
	for _, in := range []string{"yesterday", "2026-01-01T10:00+09:00"} {
		if _, err := timeline.ParseAsOf(in); err == nil {
			t.Fatalf("as_of %q parsed", in)
		} else {
			problems = append(problems, asOfProblem(t, err))
		}
	}
	problems = append(problems,
		"2099-01-01T00:00:00Z is in the future (it is now 2026-11-29T10:00:00Z): leave as_of out for the chronology as it stands",
		"2020-01-01 is before the chronology's recorded history, which begins at 2026-11-29T10:51:18.349699Z: ask for that time or later",
		"the chronology has no recorded history yet: leave as_of out")
	for _, lang := range locales.Langs[1:] {
		l := locales.For(lang)
		for _, p := range problems {
			got := ProblemIn(l, p)
			if got.Lang != lang {
				t.Errorf("%s: %q is not translated", lang, p)
				continue
			}
			if strings.Contains(got.Text, "%!") || strings.Contains(got.Text, "MISSING") {
				t.Errorf("%s: %q reads %q", lang, p, got.Text)
			}
			if v, _, ok := strings.Cut(p, `" `); ok && strings.HasPrefix(p, `"`) && !strings.Contains(got.Text, v+`"`) {
				t.Errorf("%s: %q does not repeat the value typed: %q", lang, p, got.Text)
			}
		}
	}
}

// asOfProblem is the as_of problem a validation error names.
func asOfProblem(t *testing.T, err error) string {
	t.Helper()
	ve, ok := errors.AsType[*timeline.ValidationError](err)
	if !ok || ve.Problems["as_of"] == "" {
		t.Fatalf("%v is not a problem of as_of", err)
	}
	return ve.Problems["as_of"]
}
