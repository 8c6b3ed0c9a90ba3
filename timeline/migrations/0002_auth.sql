-- Accounts, sessions, API tokens and the audit log. Secrets are never
-- stored: passwords as argon2id PHC strings, session and API tokens as
-- their SHA-256 digests.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash   BLOB PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL -- the absolute limit; the idle limit follows last_seen_at
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	token_hash   BLOB NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	label        TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT
);

CREATE TABLE audit_log (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL,            -- the signed-in user, or '' for anonymous
	action TEXT NOT NULL,            -- login, login-failed, user-add, refused, …
	target TEXT NOT NULL DEFAULT '', -- the account or path acted on
	detail TEXT NOT NULL DEFAULT '',
	remote TEXT NOT NULL DEFAULT ''  -- client address
);

-- Editors list deleted events (to restore them) without scanning them all.
CREATE INDEX events_deleted ON events (deleted_at) WHERE deleted_at IS NOT NULL;
