package timeline

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestAuditCapsFieldsAndAggregates: an anonymous client cannot grow the
// audit log by sending long paths or repeating a refused request: fields
// are capped, repeats within AuditAggregateWindow add to one row's count,
// and the log keeps at most AuditMaxRows rows.
func TestAuditCapsFieldsAndAggregates(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	long := "POST /" + strings.Repeat("a", 900<<10)
	for range 20 {
		if err := s.Audit(ctx, AuditEntry{Action: AuditRefused, Target: long, Detail: "cross-origin " + long, Remote: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second)
	}
	log, err := s.AuditLog(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Count != 20 {
		t.Fatalf("20 identical refusals: %d rows (count %d), want one row counting 20", len(log), log[0].Count)
	}
	e := log[0]
	if len(e.Target) > AuditFieldMax || len(e.Detail) > AuditFieldMax || !strings.HasSuffix(e.Target, "…") {
		t.Errorf("stored target of %d bytes, detail of %d, want at most %d, marked as cut", len(e.Target), len(e.Detail), AuditFieldMax)
	}
	if !e.Last.Equal(now.Add(-time.Second)) {
		t.Errorf("last seen %v, want %v", e.Last, now.Add(-time.Second))
	}
	// Another address, another action, or after the window: a new row.
	s.Audit(ctx, AuditEntry{Action: AuditRefused, Target: long, Remote: "203.0.113.10"})
	s.Audit(ctx, AuditEntry{Action: AuditLoginLimited, Target: "alice", Remote: "203.0.113.9"})
	s.Audit(ctx, AuditEntry{Action: AuditLoginLimited, Target: "alice", Remote: "203.0.113.9"})
	now = now.Add(AuditAggregateWindow + time.Second)
	s.Audit(ctx, AuditEntry{Action: AuditRefused, Target: long, Remote: "203.0.113.9"})
	// Logins and user changes are never folded together.
	s.Audit(ctx, AuditEntry{Actor: "alice", Action: AuditLogin, Target: "alice", Remote: "203.0.113.9"})
	s.Audit(ctx, AuditEntry{Actor: "alice", Action: AuditLogin, Target: "alice", Remote: "203.0.113.9"})
	log, _ = s.AuditLog(ctx, 0, 100)
	if len(log) != 6 {
		t.Errorf("got %d rows, want 6: %+v", len(log), log)
	}
	if log[3].Action != AuditLoginLimited || log[3].Count != 2 {
		t.Errorf("two 429s for one account and address: %+v, want one row counting 2", log[3])
	}
	// Invalid UTF-8 and control characters do not reach the log as they are.
	s.Audit(ctx, AuditEntry{Action: AuditLoginFailed, Target: "bad\xff\x1bname", Remote: "203.0.113.9"})
	log, _ = s.AuditLog(ctx, 0, 1)
	if CheckText(log[0].Target, AuditFieldMax, false) != "" {
		t.Errorf("stored target %q", log[0].Target)
	}
}

// TestAuditRetention: the log keeps AuditMaxRows rows and AuditRetention
// of time; older entries go as new ones come.
func TestAuditRetention(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	s.Audit(ctx, AuditEntry{Action: AuditLogin, Target: "old"})
	now = now.Add(AuditRetention + time.Hour)
	for i := range auditPruneEvery {
		if err := s.Audit(ctx, AuditEntry{Action: AuditLogin, Target: "new", Detail: string(rune('a' + i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	log, _ := s.AuditLog(ctx, 0, 500)
	for _, e := range log {
		if e.Target == "old" {
			t.Errorf("an entry older than %v is kept", AuditRetention)
		}
	}
	var n int
	s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n)
	if n != auditPruneEvery {
		t.Errorf("%d rows, want %d", n, auditPruneEvery)
	}
	if err := s.pruneAudit(ctx, 10); err != nil {
		t.Fatal(err)
	}
	s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n)
	if n != 10 {
		t.Errorf("after pruning to 10 rows: %d rows", n)
	}
}
