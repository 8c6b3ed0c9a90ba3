-- Corrections suggested by readers: what is wrong, the evidence, an
-- optional name and contact. Editors accept one (the event's revision that
-- applies it names it in revisions.correction) or decline it with a reason.
CREATE TABLE corrections (
	id         INTEGER PRIMARY KEY,
	ref        TEXT NOT NULL UNIQUE,   -- the reader's reference, "K7Q2-M9XD"
	event_slug TEXT NOT NULL,
	what       TEXT NOT NULL,
	evidence   TEXT NOT NULL,
	name       TEXT NOT NULL DEFAULT '',
	contact    TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined')),
	reason     TEXT NOT NULL DEFAULT '', -- why it was declined
	version    INTEGER NOT NULL DEFAULT 0, -- the event version that applied it
	created_at TEXT NOT NULL,
	decided_at TEXT NOT NULL DEFAULT '',
	decided_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX corrections_status ON corrections (status, created_at);
ALTER TABLE revisions ADD COLUMN correction TEXT NOT NULL DEFAULT '';
