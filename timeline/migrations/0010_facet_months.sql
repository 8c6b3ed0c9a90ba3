-- Counts of live events per start month (lo / 100, YYYYMM) and category and
-- significance, and per start month and per start year for each actor and
-- tag, kept by triggers in the transaction of every write. A date filter's
-- counts then sum the whole months and years inside its range and count
-- only the events at its edges (see facetPlan in facets.go): a few hundred
-- rows instead of every event in the range.
CREATE TABLE facet_month (
	month        INTEGER NOT NULL,
	category     TEXT NOT NULL,
	significance INTEGER NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (month, category, significance)
) STRICT, WITHOUT ROWID;
CREATE TABLE facet_month_actor (
	month    INTEGER NOT NULL,
	actor_id INTEGER NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (month, actor_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE facet_year_actor (
	year     INTEGER NOT NULL,
	actor_id INTEGER NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (year, actor_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE facet_month_tag (
	month INTEGER NOT NULL,
	tag   TEXT NOT NULL,
	n     INTEGER NOT NULL,
	PRIMARY KEY (month, tag)
) STRICT, WITHOUT ROWID;
CREATE TABLE facet_year_tag (
	year INTEGER NOT NULL,
	tag  TEXT NOT NULL,
	n    INTEGER NOT NULL,
	PRIMARY KEY (year, tag)
) STRICT, WITHOUT ROWID;

INSERT INTO facet_month (month, category, significance, n)
SELECT lo / 100, category, significance, COUNT(*) FROM events WHERE deleted_at IS NULL GROUP BY 1, 2, 3;
INSERT INTO facet_month_actor (month, actor_id, n)
SELECT e.lo / 100, ea.actor_id, COUNT(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE e.deleted_at IS NULL GROUP BY 1, 2;
INSERT INTO facet_year_actor (year, actor_id, n)
SELECT month / 100, actor_id, SUM(n) FROM facet_month_actor GROUP BY 1, 2;
INSERT INTO facet_month_tag (month, tag, n)
SELECT e.lo / 100, t.tag, COUNT(*) FROM event_tags t JOIN events e ON e.id = t.event_id WHERE e.deleted_at IS NULL GROUP BY 1, 2;
INSERT INTO facet_year_tag (year, tag, n)
SELECT month / 100, tag, SUM(n) FROM facet_month_tag GROUP BY 1, 2;

CREATE TRIGGER events_fm_ai AFTER INSERT ON events WHEN new.deleted_at IS NULL BEGIN
	INSERT INTO facet_month (month, category, significance, n) VALUES (new.lo / 100, new.category, new.significance, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER events_fm_au AFTER UPDATE OF lo, category, significance, deleted_at ON events
WHEN old.lo / 100 <> new.lo / 100 OR old.category <> new.category OR old.significance <> new.significance
	OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
	UPDATE facet_month SET n = n - 1 WHERE old.deleted_at IS NULL
		AND month = old.lo / 100 AND category = old.category AND significance = old.significance;
	INSERT INTO facet_month (month, category, significance, n)
		SELECT new.lo / 100, new.category, new.significance, 1 WHERE new.deleted_at IS NULL
		ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- An event that moves to another month, or is deleted or brought back,
-- takes its actors and tags with it.
CREATE TRIGGER events_fm_move AFTER UPDATE OF lo, deleted_at ON events
WHEN old.lo / 100 <> new.lo / 100 OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
	UPDATE facet_month_actor SET n = n - 1 WHERE old.deleted_at IS NULL AND month = old.lo / 100
		AND actor_id IN (SELECT actor_id FROM event_actors WHERE event_id = new.id);
	UPDATE facet_year_actor SET n = n - 1 WHERE old.deleted_at IS NULL AND year = old.lo / 10000
		AND actor_id IN (SELECT actor_id FROM event_actors WHERE event_id = new.id);
	INSERT INTO facet_month_actor (month, actor_id, n) SELECT new.lo / 100, actor_id, 1 FROM event_actors
		WHERE event_id = new.id AND new.deleted_at IS NULL ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO facet_year_actor (year, actor_id, n) SELECT new.lo / 10000, actor_id, 1 FROM event_actors
		WHERE event_id = new.id AND new.deleted_at IS NULL ON CONFLICT DO UPDATE SET n = n + 1;
	UPDATE facet_month_tag SET n = n - 1 WHERE old.deleted_at IS NULL AND month = old.lo / 100
		AND tag IN (SELECT tag FROM event_tags WHERE event_id = new.id);
	UPDATE facet_year_tag SET n = n - 1 WHERE old.deleted_at IS NULL AND year = old.lo / 10000
		AND tag IN (SELECT tag FROM event_tags WHERE event_id = new.id);
	INSERT INTO facet_month_tag (month, tag, n) SELECT new.lo / 100, tag, 1 FROM event_tags
		WHERE event_id = new.id AND new.deleted_at IS NULL ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO facet_year_tag (year, tag, n) SELECT new.lo / 10000, tag, 1 FROM event_tags
		WHERE event_id = new.id AND new.deleted_at IS NULL ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- A live event removed outright: its counts go while its actors and tags
-- are still there (the cascade that removes them finds no live event).
CREATE TRIGGER events_fm_bd BEFORE DELETE ON events WHEN old.deleted_at IS NULL BEGIN
	UPDATE facet_month SET n = n - 1 WHERE month = old.lo / 100 AND category = old.category AND significance = old.significance;
	UPDATE facet_month_actor SET n = n - 1 WHERE month = old.lo / 100
		AND actor_id IN (SELECT actor_id FROM event_actors WHERE event_id = old.id);
	UPDATE facet_year_actor SET n = n - 1 WHERE year = old.lo / 10000
		AND actor_id IN (SELECT actor_id FROM event_actors WHERE event_id = old.id);
	UPDATE facet_month_tag SET n = n - 1 WHERE month = old.lo / 100
		AND tag IN (SELECT tag FROM event_tags WHERE event_id = old.id);
	UPDATE facet_year_tag SET n = n - 1 WHERE year = old.lo / 10000
		AND tag IN (SELECT tag FROM event_tags WHERE event_id = old.id);
END;

CREATE TRIGGER event_actors_fm_ai AFTER INSERT ON event_actors
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = new.event_id) BEGIN
	INSERT INTO facet_month_actor (month, actor_id, n) SELECT lo / 100, new.actor_id, 1 FROM events WHERE id = new.event_id
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO facet_year_actor (year, actor_id, n) SELECT lo / 10000, new.actor_id, 1 FROM events WHERE id = new.event_id
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_actors_fm_ad AFTER DELETE ON event_actors
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = old.event_id) BEGIN
	UPDATE facet_month_actor SET n = n - 1
		WHERE month = (SELECT lo / 100 FROM events WHERE id = old.event_id) AND actor_id = old.actor_id;
	UPDATE facet_year_actor SET n = n - 1
		WHERE year = (SELECT lo / 10000 FROM events WHERE id = old.event_id) AND actor_id = old.actor_id;
END;
CREATE TRIGGER event_tags_fm_ai AFTER INSERT ON event_tags
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = new.event_id) BEGIN
	INSERT INTO facet_month_tag (month, tag, n) SELECT lo / 100, new.tag, 1 FROM events WHERE id = new.event_id
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO facet_year_tag (year, tag, n) SELECT lo / 10000, new.tag, 1 FROM events WHERE id = new.event_id
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_tags_fm_ad AFTER DELETE ON event_tags
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = old.event_id) BEGIN
	UPDATE facet_month_tag SET n = n - 1
		WHERE month = (SELECT lo / 100 FROM events WHERE id = old.event_id) AND tag = old.tag;
	UPDATE facet_year_tag SET n = n - 1
		WHERE year = (SELECT lo / 10000 FROM events WHERE id = old.event_id) AND tag = old.tag;
END;

-- Events that run from one month into a later one counted in every later
-- month they reach ("crossing" into it): those alive on the first day of a
-- month that began before it. With them, the events that began before a
-- range and still run in it are a lookup, not a scan (see facetPlan). An
-- index on the ends of such events finds the few that end within the first
-- month of a range, before its first day.
CREATE TABLE facet_cross (
	month        INTEGER NOT NULL,
	year         INTEGER NOT NULL, -- the year the events start in
	category     TEXT NOT NULL,
	significance INTEGER NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (month, year, category, significance)
) STRICT, WITHOUT ROWID;
CREATE TABLE facet_cross_actor (
	month    INTEGER NOT NULL,
	actor_id INTEGER NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (month, actor_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE facet_cross_tag (
	month INTEGER NOT NULL,
	tag   TEXT NOT NULL,
	n     INTEGER NOT NULL,
	PRIMARY KEY (month, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX events_multi_end ON events (hi, lo, category, significance) WHERE deleted_at IS NULL AND hi / 100 > lo / 100;

-- Every month a date may fall in (years 1000–2999), as YYYYMM, for the
-- triggers to walk an event's months.
CREATE TABLE calendar_months (month INTEGER PRIMARY KEY) STRICT;
INSERT INTO calendar_months (month)
WITH RECURSIVE m (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < 23999)
SELECT (1000 + i / 12) * 100 + i % 12 + 1 FROM m;

INSERT INTO facet_cross (month, year, category, significance, n)
SELECT c.month, e.lo / 10000, e.category, e.significance, COUNT(*) FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
WHERE e.deleted_at IS NULL AND e.hi / 100 > e.lo / 100 GROUP BY 1, 2, 3, 4;
INSERT INTO facet_cross_actor (month, actor_id, n)
SELECT c.month, ea.actor_id, COUNT(*) FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
JOIN event_actors ea ON ea.event_id = e.id
WHERE e.deleted_at IS NULL AND e.hi / 100 > e.lo / 100 GROUP BY 1, 2;
INSERT INTO facet_cross_tag (month, tag, n)
SELECT c.month, t.tag, COUNT(*) FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
JOIN event_tags t ON t.event_id = e.id
WHERE e.deleted_at IS NULL AND e.hi / 100 > e.lo / 100 GROUP BY 1, 2;

-- The crossing counts follow inserts, moves, deletions and restores.
CREATE TRIGGER events_fc_ai AFTER INSERT ON events WHEN new.deleted_at IS NULL AND new.hi / 100 > new.lo / 100 BEGIN
	INSERT INTO facet_cross (month, year, category, significance, n)
		SELECT month, new.lo / 10000, new.category, new.significance, 1 FROM calendar_months WHERE month > new.lo / 100 AND month <= new.hi / 100
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER events_fc_au AFTER UPDATE OF lo, hi, category, significance, deleted_at ON events
WHEN old.lo / 100 <> new.lo / 100 OR old.hi / 100 <> new.hi / 100 OR old.category <> new.category OR old.significance <> new.significance
	OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
	UPDATE facet_cross SET n = n - 1 WHERE old.deleted_at IS NULL AND year = old.lo / 10000 AND category = old.category
		AND significance = old.significance AND month > old.lo / 100 AND month <= old.hi / 100;
	INSERT INTO facet_cross (month, year, category, significance, n)
		SELECT month, new.lo / 10000, new.category, new.significance, 1 FROM calendar_months
		WHERE new.deleted_at IS NULL AND month > new.lo / 100 AND month <= new.hi / 100
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER events_fc_move AFTER UPDATE OF lo, hi, deleted_at ON events
WHEN old.lo / 100 <> new.lo / 100 OR old.hi / 100 <> new.hi / 100 OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
	UPDATE facet_cross_actor SET n = n - 1 WHERE old.deleted_at IS NULL AND month > old.lo / 100 AND month <= old.hi / 100
		AND actor_id IN (SELECT actor_id FROM event_actors WHERE event_id = new.id);
	INSERT INTO facet_cross_actor (month, actor_id, n)
		SELECT c.month, ea.actor_id, 1 FROM calendar_months c JOIN event_actors ea ON ea.event_id = new.id
		WHERE new.deleted_at IS NULL AND c.month > new.lo / 100 AND c.month <= new.hi / 100
		ON CONFLICT DO UPDATE SET n = n + 1;
	UPDATE facet_cross_tag SET n = n - 1 WHERE old.deleted_at IS NULL AND month > old.lo / 100 AND month <= old.hi / 100
		AND tag IN (SELECT tag FROM event_tags WHERE event_id = new.id);
	INSERT INTO facet_cross_tag (month, tag, n)
		SELECT c.month, t.tag, 1 FROM calendar_months c JOIN event_tags t ON t.event_id = new.id
		WHERE new.deleted_at IS NULL AND c.month > new.lo / 100 AND c.month <= new.hi / 100
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER events_fc_bd BEFORE DELETE ON events WHEN old.deleted_at IS NULL AND old.hi / 100 > old.lo / 100 BEGIN
	UPDATE facet_cross SET n = n - 1 WHERE year = old.lo / 10000 AND category = old.category AND significance = old.significance
		AND month > old.lo / 100 AND month <= old.hi / 100;
	UPDATE facet_cross_actor SET n = n - 1 WHERE month > old.lo / 100 AND month <= old.hi / 100
		AND actor_id IN (SELECT actor_id FROM event_actors WHERE event_id = old.id);
	UPDATE facet_cross_tag SET n = n - 1 WHERE month > old.lo / 100 AND month <= old.hi / 100
		AND tag IN (SELECT tag FROM event_tags WHERE event_id = old.id);
END;
CREATE TRIGGER event_actors_fc_ai AFTER INSERT ON event_actors
WHEN (SELECT deleted_at IS NULL AND hi / 100 > lo / 100 FROM events WHERE id = new.event_id) BEGIN
	INSERT INTO facet_cross_actor (month, actor_id, n)
		SELECT c.month, new.actor_id, 1 FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
		WHERE e.id = new.event_id
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_actors_fc_ad AFTER DELETE ON event_actors
WHEN (SELECT deleted_at IS NULL AND hi / 100 > lo / 100 FROM events WHERE id = old.event_id) BEGIN
	UPDATE facet_cross_actor SET n = n - 1 WHERE actor_id = old.actor_id
		AND month > (SELECT lo / 100 FROM events WHERE id = old.event_id) AND month <= (SELECT hi / 100 FROM events WHERE id = old.event_id);
END;
CREATE TRIGGER event_tags_fc_ai AFTER INSERT ON event_tags
WHEN (SELECT deleted_at IS NULL AND hi / 100 > lo / 100 FROM events WHERE id = new.event_id) BEGIN
	INSERT INTO facet_cross_tag (month, tag, n)
		SELECT c.month, new.tag, 1 FROM events e JOIN calendar_months c ON c.month > e.lo / 100 AND c.month <= e.hi / 100
		WHERE e.id = new.event_id
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_tags_fc_ad AFTER DELETE ON event_tags
WHEN (SELECT deleted_at IS NULL AND hi / 100 > lo / 100 FROM events WHERE id = old.event_id) BEGIN
	UPDATE facet_cross_tag SET n = n - 1 WHERE tag = old.tag
		AND month > (SELECT lo / 100 FROM events WHERE id = old.event_id) AND month <= (SELECT hi / 100 FROM events WHERE id = old.event_id);
END;
