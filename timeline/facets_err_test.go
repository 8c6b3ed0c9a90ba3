package timeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// errInterrupted stands for what a query timeout does to a running query:
// SQLite stops it, and Next fails after some rows.
var errInterrupted = errors.New("interrupted")

// interruptingConnector opens connections whose queries containing match
// fail after `after` rows.
type interruptingConnector struct {
	d     driver.Driver
	dsn   string
	match string
	after int
}

func (c interruptingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.d.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return interruptingConn{Conn: conn, c: c}, nil
}

func (c interruptingConnector) Driver() driver.Driver { return c.d }

type interruptingConn struct {
	driver.Conn
	c interruptingConnector
}

func (c interruptingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	if err != nil || !strings.Contains(query, c.c.match) {
		return rows, err
	}
	return &interruptingRows{Rows: rows, left: c.c.after}, nil
}

// PrepareContext wraps the statements of matching queries (the reader
// pool's statement cache prepares them) the same way.
func (c interruptingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil || !strings.Contains(query, c.c.match) {
		return st, err
	}
	return interruptingStmt{Stmt: st, after: c.c.after}, nil
}

type interruptingStmt struct {
	driver.Stmt
	after int
}

func (s interruptingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return rows, err
	}
	return &interruptingRows{Rows: rows, left: s.after}, nil
}

type interruptingRows struct {
	driver.Rows
	left int
}

func (r *interruptingRows) Next(dest []driver.Value) error {
	if r.left == 0 {
		return errInterrupted
	}
	r.left--
	return r.Rows.Next(dest)
}

// Facets must return an error, never the counts of the rows seen before a
// query was stopped: the web layer caches what Facets returns for the whole
// data version.
func TestFacetsReportAQueryStoppedMidway(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	for i, start := range []string{"2002-09-17", "2004-05-22", "2014-05"} {
		e := testEvent(start, fmt.Sprintf("Talks %d", i))
		e.Category = []Category{"summit", "negotiation", "statement"}[i]
		mustCreate(t, s, e)
	}
	counted := Filter{Categories: []Category{"summit"}, Tags: []string{"test"}}
	byMonth := Filter{From: MustDate("2002-09-20"), To: MustDate("2014-05-20")}
	for _, tt := range []struct {
		name, match string
		f           Filter
	}{
		{"events", "f.actors, f.tags FROM events e", counted},
		{"events by month", "f.actors, f.tags FROM events e", Filter{Categories: []Category{"summit"}, From: MustDate("2002-09-20"), To: MustDate("2014-05-20")}},
		{"categories", "SELECT category, COUNT(*)", Filter{Categories: []Category{"summit"}, Tags: []string{"test"}, To: MustDate("2020-02-03")}},
		{"range scanned", "FROM facet_events e WHERE", Filter{Categories: []Category{"summit"}, Tags: []string{"test"}, From: MustDate("2001-02-03")}},
		{"long events scanned", "FROM facet_events e INDEXED BY facet_events_long", Filter{Tags: []string{"test"}, From: MustDate("2001-02-03")}},
		{"month table", "FROM facet_month WHERE", byMonth},
		{"crossing table", "FROM facet_cross WHERE", byMonth},
		{"months counted", "FROM facet_events e", byMonth},
		{"actor tables", "facet_year_actor", byMonth},
		{"tag tables", "facet_year_tag", byMonth},
		{"packs", "JOIN facet_packs", byMonth},
		{"keys matched", "SELECT rowid FROM events_fts WHERE", Filter{Tags: []string{"test"}, From: MustDate("2001-02-03")}},
		{"keys' events", "f.actors, f.tags FROM events e", Filter{Tags: []string{"test"}, From: MustDate("2001-02-03")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The search index names the events of actors and tags within
			// dates (keyIDs) unless told it may name none; the other cases
			// are the paths taken without it.
			listed, few := maxListedMatches, fewKeyEvents
			t.Cleanup(func() { maxListedMatches, fewKeyEvents = listed, few })
			if !strings.HasPrefix(tt.name, "keys") {
				maxListedMatches = 0
			} else {
				fewKeyEvents = 0 // three events are a few: read whole otherwise
			}
			// The range from the month tables, not the packs.
			if strings.HasPrefix(tt.match, "FROM facet_month") || strings.HasPrefix(tt.match, "FROM facet_cross") ||
				strings.HasPrefix(tt.match, "facet_year") || tt.name == "months counted" {
				s.packs = false
				t.Cleanup(func() { s.packs = true })
			}
			if _, err := s.Facets(ctx, tt.f); err != nil {
				t.Fatal(err)
			}
			s.matches = matchCache{} // the matches are read again
			read := s.read
			t.Cleanup(func() { s.read = read; s.stmts.close() })
			s.stmts.close() // statements prepared on the pool swapped out
			s.read = sql.OpenDB(interruptingConnector{d: read.Driver(), dsn: "file:" + s.path + "?_pragma=busy_timeout(10000)&_pragma=query_only(1)", match: tt.match})
			defer s.read.Close()
			defer s.stmts.close()
			got, err := s.Facets(ctx, tt.f)
			if !errors.Is(err, errInterrupted) {
				t.Errorf("got %d events counted and error %v, want %v", got.Total, err, errInterrupted)
			}
		})
	}
}
