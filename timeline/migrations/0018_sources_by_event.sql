-- Sources kept in their events' order (event_id, position), as every
-- reader asks for them: a page's cards read their events' sources with one
-- seek each instead of a seek into sources_event and another into the
-- table per source (at a million events, a third of reading a card's
-- children). No statement used the rowid. Positions are numbered afresh
-- within each event in their order, so that a duplicate cannot stop the
-- copy.
CREATE TABLE sources_by_event (
	event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	publisher TEXT NOT NULL,
	title     TEXT NOT NULL,
	url       TEXT NOT NULL DEFAULT '',
	date      TEXT NOT NULL DEFAULT '',
	language  TEXT NOT NULL,
	note      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;
INSERT INTO sources_by_event (event_id, position, publisher, title, url, date, language, note)
	SELECT event_id, row_number() OVER (PARTITION BY event_id ORDER BY position, id) - 1, publisher, title, url, date, language, note
	FROM sources ORDER BY event_id, position, id;
DROP TABLE sources;
ALTER TABLE sources_by_event RENAME TO sources;
