package timeline

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Audit actions. Passwords and tokens are never recorded.
const (
	AuditLogin        = "login"         // a successful sign-in
	AuditLoginFailed  = "login-failed"  // a wrong name or password, or a disabled account
	AuditLoginLimited = "login-limited" // refused by the rate limit
	AuditLogout       = "logout"
	AuditUserAdd      = "user-add"
	AuditUserRole     = "user-role"
	AuditUserDisable  = "user-disable"
	AuditUserEnable   = "user-enable"
	AuditUserPassword = "user-password"
	AuditUserName     = "user-name" // a new display name
	AuditTokenAdd     = "token-add"
	AuditTokenRevoke  = "token-revoke"
	AuditRefused      = "refused" // a permission refusal
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string // the user who acted, "" for anonymous, "cli" for the command line
	Action string // one of the Audit* actions
	Target string // the account, token or path acted on
	Detail string
	Remote string // the client address
	// Count is how many times it happened: repeated refusals within
	// AuditAggregateWindow are one row. Last is when it last happened.
	Count int
	Last  time.Time
}

// Bounds of the audit log, so that no one can fill the disk through it:
// each field is cut to AuditFieldMax bytes; a refusal, failed or limited
// sign-in repeated by the same client within AuditAggregateWindow adds to
// the count of the row before it (for refusals whatever the path); rows
// older than AuditRetention go, and past AuditMaxRows the oldest go.
const (
	AuditFieldMax        = 300
	AuditAggregateWindow = 10 * time.Minute
	AuditRetention       = 180 * 24 * time.Hour
	AuditMaxRows         = 100_000
	auditPruneEvery      = 500 // rows written between two prunings
)

// auditText makes s safe to store and show: valid UTF-8, control
// characters as '?', at most AuditFieldMax bytes (a cut ends with "…").
func auditText(s string) string {
	if len(s) > 4*AuditFieldMax {
		s = s[:4*AuditFieldMax]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
	if len(s) <= AuditFieldMax {
		return s
	}
	cut := AuditFieldMax - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// aggregated reports whether repeats of action are folded into one row.
func aggregated(action string) bool {
	return action == AuditRefused || action == AuditLoginFailed || action == AuditLoginLimited
}

// Audit appends e to the audit log, stamping it with the store's clock.
// A refusal or failed sign-in that repeats one from the same client within
// AuditAggregateWindow only counts up the earlier row.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	e.Actor, e.Action, e.Target = auditText(e.Actor), auditText(e.Action), auditText(e.Target)
	e.Detail, e.Remote = auditText(e.Detail), auditText(e.Remote)
	now := formatTime(s.now())
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if aggregated(e.Action) {
			q := `UPDATE audit_log SET count = count + 1, last_at = ? WHERE id = (SELECT id FROM audit_log
				WHERE remote = ? AND action = ? AND actor = ? AND last_at >= ?`
			args := []any{now, e.Remote, e.Action, e.Actor, formatTime(s.now().Add(-AuditAggregateWindow))}
			if e.Action != AuditRefused {
				q += ` AND target = ?`
				args = append(args, e.Target)
			}
			res, err := tx.ExecContext(ctx, q+` ORDER BY id DESC LIMIT 1)`, args...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				return nil
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, last_at, actor, action, target, detail, remote) VALUES (?,?,?,?,?,?,?)`,
			now, now, e.Actor, e.Action, e.Target, e.Detail, e.Remote)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return fmt.Errorf("timeline: audit %s: %w", e.Action, err)
	}
	if id > 0 && id%auditPruneEvery == 0 {
		return s.pruneAudit(ctx, AuditMaxRows)
	}
	return nil
}

// pruneAudit deletes the entries older than AuditRetention and, past
// maxRows, the oldest.
func (s *Store) pruneAudit(ctx context.Context, maxRows int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE at < ?`, formatTime(s.now().Add(-AuditRetention))); err != nil {
			return fmt.Errorf("timeline: prune audit log: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE id <= (SELECT MAX(id) FROM audit_log) - ?`, maxRows)
		if err != nil {
			return fmt.Errorf("timeline: prune audit log: %w", err)
		}
		return nil
	})
}

// AuditLog returns up to limit entries, newest first, older than the entry
// with id before (0: from the newest). It pages by id, never OFFSET.
func (s *Store) AuditLog(ctx context.Context, before int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT id, at, last_at, count, actor, action, target, detail, remote FROM audit_log`
	args := []any{}
	if before > 0 {
		q += ` WHERE id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("timeline: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at, last string
		if err := rows.Scan(&e.ID, &at, &last, &e.Count, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Remote); err != nil {
			return nil, err
		}
		e.At, e.Last = parseTime(at), parseTime(last)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeletedEvent is an event that an editor deleted and that has not been
// restored since: the deletion as the revision log recorded it.
type DeletedEvent struct {
	Slug      string
	Title     string
	Version   int // the version the deletion made, current for a restore
	Author    string
	Summary   string
	DeletedAt time.Time
}

// DeletedEvents returns up to limit deleted events, most recently deleted
// first, so that editors can find and restore them.
func (s *Store) DeletedEvents(ctx context.Context, limit int) ([]DeletedEvent, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := s.read.QueryContext(ctx, `SELECT e.slug, e.title, e.version, r.author, r.summary, e.deleted_at
		FROM events e JOIN revisions r ON r.event_id = e.id AND r.version = e.version
		WHERE e.deleted_at IS NOT NULL ORDER BY e.deleted_at DESC, e.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("timeline: deleted events: %w", err)
	}
	defer rows.Close()
	var out []DeletedEvent
	for rows.Next() {
		var d DeletedEvent
		var at string
		if err := rows.Scan(&d.Slug, &d.Title, &d.Version, &d.Author, &d.Summary, &at); err != nil {
			return nil, err
		}
		d.DeletedAt = parseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}
