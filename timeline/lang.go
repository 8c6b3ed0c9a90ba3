package timeline

import "strings"

// Languages the chronology's text is written in: English always, Japanese
// and Korean where the data has them.
const (
	LangEN = "en"
	LangJA = "ja"
	LangKO = "ko"
)

// pick returns the text for lang among the English, Japanese and Korean
// versions, and the language of the text returned: the English text when
// lang is not ja or ko, or when that translation is empty, so that a
// reader always gets the text and the page can mark it lang="en".
func pick(lang, en, ja, ko string) (string, string) {
	switch baseLang(lang) {
	case LangJA:
		if ja != "" {
			return ja, LangJA
		}
	case LangKO:
		if ko != "" {
			return ko, LangKO
		}
	}
	return en, LangEN
}

// baseLang reduces a language tag to its primary subtag in lower case:
// "ja-JP" → "ja", "KO" → "ko".
func baseLang(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// TitleIn returns the event's title in lang ("en", "ja", "ko"; a tag such as
// "ja-JP" reads as its language) and the language it is in: the English
// title when there is no translation.
func (e Event) TitleIn(lang string) (text, used string) {
	return pick(lang, e.Title, e.TitleJA, e.TitleKO)
}

// SummaryIn returns the event's summary in lang and the language it is in,
// falling back to English as TitleIn does.
func (e Event) SummaryIn(lang string) (text, used string) {
	return pick(lang, e.Summary, e.SummaryJA, e.SummaryKO)
}

// LocationIn returns the event's location in lang and the language it is
// in, falling back to English as TitleIn does. An event without a location
// gives "" in English.
func (e Event) LocationIn(lang string) (text, used string) {
	return pick(lang, e.Location, e.LocationJA, e.LocationKO)
}

// NameIn returns the actor's name in lang and the language it is in,
// falling back to English as Event.TitleIn does.
func (a Actor) NameIn(lang string) (text, used string) {
	return pick(lang, a.Name, a.NameJA, a.NameKO)
}

// NameIn returns the era's name in lang and the language it is in,
// falling back to English as Event.TitleIn does.
func (r Era) NameIn(lang string) (text, used string) {
	return pick(lang, r.Name, r.NameJA, r.NameKO)
}

// DescriptionIn returns the era's description in lang and the language it
// is in, falling back to English as Event.TitleIn does.
func (r Era) DescriptionIn(lang string) (text, used string) {
	return pick(lang, r.Description, r.DescriptionJA, r.DescriptionKO)
}

// normalizeText trims the era's texts and gives its descriptions LF line
// ends, as Event.Normalize does for events.
func (r *Era) normalizeText() {
	r.Name, r.NameJA, r.NameKO = strings.TrimSpace(r.Name), strings.TrimSpace(r.NameJA), strings.TrimSpace(r.NameKO)
	r.Description = strings.TrimSpace(lf(r.Description))
	r.DescriptionJA = strings.TrimSpace(lf(r.DescriptionJA))
	r.DescriptionKO = strings.TrimSpace(lf(r.DescriptionKO))
}
