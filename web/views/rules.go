package views

import (
	"regexp"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// rule is a validation problem the timeline package words in English,
// matched as a whole, with the catalog key of its translation and the
// parts of it (the value typed, a number) that the translation repeats.
type rule struct {
	re   *regexp.Regexp
	key  string
	args []int // capture groups passed to the translation, in order
}

const (
	dateRuleRE = `must be a date written YYYY, YYYY-MM or YYYY-MM-DD \(years 1000–2999\)`
	eraRuleRE  = `must be a date written YYYY, YYYY-MM or YYYY-MM-DD, or a Japanese era date such as .* \(eras 明治 to 令和\)`
	slugRuleRE = `must be lowercase letters a–z and digits in words joined by single hyphens, at most 120 characters`
)

// rules are the problems of filters and forms that readers meet most; a
// problem none matches is shown as it is, in English, marked so.
var rules = []rule{
	{regexp.MustCompile(`^(".*") is not a date or time: use ` + regexp.QuoteMeta(timeline.AsOfForms) + `$`), "rule.asof_form", []int{1}},
	{regexp.MustCompile(`^(".*") is not in UTC: write the time in UTC with Z \((.+)\)$`), "rule.asof_utc", []int{1, 2}},
	{regexp.MustCompile(`^(\S+) is in the future \(it is now (\S+)\): leave as_of out for the chronology as it stands$`), "rule.asof_future", []int{1, 2}},
	{regexp.MustCompile(`^the chronology has no recorded history yet: leave as_of out$`), "rule.asof_none", nil},
	{regexp.MustCompile(`^(\S+) is before the chronology's recorded history, which begins at (\S+): ask for that time or later$`), "rule.asof_before", []int{1, 2}},
	{regexp.MustCompile(`^(".*") ` + regexp.QuoteMeta(timeline.EDTFRule) + `$`), "rule.edtf", []int{1}},
	{regexp.MustCompile(`^(?:is required: |is empty: )?` + regexp.QuoteMeta(timeline.EDTFRule) + `$`), "rule.edtf_plain", nil},
	{regexp.MustCompile(`^(".*") has (\d+) unknown year digits: at most two \(19XX\)$`), "rule.edtf_x_digits", []int{1}},
	{regexp.MustCompile(`^(".*"): a year with unknown digits \((.+)\) takes no month or day$`), "rule.edtf_x_month", []int{1}},
	{regexp.MustCompile(`^(".*"): a day needs a known month \(write (.+)\)$`), "rule.edtf_day_month", []int{1, 2}},
	{regexp.MustCompile(`^is required$`), "rule.required", nil},
	{regexp.MustCompile(`^(".*") ` + dateRuleRE + `$`), "rule.date", []int{1}},
	{regexp.MustCompile(`^(?:is required: |is empty: )?` + dateRuleRE + `$`), "rule.date_plain", nil},
	{regexp.MustCompile(`^(".*") ` + eraRuleRE + `$`), "rule.era_date", []int{1}},
	{regexp.MustCompile(`^(?:is empty: )?` + eraRuleRE + `$`), "rule.era_date_plain", nil},
	{regexp.MustCompile(`^(".*") has year (\d+): years must be 1000–2999$`), "rule.year", []int{1, 2}},
	{regexp.MustCompile(`^(".*") has month (\d+): months must be (?:01–12|1–12)$`), "rule.month", []int{1, 2}},
	{regexp.MustCompile(`^(".*") has day (\d+): .* has days (?:01|1)–(\d+)$`), "rule.day", []int{1, 2, 3}},
	{regexp.MustCompile(`^(".*") does not exist: (\S+) began on (\S+) \((.+)\)$`), "rule.era_began", []int{1, 2, 4}},
	{regexp.MustCompile(`^(".*") does not exist: (\S+) ended on (\S+), when (\S+) began \((.+)\): write (.+)$`), "rule.era_ended", []int{1, 2, 4, 6}},
	{regexp.MustCompile(`^(".*") is before 明治6年 \(1873\), when Japan adopted the Gregorian calendar: .*$`), "rule.era_lunar", []int{1}},
	{regexp.MustCompile(`^must not be before from \((.+)\)$`), "rule.to_before_from", []int{1}},
	{regexp.MustCompile(`^must not be before the start(?: \((.+)\))?$`), "rule.end_before_start", nil},
	{regexp.MustCompile(`^must be 1 \(minor and up\), 2 \(notable and up\) or 3 \(major only\)$`), "rule.sig_filter", nil},
	{regexp.MustCompile(`^must be 1 \(minor\), 2 \(notable\) or 3 \(major\)$`), "rule.sig", nil},
	{regexp.MustCompile(`^(".*") is not a category: use one of (.+)$`), "rule.category", []int{1, 2}},
	{regexp.MustCompile(`^(?:is required: one of|must be one of) ((?:[a-z-]+, )+[a-z-]+)$`), "rule.one_of", []int{1}},
	{regexp.MustCompile(`^no actor has the slug (".*")$`), "rule.no_actor", []int{1}},
	{regexp.MustCompile(`^no event has the tag (".*")$`), "rule.no_tag", []int{1}},
	{regexp.MustCompile(`^no actor has the slug (".*"): pick an existing actor or give the new actor's name and kind$`), "rule.no_actor_new", []int{1}},
	{regexp.MustCompile(`^no event has the slug (".*")$`), "rule.no_event", []int{1}},
	{regexp.MustCompile(`^(".*") is not an actor slug: ` + slugRuleRE + `$`), "rule.actor_slug", []int{1}},
	{regexp.MustCompile(`^(".*") is not a tag: ` + slugRuleRE + `$`), "rule.tag_slug", []int{1}},
	{regexp.MustCompile(`^(".*") ` + slugRuleRE + `$`), "rule.slug_value", []int{1}},
	{regexp.MustCompile(`^` + slugRuleRE + `$`), "rule.slug", nil},
	{regexp.MustCompile(`^at most (\d+) values$`), "rule.max_values", []int{1}},
	{regexp.MustCompile(`^given (\d+) different values: give one$`), "rule.repeated", []int{1}},
	{regexp.MustCompile(`^must be date or relevance$`), "rule.sort", nil},
	{regexp.MustCompile(`^must be a year from 1000 to 2999$`), "rule.year_param", nil},
	{regexp.MustCompile(`^is not a cursor from this chronology: start again from the first page$`), "rule.cursor", nil},
	{regexp.MustCompile(`^must name an event of the chronology$`), "rule.sel", nil},
	{regexp.MustCompile(`^matches too many events to count them quickly: .*$`), "rule.too_broad", nil},
	{regexp.MustCompile(`^must be at most (\d+) characters \(has (\d+)\)$`), "rule.max_chars_has", []int{1, 2}},
	{regexp.MustCompile(`^must be at most (\d+) characters$`), "rule.max_chars", []int{1}},
	{regexp.MustCompile(`^at least one source is required$`), "rule.one_source", nil},
	{regexp.MustCompile(`^is required \(or give a title and start date to make one\)$`), "rule.slug_required", nil},
	{regexp.MustCompile(`^(".*") is already used by another event$`), "rule.slug_taken", []int{1}},
}

// ProblemIn is a validation problem in l's language when a rule matches
// it, else as the timeline package wrote it, in English.
func ProblemIn(l *locales.Localizer, text string) Named {
	if l.Lang == "en" {
		return Named{text, "en"}
	}
	for _, r := range rules {
		m := r.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		args := make([]any, len(r.args))
		for i, g := range r.args {
			args[i] = m[g]
		}
		return Named{l.T(r.key, args...), l.Lang}
	}
	return Named{text, "en"}
}
