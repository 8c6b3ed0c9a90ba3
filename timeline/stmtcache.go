package timeline

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the prepared-statement cache: the queries of a
// page have a handful of shapes, but filters can make many.
const maxCachedStatements = 256

// stmtCache keeps prepared statements of the reader pool by query text.
// Parsing and planning a query cost about a seventh of a page's CPU under
// load; a cached *sql.Stmt is prepared once per connection and reused.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[q]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[q] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// readPool is the reader pool as a querier whose queries use the
// statement cache. loadChildren runs its queries in parallel on it.
type readPool struct{ s *Store }

func (p readPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := p.s.stmts.get(ctx, p.s.read, q)
	if err != nil || st == nil {
		return p.s.read.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (p readPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := p.s.stmts.get(ctx, p.s.read, q)
	if err != nil || st == nil {
		return p.s.read.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (p readPool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.s.read.ExecContext(ctx, q, args...)
}
