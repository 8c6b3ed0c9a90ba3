package timeline

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// rebuildPacks builds every pack in one pass over facet_events, a year at
// a time in start order (for migration 0016, BulkLoad, and the rebuild of
// the counts): the crossing counts of a month are kept as a running sum
// (the events crossing into the month before, plus those starting in it
// that run on, less those that ended in it), so that each event is added
// and taken away once, however many months it spans. refreshMonth builds
// the same packs from the count tables, a month at a time, for the few
// months a write changes; the oracle test holds both to the plain count.
func rebuildPacks(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{`DELETE FROM facet_packs`, `DELETE FROM facet_pack_stale`} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("timeline: rebuild packs: %w", err)
		}
	}
	var first, last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MIN(lo), MAX(hi) FROM facet_events`).Scan(&first, &last); err != nil {
		return fmt.Errorf("timeline: rebuild packs: %w", err)
	}
	if !first.Valid {
		return nil
	}
	st := &packStream{tagIdx: map[string]int32{}, ends: map[Day]*denseBuild{}, leave: map[int][]*streamEvent{},
		out: newBulkInsert(ctx, tx, "INSERT INTO facet_packs (key, a, b) VALUES ", 3)}
	st.running = st.build()
	starts, year := st.build(), st.build()
	var evs []*streamEvent
	for y := int(first.Int64) / 10000; y <= int(last.Int64)/10000; y++ {
		var lines sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT group_concat(lo || ' ' || hi || ' ' || category || ' ' || significance || ' ' || actors || ' ' || tags, char(10))
			FROM facet_events WHERE lo BETWEEN ? AND ?`, y*10000, y*10000+9999).Scan(&lines); err != nil {
			return fmt.Errorf("timeline: rebuild packs: %w", err)
		}
		evs = evs[:0]
		for line := range strings.SplitSeq(lines.String, "\n") {
			if line == "" {
				continue
			}
			e, err := st.parse(line)
			if err != nil {
				return fmt.Errorf("timeline: rebuild packs: %w", err)
			}
			evs = append(evs, e)
		}
		slices.SortStableFunc(evs, func(a, b *streamEvent) int { return cmp.Compare(a.lo, b.lo) })
		for m := y*100 + 1; m <= y*100+12; m++ {
			n := 0
			for n < len(evs) && int(evs[n].lo)/100 == m {
				n++
			}
			for _, e := range evs[:n] {
				year.add(e, 1)
			}
			if err := st.month(m, evs[:n], starts); err != nil {
				return fmt.Errorf("timeline: rebuild packs: %w", err)
			}
			evs = evs[n:]
		}
		if a := year.encode(st.tags); len(a) > 0 {
			if err := st.out.add(y, a, []byte{}); err != nil {
				return fmt.Errorf("timeline: rebuild packs: %w", err)
			}
		}
		year.reset()
	}
	if err := st.out.flush(); err != nil {
		return fmt.Errorf("timeline: rebuild packs: %w", err)
	}
	return nil
}

// streamEvent is an event of facet_events, its tags as positions in
// packStream.tags.
type streamEvent struct {
	lo, hi Day
	cat    Category
	sig    int
	actors []int64
	tags   []int32
}

type packStream struct {
	tagIdx  map[string]int32
	tags    []string
	running *denseBuild            // the events crossing into the month at hand
	leave   map[int][]*streamEvent // by month: running events that end in it
	ends    map[Day]*denseBuild    // by day: the events ending on it so far
	free    []*denseBuild
	out     *bulkInsert
}

func (st *packStream) parse(line string) (*streamEvent, error) {
	lo, rest, ok1 := strings.Cut(line, " ")
	hi, rest, ok2 := strings.Cut(rest, " ")
	cat, rest, ok3 := strings.Cut(rest, " ")
	sig, rest, ok4 := strings.Cut(rest, " ")
	actors, tags, ok5 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return nil, fmt.Errorf("malformed facet_events line %q", line)
	}
	e := &streamEvent{cat: categoryIn(cat)}
	l, err1 := strconv.Atoi(lo)
	h, err2 := strconv.Atoi(hi)
	s, err3 := strconv.Atoi(sig)
	if err := cmp.Or(err1, err2, err3); err != nil {
		return nil, fmt.Errorf("facet_events line %q: %w", line, err)
	}
	e.lo, e.hi, e.sig = Day(l), Day(h), s
	for k := range strings.SplitSeq(actors, ",") {
		if k == "" {
			continue
		}
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("facet_events line %q: %w", line, err)
		}
		e.actors = append(e.actors, id)
	}
	for k := range strings.SplitSeq(tags, ",") {
		if k == "" {
			continue
		}
		i, ok := st.tagIdx[k]
		if !ok {
			i = int32(len(st.tags))
			st.tags = append(st.tags, strings.Clone(k))
			st.tagIdx[st.tags[i]] = i
		}
		e.tags = append(e.tags, i)
	}
	return e, nil
}

func (st *packStream) build() *denseBuild {
	if n := len(st.free); n > 0 {
		b := st.free[n-1]
		st.free = st.free[:n-1]
		return b
	}
	return &denseBuild{cats: map[packCat]int{}, far: map[int64]int{}}
}

func (st *packStream) done(b *denseBuild) {
	b.reset()
	st.free = append(st.free, b)
}

// month writes month m's pack and those of its days, given its events in
// start order, and moves the running crossing counts on to the next month.
func (st *packStream) month(m int, evs []*streamEvent, starts *denseBuild) error {
	cross := st.running.encode(st.tags)
	for _, e := range evs {
		starts.add(e, 1)
		if int(e.hi)/100 > m {
			st.running.add(e, 1)
			st.leave[int(e.hi)/100] = append(st.leave[int(e.hi)/100], e)
		}
		b := st.ends[e.hi]
		if b == nil {
			b = st.build()
			st.ends[e.hi] = b
		}
		b.add(e, 1)
	}
	if a := starts.encode(st.tags); len(a)+len(cross) > 0 {
		if err := st.out.add(m, a, cross); err != nil {
			return err
		}
	}
	starts.reset()
	day := st.build()
	for d := Day(m*100 + 1); d <= Day(m*100+31); d++ {
		for len(evs) > 0 && evs[0].lo == d {
			day.add(evs[0], 1)
			evs = evs[1:]
		}
		a := day.encode(st.tags)
		day.reset()
		var b []byte
		if e := st.ends[d]; e != nil {
			b = e.encode(st.tags)
			delete(st.ends, d)
			st.done(e)
		}
		if len(a)+len(b) > 0 {
			if b == nil {
				b = []byte{}
			}
			if err := st.out.add(int(d), a, b); err != nil {
				return err
			}
		}
	}
	st.done(day)
	for _, e := range st.leave[m] {
		st.running.add(e, -1)
	}
	delete(st.leave, m)
	return nil
}

// denseBuild gathers a pack's counts in slices indexed by actor id and tag
// position, remembering which it touched.
type denseBuild struct {
	cats   map[packCat]int
	actors denseCounts[int64]
	far    map[int64]int // ids from denseActors on
	tags   denseCounts[int32]
}

func (b *denseBuild) add(e *streamEvent, sign int) {
	b.cats[packCat{int(e.lo) / 10000, e.cat, e.sig}] += sign
	for _, id := range e.actors {
		if id >= denseActors || id < 0 {
			b.far[id] += sign
			continue
		}
		b.actors.add(id, int32(sign), denseActors)
	}
	for _, t := range e.tags {
		b.tags.add(t, int32(sign), math.MaxInt)
	}
}

// encode writes the pack (appendPack); the entries that came back to zero
// are forgotten.
func (b *denseBuild) encode(tagNames []string) []byte {
	var cats []catCount
	for k, n := range b.cats {
		if n == 0 {
			delete(b.cats, k)
			continue
		}
		cats = append(cats, catCount{k, n})
	}
	b.actors.dropZeros()
	actors := make([]actorCount, 0, len(b.actors.seen)+len(b.far))
	if 8*len(b.actors.seen) > len(b.actors.n) {
		// Most ids: in order, without sorting them.
		for id, n := range b.actors.n {
			if n != 0 {
				actors = append(actors, actorCount{int64(id), int(n)})
			}
		}
	} else {
		for _, id := range b.actors.seen {
			actors = append(actors, actorCount{id, int(b.actors.n[id])})
		}
	}
	for id, n := range b.far {
		if n == 0 {
			delete(b.far, id)
			continue
		}
		actors = append(actors, actorCount{id, n})
	}
	b.tags.dropZeros()
	tags := make([]tagCount, 0, len(b.tags.seen))
	for _, t := range b.tags.seen {
		tags = append(tags, tagCount{tagNames[t], int(b.tags.n[t])})
	}
	return appendPack(nil, cats, actors, tags)
}

func (b *denseBuild) reset() {
	clear(b.cats)
	clear(b.far)
	b.actors.reset()
	b.tags.reset()
}

// denseCounts counts by small non-negative index in slices, remembering
// which indexes it touched (seen), so that reading and clearing them costs
// what was touched, not the slices' length.
type denseCounts[T int32 | int64] struct {
	n    []int32
	on   []bool // i is in seen
	seen []T
}

// add adds d to i's count, growing the slices (doubling, up to limit
// entries) when i lies past them.
func (c *denseCounts[T]) add(i T, d int32, limit int) {
	if int(i) >= len(c.n) {
		size := min(max(int(i)+1, 2*len(c.n)), limit)
		c.n = append(c.n, make([]int32, size-len(c.n))...)
		c.on = append(c.on, make([]bool, size-len(c.on))...)
	}
	if !c.on[i] {
		c.on[i] = true
		c.seen = append(c.seen, i)
	}
	c.n[i] += d
}

// dropZeros forgets the indexes whose counts came back to zero.
func (c *denseCounts[T]) dropZeros() {
	c.seen = slices.DeleteFunc(c.seen, func(i T) bool {
		if c.n[i] == 0 {
			c.on[i] = false
			return true
		}
		return false
	})
}

func (c *denseCounts[T]) reset() {
	for _, i := range c.seen {
		c.n[i], c.on[i] = 0, false
	}
	c.seen = c.seen[:0]
}
