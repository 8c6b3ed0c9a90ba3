package timeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// CountTables returns every row of the tables the triggers keep (and
// BulkLoad adds to), as text, table by table in key order.
func (s *Store) CountTables(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	for _, t := range []string{"facet_year_category", "facet_actor", "facet_tag", "facet_month", "facet_month_actor", "facet_year_actor",
		"facet_month_tag", "facet_year_tag", "facet_cross", "facet_cross_actor", "facet_cross_tag", "facet_events"} {
		var n int
		if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_table_info(?)", t).Scan(&n); err != nil {
			return nil, err
		}
		order := "1"
		for i := 2; i < n; i++ {
			order += fmt.Sprintf(", %d", i)
		}
		rows, err := s.read.QueryContext(ctx, "SELECT * FROM "+t+" ORDER BY "+order)
		if err != nil {
			return nil, err
		}
		cols, _ := rows.Columns()
		var b strings.Builder
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			if t == "facet_events" {
				// The order of the lists is not part of the contract.
				vals[5], vals[6] = sortedList(vals[5]), sortedList(vals[6])
			}
			if n, ok := vals[len(vals)-1].(int64); ok && n == 0 && t != "facet_events" {
				continue // a count gone to zero is no count
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
		out[t] = b.String()
	}
	var span int
	if err := s.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'max_span_days'`).Scan(&span); err != nil {
		return nil, err
	}
	out["max_span_days"] = fmt.Sprint(span)
	return out, nil
}

func sortedList(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	}
	parts := strings.Split(s, ",")
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// RebuildCounts rebuilds every count table from the events, as a failed
// BulkLoad does.
func (s *Store) RebuildCounts(ctx context.Context) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return restoreDerived(ctx, conn, nil)
}

// SearchIndexes returns every (term, event, column, offset) of the search
// index, as text, and the same of an index made afresh, a row to an
// event, from the stored events as writing each one makes it (searchDoc).
func (s *Store) SearchIndexes(ctx context.Context) (got, want string, err error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return "", "", err
	}
	defer conn.Close()
	for _, q := range []string{
		`CREATE VIRTUAL TABLE temp.check_fts USING fts5 (title, words, grams, keys, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`,
		`CREATE VIRTUAL TABLE temp.check_vocab USING fts5vocab (temp, check_fts, 'instance')`,
		`CREATE VIRTUAL TABLE temp.events_vocab USING fts5vocab (main, events_fts, 'instance')`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return "", "", err
		}
	}
	defer conn.ExecContext(context.Background(), `DROP TABLE temp.events_vocab; DROP TABLE temp.check_vocab; DROP TABLE temp.check_fts`)
	var slugs []string
	rows, err := conn.QueryContext(ctx, `SELECT slug FROM events WHERE deleted_at IS NULL ORDER BY id`)
	if err != nil {
		return "", "", err
	}
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			rows.Close()
			return "", "", err
		}
		slugs = append(slugs, slug)
	}
	rows.Close()
	for _, slug := range slugs {
		e, err := s.GetEvent(ctx, slug)
		if err != nil {
			return "", "", err
		}
		var names []string
		var ids []int64
		for _, a := range e.Actors {
			names = append(names, a.Name, a.NameJA, a.NameKO)
			var id int64
			if err := conn.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, a.Slug).Scan(&id); err != nil {
				return "", "", err
			}
			ids = append(ids, id)
		}
		doc := searchDoc(&e, names, ids)
		if _, err := conn.ExecContext(ctx, `INSERT INTO temp.check_fts (rowid, title, words, grams, keys) VALUES ((SELECT id FROM events WHERE slug = ?), ?, ?, ?, ?)`,
			slug, doc.title, doc.words, doc.grams, doc.keys); err != nil {
			return "", "", err
		}
	}
	dump := func(table string) (string, error) {
		rows, err := conn.QueryContext(ctx, `SELECT term, doc, col, offset FROM temp.`+table+` ORDER BY term, doc, col, offset`)
		if err != nil {
			return "", err
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var term, col string
			var doc, offset int64
			if err := rows.Scan(&term, &doc, &col, &offset); err != nil {
				return "", err
			}
			fmt.Fprintln(&b, term, doc, col, offset)
		}
		return b.String(), rows.Err()
	}
	if got, err = dump("events_vocab"); err != nil {
		return "", "", err
	}
	want, err = dump("check_vocab")
	return got, want, err
}
