// Package synth makes plausible synthetic chronologies for benchmarks and
// load tests: dates over 1945–2025 at every precision (some approximate or uncertain,
// some ranges), every category, about 2,000 actors, tags, sources and
// Japanese and Korean titles on some. The same seed makes the same events.
// It writes through timeline.Store.BulkLoad; never point it at the real
// chronology.
package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/japan-dprk/timeline/timeline"
)

// Options control Fill.
type Options struct {
	Events int    // how many events to write
	Seed   uint64 // the same seed gives the same events
	// Progress, when set, is called after each batch with the count so far.
	Progress func(done int)
	// Revisions records a creation revision for each event (see
	// timeline.BulkLoad), for measuring the chronology as of a moment.
	Revisions bool
	// Phase, when set, is called as each phase of the load ends, with how
	// long it took (timeline.BulkLoad).
	Phase func(name string, took time.Duration)
}

// Synthesis vocabulary. The words "japan" (in nearly every event) and
// "zanzibar" (in one event in ten thousand) give benchmarks a common and a
// rare search term.
var (
	synthPlaces   = []string{"Tokyo", "Pyongyang", "Beijing", "Seoul", "Niigata", "Stockholm", "Ulaanbaatar", "Geneva", "New York", "Shenyang", "Hanoi", "Kuala Lumpur", "Osaka", "Wonsan", "Vladivostok", "Singapore"}
	synthVerbs    = []string{"meets", "criticises", "proposes", "rejects", "announces", "signs", "postpones", "resumes", "reviews", "protests", "welcomes", "demands"}
	synthObjects  = []string{"normalization talks", "a joint statement", "new sanctions", "the abduction issue", "a missile launch", "humanitarian aid", "a port ban", "the repatriation of remains", "a fact-finding mission", "a trade embargo", "an investigation committee", "a summit proposal"}
	synthJA       = []string{"日朝協議", "拉致問題に関する声明", "制裁措置の発表", "首脳会談の提案", "ミサイル発射", "核実験への抗議", "人道支援", "赤十字会談", "遺骨収集の協議", "特別調査委員会"}
	synthKO       = []string{"북일 회담", "납치 문제", "제재 발표", "미사일 발사", "인도적 지원"}
	synthPubs     = []string{"Ministry of Foreign Affairs of Japan", "Kyodo News", "The Japan Times", "Asahi Shimbun", "Yonhap", "KCNA", "Reuters", "NHK"}
	synthSyll     = []string{"ka", "ki", "mu", "ra", "to", "shi", "ta", "no", "ha", "yo", "mi", "sa", "ko", "jo", "un", "il", "nam", "song", "pak", "ri"}
	synthTagWords = []string{"abductions", "sanctions", "missiles", "summits", "red-cross", "chongryon", "normalization-talks", "six-party-talks", "humanitarian-aid", "spy-ships"}
)

// Fill appends opt.Events synthetic events, and the actors they name, to
// the store.
func Fill(ctx context.Context, s *timeline.Store, opt Options) error {
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	var actors []timeline.Actor
	return s.BulkLoad(ctx, timeline.BulkLoad{
		Actors: func(base int64) []timeline.Actor {
			actors = makeActors(r, base)
			return actors
		},
		Events: opt.Events,
		Event: func(id int64) timeline.Event {
			e := makeEvent(r, id)
			for range 1 + r.IntN(3) {
				// A skewed pick: low-numbered actors take part far more often.
				a := actors[int(float64(len(actors))*r.Float64()*r.Float64())]
				e.Actors = append(e.Actors, timeline.EventActor{Actor: a, Role: "participant"})
			}
			return e
		},
		Progress:  opt.Progress,
		Revisions: opt.Revisions,
		Phase:     opt.Phase,
	})
}

// makeActors makes 2,000 actors, a third of them with Japanese names.
func makeActors(r *rand.Rand, base int64) []timeline.Actor {
	kinds := []string{"person", "person", "person", "organization", "state"}
	countries := []string{"JP", "KP", "KR", "US", "CN", "RU"}
	out := make([]timeline.Actor, 0, 2000)
	for i := range 2000 {
		a := timeline.Actor{Name: name(r) + " " + name(r), Slug: fmt.Sprintf("synth-actor-%d-%d", base, i)}
		if i%3 == 0 {
			a.NameJA = synthJA[r.IntN(len(synthJA))][:6] + "氏"
		}
		a.Kind, a.Country = kinds[r.IntN(len(kinds))], countries[r.IntN(len(countries))]
		out = append(out, a)
	}
	return out
}

// name makes a capitalised name of two or three syllables (ASCII).
func name(r *rand.Rand) string {
	var b [16]byte
	s := b[:0]
	for range 2 + r.IntN(2) {
		s = append(s, synthSyll[r.IntN(len(synthSyll))]...)
	}
	s[0] -= 'a' - 'A'
	return string(s)
}

func makeEvent(r *rand.Rand, id int64) timeline.Event {
	year := 1945 + r.IntN(81)
	var start timeline.Date
	switch p := r.IntN(20); {
	case p < 12:
		m := 1 + r.IntN(12)
		start = timeline.Date{Year: year, Month: m, Day: 1 + r.IntN(daysIn(year, m))}
	case p < 17:
		start = timeline.Date{Year: year, Month: 1 + r.IntN(12)}
	default:
		start = timeline.Date{Year: year}
	}
	var end timeline.Date
	if r.IntN(10) == 0 {
		end = (start.Latest() + timeline.Day(r.IntN(3)*100+r.IntN(2)*10000)).Date()
		if end.Month > 12 || end.Day > daysIn(end.Year, end.Month) || end.Latest() < start.Latest() || end.Year > timeline.MaxYear {
			end = timeline.Date{}
		}
	}
	place := synthPlaces[r.IntN(len(synthPlaces))]
	// Concatenation rather than fmt (a third of the time of making an
	// event); the operands are drawn left to right all the same.
	title := name(r) + " " + synthVerbs[r.IntN(len(synthVerbs))] + " " + synthObjects[r.IntN(len(synthObjects))] + " in " + place
	summary := "Officials of Japan and North Korea dealt with " + synthObjects[r.IntN(len(synthObjects))] + "; " + name(r) + " " + synthVerbs[r.IntN(len(synthVerbs))] + " the outcome."
	if r.IntN(20) == 0 {
		summary = strings.Replace(summary, "Japan", "the two sides", 1) // the few events without "japan"
	}
	if r.IntN(10000) == 0 {
		summary += " Delegates met again in Zanzibar."
	}
	if r.IntN(20) == 0 {
		start, end = start.WithQual(timeline.QualApproximate), end.WithQual(timeline.QualApproximate)
	}
	// Uncertain dates and unknown months, chosen by id so that the random
	// draws (and so every other synthetic event) stay as they were. Wider
	// readings (198X, open ends) are left out: they would lengthen the
	// longest span that date-range queries allow for.
	if id%53 == 0 {
		start = start.WithQual(timeline.QualUncertain)
	}
	if id%59 == 0 && start.Precision() == timeline.PrecisionYear && end.IsZero() {
		start.MonthX = true
	}
	e := timeline.Event{
		Slug:         "synth-" + strconv.FormatInt(id, 10),
		Start:        start,
		End:          end,
		Title:        title,
		Summary:      summary,
		Category:     timeline.Categories[r.IntN(len(timeline.Categories))],
		Significance: 1 + r.IntN(3),
		Location:     place,
		Tags:         []string{synthTagWords[r.IntN(len(synthTagWords))]},
	}
	if r.IntN(3) == 0 {
		e.TitleJA = synthJA[r.IntN(len(synthJA))]
	}
	if r.IntN(10) == 0 {
		e.TitleKO = synthKO[r.IntN(len(synthKO))]
	}
	if r.IntN(2) == 0 {
		e.Tags = append(e.Tags, "topic-"+strconv.Itoa(r.IntN(200)))
	}
	for j := range 1 + r.IntN(2) {
		e.Sources = append(e.Sources, timeline.Source{Publisher: synthPubs[r.IntN(len(synthPubs))], Title: "Report " + strconv.FormatInt(id, 10) + "-" + strconv.Itoa(j), Date: start, Language: "en"})
	}
	return e
}

// daysIn is the number of days of a month.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
