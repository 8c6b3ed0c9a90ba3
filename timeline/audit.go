package timeline

import (
	"context"
	"fmt"
	"time"
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
}

// Audit appends e to the audit log, stamping it with the store's clock.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	_, err := s.exec(ctx, `INSERT INTO audit_log (at, actor, action, target, detail, remote) VALUES (?,?,?,?,?,?)`,
		formatTime(s.now()), e.Actor, e.Action, e.Target, e.Detail, e.Remote)
	if err != nil {
		return fmt.Errorf("timeline: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns up to limit entries, newest first, older than the entry
// with id before (0: from the newest). It pages by id, never OFFSET.
func (s *Store) AuditLog(ctx context.Context, before int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT id, at, actor, action, target, detail, remote FROM audit_log`
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
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Remote); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
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
