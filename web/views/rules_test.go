package views

import (
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
