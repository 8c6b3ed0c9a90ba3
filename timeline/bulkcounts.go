package timeline

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"
)

// bulkCounts is what the count tables gain from the events BulkLoad
// writes, gathered as the events are made. The tables are then added to in
// one pass of sorted rows, instead of being rebuilt by grouping every event
// and its actors and tags in SQL, which took about half of a bulk load of a
// million events. Per-month counts of actors and tags are kept as dense
// arrays indexed by the actor's or tag's position (a month of a million
// events over 80 years uses all 2,000 actors), a few megabytes in all.
type bulkCounts struct {
	actorIdx map[int64]int // actor id → position
	actorIDs []int64
	tagIdx   map[string]int
	tags     []string

	yearCat    map[yearCatKey]int
	month      map[monthKey]int
	cross      map[crossKey]int
	monthActor map[int][]int32 // month (YYYYMM) → count per actor position
	crossActor map[int][]int32
	monthTag   map[int][]int32 // month → count per tag position (grown as tags come)
	crossTag   map[int][]int32
	maxSpan    int // the longest span in days
}

type yearCatKey struct {
	year int
	cat  Category
}

type monthKey struct {
	month int
	cat   Category
	sig   int
}

type crossKey struct {
	month, year int
	cat         Category
	sig         int
}

func newBulkCounts() *bulkCounts {
	return &bulkCounts{actorIdx: map[int64]int{}, tagIdx: map[string]int{}, yearCat: map[yearCatKey]int{},
		month: map[monthKey]int{}, cross: map[crossKey]int{}, monthActor: map[int][]int32{}, crossActor: map[int][]int32{},
		monthTag: map[int][]int32{}, crossTag: map[int][]int32{}}
}

// add counts one live event, starting on lo and ending on hi, with its
// actors (ids, duplicates counted once, as event_actors keeps them) and
// tags.
func (c *bulkCounts) add(lo, hi Day, cat Category, sig int, actors []int64, tags []string) {
	year, m := int(lo)/10000, int(lo)/100
	c.yearCat[yearCatKey{year, cat}]++
	c.month[monthKey{m, cat, sig}]++
	last := int(hi) / 100
	for cm := nextMonth(m); cm <= last; cm = nextMonth(cm) {
		c.cross[crossKey{cm, year, cat, sig}]++
	}
	for i, id := range actors {
		if slices.Contains(actors[:i], id) {
			continue
		}
		p, ok := c.actorIdx[id]
		if !ok {
			p = len(c.actorIDs)
			c.actorIdx[id] = p
			c.actorIDs = append(c.actorIDs, id)
		}
		bump(c.monthActor, m, p)
		for cm := nextMonth(m); cm <= last; cm = nextMonth(cm) {
			bump(c.crossActor, cm, p)
		}
	}
	for i, t := range tags {
		if slices.Contains(tags[:i], t) {
			continue
		}
		p, ok := c.tagIdx[t]
		if !ok {
			p = len(c.tags)
			c.tagIdx[t] = p
			c.tags = append(c.tags, t)
		}
		bump(c.monthTag, m, p)
		for cm := nextMonth(m); cm <= last; cm = nextMonth(cm) {
			bump(c.crossTag, cm, p)
		}
	}
	if hi > lo {
		span := int(dayTime(hi).Sub(dayTime(lo)) / (24 * time.Hour))
		c.maxSpan = max(c.maxSpan, span)
	}
}

func dayTime(d Day) time.Time {
	return time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, time.UTC)
}

// bump adds one to position p of month m's counts.
func bump(counts map[int][]int32, m, p int) {
	row := counts[m]
	if p >= len(row) {
		row = append(row, make([]int32, p+1-len(row))...)
		counts[m] = row
	}
	row[p]++
}

// write adds the counts to the tables, in primary-key order.
func (c *bulkCounts) write(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	upsert := func(table, cols string, width int) *bulkInsert {
		b := newBulkInsert(ctx, tx, "INSERT INTO "+table+" ("+cols+") VALUES ", width)
		b.suffix = " ON CONFLICT DO UPDATE SET n = n + excluded.n"
		return b
	}
	// Actors and tags in the order of their keys: ids, and tag names.
	actorOrder := make([]int, len(c.actorIDs))
	for i := range actorOrder {
		actorOrder[i] = i
	}
	slices.SortFunc(actorOrder, func(a, b int) int { return cmp.Compare(c.actorIDs[a], c.actorIDs[b]) })
	tagOrder := make([]int, len(c.tags))
	for i := range tagOrder {
		tagOrder[i] = i
	}
	slices.SortFunc(tagOrder, func(a, b int) int { return cmp.Compare(c.tags[a], c.tags[b]) })

	b := upsert("facet_year_category", "year, category, n", 3)
	for _, k := range slices.SortedFunc(maps.Keys(c.yearCat), func(a, b yearCatKey) int { return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.cat, b.cat)) }) {
		if err := b.add(k.year, string(k.cat), c.yearCat[k]); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	b = upsert("facet_month", "month, category, significance, n", 4)
	for _, k := range slices.SortedFunc(maps.Keys(c.month), func(a, b monthKey) int {
		return cmp.Or(cmp.Compare(a.month, b.month), cmp.Compare(a.cat, b.cat), cmp.Compare(a.sig, b.sig))
	}) {
		if err := b.add(k.month, string(k.cat), k.sig, c.month[k]); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	b = upsert("facet_cross", "month, year, category, significance, n", 5)
	for _, k := range slices.SortedFunc(maps.Keys(c.cross), func(a, b crossKey) int {
		return cmp.Or(cmp.Compare(a.month, b.month), cmp.Compare(a.year, b.year), cmp.Compare(a.cat, b.cat), cmp.Compare(a.sig, b.sig))
	}) {
		if err := b.add(k.month, k.year, string(k.cat), k.sig, c.cross[k]); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	// grouped writes per-month counts (and, given a year table, per-year
	// sums of them), and returns the totals per position.
	grouped := func(counts map[int][]int32, order []int, key func(p int) any, table, yearTable, col string, n int) ([]int, error) {
		total := make([]int, n)
		months := slices.Sorted(maps.Keys(counts))
		b := upsert(table, "month, "+col+", n", 3)
		var yb *bulkInsert
		if yearTable != "" {
			yb = upsert(yearTable, "year, "+col+", n", 3)
		}
		year := make([]int, n)
		flushYear := func(y int) error {
			for _, p := range order {
				if year[p] != 0 {
					if err := yb.add(y, key(p), year[p]); err != nil {
						return err
					}
					year[p] = 0
				}
			}
			return nil
		}
		for i, m := range months {
			row := counts[m]
			for _, p := range order {
				if p < len(row) && row[p] != 0 {
					if err := b.add(m, key(p), int(row[p])); err != nil {
						return nil, err
					}
					total[p] += int(row[p])
					year[p] += int(row[p])
				}
			}
			if yb != nil && (i == len(months)-1 || months[i+1]/100 != m/100) {
				if err := flushYear(m / 100); err != nil {
					return nil, err
				}
			}
		}
		if err := b.flush(); err != nil {
			return nil, err
		}
		if yb != nil {
			return total, yb.flush()
		}
		return total, nil
	}
	actorKey := func(p int) any { return c.actorIDs[p] }
	tagKey := func(p int) any { return c.tags[p] }
	actorN, err := grouped(c.monthActor, actorOrder, actorKey, "facet_month_actor", "facet_year_actor", "actor_id", len(c.actorIDs))
	if err != nil {
		return err
	}
	tagN, err := grouped(c.monthTag, tagOrder, tagKey, "facet_month_tag", "facet_year_tag", "tag", len(c.tags))
	if err != nil {
		return err
	}
	if _, err := grouped(c.crossActor, actorOrder, actorKey, "facet_cross_actor", "", "actor_id", len(c.actorIDs)); err != nil {
		return err
	}
	if _, err := grouped(c.crossTag, tagOrder, tagKey, "facet_cross_tag", "", "tag", len(c.tags)); err != nil {
		return err
	}
	for _, t := range []struct {
		table, col string
		order      []int
		n          []int
		key        func(int) any
	}{{"facet_actor", "actor_id", actorOrder, actorN, actorKey}, {"facet_tag", "tag", tagOrder, tagN, tagKey}} {
		b := upsert(t.table, t.col+", n", 2)
		for _, p := range t.order {
			if t.n[p] != 0 {
				if err := b.add(t.key(p), t.n[p]); err != nil {
					return err
				}
			}
		}
		if err := b.flush(); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = MAX(value, ?) WHERE key = 'max_span_days'`, c.maxSpan); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("timeline: bulk load: counts: %w", err)
	}
	return nil
}
