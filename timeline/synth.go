package timeline

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
)

// SynthOptions control Synthesize.
type SynthOptions struct {
	Events int    // how many events to write
	Seed   uint64 // the same seed gives the same events
	// Progress, when set, is called after each batch with the count so far.
	Progress func(done int)
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

// Synthesize appends opt.Events plausible events to the store: dates over
// 1945–2025 at every precision (some approximate, some ranges), every
// category, about 2,000 actors, tags, sources and Japanese titles on some.
// It writes in large transactions, bypassing revisions, and is meant for
// benchmarks and load tests, never for the real chronology.
func (s *Store) Synthesize(ctx context.Context, opt SynthOptions) error {
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A generated database can be made again: trade durability for speed.
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous=OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA synchronous=FULL`)

	var base int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&base); err != nil {
		return err
	}
	actorIDs, err := synthActors(ctx, conn, r, base)
	if err != nil {
		return err
	}
	now := formatTime(s.now())
	const batch = 20000
	for done := 0; done < opt.Events; done += batch {
		n := min(batch, opt.Events-done)
		if err := synthBatch(ctx, conn, r, base+done, n, actorIDs, now); err != nil {
			return fmt.Errorf("timeline: synthesize: %w", err)
		}
		if opt.Progress != nil {
			opt.Progress(done + n)
		}
	}
	if _, err := conn.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'data_version'`); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `ANALYZE`)
	return err
}

type synthActor struct {
	id   int64
	name string
	ja   string
}

func synthActors(ctx context.Context, conn *sql.Conn, r *rand.Rand, base int) ([]synthActor, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	kinds := []string{"person", "person", "person", "organization", "state"}
	countries := []string{"JP", "KP", "KR", "US", "CN", "RU"}
	out := make([]synthActor, 0, 2000)
	for i := range 2000 {
		name := synthName(r) + " " + synthName(r)
		slug := fmt.Sprintf("synth-actor-%d-%d", base, i)
		ja := ""
		if i%3 == 0 {
			ja = synthJA[r.IntN(len(synthJA))][:6] + "氏"
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO actors (slug, name, name_ja, name_ko, kind, country) VALUES (?,?,?,?,?,?)`,
			slug, name, ja, "", kinds[r.IntN(len(kinds))], countries[r.IntN(len(countries))])
		if err != nil {
			return nil, err
		}
		id, _ := res.LastInsertId()
		out = append(out, synthActor{id: id, name: name, ja: ja})
	}
	return out, tx.Commit()
}

func synthName(r *rand.Rand) string {
	var b strings.Builder
	for range 2 + r.IntN(2) {
		b.WriteString(synthSyll[r.IntN(len(synthSyll))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

func synthBatch(ctx context.Context, conn *sql.Conn, r *rand.Rand, offset, n int, actors []synthActor, now string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	prep := func(q string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, q) }
	insEvent, err := prep(`INSERT INTO events (id, slug, start, "end", lo, hi, prec, year, approximate, title, title_ja, title_ko,
		summary, body, category, significance, location, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`)
	if err != nil {
		return err
	}
	insActor, err := prep(`INSERT OR IGNORE INTO event_actors (event_id, actor_id, position, role) VALUES (?,?,?,?)`)
	if err != nil {
		return err
	}
	insTag, err := prep(`INSERT OR IGNORE INTO event_tags (event_id, tag, position) VALUES (?,?,?)`)
	if err != nil {
		return err
	}
	insSource, err := prep(`INSERT INTO sources (event_id, position, publisher, title, url, date, language, note) VALUES (?,?,?,?,?,?,?,'')`)
	if err != nil {
		return err
	}
	insFTS, err := prep(`INSERT INTO events_fts (rowid, title, words, grams) VALUES (?,?,?,?)`)
	if err != nil {
		return err
	}
	for i := range n {
		id := int64(offset + i + 1)
		e := synthEvent(r, id)
		if _, err := insEvent.ExecContext(ctx, id, e.Slug, e.Start.String(), e.End.String(), e.Earliest(), e.Latest(), e.Start.Precision(), e.Start.Year,
			e.Approximate, e.Title, e.TitleJA, e.TitleKO, e.Summary, "", string(e.Category), e.Significance, e.Location, now, now); err != nil {
			return err
		}
		var names []string
		for j := range 1 + r.IntN(3) {
			// A skewed pick: low-numbered actors take part far more often.
			a := actors[int(float64(len(actors))*r.Float64()*r.Float64())]
			if _, err := insActor.ExecContext(ctx, id, a.id, j, "participant"); err != nil {
				return err
			}
			names = append(names, a.name, a.ja)
		}
		for j, t := range e.Tags {
			if _, err := insTag.ExecContext(ctx, id, t, j); err != nil {
				return err
			}
		}
		for j, src := range e.Sources {
			if _, err := insSource.ExecContext(ctx, id, j, src.Publisher, src.Title, src.URL, src.Date.String(), src.Language); err != nil {
				return err
			}
		}
		doc := searchDoc(&e, names)
		if _, err := insFTS.ExecContext(ctx, id, doc.title, doc.words, doc.grams); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func synthEvent(r *rand.Rand, id int64) Event {
	year := 1945 + r.IntN(81)
	var start Date
	switch p := r.IntN(20); {
	case p < 12:
		m := 1 + r.IntN(12)
		start = Date{Year: year, Month: m, Day: 1 + r.IntN(daysIn(year, m))}
	case p < 17:
		start = Date{Year: year, Month: 1 + r.IntN(12)}
	default:
		start = Date{Year: year}
	}
	var end Date
	if r.IntN(10) == 0 {
		end = (start.Latest() + Day(r.IntN(3)*100+r.IntN(2)*10000)).Date()
		if end.Month > 12 || end.Day > daysIn(end.Year, end.Month) || end.Latest() < start.Latest() || end.Year > MaxYear {
			end = Date{}
		}
	}
	place := synthPlaces[r.IntN(len(synthPlaces))]
	title := fmt.Sprintf("%s %s %s in %s", synthName(r), synthVerbs[r.IntN(len(synthVerbs))], synthObjects[r.IntN(len(synthObjects))], place)
	summary := fmt.Sprintf("Officials of Japan and North Korea dealt with %s; %s %s the outcome.", synthObjects[r.IntN(len(synthObjects))], synthName(r), synthVerbs[r.IntN(len(synthVerbs))])
	if r.IntN(20) == 0 {
		summary = strings.Replace(summary, "Japan", "the two sides", 1) // the few events without "japan"
	}
	if r.IntN(10000) == 0 {
		summary += " Delegates met again in Zanzibar."
	}
	e := Event{
		Slug:         fmt.Sprintf("synth-%d", id),
		Start:        start,
		End:          end,
		Approximate:  r.IntN(20) == 0,
		Title:        title,
		Summary:      summary,
		Category:     Categories[r.IntN(len(Categories))],
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
		e.Tags = append(e.Tags, fmt.Sprintf("topic-%d", r.IntN(200)))
	}
	for j := range 1 + r.IntN(2) {
		e.Sources = append(e.Sources, Source{Publisher: synthPubs[r.IntN(len(synthPubs))], Title: fmt.Sprintf("Report %d-%d", id, j), Date: start, Language: "en"})
	}
	return e
}
