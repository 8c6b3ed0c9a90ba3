package views

import (
	"context"

	"github.com/a-h/templ"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// inLang is a lang attribute for text from the data in lang, when that
// is not the page's language (nothing otherwise).
func inLang(ctx context.Context, lang string) templ.Attributes {
	if L(ctx).Lang == lang {
		return templ.Attributes{}
	}
	return templ.Attributes{"lang": lang}
}

// AltTitles are an event's titles in the other languages the data has,
// shown under the page's own.
func AltTitles(l *locales.Localizer, e timeline.Event) []Named {
	return alts(l, e.Title, e.TitleJA, e.TitleKO)
}

// AltNames are an actor's names in the scripts the page does not show
// first: the Japanese and Korean names in English, the other ones in
// Japanese and Korean.
func AltNames(l *locales.Localizer, a timeline.Actor) []Named {
	out := alts(l, a.Name, a.NameJA, a.NameKO)
	if len(out) > 0 && out[0].Lang == "en" {
		out = out[1:] // the English name is the link's text, or beside it
	}
	return out
}

// alts lists the texts in the languages other than the one shown first
// (EventTitle, ActorName), in the order en, ja, ko, leaving out empty ones.
func alts(l *locales.Localizer, en, ja, ko string) []Named {
	shown := pick(l, en, ja, ko).Lang
	var out []Named
	for _, n := range []Named{{en, "en"}, {ja, "ja"}, {ko, "ko"}} {
		if n.Text != "" && n.Lang != shown {
			out = append(out, n)
		}
	}
	return out
}

// truncated is n cut to at most max characters.
func truncated(n Named, max int) Named { return Named{Truncate(n.Text, max), n.Lang} }

// precisionKeys are the catalog keys of the precisions of a date.
var precisionKeys = map[string]string{"day": "precision.day", "month": "precision.month", "year": "precision.year",
	"decade": "precision.decade", "century": "precision.century"}

// PrecisionNote says how precisely an event's date is known, and what its
// dates say of their certainty: "(known to the month; approximate)",
// "（月まで判明・おおよその日付）".
func PrecisionNote(l *locales.Localizer, e timeline.Event) string {
	p := precisionOf(e)
	if k, ok := precisionKeys[p]; ok {
		p = l.T(k)
	}
	var notes string
	q := e.Qual()
	if q&timeline.QualApproximate != 0 {
		notes += l.T("event.note_approx")
	}
	if q&timeline.QualUncertain != 0 {
		notes += l.T("event.note_uncertain")
	}
	if e.Start.Open {
		notes += l.T("event.note_open_start")
	}
	if e.End.Open {
		notes += l.T("event.note_open_end")
	}
	return l.T("event.known", p, notes)
}

// sourceLangKeys are the catalog keys of the languages of sources.
var sourceLangKeys = map[string]string{"en": "srclang.en", "ja": "srclang.ja", "ko": "srclang.ko"}

// SourceLangName names the language of a source in l's language.
func SourceLangName(l *locales.Localizer, code string) string {
	if k, ok := sourceLangKeys[code]; ok {
		return l.T(k)
	}
	return l.T("srclang.other")
}

// checkKeys are the catalog keys of what a check found.
var checkKeys = map[string]string{"confirmed": "check.confirmed", "corrected": "check.corrected", "disputed": "check.disputed"}

// CheckLine opens the line of a recorded check: "Checked on 3 May 2026
// against", "2026年5月3日、次の資料と照合済み：".
func CheckLine(l *locales.Localizer, result string, on timeline.Date) string {
	k, ok := checkKeys[result]
	if !ok {
		k = "check.confirmed"
	}
	return l.T(k, l.Date(on))
}

// relationKeys are the catalog keys of the relations, read from the
// event that links and from the event linked to.
var relationKeys = map[string][2]string{
	"follows":     {"rel.follows", "rel.followed_by"},
	"responds-to": {"rel.responds_to", "rel.answered_by"},
	"implements":  {"rel.implements", "rel.implemented_by"},
	"reverses":    {"rel.reverses", "rel.reversed_by"},
	"part-of":     {"rel.part_of", "rel.includes"},
}

// RelationText reads a relation on an event's page: "This event follows",
// or from the other side "Followed by".
func RelationText(l *locales.Localizer, rel string, inverse bool) string {
	k, ok := relationKeys[rel]
	if !ok {
		if inverse {
			return capitalize(InverseLabel(rel))
		}
		return "This event " + RelationLabel(rel)
	}
	if inverse {
		return l.T(k[1])
	}
	return l.T(k[0])
}

// RelationTitle is the title of a related event in l's language, or in
// English.
func RelationTitle(l *locales.Localizer, r timeline.Relation) Named {
	return pick(l, r.Title, r.TitleJA, r.TitleKO)
}

// PointTitle is the title of a drawn event in l's language, or in
// English.
func PointTitle(l *locales.Localizer, p timeline.Point) Named {
	return pick(l, p.Title, p.TitleJA, p.TitleKO)
}

// Paren puts s in brackets as l's language writes them: "(2002)",
// "（2002年）".
func Paren(l *locales.Localizer, s string) string { return l.T("paren", s) }

// kindHeadingKeys are the catalog keys of the actors index's headings.
var kindHeadingKeys = map[string]string{"person": "actors.kind.person", "organization": "actors.kind.organization", "state": "actors.kind.state"}

// KindHeading is the heading of a kind of actor on the actors index.
func KindHeading(l *locales.Localizer, kind string) string {
	if k, ok := kindHeadingKeys[kind]; ok {
		return l.T(k)
	}
	return capitalize(kind) + "s"
}

// relationVerbKeys are the catalog keys of the short relation labels the
// timeline draws on a link, from the selected event and towards it.
var relationVerbKeys = map[string][2]string{
	"follows":     {"relv.follows", "relv.followed_by"},
	"responds-to": {"relv.responds_to", "relv.answered_by"},
	"implements":  {"relv.implements", "relv.implemented_by"},
	"reverses":    {"relv.reverses", "relv.reversed_by"},
	"part-of":     {"relv.part_of", "relv.includes"},
}

// RelationVerb is a relation as the timeline labels a link: "follows",
// or from the other side "followed by".
func RelationVerb(l *locales.Localizer, rel string, inverse bool) string {
	k, ok := relationVerbKeys[rel]
	switch {
	case !ok && inverse:
		return InverseLabel(rel)
	case !ok:
		return RelationLabel(rel)
	case inverse:
		return l.T(k[1])
	}
	return l.T(k[0])
}

// actionKeys are the catalog keys of the kinds of revision.
var actionKeys = map[string]string{"create": "action.create", "update": "action.update", "delete": "action.delete", "restore": "action.restore"}

// ActionLabel names a kind of revision in l's language ("update", "更新").
func ActionLabel(l *locales.Localizer, action string) string {
	if k, ok := actionKeys[action]; ok {
		return l.T(k)
	}
	return action
}

// DiffLabel names a field of a difference in l's language.
func DiffLabel(l *locales.Localizer, d FieldDiff) string {
	if l.Lang == "en" {
		return d.Label
	}
	if d.Field == "approximate" {
		return l.T("label.approximate")
	}
	if k, ok := fieldLabelKeys[d.Field]; ok {
		return l.T(k)
	}
	return d.Label
}
