package timeline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Roles a user can have. An admin can do everything an editor can, and
// manage users.
const (
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// Password length limits, counted in characters. The upper limit only
// stops absurd inputs from costing hashing time.
const (
	MinPassword = 12
	MaxPassword = 256
)

// Session lifetimes: a session ends after SessionIdle without a request,
// and after SessionMax whatever happens.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
)

// ErrBadCredentials means the name or password was wrong, or the account
// is disabled; callers must not tell the user which. Authenticate returns
// it within a *LoginError, which says which for the audit log.
var ErrBadCredentials = errors.New("wrong user name or password")

// Why a sign-in was refused (LoginError.Reason).
const (
	LoginUnknownUser   = "unknown user"
	LoginWrongPassword = "wrong password"
	LoginDisabled      = "account disabled"
)

// LoginError is a refused sign-in: the name tried and why (one of the
// Login… reasons). It wraps ErrBadCredentials.
type LoginError struct {
	Name   string
	Reason string
}

func (e *LoginError) Error() string {
	return fmt.Sprintf("timeline: authenticate %q: %s: %v", e.Name, e.Reason, ErrBadCredentials)
}

// Unwrap makes errors.Is(err, ErrBadCredentials) true.
func (e *LoginError) Unwrap() error { return ErrBadCredentials }

// User is an account of an analyst who edits the chronology.
type User struct {
	ID        int64
	Name      string // lowercase letters, digits, '.', '_' and '-'
	Role      string // RoleEditor or RoleAdmin
	Disabled  bool   // a disabled user can neither sign in nor use a token
	CreatedAt time.Time
	// DisplayName is the name the user appears under in public history:
	// the one set with SetDisplayName, or "Editor N" (N the id).
	DisplayName string
}

// IsAdmin reports whether u may manage users.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// Token describes an API token; the token itself is never stored.
type Token struct {
	ID         int64
	UserName   string
	Label      string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ValidRole reports whether role is editor or admin.
func ValidRole(role string) bool { return role == RoleEditor || role == RoleAdmin }

// CheckPassword returns the rule a password breaks, or "".
func CheckPassword(password string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return "must be valid UTF-8 text"
	case n < MinPassword:
		return fmt.Sprintf("must be at least %d characters (has %d)", MinPassword, n)
	case n > MaxPassword:
		return fmt.Sprintf("must be at most %d characters (has %d)", MaxPassword, n)
	}
	return ""
}

// CreateUser adds an account. It returns a *ValidationError naming every
// bad field (name, role, password), or ErrExists when the name is taken.
func (s *Store) CreateUser(ctx context.Context, name, role, password string) (User, error) {
	p := problems{}
	if !userNameRE.MatchString(name) {
		p.add("name", "must be 1–64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	if !ValidRole(role) {
		p.add("role", "must be editor or admin")
	}
	if msg := CheckPassword(password); msg != "" {
		p.add("password", "%s", msg)
	}
	if err := p.err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{Name: name, Role: role, CreatedAt: now}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("timeline: user %q: %w", name, ErrExists)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?,?,?,?,?)`,
			name, role, hash, formatTime(now), formatTime(now))
		if err != nil {
			return fmt.Errorf("timeline: create user %q: %w", name, err)
		}
		u.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

const userColumns = `u.id, u.name, u.role, u.disabled, u.created_at, ` + displayNameSQL

// displayNameSQL is the name user u appears under in public history: the
// display name set for them, or "Editor N" (N their id), which says
// nothing of who they are; never the sign-in name.
const displayNameSQL = `CASE WHEN u.display_name <> '' THEN u.display_name ELSE 'Editor ' || u.id END`

// publicAuthorSQL is the public name of the author of revision r: a
// user's display name; an import by a user as "import by " and theirs;
// the names the system writes under ("dataset", "synth") as they are;
// anything else, such as a user since removed, as "an editor".
const publicAuthorSQL = `CASE WHEN r.author IN ('dataset', 'synth', 'unknown') THEN r.author ELSE COALESCE(
	(SELECT ` + displayNameSQL + ` FROM users u WHERE u.name = r.author),
	(SELECT 'import by ' || ` + displayNameSQL + ` FROM users u WHERE 'import:' || u.name = r.author),
	CASE WHEN r.author LIKE 'import%' THEN 'import' ELSE 'an editor' END) END`

// MaxDisplayName bounds a display name.
const MaxDisplayName = 80

// SetDisplayName sets the name the account called name appears under in
// public history (ErrNotFound when there is none; a *ValidationError keyed
// "display_name" for an empty, over-long or multi-line one).
func (s *Store) SetDisplayName(ctx context.Context, name, display string) error {
	display = strings.TrimSpace(display)
	if msg := CheckText(display, MaxDisplayName, false); msg != "" || display == "" {
		if display == "" {
			msg = "must not be empty"
		}
		return &ValidationError{Problems: map[string]string{"display_name": msg}}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return updateUser(ctx, tx, name, `UPDATE users SET display_name = ?, updated_at = ? WHERE name = ?`, display, formatTime(s.now()), name)
	})
}

func scanUser(row scanner) (User, error) {
	var u User
	var created string
	if err := row.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &created, &u.DisplayName); err != nil {
		return User{}, err
	}
	u.CreatedAt = parseTime(created)
	return u, nil
}

// GetUser returns the account called name, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, name string) (User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("timeline: user %q: %w", name, ErrNotFound)
	}
	return u, err
}

// ListUsers returns every account, by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("timeline: list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserRole changes the role of the account called name (ErrNotFound
// when there is none, a *ValidationError for an unknown role).
func (s *Store) SetUserRole(ctx context.Context, name, role string) error {
	if !ValidRole(role) {
		return &ValidationError{Problems: map[string]string{"role": "must be editor or admin"}}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return updateUser(ctx, tx, name, `UPDATE users SET role = ?, updated_at = ? WHERE name = ?`, role, formatTime(s.now()), name)
	})
}

// SetUserDisabled disables or enables the account called name. Disabling
// ends its sessions at once, in the same transaction; its API tokens stop
// working while it is disabled.
func (s *Store) SetUserDisabled(ctx context.Context, name string, disabled bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := updateUser(ctx, tx, name, `UPDATE users SET disabled = ?, updated_at = ? WHERE name = ?`, disabled, formatTime(s.now()), name); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		return endSessions(ctx, tx, name)
	})
}

// SetPassword replaces the password of the account called name and ends
// its sessions, in one transaction.
func (s *Store) SetPassword(ctx context.Context, name, password string) error {
	if msg := CheckPassword(password); msg != "" {
		return &ValidationError{Problems: map[string]string{"password": msg}}
	}
	if s.readOnly {
		return ErrReadOnly // before spending a hash
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := updateUser(ctx, tx, name, `UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?`, hash, formatTime(s.now()), name); err != nil {
			return err
		}
		return endSessions(ctx, tx, name)
	})
}

func endSessions(ctx context.Context, tx *sql.Tx, name string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)`, name); err != nil {
		return fmt.Errorf("timeline: end sessions of %q: %w", name, err)
	}
	return nil
}

func updateUser(ctx context.Context, tx *sql.Tx, name, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("timeline: update user %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("timeline: user %q: %w", name, ErrNotFound)
	}
	return nil
}

// Authenticate checks a name and password. It returns the user, or a
// *LoginError (wrapping ErrBadCredentials) when the name is unknown, the
// password wrong or the account disabled. An unknown name costs a hash like a known
// one, so that timing does not tell which names exist.
func (s *Store) Authenticate(ctx context.Context, name, password string) (User, error) {
	var hash string
	u, err := scanUserHash(s.read.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash FROM users u WHERE u.name = ?`, name), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		VerifyPassword(dummyHash, password)
		return User{}, &LoginError{Name: name, Reason: LoginUnknownUser}
	} else if err != nil {
		return User{}, fmt.Errorf("timeline: authenticate %q: %w", name, err)
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return User{}, fmt.Errorf("timeline: authenticate %q: %w", name, err)
	}
	if !ok {
		return User{}, &LoginError{Name: name, Reason: LoginWrongPassword}
	}
	if u.Disabled {
		return User{}, &LoginError{Name: name, Reason: LoginDisabled}
	}
	return u, nil
}

func scanUserHash(row scanner, hash *string) (User, error) {
	var u User
	var created string
	if err := row.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &created, &u.DisplayName, hash); err != nil {
		return User{}, err
	}
	u.CreatedAt = parseTime(created)
	return u, nil
}

// PasswordHash returns the stored PHC string of the account called name
// (for checks and migrations; never shown to anyone).
func (s *Store) PasswordHash(ctx context.Context, name string) (string, error) {
	var h string
	err := s.read.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE name = ?`, name).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("timeline: user %q: %w", name, ErrNotFound)
	}
	return h, err
}

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane). Stored hashes carry their own parameters, so these can be raised
// without invalidating old hashes.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// dummyHash is verified against when the user does not exist, so that the
// answer takes as long as for a real user. It is the hash of a random
// string nobody knows.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$wCbOgns+7LhXfA0N/55b+A$siOvZwlWpePUDQ2sGIlKcuDiiUELJhK6HLHsj4W/cpI"

// HashPassword hashes password with argon2id and a random salt, as a PHC
// string: $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH (unpadded base64).
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string hash,
// using the parameters the hash names. A malformed hash is an error.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false, errors.New("timeline: password hash is not an argon2id PHC string")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("timeline: password hash parameters: %w", err)
	}
	// Bounds keep a damaged row from costing unbounded memory or time.
	if m < 8*1024 || m > 1<<20 || t < 1 || t > 20 || p < 1 || p > 16 {
		return false, fmt.Errorf("timeline: password hash parameters out of range: %s", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("timeline: password hash salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, errors.New("timeline: password hash digest is malformed")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// newSecret returns 32 random bytes as unpadded URL-safe base64 text, and
// the SHA-256 digest under which it is stored.
func newSecret(prefix string) (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	plain := prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, digest(plain), nil
}

func digest(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// CreateSession starts a session for the user with id userID and returns
// its token (256 random bits), which only the client keeps: the store keeps
// its digest. Expired sessions are swept at the same time.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	plain, hash, err := newSecret("")
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`,
			formatTime(now), formatTime(now.Add(-SessionIdle))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?,?,?,?,?)`,
			hash, userID, formatTime(now), formatTime(now), formatTime(now.Add(SessionMax)))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("timeline: create session: %w", err)
	}
	return plain, nil
}

// SessionUser returns the user of the live session with the given token,
// and keeps the session alive. It returns ErrNotFound when the token is
// unknown, the session expired (idle or absolute) or the user is disabled.
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	if token == "" || len(token) > 200 {
		return User{}, fmt.Errorf("timeline: session: %w", ErrNotFound)
	}
	now := s.now()
	hash := digest(token)
	var lastSeen string
	row := s.read.QueryRowContext(ctx, `SELECT `+userColumns+`, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled = 0`,
		hash, formatTime(now), formatTime(now.Add(-SessionIdle)))
	u, err := scanUserHash(row, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("timeline: session: %w", ErrNotFound)
	} else if err != nil {
		return User{}, fmt.Errorf("timeline: session: %w", err)
	}
	// Touch at most once a minute, so that reading pages is not a write
	// per request.
	if !s.readOnly && parseTime(lastSeen).Before(now.Add(-time.Minute)) {
		if _, err := s.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, formatTime(now), hash); err != nil {
			return User{}, fmt.Errorf("timeline: touch session: %w", err)
		}
	}
	return u, nil
}

// DeleteSession ends the session with the given token; ending an unknown
// session is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, digest(token)); err != nil {
		return fmt.Errorf("timeline: delete session: %w", err)
	}
	return nil
}

// CreateToken makes an API token for the user called userName and returns
// it; this is the only time it is seen, as the store keeps its digest. It
// returns ErrNotFound when there is no such user.
func (s *Store) CreateToken(ctx context.Context, userName, label string) (string, error) {
	label = strings.TrimSpace(label)
	if msg := CheckText(label, MaxShort, false); msg != "" {
		return "", &ValidationError{Problems: map[string]string{"label": msg}}
	}
	plain, hash, err := newSecret("tl_")
	if err != nil {
		return "", err
	}
	res, err := s.exec(ctx, `INSERT INTO api_tokens (token_hash, user_id, label, created_at)
		SELECT ?, id, ?, ? FROM users WHERE name = ?`, hash, label, formatTime(s.now()), userName)
	if err != nil {
		return "", fmt.Errorf("timeline: create token for %q: %w", userName, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", fmt.Errorf("timeline: create token: user %q: %w", userName, ErrNotFound)
	}
	return plain, nil
}

// TokenUser returns the user of an API token. It returns ErrNotFound when
// the token is unknown or revoked, or its user is disabled.
func (s *Store) TokenUser(ctx context.Context, token string) (User, error) {
	if token == "" || len(token) > 200 {
		return User{}, fmt.Errorf("timeline: token: %w", ErrNotFound)
	}
	hash := digest(token)
	var tokenID int64
	var lastUsed sql.NullString
	var created string
	var u User
	err := s.read.QueryRowContext(ctx, `SELECT `+userColumns+`, t.id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`, hash).
		Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &created, &u.DisplayName, &tokenID, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("timeline: token: %w", ErrNotFound)
	} else if err != nil {
		return User{}, fmt.Errorf("timeline: token: %w", err)
	}
	u.CreatedAt = parseTime(created)
	now := s.now()
	if !s.readOnly && (!lastUsed.Valid || parseTime(lastUsed.String).Before(now.Add(-time.Minute))) {
		if _, err := s.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(now), tokenID); err != nil {
			return User{}, fmt.Errorf("timeline: touch token: %w", err)
		}
	}
	return u, nil
}

// RevokeToken stops the token with the given id from working. It returns
// ErrNotFound when there is no such token or it was already revoked.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, formatTime(s.now()), id)
	if err != nil {
		return fmt.Errorf("timeline: revoke token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("timeline: token %d: %w", id, ErrNotFound)
	}
	return nil
}

// ListTokens returns every API token (revoked ones too), oldest first.
func (s *Store) ListTokens(ctx context.Context) ([]Token, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT t.id, u.name, t.label, t.created_at, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id`)
	if err != nil {
		return nil, fmt.Errorf("timeline: list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created string
		var used, revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.UserName, &t.Label, &created, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = parseTime(created)
		t.LastUsedAt = optTime(used)
		t.RevokedAt = optTime(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

func optTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}
