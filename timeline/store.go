package timeline

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is the chronology in one SQLite file: one writer connection (every
// write in an immediate transaction) and a pool of readers.
type Store struct {
	path       string
	write      *sql.DB
	read       *sql.DB
	readOnly   bool
	now        func() time.Time
	stmts      stmtCache  // prepared statements of the reader pool
	matches    matchCache // recent searches' matches (compile)
	actorNames actorNames // every actor by id, for pages (actorsByID)
	health     health     // faults met: a full disk, a damaged file
	// Immutable is set when a read-only store's file lies where nothing can
	// write (a read-only disk), and SQLite was told the file never changes.
	immutable bool
	aliases   *aliasTable // search's groups of equivalent terms (WithAliases), or nil
	eachChunk int         // events per query of EachEvent; 0 is eachChunk (tests set it)
	// eachHook, when set (by tests), is called before each chunk's query
	// of EachEvent with the query's context and the chunk's size.
	eachHook func(ctx context.Context, n int)
	// packs is set once the schema has the packed counts
	// (0016_facet_packs): from then on every write transaction rebuilds
	// the packs its writes made stale before it commits, and date filters
	// read them.
	packs bool
}

// Option changes how Open sets up the store.
type Option func(*options)

type options struct {
	cacheKiB int
	readOnly bool
	aliases  *aliasTable
}

// ReadOnly opens the database for reading only, as a replica does (say, a
// file that Litestream keeps restoring from the primary's replica): nothing
// is migrated or written, and every write method returns ErrReadOnly. The
// schema must already be current.
func ReadOnly() Option {
	return func(o *options) { o.readOnly = true }
}

// ErrReadOnly is returned by every write to a store opened ReadOnly.
var ErrReadOnly = errors.New("timeline: this database is open read-only (a replica): write to the primary")

// WithCacheSize sets each connection's page cache (default 32,000 KiB). A
// one-off streaming job, such as an export, does well with a small one.
func WithCacheSize(kib int) Option {
	return func(o *options) { o.cacheKiB = max(kib, 100) }
}

// Open opens (creating when needed) the database at path and applies every
// migration not yet applied. Each pragma is set in the DSN so that every
// pooled connection has it.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, errors.New("timeline: open: need a file path (each :memory: connection would be a separate database)")
	}
	o := options{cacheKiB: 32000}
	for _, opt := range opts {
		opt(&o)
	}
	pragmas := url.Values{}
	list := []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)", fmt.Sprintf("cache_size(-%d)", o.cacheKiB)}
	if o.readOnly {
		// Setting the journal mode is a write; a replica reads the mode the
		// primary set.
		list = slices.DeleteFunc(list, func(p string) bool { return strings.HasPrefix(p, "journal_mode") })
		pragmas.Set("mode", "ro")
		// On a read-only disk SQLite cannot make the shared-memory file
		// that reading a WAL database needs; told that the file never
		// changes, it reads it without locks or a -shm file.
		if !writable(path) {
			pragmas.Set("immutable", "1")
		}
	}
	for _, p := range list {
		pragmas.Add("_pragma", p)
	}
	dsn := "file:" + path + "?" + pragmas.Encode()
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("timeline: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("timeline: open %s: %w", path, err)
	}
	n := max(runtime.NumCPU(), 2)
	r.SetMaxOpenConns(n * 2)
	r.SetMaxIdleConns(n * 2)
	s := &Store{path: path, write: w, read: r, readOnly: o.readOnly, immutable: pragmas.Get("immutable") == "1", now: func() time.Time { return time.Now().UTC() },
		aliases: o.aliases}
	check := s.migrate
	if o.readOnly {
		check = s.checkSchema
	}
	if err := check(ctx); err != nil {
		s.Close()
		if se := sqliteError(err); se != nil && errors.Is(Classify(err), ErrCorrupt) {
			if se.Code()&0xff == sqlite3.SQLITE_NOTADB {
				return nil, fmt.Errorf("timeline: open %s: not a SQLite database (%w): is --db the right file?", path, ErrCorrupt)
			}
			return nil, fmt.Errorf("timeline: open %s: %w (%v): run `timeline check --db %s`, then restore the last good backup", path, ErrCorrupt, se, path)
		}
		return nil, err
	}
	s.packs = true
	return s, nil
}

// Immutable reports whether a read-only store was opened as an immutable
// file, because it lies where nothing can write.
func (s *Store) Immutable() bool { return s.immutable }

// writable reports whether a process could change the database at path:
// the file (when it exists) and its folder accept writes. A read-only disk
// answers no to both.
func writable(path string) bool {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".timeline-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	if fi, err := os.Stat(path); err == nil {
		g, err := os.OpenFile(path, os.O_WRONLY, fi.Mode())
		if err != nil {
			return false
		}
		g.Close()
	}
	return true
}

// ReadOnly reports whether the store was opened with the ReadOnly option.
func (s *Store) ReadOnly() bool { return s.readOnly }

// checkSchema makes sure a read-only database has every migration this
// program knows, since it cannot apply them itself.
func (s *Store) checkSchema(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	for _, name := range names {
		var n int
		err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n)
		if err != nil {
			return fmt.Errorf("timeline: open %s read-only: not a chronology database: %w", s.path, err)
		}
		if n == 0 {
			return fmt.Errorf("timeline: open %s read-only: its schema lacks %s: open it once with the primary first", s.path, name)
		}
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	s.stmts.close()
	return errors.Join(s.read.Close(), s.write.Close())
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// SetClock replaces the store's clock; tests use it for stable times.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// migrate applies the embedded migrations in name order, each in its own
// transaction, recording each in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("timeline: migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("timeline: migrate %s: %w", name, err)
		}
	}
	// Databases analysed before dropSamples existed still hold the
	// samples; no reader has loaded the schema yet.
	if err := dropSamples(ctx, s.write); err != nil {
		return fmt.Errorf("timeline: migrate: %w", err)
	}
	return nil
}

// migrationSteps are the Go steps of migrations that SQL alone cannot
// finish, run after the migration's SQL in its transaction.
var migrationSteps = map[string]func(context.Context, *sql.Tx) error{
	"migrations/0015_search_keys.sql":       reindexSearch,
	"migrations/0016_facet_packs.sql":       rebuildPacks,
	"migrations/0017_facet_packs_years.sql": rebuildPacks,
}

func (s *Store) migrateOne(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		if step := migrationSteps[name]; step != nil {
			if err := step(ctx, tx); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, s.now().Format(time.RFC3339))
		return err
	})
}

// inTx runs fn in an immediate write transaction, committing when fn
// returns nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	err := s.runTx(ctx, fn)
	// A full disk pauses writes and the next write that succeeds ends the
	// pause; what other errors say about the disk is nothing.
	if err = Classify(err); err == nil || errors.Is(err, ErrStorageFull) || errors.Is(err, ErrCorrupt) {
		s.health.note(err, s.now)
	}
	return err
}

func (s *Store) runTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if s.packs {
		if err := refreshPacks(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// exec runs one write statement outside a transaction; like inTx it
// refuses on a read-only store.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s.readOnly {
		return nil, ErrReadOnly
	}
	return s.write.ExecContext(ctx, query, args...)
}

// bumpVersion marks that the data changed; called inside every write.
func bumpVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, bumpSQL)
	return err
}

const bumpSQL = `UPDATE meta SET value = CASE key WHEN 'data_version' THEN value + 1
	ELSE CAST(strftime('%s', 'now') AS INTEGER) END WHERE key IN ('data_version', 'modified_at')`

// DataVersion returns a number that changes with every write to the
// chronology, by this process or another.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	v, _, err := s.DataStamp(ctx)
	return v, err
}

// DataStamp returns the data version and when the chronology last changed
// (to the second), read together; or, under a context from ReadingAt for
// this store, the stamp given there.
func (s *Store) DataStamp(ctx context.Context) (int64, time.Time, error) {
	if r, ok := ctx.Value(readingAtKey{}).(readingAt); ok && r.store == s {
		return r.version, r.modified, nil
	}
	var v, at int64
	err := readPool{s}.QueryRowContext(ctx, `SELECT
		(SELECT value FROM meta WHERE key = 'data_version'),
		COALESCE((SELECT value FROM meta WHERE key = 'modified_at'), 0)`).Scan(&v, &at)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("timeline: data version: %w", err)
	}
	return v, time.Unix(at, 0).UTC(), nil
}

// ReadingAt returns ctx for the reads of one request that has read s's
// data stamp already: s.DataStamp (and DataVersion) under it give that
// stamp back without asking the database again. The version names caches
// (pages, counts, matches); if a write comes between, the request's reads
// may see data newer than its version says, never older, and the next
// request has the new version. Other stores (a past moment's, as_of) read
// their own.
func ReadingAt(ctx context.Context, s *Store, version int64, modified time.Time) context.Context {
	return context.WithValue(ctx, readingAtKey{}, readingAt{s, version, modified})
}

type readingAtKey struct{}

type readingAt struct {
	store    *Store
	version  int64
	modified time.Time
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.read.QueryRowContext(ctx, `SELECT 1`).Scan(&n)
}

// Analyze gathers full planner statistics; used after a bulk load.
func (s *Store) Analyze(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `ANALYZE`); err != nil {
			return err
		}
		return dropSamples(ctx, tx)
	})
}

// execQueryer is what dropSamples needs of a database, a connection or a
// transaction.
type execQueryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// dropSamples removes the samples ANALYZE keeps (sqlite_stat4); the
// statistics of sqlite_stat1 stay. Given samples for an index, SQLite plans
// a statement anew whenever a value is bound to a parameter that the
// samples could judge: FTS5 binds a new term to its internal statements for
// every term it looks up, so every search parsed and planned them again (a
// fifth of the server's CPU under a load of new searches on the shipped
// dataset), and the lists and counts of every new date range were planned
// again too (an eighth of it after that). A bulk-loaded database never had
// samples (its ANALYZE has an analysis limit), and the queries are planned
// for it.
func dropSamples(ctx context.Context, db execQueryer) error {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	// Only a database that holds samples is written to.
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_stat4)`).Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err := db.ExecContext(ctx, `DELETE FROM sqlite_stat4`)
	return err
}

const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}
