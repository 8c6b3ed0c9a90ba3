package timeline

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestUserCreateAndAuthenticate(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	u, err := s.CreateUser(ctx, "alice", RoleEditor, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Role != RoleEditor || u.Disabled {
		t.Errorf("created %+v", u)
	}
	hash, err := s.PasswordHash(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if !phcRE.MatchString(hash) {
		t.Errorf("stored hash %q is not an argon2id PHC string with OWASP parameters", hash)
	}
	if strings.Contains(hash, "correct") {
		t.Error("the stored hash contains the password")
	}
	if got, err := s.Authenticate(ctx, "alice", "correct horse battery"); err != nil || got.Name != "alice" {
		t.Errorf("Authenticate = %+v, %v; want alice", got, err)
	}
	for _, tt := range []struct{ name, user, password, reason string }{
		{"wrong password", "alice", "correct horse staple", LoginWrongPassword},
		{"unknown user", "bob", "correct horse battery", LoginUnknownUser},
		{"empty password", "alice", "", LoginWrongPassword},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Authenticate(ctx, tt.user, tt.password)
			checkLoginError(t, err, tt.reason)
		})
	}
	if err := s.SetUserDisabled(ctx, "alice", true); err != nil {
		t.Fatal(err)
	}
	_, err = s.Authenticate(ctx, "alice", "correct horse battery")
	checkLoginError(t, err, LoginDisabled)
	if _, err := s.CreateUser(ctx, "alice", RoleAdmin, "another long password"); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate name: got %v, want ErrExists", err)
	}
}

func TestUserValidation(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	for _, tt := range []struct {
		name, user, role, password string
		field                      string // "" when valid
	}{
		{"ok", "carol", RoleAdmin, "twelve chars", ""},
		{"64 characters", "dave", RoleEditor, strings.Repeat("x", 64), ""},
		{"256 characters", "erin", RoleEditor, strings.Repeat("é", 256), ""},
		{"short password", "frank", RoleEditor, "eleven char", "password"},
		{"too long password", "grace", RoleEditor, strings.Repeat("x", 257), "password"},
		{"bad role", "heidi", "root", "twelve chars", "role"},
		{"bad name", "Ivan Smith", RoleEditor, "twelve chars", "name"},
		{"empty name", "", RoleEditor, "twelve chars", "name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateUser(ctx, tt.user, tt.role, tt.password)
			var ve *ValidationError
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			if !errors.As(err, &ve) || ve.Problems[tt.field] == "" {
				t.Fatalf("got %v, want a problem with %s", err, tt.field)
			}
		})
	}
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaA"} {
		if ok, err := VerifyPassword(h, "x"); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error", h, ok, err)
		}
	}
	if ok, err := VerifyPassword(dummyHash, "anything at all"); ok || err != nil {
		t.Errorf("dummy hash: got %v, %v; want false, nil", ok, err)
	}
}

func TestSessionLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	u, err := s.CreateUser(ctx, "alice", RoleEditor, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 22 { // 128 bits in base64
		t.Errorf("token %q is too short", tok)
	}
	tok2, _ := s.CreateSession(ctx, u.ID)
	if tok2 == tok {
		t.Error("two sessions got the same token")
	}
	if got, err := s.SessionUser(ctx, tok); err != nil || got.Name != "alice" {
		t.Fatalf("SessionUser = %+v, %v", got, err)
	}
	// Used every 11 hours, the session lives until its absolute limit.
	for i := 0; i < 16; i++ { // 16×11h passes the 7-day limit
		now = now.Add(11 * time.Hour)
		_, err := s.SessionUser(ctx, tok)
		if past := now.Sub(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)) >= SessionMax; past != errors.Is(err, ErrNotFound) {
			t.Fatalf("after %d×11h: err %v", i+1, err)
		}
	}
	// tok2 was idle all that time.
	if _, err := s.SessionUser(ctx, tok2); !errors.Is(err, ErrNotFound) {
		t.Errorf("idle session: got %v, want ErrNotFound", err)
	}
	tok3, _ := s.CreateSession(ctx, u.ID)
	if err := s.DeleteSession(ctx, tok3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, tok3); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted session: got %v, want ErrNotFound", err)
	}
	tok4, _ := s.CreateSession(ctx, u.ID)
	if err := s.SetUserDisabled(ctx, "alice", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, "alice", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, tok4); !errors.Is(err, ErrNotFound) {
		t.Errorf("session of a disabled (then enabled) user: got %v, want ErrNotFound", err)
	}
}

func TestUserTokens(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	if _, err := s.CreateUser(ctx, "bot", RoleEditor, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, "nobody", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("token for unknown user: got %v, want ErrNotFound", err)
	}
	tok, err := s.CreateToken(ctx, "bot", "importer")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.TokenUser(ctx, tok); err != nil || u.Name != "bot" {
		t.Fatalf("TokenUser = %+v, %v", u, err)
	}
	if _, err := s.TokenUser(ctx, tok+"x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("wrong token: got %v", err)
	}
	list, err := s.ListTokens(ctx)
	if err != nil || len(list) != 1 || list[0].Label != "importer" || list[0].UserName != "bot" || list[0].LastUsedAt == nil {
		t.Fatalf("ListTokens = %+v, %v", list, err)
	}
	if err := s.SetUserDisabled(ctx, "bot", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(ctx, tok); !errors.Is(err, ErrNotFound) {
		t.Errorf("token of disabled user: got %v", err)
	}
	s.SetUserDisabled(ctx, "bot", false)
	if err := s.RevokeToken(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(ctx, tok); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token: got %v", err)
	}
	if err := s.RevokeToken(ctx, list[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking twice: got %v", err)
	}
}

func TestAuditLogPages(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	for i := 0; i < 5; i++ {
		if err := s.Audit(ctx, AuditEntry{Actor: "alice", Action: AuditLogin, Target: "alice", Remote: "127.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.AuditLog(ctx, 0, 3)
	if err != nil || len(first) != 3 || first[0].ID <= first[2].ID {
		t.Fatalf("first page = %+v, %v", first, err)
	}
	rest, err := s.AuditLog(ctx, first[2].ID, 3)
	if err != nil || len(rest) != 2 || rest[0].ID >= first[2].ID {
		t.Fatalf("second page = %+v, %v", rest, err)
	}
}

func TestDeletedEvents(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	e := mustCreate(t, s, testEvent("2014-05", "Stockholm agreement"))
	mustCreate(t, s, testEvent("2002-09-17", "Pyongyang summit"))
	if err := s.DeleteEvent(ctx, e.Slug, e.Version, Change{Author: "alice", Summary: "duplicate"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.DeletedEvents(ctx, 10)
	if err != nil || len(got) != 1 || got[0].Slug != e.Slug || got[0].Author != "alice" || got[0].Summary != "duplicate" || got[0].Version != 2 {
		t.Fatalf("DeletedEvents = %+v, %v", got, err)
	}
	if _, err := s.RestoreEvent(ctx, e.Slug, 1, 2, Change{Author: "alice"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.DeletedEvents(ctx, 10); len(got) != 0 {
		t.Errorf("after restore: %+v", got)
	}
}

// TestUserChangesAreAtomic: disabling a user or setting a password and
// ending the sessions is one transaction: when ending the sessions fails,
// the account is left as it was.
func TestUserChangesAreAtomic(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "alice", RoleEditor, "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TRIGGER keep_sessions BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'sessions are kept'); END`); err != nil {
		t.Fatal(err)
	}
	hash, _ := s.PasswordHash(ctx, "alice")
	if err := s.SetUserDisabled(ctx, "alice", true); err == nil {
		t.Fatal("disable succeeded though its sessions could not be ended")
	}
	if err := s.SetPassword(ctx, "alice", "another long passphrase"); err == nil {
		t.Fatal("password change succeeded though its sessions could not be ended")
	}
	if got, err := s.GetUser(ctx, "alice"); err != nil || got.Disabled {
		t.Errorf("after a failed disable: %+v, %v; want the account still enabled", got, err)
	}
	if got, _ := s.PasswordHash(ctx, "alice"); got != hash {
		t.Error("after a failed password change the password is changed")
	}
	if _, err := s.SessionUser(ctx, token); err != nil {
		t.Errorf("session: %v", err)
	}
}

// TestReadOnlyStoreRefusesEveryWrite: every write method of a replica
// answers ErrReadOnly, none reaches SQLite.
func TestReadOnlyStoreRefusesEveryWrite(t *testing.T) {
	primary := newTestStore(t)
	ctx := context.Background()
	if _, err := primary.CreateUser(ctx, "alice", RoleEditor, "a long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	replica, err := Open(ctx, primary.Path(), ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	writes := map[string]error{
		"Audit":           replica.Audit(ctx, AuditEntry{Action: AuditRefused}),
		"SetUserRole":     replica.SetUserRole(ctx, "alice", RoleAdmin),
		"SetUserDisabled": replica.SetUserDisabled(ctx, "alice", true),
		"SetPassword":     replica.SetPassword(ctx, "alice", "another long passphrase"),
		"DeleteSession":   replica.DeleteSession(ctx, "x"),
		"RevokeToken":     replica.RevokeToken(ctx, 1),
		"Analyze":         replica.Analyze(ctx),
	}
	_, writes["CreateToken"] = replica.CreateToken(ctx, "alice", "")
	_, writes["CreateSession"] = replica.CreateSession(ctx, 1)
	for name, err := range writes {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a replica: got %v, want ErrReadOnly", name, err)
		}
	}
}

// checkLoginError checks that err is a refused sign-in for reason, told
// apart by its type (never by its text).
func checkLoginError(t *testing.T, err error, reason string) {
	t.Helper()
	if !errors.Is(err, ErrBadCredentials) {
		t.Errorf("got %v, want ErrBadCredentials", err)
	}
	le, ok := errors.AsType[*LoginError](err)
	if !ok {
		t.Fatalf("got %T %v, want a *LoginError", err, err)
	}
	if le.Reason != reason {
		t.Errorf("reason: got %q, want %q", le.Reason, reason)
	}
}
