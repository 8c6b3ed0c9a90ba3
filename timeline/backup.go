package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// WALSizeLimit is the journal_size_limit of the writer connection, in
// bytes: when the write-ahead log starts over from its beginning, SQLite
// cuts the file back to this size instead of keeping its largest size for
// ever. Checkpoint also truncates the log to nothing once it has grown past
// this size and every page of it is in the database file.
const WALSizeLimit = 4 << 20

// ErrInUse means another connection (a running server, most likely) has
// the database open, so its file must not be replaced.
var ErrInUse = errors.New("the database is in use: stop the server first")

// Backup writes a consistent copy of the live database to dest, which must
// not exist yet, while readers and writers carry on: SQLite's VACUUM INTO
// reads one snapshot, so the copy holds exactly the writes committed before
// it began. The copy is written under a temporary name next to dest, synced,
// and only then linked into place, so a failed or interrupted backup leaves
// no partial file at dest.
func (s *Store) Backup(ctx context.Context, dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("timeline: backup: %w", err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return fmt.Errorf("timeline: backup: %s already exists", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("timeline: backup: %w", err)
	}
	tmp, err := tempName(abs)
	if err != nil {
		return fmt.Errorf("timeline: backup: %w", err)
	}
	defer os.Remove(tmp)
	// A connection of its own makes the copy: it only reads, so writers never
	// wait for it, and the reader pool is query_only, which SQLite applies
	// to VACUUM INTO as well.
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("timeline: backup: %w", err)
	}
	err = vacuumInto(ctx, db, tmp)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("timeline: backup: %w", err)
	}
	// A hard link fails when dest appeared meanwhile, where a rename would
	// silently replace it.
	if err := os.Link(tmp, abs); err != nil {
		return fmt.Errorf("timeline: backup: %w", err)
	}
	return syncDir(filepath.Dir(abs))
}

// Checkpoint copies the pages of the write-ahead log into the database file
// without waiting for anyone (a passive checkpoint), and, when the log file
// has grown past WALSizeLimit, copies all of it and truncates the file to
// nothing (waiting at most half a second for readers of old snapshots; if
// they are still there, the file stays as it is until the next call). It
// returns the log's size in pages and how many of those pages are now in
// the database file. A server calls it now and then so that the log stays
// small even when readers never pause, which otherwise keeps SQLite's own
// checkpoints from ever finishing.
func (s *Store) Checkpoint(ctx context.Context) (walPages, checkpointed int, err error) {
	if s.readOnly {
		return 0, 0, ErrReadOnly
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("timeline: checkpoint: %w", err)
	}
	defer conn.Close()
	// Set on every call, because the pool may have replaced the connection.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA journal_size_limit = %d", WALSizeLimit)); err != nil {
		return 0, 0, fmt.Errorf("timeline: checkpoint: %w", err)
	}
	var busy int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &walPages, &checkpointed); err != nil {
		return 0, 0, fmt.Errorf("timeline: checkpoint: %w", err)
	}
	// The file, not the log's live part, is what needs bounding: a log that
	// started over keeps its old length until something truncates it.
	fi, err := os.Stat(s.path + "-wal")
	if err != nil || fi.Size() <= WALSizeLimit {
		return walPages, checkpointed, nil // no log file: not in WAL mode, or nothing written yet
	}
	// TRUNCATE waits, through the busy handler, for readers on an old
	// snapshot (new readers read the database file, so the wait is short)
	// and holds off writers meanwhile. Keep the wait short: this connection
	// is the only writer, and a reader that never lets go (Litestream keeps
	// a read transaction open) would make every attempt wait in full.
	var timeout int
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil {
		return walPages, checkpointed, fmt.Errorf("timeline: checkpoint: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 500"); err != nil {
		return walPages, checkpointed, fmt.Errorf("timeline: checkpoint: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", timeout))
	var log, done int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &log, &done); err != nil {
		return walPages, checkpointed, fmt.Errorf("timeline: checkpoint: %w", err)
	}
	if busy == 0 {
		checkpointed = walPages // all of it, and the file is now empty
	}
	return walPages, checkpointed, nil
}

// Verify checks, without changing its content, that the file at path is a
// sound SQLite database (PRAGMA integrity_check answers ok) that holds a
// chronology (it has the events table).
func Verify(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("timeline: verify: %w", err)
	}
	// query_only rather than mode=ro: a read-only connection to a database
	// in WAL mode leaves its -wal and -shm files behind, where a read-write
	// one moves the log into the file and removes them when it closes.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("timeline: verify %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("timeline: verify %s: not a readable SQLite database: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fmt.Errorf("timeline: verify %s: %w", path, err)
		}
		problems = append(problems, line)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("timeline: verify %s: %w", path, err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("timeline: verify %s: not a readable SQLite database: %w", path, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		if len(problems) > 5 {
			problems = append(problems[:5], "…")
		}
		return fmt.Errorf("timeline: verify %s: integrity check failed: %q", path, problems)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'events'`).Scan(&n); err != nil {
		return fmt.Errorf("timeline: verify %s: %w", path, err)
	}
	if n == 0 {
		return fmt.Errorf("timeline: verify %s: not a timeline database (it has no events table)", path)
	}
	return nil
}

// Restore replaces the database at dst with a copy of the one at src,
// after checking src with Verify. No server may have dst open: Restore
// returns ErrInUse when another connection holds it. The copy is written to
// dst+".tmp", synced and renamed over dst, and dst's old -wal and -shm
// files are removed, so dst is either the old database or the new one,
// never a mixture.
func Restore(ctx context.Context, src, dst string) error {
	if err := Verify(ctx, src); err != nil {
		return err
	}
	if err := checkNotInUse(ctx, dst); err != nil {
		return err
	}
	absDst, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("timeline: restore: %w", err)
	}
	tmp := absDst + ".tmp"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("timeline: restore: %w", err) // left by an interrupted restore
	}
	defer os.Remove(tmp)
	// VACUUM INTO rather than a byte copy: it includes what src still has
	// in its own write-ahead log, and reads one consistent snapshot.
	srcDB, err := sql.Open("sqlite", "file:"+src+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("timeline: restore: %w", err)
	}
	err = vacuumInto(ctx, srcDB, tmp)
	srcDB.Close()
	if err != nil {
		return fmt.Errorf("timeline: restore: copy %s: %w", src, err)
	}
	// Check again: a server may have started while the copy was made.
	if err := checkNotInUse(ctx, dst); err != nil {
		return err
	}
	// The old log belongs to the old file: applied to the new one it would
	// corrupt it.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(absDst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("timeline: restore: %w", err)
		}
	}
	if err := os.Rename(tmp, absDst); err != nil {
		return fmt.Errorf("timeline: restore: %w", err)
	}
	return syncDir(filepath.Dir(absDst))
}

// checkNotInUse returns ErrInUse when another connection has the database
// at path open. A connection in WAL mode holds a shared lock on the file as
// long as it is open, even when idle, so taking an exclusive lock (locking
// mode EXCLUSIVE, then BEGIN IMMEDIATE, without waiting) fails exactly when
// someone else has it open. A missing file is not in use.
func checkNotInUse(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("timeline: restore: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(0)")
	q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("timeline: restore: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return inUse(path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return inUse(path, err)
	}
	// A write lock alone is not enough in WAL mode: reading a page makes the
	// connection take the exclusive lock on the database file itself.
	var n int
	err = conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema").Scan(&n)
	conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	if err != nil {
		return inUse(path, err)
	}
	return nil
}

// inUse turns a busy or locked error into ErrInUse.
func inUse(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("timeline: restore: %s: %w", path, ErrInUse)
		}
	}
	return fmt.Errorf("timeline: restore: %s: %w", path, err)
}

// vacuumInto writes a compact copy of db's database to the new file path
// and syncs it to disk.
func vacuumInto(ctx context.Context, db *sql.DB, path string) error {
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

// tempName returns an unused file name in the folder of path.
func tempName(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	// The empty file stays, holding the name: VACUUM INTO accepts an empty
	// file.
	return f.Name(), f.Close()
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	return errors.Join(err, d.Close())
}
