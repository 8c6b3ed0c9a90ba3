-- The verification record: each event checked against a source independent
-- of the ones it cites (the shipped data/verification/*.tsv, kept in step
-- by Store.SyncChecks). checks_digest says which record is stored.
CREATE TABLE checks (
	event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	checked_on TEXT NOT NULL,
	checked    TEXT NOT NULL,
	publisher  TEXT NOT NULL,
	title      TEXT NOT NULL,
	url        TEXT NOT NULL DEFAULT '',
	result     TEXT NOT NULL CHECK (result IN ('confirmed', 'corrected', 'disputed')),
	note       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('checks_digest', 0);
