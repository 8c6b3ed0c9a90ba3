package timeline

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Packed counts (migration 0016_facet_packs). A pack is what a set of
// events adds to a filter's counts: per start year × category ×
// significance, per actor and per tag, as one value. facet_packs keeps, per
// month, the pack of the events starting in it and of those crossing into
// it, and per day, the pack of the events starting on it and of those
// ending on it. The events a range [F, T] selects (lo <= T, hi >= F) are
// then, with M the month of F,
//
//	crossing into M + starting from M's first day to T − ending from M's first day to F−1
//
// (an event ending before F began before F: it is in one of the first
// two), and the starts to T are whole months' packs and the days of T's
// month up to T (or the month less the days after T). So a month's counts
// are about twenty rows of packs, decoded in Go, instead of a thousand
// rows of count tables and the hundreds of events at its two ends.

// packCat is a key of a pack's first part.
type packCat struct {
	year int
	cat  Category
	sig  int
}

// packBuild gathers one pack's counts.
type packBuild struct {
	cats   map[packCat]int
	actors map[int64]int
	tags   map[string]int
}

func newPackBuild() *packBuild {
	return &packBuild{cats: map[packCat]int{}, actors: map[int64]int{}, tags: map[string]int{}}
}

// addEvent counts one event of facet_events: its start year, category,
// significance, and actors' ids and tags (comma-separated).
func (b *packBuild) addEvent(year int, cat Category, sig int, actors, tags string) error {
	b.cats[packCat{year, cat, sig}]++
	for k := range strings.SplitSeq(actors, ",") {
		if k == "" {
			continue
		}
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fmt.Errorf("actor id %q: %w", k, err)
		}
		b.actors[id]++
	}
	for k := range strings.SplitSeq(tags, ",") {
		if k != "" {
			b.tags[k]++
		}
	}
	return nil
}

// encode writes the pack (see appendPack).
func (b *packBuild) encode() []byte {
	if b == nil {
		return []byte{}
	}
	var cats []catCount
	for k, n := range b.cats {
		cats = append(cats, catCount{k, n})
	}
	var actors []actorCount
	for id, n := range b.actors {
		actors = append(actors, actorCount{id, n})
	}
	var tags []tagCount
	for t, n := range b.tags {
		tags = append(tags, tagCount{t, n})
	}
	return appendPack(nil, cats, actors, tags)
}

type catCount struct {
	k packCat
	n int
}

type actorCount struct {
	id int64
	n  int
}

type tagCount struct {
	tag string
	n   int
}

// appendPack writes a pack: the number of (year, category, significance)
// counts, then each as year, category (length and bytes), significance and
// count; the number of actors, then each as the difference of its id from
// the one before (ascending) and its count; the number of tags, then each
// as its length, bytes and count. All numbers are unsigned varints; zero
// counts are left out, and the entries are sorted. An empty pack is empty.
// It sorts its arguments.
func appendPack(out []byte, cats []catCount, actors []actorCount, tags []tagCount) []byte {
	cats = slices.DeleteFunc(cats, func(c catCount) bool { return c.n == 0 })
	actors = slices.DeleteFunc(actors, func(a actorCount) bool { return a.n == 0 })
	tags = slices.DeleteFunc(tags, func(t tagCount) bool { return t.n == 0 })
	if len(cats)+len(actors)+len(tags) == 0 {
		if out == nil {
			return []byte{}
		}
		return out
	}
	slices.SortFunc(cats, func(x, y catCount) int {
		return cmp.Or(cmp.Compare(x.k.year, y.k.year), cmp.Compare(x.k.cat, y.k.cat), cmp.Compare(x.k.sig, y.k.sig))
	})
	byID := func(x, y actorCount) int { return cmp.Compare(x.id, y.id) }
	if !slices.IsSortedFunc(actors, byID) {
		slices.SortFunc(actors, byID)
	}
	slices.SortFunc(tags, func(x, y tagCount) int { return cmp.Compare(x.tag, y.tag) })
	out = binary.AppendUvarint(out, uint64(len(cats)))
	for _, c := range cats {
		out = binary.AppendUvarint(out, uint64(c.k.year))
		out = binary.AppendUvarint(out, uint64(len(c.k.cat)))
		out = append(out, c.k.cat...)
		out = binary.AppendUvarint(out, uint64(c.k.sig))
		out = binary.AppendUvarint(out, uint64(c.n))
	}
	out = binary.AppendUvarint(out, uint64(len(actors)))
	var prev int64
	for _, a := range actors {
		out = binary.AppendUvarint(out, uint64(a.id-prev))
		out = binary.AppendUvarint(out, uint64(a.n))
		prev = a.id
	}
	out = binary.AppendUvarint(out, uint64(len(tags)))
	for _, t := range tags {
		out = binary.AppendUvarint(out, uint64(len(t.tag)))
		out = append(out, t.tag...)
		out = binary.AppendUvarint(out, uint64(t.n))
	}
	return out
}

// packTally sums packs, each with a sign.
type packTally struct {
	cats    map[packCat]int
	actors  []int32       // by actor id, for ids below denseActors
	far     map[int64]int // the others
	tagIdx  map[string]int
	tagN    []int
	tagName []string
}

// denseActors bounds the ids counted in a slice (a quarter of a megabyte
// at most); larger ids go to a map.
const denseActors = 1 << 16

func newPackTally() *packTally {
	return &packTally{cats: make(map[packCat]int, 256), far: map[int64]int{}, tagIdx: make(map[string]int, 256)}
}

var errPack = errors.New("timeline: facets: malformed pack")

// add adds a pack's counts times sign.
func (t *packTally) add(p []byte, sign int) error {
	if len(p) == 0 {
		return nil
	}
	next := func() uint64 {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			p = nil
			return 0
		}
		p = p[n:]
		return v
	}
	bytesOf := func() []byte {
		n := next()
		if n > uint64(len(p)) {
			p = nil
			return nil
		}
		b := p[:n]
		p = p[n:]
		return b
	}
	for range next() {
		year := int(next())
		cat := categoryOf(bytesOf())
		sig := int(next())
		t.cats[packCat{year, cat, sig}] += sign * int(next())
	}
	var id int64
	for range next() {
		id += int64(next())
		n := int(next())
		if id < denseActors {
			if int(id) >= len(t.actors) {
				t.actors = append(t.actors, make([]int32, min(max(int(id)+1, 2*len(t.actors)), denseActors)-len(t.actors))...)
			}
			t.actors[id] += int32(sign * n)
		} else {
			t.far[id] += sign * n
		}
	}
	for range next() {
		tag := bytesOf()
		n := sign * int(next())
		if i, ok := t.tagIdx[string(tag)]; ok {
			t.tagN[i] += n
			continue
		}
		t.tagIdx[string(tag)] = len(t.tagN)
		t.tagN = append(t.tagN, n)
		t.tagName = append(t.tagName, string(tag))
	}
	if p == nil {
		return errPack
	}
	return nil
}

// encode writes the sums as a pack (appendPack).
func (t *packTally) encode() []byte {
	var cats []catCount
	for k, n := range t.cats {
		cats = append(cats, catCount{k, n})
	}
	var actors []actorCount
	for id, n := range t.actors {
		actors = append(actors, actorCount{int64(id), int(n)})
	}
	for id, n := range t.far {
		actors = append(actors, actorCount{id, n})
	}
	var tags []tagCount
	for i, n := range t.tagN {
		tags = append(tags, tagCount{t.tagName[i], n})
	}
	return appendPack(nil, cats, actors, tags)
}

// categoryOf is the shipped constant a category's bytes name, without
// making a string of them when there is one.
func categoryOf(b []byte) Category {
	for _, c := range Categories {
		if string(c) == string(b) {
			return c
		}
	}
	return Category(b)
}

// packUse is a pack read for a range: the row's key, which of its two
// values, and the sign it is counted with.
type packUse struct {
	key  int
	b    bool // the second value (crossing or ends) rather than the first (starts)
	sign int
}

// maxPackRows bounds the packs a range may read (a decade from any day to
// any day reads about ninety); longer ranges, and ranges without a start
// or an end, sum the count tables (facetsByTables).
const maxPackRows = 120

// packPlanOf lists the packs of a range that monthPlanOf accepted, with M
// the month of its first day F and T its last: the crossing counts of M;
// the starts from M's first day to T, as whole years and months (buckets,
// a year being a year's pack less the months outside the range, or the
// months) and either T's month less its days after T or its days up to T,
// whichever reads fewer days; and the ends of M's days before F. ok is
// false when that is more than maxPackRows packs.
func packPlanOf(p monthPlan) (_ []packUse, ok bool) {
	if p.from == 0 || p.to >= (Date{Year: MaxYear}).Latest() {
		return nil, false
	}
	m, last := p.fromMonth, int(p.to)/100
	uses := []packUse{{m, true, 1}}
	days := func(a, b Day, useB bool, sign int) {
		for d := a; d <= b; d++ {
			uses = append(uses, packUse{int(d), useB, sign})
		}
	}
	months := monthPlan{ms: m, me: last}
	if end := monthLast(last); p.to != end {
		if day := int(p.to % 100); 2*day >= int(end%100) {
			days(p.to+1, end, false, -1) // T's month less its days after T
		} else {
			months.me = prevMonth(last) // the months before T's, and its days to T
			days(Day(last*100+1), p.to, false, 1)
		}
	}
	if months.me/100-months.ms/100 > maxPackRows {
		return nil, false
	}
	for _, b := range months.buckets() {
		if b.year {
			for y := b.a; y <= b.b; y++ {
				uses = append(uses, packUse{y, false, b.sign})
			}
			continue
		}
		for mm := b.a; mm <= b.b; mm = nextMonth(mm) {
			uses = append(uses, packUse{mm, false, b.sign})
		}
	}
	days(Day(m*100+1), p.from-1, true, -1) // M's days before F: their ends
	if len(uses) > maxPackRows {
		return nil, false
	}
	return uses, true
}

// packRead reads the packs a range uses, given as a JSON array of [key,
// value (0 starts, 1 crossing or ends), sign], in one query; a last row of
// key 0 says that a write outside the store's write path left packs stale
// (the count tables then answer).
const packRead = `SELECT j.value ->> 1, j.value ->> 2, CASE j.value ->> 1 WHEN 0 THEN p.a ELSE p.b END
	FROM json_each(?) j JOIN facet_packs p ON p.key = j.value ->> 0
	UNION ALL SELECT 0, 0, NULL WHERE EXISTS (SELECT 1 FROM facet_pack_stale)`

func (s *Store) sumPacks(ctx context.Context, uses []packUse) (_ *packTally, ok bool, err error) {
	list := []byte{'['}
	for i, u := range uses {
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, '[')
		list = strconv.AppendInt(list, int64(u.key), 10)
		if u.b {
			list = append(list, ",1,"...)
		} else {
			list = append(list, ",0,"...)
		}
		list = strconv.AppendInt(list, int64(u.sign), 10)
		list = append(list, ']')
	}
	rows, err := readPool{s}.QueryContext(ctx, packRead, string(append(list, ']')))
	if err != nil {
		return nil, false, fmt.Errorf("timeline: facets: %w", err)
	}
	t := newPackTally()
	stale := false
	err = scanAll(rows, func() error {
		var part, sign int
		var pack sql.RawBytes
		if err := rows.Scan(&part, &sign, &pack); err != nil {
			return err
		}
		if sign == 0 {
			stale = true
			return nil
		}
		return t.add(pack, sign)
	})
	if err != nil {
		return nil, false, fmt.Errorf("timeline: facets: %w", err)
	}
	return t, !stale, nil
}

// facetsByPacks is facetsByMonth from packs; ok is false when the packs
// cannot answer (see sumPacks).
func (s *Store) facetsByPacks(ctx context.Context, f Filter, uses []packUse) (_ Facets, ok bool, err error) {
	t, ok, err := s.sumPacks(ctx, uses)
	if err != nil || !ok {
		return Facets{}, false, err
	}
	var out Facets
	years := map[int]map[Category]int{}
	catN := map[Category]int{}
	for k, n := range t.cats {
		if n == 0 || k.sig < f.MinSignificance {
			continue
		}
		catN[k.cat] += n
		if len(f.Categories) > 0 && !slices.Contains(f.Categories, k.cat) {
			continue
		}
		if years[k.year] == nil {
			years[k.year] = map[Category]int{}
		}
		years[k.year][k.cat] += n
	}
	for _, y := range slices.Sorted(maps.Keys(years)) {
		yc := YearCount{Year: y, ByCategory: map[Category]int{}}
		for c, n := range years[y] {
			if n != 0 {
				yc.ByCategory[c] = n
				yc.Total += n
			}
		}
		if yc.Total > 0 {
			out.Years = append(out.Years, yc)
			out.Total += yc.Total
		}
	}
	for _, c := range Categories {
		out.Categories = append(out.Categories, Count{Value: string(c), Label: c.Label(), N: catN[c]})
	}
	if len(f.Categories) > 0 || f.MinSignificance > 0 {
		// Packs count actors and tags over every category and
		// significance: these are counted from the events.
		if out.Actors, out.Tags, err = s.groupsCounted(ctx, f); err != nil {
			return Facets{}, false, err
		}
		return out, true, nil
	}
	ids := topKeys(func(yield func(int64, int) bool) {
		for id, n := range t.actors {
			if n != 0 && !yield(int64(id), int(n)) {
				return
			}
		}
		for id, n := range t.far {
			if !yield(id, n) {
				return
			}
		}
	})
	actorN := func(id int64) int {
		if id < int64(len(t.actors)) {
			return int(t.actors[id])
		}
		return t.far[id]
	}
	if out.Actors, err = s.topActorIDs(ctx, ids, actorN); err != nil {
		return Facets{}, false, err
	}
	for _, k := range topKeys(func(yield func(string, int) bool) {
		for i, n := range t.tagN {
			if !yield(t.tagName[i], n) {
				return
			}
		}
	}) {
		out.Tags = append(out.Tags, Count{Value: k, Label: k, N: t.tagN[t.tagIdx[k]]})
	}
	out.Tags = out.Tags[:min(len(out.Tags), FacetLimit)]
	return out, true, nil
}

// packQuerier is a transaction or a connection.
type packQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// wholeRebuildMonths is how many months a write may leave stale for their
// packs to be rebuilt month by month (about 5 ms each at a million events);
// past that (a large import) they are all rebuilt in one pass (3 s).
var wholeRebuildMonths = 300

// refreshPacks rebuilds the packs marked stale, month by month (or all of
// them, when more than wholeRebuildMonths months are stale): the
// month's starts from its events in facet_events, its crossing counts from
// facet_cross*, and its stale days' starts and ends from its events and
// those that end in it (facet_events_multi_end). Called before every
// write transaction commits, it costs one empty read when nothing is
// stale.
func refreshPacks(ctx context.Context, q *sql.Tx) error {
	rows, err := q.QueryContext(ctx, `SELECT key FROM facet_pack_stale ORDER BY key`)
	if err != nil {
		return err
	}
	type work struct {
		month bool
		days  map[Day]bool
	}
	months := map[int]*work{}
	var years []int
	err = scanAll(rows, func() error {
		var key int
		if err := rows.Scan(&key); err != nil {
			return err
		}
		if key < 10000 {
			years = append(years, key)
			return nil
		}
		m, day := key, false
		if key >= 1_000_000 {
			m, day = key/100, true
		}
		w := months[m]
		if w == nil {
			w = &work{days: map[Day]bool{}}
			months[m] = w
		}
		if day {
			w.days[Day(key)] = true
		} else {
			w.month = true
		}
		return nil
	})
	if err != nil || len(months)+len(years) == 0 {
		return err
	}
	if len(months) > wholeRebuildMonths {
		return rebuildPacks(ctx, q)
	}
	for _, m := range slices.Sorted(maps.Keys(months)) {
		w := months[m]
		if err := refreshMonth(ctx, q, m, w.month, w.days); err != nil {
			return fmt.Errorf("timeline: refresh packs of %d: %w", m, err)
		}
	}
	// A year's starts are its months' (rebuilt above when stale).
	for _, y := range years {
		rows, err := q.QueryContext(ctx, `SELECT a FROM facet_packs WHERE key BETWEEN ? AND ?`, y*100+1, y*100+12)
		if err != nil {
			return err
		}
		t := newPackTally()
		err = scanAll(rows, func() error {
			var a sql.RawBytes
			if err := rows.Scan(&a); err != nil {
				return err
			}
			return t.add(a, 1)
		})
		if err != nil {
			return fmt.Errorf("timeline: refresh packs of %d: %w", y, err)
		}
		if a := t.encode(); len(a) > 0 {
			_, err = q.ExecContext(ctx, `INSERT OR REPLACE INTO facet_packs (key, a, b) VALUES (?, ?, x'')`, y, a)
		} else {
			_, err = q.ExecContext(ctx, `DELETE FROM facet_packs WHERE key = ?`, y)
		}
		if err != nil {
			return err
		}
	}
	_, err = q.ExecContext(ctx, `DELETE FROM facet_pack_stale`)
	return err
}

func refreshMonth(ctx context.Context, q packQuerier, m int, month bool, days map[Day]bool) error {
	first, last := Day(m*100), Day(m*100+99)
	var starts, cross *packBuild
	dayStarts, dayEnds := map[Day]*packBuild{}, map[Day]*packBuild{}
	pack := func(in map[Day]*packBuild, d Day) *packBuild {
		if in[d] == nil {
			in[d] = newPackBuild()
		}
		return in[d]
	}
	read := func(query string) error {
		rows, err := q.QueryContext(ctx, query, first, last)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var lo, hi Day
			var sig int
			var cat, actors, tags string
			if err := rows.Scan(&lo, &hi, &cat, &sig, &actors, &tags); err != nil {
				return err
			}
			c, y := categoryIn(cat), int(lo)/10000
			var into []*packBuild
			if lo >= first && lo <= last {
				if month {
					into = append(into, starts)
				}
				if days[lo] {
					into = append(into, pack(dayStarts, lo))
				}
			}
			if hi >= first && hi <= last && days[hi] {
				into = append(into, pack(dayEnds, hi))
			}
			for _, b := range into {
				if err := b.addEvent(y, c, sig, actors, tags); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if month {
		starts = newPackBuild()
	}
	// The month's events: their starts, and the ends of those ending in it.
	if err := read(`SELECT lo, hi, category, significance, actors, tags FROM facet_events WHERE lo BETWEEN ?1 AND ?2`); err != nil {
		return err
	}
	if len(days) > 0 {
		// The events from earlier months ending in this one.
		if err := read(`SELECT lo, hi, category, significance, actors, tags FROM facet_events INDEXED BY facet_events_multi_end
			WHERE hi BETWEEN ?1 AND ?2 AND hi / 100 > lo / 100 AND lo < ?1`); err != nil {
			return err
		}
	}
	if month {
		cross = newPackBuild()
		rows, err := q.QueryContext(ctx, `SELECT year, category, significance, n FROM facet_cross WHERE month = ? AND n <> 0`, m)
		if err != nil {
			return err
		}
		err = scanAll(rows, func() error {
			var k packCat
			var cat string
			var n int
			if err := rows.Scan(&k.year, &cat, &k.sig, &n); err != nil {
				return err
			}
			k.cat = categoryIn(cat)
			cross.cats[k] += n
			return nil
		})
		if err != nil {
			return err
		}
		if rows, err = q.QueryContext(ctx, `SELECT actor_id, n FROM facet_cross_actor WHERE month = ? AND n <> 0`, m); err != nil {
			return err
		}
		err = scanAll(rows, func() error {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			cross.actors[id] += n
			return nil
		})
		if err != nil {
			return err
		}
		if rows, err = q.QueryContext(ctx, `SELECT tag, n FROM facet_cross_tag WHERE month = ? AND n <> 0`, m); err != nil {
			return err
		}
		err = scanAll(rows, func() error {
			var tag string
			var n int
			if err := rows.Scan(&tag, &n); err != nil {
				return err
			}
			cross.tags[tag] += n
			return nil
		})
		if err != nil {
			return err
		}
	}
	put := func(key int, a, b *packBuild) error {
		ea, eb := a.encode(), b.encode()
		if len(ea) == 0 && len(eb) == 0 {
			_, err := q.ExecContext(ctx, `DELETE FROM facet_packs WHERE key = ?`, key)
			return err
		}
		_, err := q.ExecContext(ctx, `INSERT OR REPLACE INTO facet_packs (key, a, b) VALUES (?, ?, ?)`, key, ea, eb)
		return err
	}
	if month {
		if err := put(m, starts, cross); err != nil {
			return err
		}
	}
	for _, d := range slices.Sorted(maps.Keys(days)) {
		if err := put(int(d), dayStarts[d], dayEnds[d]); err != nil {
			return err
		}
	}
	return nil
}
