package timeline

import (
	"context"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"
)

// A search with a date range is answered by the full-text index alone:
// each event's search row has a fourth column, dates, of words naming the
// time it spans, and the query's words are ANDed with the range's. FTS5
// intersects the two lists of rowids, so the events to read are those
// matching both (a few hundred) rather than every event matching the words
// (tens of thousands at a million events, each a random read of the
// events table).
//
// The words: an event of at most a year (hi - lo <= 10000, as the lists
// split them) has "mYYYYMM" for each month and "yYYYY" for each year it
// touches; a longer one "lYYYY" for each year, or "lopen" past
// maxLongYears. A range asks for its whole years' y words, its other
// months' m words, the l word of each of its years, and lopen: every event
// overlapping it has one of them (an event sharing a day d with the range
// has d's month or year word, or d's l word), so the result is a superset,
// which the range's exact conditions then narrow.

// maxLongYears is how many years an event may touch and still have a word
// for each of them; longer ones (open ends reach from year 1000) have
// "lopen".
const maxLongYears = 200

// maxRangeYears is how many years a range may touch and still be searched
// through the index's date words: past it their lists hold so much of the
// chronology that reading the word's matches costs less.
const maxRangeYears = 40

// keyWords returns the keys column of an event spanning lo to hi with the
// actors (by id) and tags given: its date words, then a word for each
// actor and tag (actorKey, tagKey).
func keyWords(lo, hi Day, actors []int64, tags []string) string {
	var b strings.Builder
	b.WriteString(dateWords(lo, hi))
	for _, id := range actors {
		b.WriteString(" a")
		b.WriteString(strconv.FormatInt(id, 10))
	}
	for _, t := range tags {
		b.WriteString(" t")
		b.WriteString(hex.EncodeToString([]byte(t)))
	}
	return b.String()
}

// actorKey and tagKey are the FTS5 expressions of the events with an actor
// (by id) or a tag: a tag's word is written in hexadecimal, since the
// tokenizer would split "red-cross" in two.
func actorKey(id int64) string { return `keys : "a` + strconv.FormatInt(id, 10) + `"` }
func tagKey(t string) string   { return `keys : "t` + hex.EncodeToString([]byte(t)) + `"` }

// dateWords returns the date words of an event spanning lo to hi.
func dateWords(lo, hi Day) string {
	var b strings.Builder
	ly, hy := int(lo)/10000, int(hi)/10000
	if hi-lo > 10000 {
		if hy-ly >= maxLongYears {
			return "lopen"
		}
		for y := ly; y <= hy; y++ {
			b.WriteString(" l")
			b.WriteString(strconv.Itoa(y))
		}
		return b.String()[1:]
	}
	for y := ly; y <= hy; y++ {
		b.WriteString(" y")
		b.WriteString(strconv.Itoa(y))
	}
	for m := int(lo) / 100; m <= int(hi)/100; m = nextMonth(m) {
		b.WriteString(" m")
		b.WriteString(strconv.Itoa(m))
	}
	return b.String()[1:]
}

// rangeExpr returns the FTS5 expression of the events that may overlap the
// days from to to (see above), or "" when the range touches more than
// maxRangeYears years.
func rangeExpr(from, to Day) string {
	fy, ty := int(from)/10000, int(to)/10000
	if ty-fy >= maxRangeYears || to < from {
		return ""
	}
	var words []string
	for y := fy; y <= ty; y++ {
		first, last := y*100+1, y*100+12
		if y == fy {
			first = int(from) / 100
		}
		if y == ty {
			last = int(to) / 100
		}
		if first == y*100+1 && last == y*100+12 {
			words = append(words, "y"+strconv.Itoa(y))
		} else {
			for m := first; m <= last; m = nextMonth(m) {
				words = append(words, "m"+strconv.Itoa(m))
			}
		}
		words = append(words, "l"+strconv.Itoa(y))
	}
	words = append(words, "lopen")
	return "keys : (" + strings.Join(words, " OR ") + ")"
}

// reindexSearch fills the search index from the live events, a thousand at
// a time in id order, with the rows writeEvent would write, and merges it
// into one segment: the Go step of migration 0014, which made the index
// anew (about 55 s at a million events, once).
func reindexSearch(ctx context.Context, tx *sql.Tx) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events_fts (rowid, title, words, grams, keys) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	type row struct {
		id  int64
		doc ftsDoc
	}
	cols, err := migratingEventColumns(ctx, tx)
	if err != nil {
		return err
	}
	var last int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT `+cols+`,
			COALESCE((SELECT group_concat(tag, char(31) ORDER BY position) FROM event_tags WHERE event_id = e.id), ''),
			COALESCE((SELECT group_concat(a.name || char(31) || a.name_ja || char(31) || a.name_ko, char(31) ORDER BY ea.position)
				FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id), ''),
			COALESCE((SELECT group_concat(actor_id ORDER BY position) FROM event_actors WHERE event_id = e.id), '')
			FROM events e WHERE e.deleted_at IS NULL AND e.id > ? ORDER BY e.id LIMIT 1000`, last)
		if err != nil {
			return err
		}
		var batch []row
		for rows.Next() {
			var tags, names, actorIDs string
			id, e, err := scanEvent(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &tags, &names, &actorIDs)...) }))
			if err != nil {
				rows.Close()
				return err
			}
			if tags != "" {
				e.Tags = strings.Split(tags, "\x1f")
			}
			var actorNames []string
			if names != "" {
				actorNames = strings.Split(names, "\x1f")
			}
			var ids []int64
			for a := range strings.SplitSeq(actorIDs, ",") {
				if n, err := strconv.ParseInt(a, 10, 64); err == nil {
					ids = append(ids, n)
				}
			}
			batch = append(batch, row{id, searchDoc(&e, actorNames, ids)})
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			// One segment, as BulkLoad leaves it: the best for searching.
			_, err := tx.ExecContext(ctx, `INSERT INTO events_fts (events_fts) VALUES ('optimize')`)
			return err
		}
		for _, r := range batch {
			if _, err := stmt.ExecContext(ctx, r.id, r.doc.title, r.doc.words, r.doc.grams, r.doc.keys); err != nil {
				return err
			}
		}
		last = batch[len(batch)-1].id
	}
}

// migratingEventColumns is eventColumns for a migration's Go step, which
// runs before later migrations have added their columns: each column the
// events table does not have yet is read as ” (the later migrations add
// text columns, empty by default), so that a new column needs no change
// here.
func migratingEventColumns(ctx context.Context, tx *sql.Tx) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info('events')`)
	if err != nil {
		return "", err
	}
	has := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return "", err
		}
		has[name] = true
	}
	if err := rows.Close(); err != nil {
		return "", err
	}
	cols := strings.Split(eventColumns, ",")
	for i, c := range cols {
		if name := strings.Trim(strings.TrimPrefix(strings.TrimSpace(c), "e."), `"`); !has[name] {
			cols[i] = " ''"
		}
	}
	return strings.Join(cols, ","), nil
}
