-- The chronology: events and what hangs off them, eras, and revisions.
-- Dates are stored as ISO text (start, end) plus the derived earliest and
-- latest day as YYYYMMDD integers (lo, hi) for range queries and sorting.

CREATE TABLE events (
	id           INTEGER PRIMARY KEY,
	slug         TEXT NOT NULL UNIQUE,
	start        TEXT NOT NULL,
	"end"        TEXT NOT NULL DEFAULT '',
	lo           INTEGER NOT NULL,          -- earliest day of start
	hi           INTEGER NOT NULL,          -- latest day of end (or of start)
	prec         INTEGER NOT NULL,          -- precision of start: 1 year, 2 month, 3 day
	year         INTEGER NOT NULL,          -- lo / 10000, for the year facet
	approximate  INTEGER NOT NULL DEFAULT 0,
	title        TEXT NOT NULL,
	title_ja     TEXT NOT NULL DEFAULT '',
	title_ko     TEXT NOT NULL DEFAULT '',
	summary      TEXT NOT NULL,
	body         TEXT NOT NULL DEFAULT '',
	category     TEXT NOT NULL,
	significance INTEGER NOT NULL,
	location     TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	deleted_at   TEXT                        -- soft delete: kept for history and restore
) STRICT;

-- The chronological order (earliest day, coarser precision first, title, id)
-- is the keyset of every list; live events only.
CREATE INDEX events_order ON events (lo, prec, title, id) WHERE deleted_at IS NULL;
CREATE INDEX events_category_order ON events (category, lo, prec, title, id) WHERE deleted_at IS NULL;
CREATE INDEX events_year ON events (year, category) WHERE deleted_at IS NULL;
CREATE INDEX events_updated ON events (updated_at);

CREATE TABLE actors (
	id      INTEGER PRIMARY KEY,
	slug    TEXT NOT NULL UNIQUE,
	name    TEXT NOT NULL,
	name_ja TEXT NOT NULL DEFAULT '',
	name_ko TEXT NOT NULL DEFAULT '',
	kind    TEXT NOT NULL,
	country TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE event_actors (
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	actor_id INTEGER NOT NULL REFERENCES actors (id),
	position INTEGER NOT NULL,
	role     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (event_id, actor_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_actors_actor ON event_actors (actor_id, event_id);

CREATE TABLE event_tags (
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	tag      TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (event_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_tags_tag ON event_tags (tag, event_id);

CREATE TABLE sources (
	id        INTEGER PRIMARY KEY,
	event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	publisher TEXT NOT NULL,
	title     TEXT NOT NULL,
	url       TEXT NOT NULL DEFAULT '',
	date      TEXT NOT NULL DEFAULT '',
	language  TEXT NOT NULL,
	note      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sources_event ON sources (event_id, position);

CREATE TABLE relations (
	event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	relation  TEXT NOT NULL,
	position  INTEGER NOT NULL,
	PRIMARY KEY (event_id, target_id, relation)
) STRICT, WITHOUT ROWID;
CREATE INDEX relations_target ON relations (target_id);

CREATE TABLE eras (
	id          INTEGER PRIMARY KEY,
	slug        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	name_ja     TEXT NOT NULL DEFAULT '',
	start       TEXT NOT NULL,
	"end"       TEXT NOT NULL,
	lo          INTEGER NOT NULL,
	hi          INTEGER NOT NULL,
	description TEXT NOT NULL DEFAULT ''
) STRICT;

-- Every create, update, delete and restore of an event, as a full JSON
-- snapshot, written in the same transaction as the change.
CREATE TABLE revisions (
	id         INTEGER PRIMARY KEY,
	event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	version    INTEGER NOT NULL,
	action     TEXT NOT NULL,   -- create, update, delete, restore
	snapshot   TEXT NOT NULL,
	author     TEXT NOT NULL,
	summary    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	UNIQUE (event_id, version)
) STRICT;
CREATE INDEX revisions_created ON revisions (created_at);

-- Full-text search. Columns: words (English and romanised text, tokenised by
-- unicode61, searched with prefix matching) and grams (Japanese, Chinese and
-- Korean text as overlapping two-character grams, so that any substring of
-- two or more characters is found). rowid is events.id.
CREATE VIRTUAL TABLE events_fts USING fts5 (
	title, words, grams,
	content = '',
	contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);

-- Bumped by every write, so that caches keyed by it see every change,
-- including those of another process.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('data_version', 0), ('dataset_loaded', 0);
