package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Faults of the disk and the file, as the store reports them. Callers
// compare with errors.Is; the driver's own error stays wrapped beside it.
var (
	// ErrStorageFull means a write failed because the disk (or the
	// database's page limit) is full. Nothing was written; reads still
	// work, and writes work again as soon as there is space.
	ErrStorageFull = errors.New("the disk is full: writes are paused until space is freed; reads still work")
	// ErrCorrupt means SQLite found the database file damaged (malformed,
	// or not a database at all).
	ErrCorrupt = errors.New("the database file is damaged")
)

// Classify returns err wrapped with ErrStorageFull or ErrCorrupt when the
// SQLite error inside it is one of those faults, and err unchanged
// otherwise. Writes are classified by the store itself; callers that see
// an error from a read pass it through Classify before deciding what it is.
func Classify(err error) error {
	if err == nil || errors.Is(err, ErrStorageFull) || errors.Is(err, ErrCorrupt) {
		return err
	}
	se := sqliteError(err)
	if se == nil {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("%w (%w)", ErrStorageFull, err)
	case sqlite3.SQLITE_IOERR:
		// A write that the disk refused (ENOSPC) comes back as an I/O error
		// of the write, the sync or the truncation, not always as SQLITE_FULL.
		switch se.Code() >> 8 {
		case 3, 4, 5, 6: // IOERR_WRITE, IOERR_FSYNC, IOERR_DIR_FSYNC, IOERR_TRUNCATE
			return fmt.Errorf("%w (%w)", ErrStorageFull, err)
		}
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%w (%w)", ErrCorrupt, err)
	}
	return err
}

// sqliteError returns the SQLite error inside err, or nil.
func sqliteError(err error) *sqlite.Error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se
	}
	return nil
}

// Condition is what the store knows about the health of its file.
type Condition struct {
	// FullSince is when a write last failed for want of space, and zero
	// when the last write (or probe) succeeded.
	FullSince time.Time
	// FullErr is the error of that failed write.
	FullErr string
	// Corrupt is set once SQLite reported the file damaged, by a start-up
	// check or during a request, and stays set until the process restarts.
	Corrupt string
}

// WritesPaused reports whether writes are failing for want of space.
func (c Condition) WritesPaused() bool { return !c.FullSince.IsZero() }

// health records the faults the store has met; safe for concurrent use.
type health struct {
	mu        sync.Mutex
	fullSince time.Time
	fullErr   string
	corrupt   string
	lastProbe time.Time
}

// note records what a write's outcome says about the disk: a full disk
// pauses writes, a successful write ends the pause.
func (h *health) note(err error, now func() time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case err == nil:
		h.fullSince, h.fullErr = time.Time{}, ""
	case errors.Is(err, ErrStorageFull):
		if h.fullSince.IsZero() {
			h.fullSince = now()
		}
		h.fullErr = err.Error()
	case errors.Is(err, ErrCorrupt):
		if h.corrupt == "" {
			h.corrupt = err.Error()
		}
	}
}

// Condition returns what the store knows about its file's health.
func (s *Store) Condition() Condition {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	return Condition{FullSince: s.health.fullSince, FullErr: s.health.fullErr, Corrupt: s.health.corrupt}
}

// NoteFault records err when it is a fault of the file (see Classify), so
// that Condition reports it: a request that met a damaged page calls it.
// It returns err classified.
func (s *Store) NoteFault(err error) error {
	err = Classify(err)
	if errors.Is(err, ErrCorrupt) || errors.Is(err, ErrStorageFull) {
		s.health.note(err, s.now)
	}
	return err
}

// probeInterval is how often, at most, ProbeWrite really writes while
// writes are paused.
const probeInterval = 5 * time.Second

// ProbeWrite finds out whether writes work again after a full disk: while
// writes are paused it makes, at most every few seconds, a small write that
// needs new space (16 KiB, written and removed in one committed
// transaction) and ends the pause when it succeeds. When writes are not
// paused it does nothing. It returns the store's condition afterwards.
func (s *Store) ProbeWrite(ctx context.Context) Condition {
	if s.readOnly {
		return s.Condition()
	}
	s.health.mu.Lock()
	due := !s.health.fullSince.IsZero() && s.now().Sub(s.health.lastProbe) >= probeInterval
	if due {
		s.health.lastProbe = s.now()
	}
	s.health.mu.Unlock()
	if due {
		// A table of its own, made and dropped in the same transaction, so
		// that the probe needs new pages as real writes do and leaves
		// nothing behind.
		s.inTx(ctx, func(tx *sql.Tx) error {
			for _, q := range []string{
				`CREATE TABLE write_probe (b BLOB) STRICT`,
				`INSERT INTO write_probe VALUES (zeroblob(16384))`,
				`DROP TABLE write_probe`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return s.Condition()
}

// CheckReport is what a check of the database found.
type CheckReport struct {
	// Problems lists every problem found, one line each; none means sound.
	Problems []string
	// Incomplete is set when the check ran out of time before it finished.
	Incomplete bool
}

// OK reports whether the check finished and found nothing wrong.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 && !r.Incomplete }

// maxReported bounds the lines a check keeps from one pragma.
const maxReported = 20

// QuickCheck runs SQLite's PRAGMA quick_check (the page and record
// structure, without cross-checking indexes) for at most budget. When the
// budget runs out first the report says Incomplete. A damaged file is also
// recorded in the store's Condition.
func (s *Store) QuickCheck(ctx context.Context, budget time.Duration) (CheckReport, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	var r CheckReport
	lines, err := pragmaLines(ctx, s.read, "PRAGMA quick_check")
	if ctx.Err() != nil {
		r.Incomplete = true
		return r, nil
	}
	if err != nil {
		err = s.NoteFault(err)
		if errors.Is(err, ErrCorrupt) {
			r.Problems = append(r.Problems, err.Error())
			return r, nil
		}
		return r, fmt.Errorf("timeline: quick check: %w", err)
	}
	if !(len(lines) == 1 && lines[0] == "ok") {
		r.Problems = lines
		s.health.note(fmt.Errorf("%w: quick_check: %s", ErrCorrupt, strings.Join(lines, "; ")), s.now)
	}
	return r, nil
}

// Check runs every check there is on the database, read-only apart from
// what SQLite's FTS5 check needs: PRAGMA integrity_check, PRAGMA
// foreign_key_check, the full-text index's own integrity-check, and the
// chronology's rules (every stored date parses, every link and actor role
// points at a live record, every live event validates).
func (s *Store) Check(ctx context.Context) (CheckReport, error) {
	var r CheckReport
	add := func(format string, args ...any) {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
	lines, err := pragmaLines(ctx, s.read, "PRAGMA integrity_check")
	if err != nil {
		add("integrity_check: %v", s.NoteFault(err))
		// Nothing further can be trusted to run on a file SQLite cannot read.
		return r, nil
	}
	if !(len(lines) == 1 && lines[0] == "ok") {
		for _, l := range lines {
			add("integrity_check: %s", l)
		}
		s.health.note(fmt.Errorf("%w: integrity_check: %s", ErrCorrupt, lines[0]), s.now)
	}
	rows, err := s.read.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		add("foreign_key_check: %v", s.NoteFault(err))
	} else {
		n := 0
		for rows.Next() {
			var table, parent string
			var rowid sql.NullInt64
			var fkid int
			if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
				add("foreign_key_check: %v", err)
				break
			}
			if n++; n <= maxReported {
				add("foreign_key_check: row %d of %s points at a missing row of %s", rowid.Int64, table, parent)
			}
		}
		if err := rows.Err(); err != nil {
			add("foreign_key_check: %v", s.NoteFault(err))
		}
		rows.Close()
		if n > maxReported {
			add("foreign_key_check: … and %d more", n-maxReported)
		}
	}
	if err := s.checkFullText(ctx); err != nil {
		add("full-text index: %v (restore a backup, or export and import the events into a new database)", s.NoteFault(err))
	}
	s.checkRules(ctx, add)
	return r, nil
}

// checkFullText runs FTS5's own integrity-check of the search index. It
// is written as an INSERT of a command and changes nothing, but SQLite
// wants a connection that may write, which the reader pool (query_only)
// and a read-only store are not: those get a connection of their own.
// A file on a read-only disk cannot be asked, and is not.
func (s *Store) checkFullText(ctx context.Context) error {
	const q = `INSERT INTO events_fts (events_fts) VALUES ('integrity-check')`
	if !s.readOnly {
		_, err := s.write.ExecContext(ctx, q)
		return err
	}
	if s.immutable {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, q)
	return err
}

// checkRules checks what SQLite cannot: the chronology's own rules.
func (s *Store) checkRules(ctx context.Context, add func(string, ...any)) {
	rows, err := s.read.QueryContext(ctx, `SELECT slug, start, "end" FROM events WHERE deleted_at IS NULL ORDER BY id`)
	if err != nil {
		add("events: %v", Classify(err))
		return
	}
	var slugs []string
	for rows.Next() {
		var slug, start, end string
		if err := rows.Scan(&slug, &start, &end); err != nil {
			add("events: %v", err)
			break
		}
		if _, err := ParseEDTF(start); err != nil {
			add("event %s: start %q: %v", slug, start, err)
		}
		if end != "" {
			if _, err := ParseEDTF(end); err != nil {
				add("event %s: end %q: %v", slug, end, err)
			}
		}
		slugs = append(slugs, slug)
	}
	if err := rows.Err(); err != nil {
		add("events: %v", Classify(err))
	}
	rows.Close()
	bad := 0
	for _, slug := range slugs {
		if ctx.Err() != nil {
			add("events: check stopped: %v", ctx.Err())
			return
		}
		ev, err := s.GetEvent(ctx, slug)
		if err != nil {
			add("event %s: cannot be read: %v", slug, Classify(err))
			continue
		}
		if err := ev.Validate(); err != nil {
			if bad++; bad <= maxReported {
				add("event %s: %v", slug, err)
			}
		}
	}
	if bad > maxReported {
		add("events: … and %d more that do not validate", bad-maxReported)
	}
}

// pragmaLines runs a pragma that answers one text column per row.
func pragmaLines(ctx context.Context, db *sql.DB, pragma string) ([]string, error) {
	rows, err := db.QueryContext(ctx, pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return lines, err
		}
		if len(lines) < maxReported {
			lines = append(lines, l)
		}
	}
	return lines, rows.Err()
}

// LimitSize caps the database file at about maxBytes (SQLite's
// max_page_count on the writer connection): a write that would grow it
// further fails as a full disk does, with ErrStorageFull, and nothing of
// it is written. 0 lifts the cap. Tests use it to fill the disk on
// purpose; an operator may use it to keep the file below a quota.
func (s *Store) LimitSize(ctx context.Context, maxBytes int64) error {
	if s.readOnly {
		return ErrReadOnly
	}
	var pageSize int64
	if err := s.write.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		return fmt.Errorf("timeline: limit size: %w", err)
	}
	pages := int64(1073741823) // SQLite's own largest
	if maxBytes > 0 {
		pages = max(maxBytes/pageSize, 1)
	}
	// The pragma answers the limit it set; it never sets it below the
	// pages already in use.
	var got int64
	if err := s.write.QueryRowContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Scan(&got); err != nil {
		return fmt.Errorf("timeline: limit size: %w", err)
	}
	return nil
}

// Size returns the database file's size in bytes as SQLite counts it
// (pages in use times the page size).
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("timeline: size: %w", err)
	}
	return n, nil
}
