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
	if s.readOnly {
		return ErrReadOnly
	}
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
	// Set the indexes and triggers of the event tables aside while loading:
	// building them once at the end is far cheaper than keeping them
	// current row by row. They come back whatever happens.
	defs, err := dropDerived(ctx, conn)
	if err != nil {
		return err
	}
	restored := false
	defer func() {
		if !restored {
			restoreDerived(context.Background(), conn, defs)
		}
	}()
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
	restored = true
	if err := restoreDerived(ctx, conn, defs); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, bumpSQL); err != nil {
		return err
	}
	// A synthetic database is for measuring, never for the real chronology:
	// commands that open it must not add the shipped dataset to it.
	if _, err := conn.ExecContext(ctx, `UPDATE meta SET value = 1 WHERE key = 'dataset_loaded'`); err != nil {
		return err
	}
	// Approximate statistics are enough for the planner and take seconds,
	// not minutes, at a million rows.
	_, err = conn.ExecContext(ctx, `PRAGMA analysis_limit=2000; ANALYZE; PRAGMA analysis_limit=0`)
	return err
}

// derivedTables are the tables whose indexes and triggers Synthesize sets aside.
var derivedTables = []any{"events", "event_actors", "event_tags", "sources"}

// dropDerived drops the indexes and triggers of derivedTables and returns
// their definitions, indexes first.
func dropDerived(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (?, ?, ?, ?) ORDER BY type, name`, derivedTables...)
	if err != nil {
		return nil, err
	}
	var defs, drops []string
	for rows.Next() {
		var typ, name, def string
		if err := rows.Scan(&typ, &name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		defs = append(defs, def)
		drops = append(drops, "DROP "+strings.ToUpper(typ)+` "`+name+`"`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, d := range drops {
		if _, err := conn.ExecContext(ctx, d); err != nil {
			restoreDerived(ctx, conn, defs)
			return nil, err
		}
	}
	return defs, nil
}

// restoreDerived rebuilds the counts the triggers keep, then recreates the
// indexes and triggers from their definitions.
func restoreDerived(ctx context.Context, conn *sql.Conn, defs []string) error {
	for _, q := range []string{
		`DELETE FROM facet_year_category`, `DELETE FROM facet_actor`, `DELETE FROM facet_tag`,
		`INSERT INTO facet_year_category (year, category, n)
			SELECT year, category, COUNT(*) FROM events WHERE deleted_at IS NULL GROUP BY year, category`,
		`INSERT INTO facet_actor (actor_id, n)
			SELECT ea.actor_id, COUNT(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE e.deleted_at IS NULL GROUP BY ea.actor_id`,
		`INSERT INTO facet_tag (tag, n)
			SELECT t.tag, COUNT(*) FROM event_tags t JOIN events e ON e.id = t.event_id WHERE e.deleted_at IS NULL GROUP BY t.tag`,
		`UPDATE meta SET value = (SELECT COALESCE(MAX(CAST(
			julianday(printf('%04d-%02d-%02d', hi / 10000, hi / 100 % 100, hi % 100)) -
			julianday(printf('%04d-%02d-%02d', lo / 10000, lo / 100 % 100, lo % 100)) AS INTEGER)), 0) FROM events)
		 WHERE key = 'max_span_days'`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("timeline: rebuild counts: %w", err)
		}
	}
	for _, d := range defs {
		if _, err := conn.ExecContext(ctx, d); err != nil {
			return fmt.Errorf("timeline: recreate %q: %w", d[:min(len(d), 60)], err)
		}
	}
	return nil
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

// bulkInsert gathers rows and writes them many to a statement, which
// saves most of the per-statement cost of the driver.
type bulkInsert struct {
	ctx    context.Context
	tx     *sql.Tx
	prefix string // "INSERT INTO t (a, b) VALUES "
	width  int    // columns per row
	rows   int    // rows gathered
	args   []any
	full   *sql.Stmt   // the statement for a full batch
	parent *bulkInsert // flushed first, so that foreign keys hold
}

const bulkRows = 100

func newBulkInsert(ctx context.Context, tx *sql.Tx, prefix string, width int) *bulkInsert {
	return &bulkInsert{ctx: ctx, tx: tx, prefix: prefix, width: width}
}

func (b *bulkInsert) add(args ...any) error {
	b.args = append(b.args, args...)
	b.rows++
	if b.rows == bulkRows {
		return b.flush()
	}
	return nil
}

func (b *bulkInsert) query(rows int) string {
	row := "(" + placeholders(b.width) + ")"
	return b.prefix + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

func (b *bulkInsert) flush() error {
	if b.rows == 0 {
		return nil
	}
	if b.parent != nil {
		if err := b.parent.flush(); err != nil {
			return err
		}
	}
	var err error
	if b.rows == bulkRows {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(b.ctx, b.query(bulkRows)); err != nil {
				return err
			}
		}
		_, err = b.full.ExecContext(b.ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.query(b.rows), b.args...)
	}
	b.args, b.rows = b.args[:0], 0
	return err
}

func synthBatch(ctx context.Context, conn *sql.Conn, r *rand.Rand, offset, n int, actors []synthActor, now string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	events := newBulkInsert(ctx, tx, `INSERT INTO events (id, slug, start, "end", lo, hi, prec, year, approximate, title, title_ja, title_ko,
		summary, body, category, significance, location, version, created_at, updated_at) VALUES `, 20)
	eventActors := newBulkInsert(ctx, tx, `INSERT OR IGNORE INTO event_actors (event_id, actor_id, position, role) VALUES `, 4)
	tags := newBulkInsert(ctx, tx, `INSERT OR IGNORE INTO event_tags (event_id, tag, position) VALUES `, 3)
	sources := newBulkInsert(ctx, tx, `INSERT INTO sources (event_id, position, publisher, title, url, date, language, note) VALUES `, 8)
	fts := newBulkInsert(ctx, tx, `INSERT INTO events_fts (rowid, title, words, grams) VALUES `, 4)
	eventActors.parent, tags.parent, sources.parent = events, events, events
	for i := range n {
		id := int64(offset + i + 1)
		e := synthEvent(r, id)
		if err := events.add(id, e.Slug, e.Start.String(), e.End.String(), e.Earliest(), e.Latest(), e.Start.Precision(), e.Start.Year,
			e.Approximate, e.Title, e.TitleJA, e.TitleKO, e.Summary, "", string(e.Category), e.Significance, e.Location, 1, now, now); err != nil {
			return err
		}
		var names []string
		for j := range 1 + r.IntN(3) {
			// A skewed pick: low-numbered actors take part far more often.
			a := actors[int(float64(len(actors))*r.Float64()*r.Float64())]
			if err := eventActors.add(id, a.id, j, "participant"); err != nil {
				return err
			}
			names = append(names, a.name, a.ja)
		}
		for j, t := range e.Tags {
			if err := tags.add(id, t, j); err != nil {
				return err
			}
		}
		for j, src := range e.Sources {
			if err := sources.add(id, j, src.Publisher, src.Title, src.URL, src.Date.String(), src.Language, ""); err != nil {
				return err
			}
		}
		doc := searchDoc(&e, names)
		if err := fts.add(id, doc.title, doc.words, doc.grams); err != nil {
			return err
		}
	}
	for _, b := range []*bulkInsert{events, eventActors, tags, sources, fts} {
		if err := b.flush(); err != nil {
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
