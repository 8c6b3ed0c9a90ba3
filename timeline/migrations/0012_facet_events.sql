-- Every live event's start, end, category and significance with its
-- actors' ids and its tags (comma-separated), in start order. The events
-- at the edges of a date range, which the per-month tables cannot count
-- (see facets_months.go), are read from here in one sequential pass with
-- their actors and tags, instead of one probe of event_actors and
-- event_tags per event (three random reads each, most of a new filter's
-- cost at a million events). Triggers keep it in the transaction of every
-- write; BulkLoad rebuilds it in one pass.
CREATE TABLE facet_events (
	lo           INTEGER NOT NULL,
	id           INTEGER NOT NULL,
	hi           INTEGER NOT NULL,
	category     TEXT NOT NULL,
	significance INTEGER NOT NULL,
	actors       TEXT NOT NULL, -- actor ids, comma-separated
	tags         TEXT NOT NULL, -- tags, comma-separated
	PRIMARY KEY (lo, id)
) STRICT, WITHOUT ROWID;
-- The events that run from one month into a later one, by their end: the
-- few that end within a range's first month before its first day.
CREATE INDEX facet_events_multi_end ON facet_events (hi) WHERE hi / 100 > lo / 100;
DROP INDEX events_multi_end;

INSERT INTO facet_events (lo, id, hi, category, significance, actors, tags)
SELECT e.lo, e.id, e.hi, e.category, e.significance,
	COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = e.id), ''),
	COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = e.id), '')
FROM events e WHERE e.deleted_at IS NULL ORDER BY e.lo, e.id;

CREATE TRIGGER events_fe_ai AFTER INSERT ON events WHEN new.deleted_at IS NULL BEGIN
	INSERT INTO facet_events (lo, id, hi, category, significance, actors, tags) VALUES (new.lo, new.id, new.hi, new.category, new.significance,
		COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = new.id), ''),
		COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = new.id), ''));
END;
CREATE TRIGGER events_fe_au AFTER UPDATE OF lo, hi, category, significance, deleted_at ON events BEGIN
	DELETE FROM facet_events WHERE lo = old.lo AND id = old.id;
	INSERT INTO facet_events (lo, id, hi, category, significance, actors, tags) SELECT new.lo, new.id, new.hi, new.category, new.significance,
		COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = new.id), ''),
		COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = new.id), '')
	WHERE new.deleted_at IS NULL;
END;
CREATE TRIGGER events_fe_bd BEFORE DELETE ON events BEGIN
	DELETE FROM facet_events WHERE lo = old.lo AND id = old.id;
END;

-- An event's actors or tags change: its row follows.
CREATE TRIGGER event_actors_fe_ai AFTER INSERT ON event_actors BEGIN
	UPDATE facet_events SET actors = COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = new.event_id), '')
	WHERE id = new.event_id AND lo = (SELECT lo FROM events WHERE id = new.event_id);
END;
CREATE TRIGGER event_actors_fe_ad AFTER DELETE ON event_actors BEGIN
	UPDATE facet_events SET actors = COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = old.event_id), '')
	WHERE id = old.event_id AND lo = (SELECT lo FROM events WHERE id = old.event_id);
END;
CREATE TRIGGER event_actors_fe_au AFTER UPDATE OF event_id, actor_id ON event_actors BEGIN
	UPDATE facet_events SET actors = COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = old.event_id), '')
	WHERE id = old.event_id AND lo = (SELECT lo FROM events WHERE id = old.event_id);
	UPDATE facet_events SET actors = COALESCE((SELECT group_concat(actor_id) FROM event_actors WHERE event_id = new.event_id), '')
	WHERE id = new.event_id AND lo = (SELECT lo FROM events WHERE id = new.event_id);
END;
CREATE TRIGGER event_tags_fe_ai AFTER INSERT ON event_tags BEGIN
	UPDATE facet_events SET tags = COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = new.event_id), '')
	WHERE id = new.event_id AND lo = (SELECT lo FROM events WHERE id = new.event_id);
END;
CREATE TRIGGER event_tags_fe_ad AFTER DELETE ON event_tags BEGIN
	UPDATE facet_events SET tags = COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = old.event_id), '')
	WHERE id = old.event_id AND lo = (SELECT lo FROM events WHERE id = old.event_id);
END;
CREATE TRIGGER event_tags_fe_au AFTER UPDATE OF event_id, tag ON event_tags BEGIN
	UPDATE facet_events SET tags = COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = old.event_id), '')
	WHERE id = old.event_id AND lo = (SELECT lo FROM events WHERE id = old.event_id);
	UPDATE facet_events SET tags = COALESCE((SELECT group_concat(tag) FROM event_tags WHERE event_id = new.event_id), '')
	WHERE id = new.event_id AND lo = (SELECT lo FROM events WHERE id = new.event_id);
END;
