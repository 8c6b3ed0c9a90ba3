-- Speed at a million events.
--
-- 1. The order indexes carry the columns filters test (hi, significance,
--    category, year), so a filtered page or a facet count over a date range
--    reads the index alone. The year index goes: the order index serves it.
DROP INDEX events_order;
DROP INDEX events_category_order;
DROP INDEX events_year;
CREATE INDEX events_order ON events (lo, prec, title, id, hi, significance, category, year) WHERE deleted_at IS NULL;
CREATE INDEX events_category_order ON events (category, lo, prec, title, id, hi, significance, year) WHERE deleted_at IS NULL;

-- 2. The longest span of any event, in days, ever stored. An event ending on
--    or after day F began no earlier than F minus this, which turns "hi >= F"
--    into a range on the order index.
INSERT INTO meta (key, value)
SELECT 'max_span_days', COALESCE(MAX(CAST(
	julianday(printf('%04d-%02d-%02d', hi / 10000, hi / 100 % 100, hi % 100)) -
	julianday(printf('%04d-%02d-%02d', lo / 10000, lo / 100 % 100, lo % 100)) AS INTEGER)), 0)
FROM events;

-- 3. Counts of live events per year and category, per actor and per tag,
--    kept by triggers, so that the unfiltered facets cost nothing.
CREATE TABLE facet_year_category (
	year     INTEGER NOT NULL,
	category TEXT NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (year, category)
) STRICT, WITHOUT ROWID;
CREATE TABLE facet_actor (actor_id INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT;
CREATE TABLE facet_tag (tag TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE INDEX facet_actor_n ON facet_actor (n);
CREATE INDEX facet_tag_n ON facet_tag (n);

INSERT INTO facet_year_category (year, category, n)
SELECT year, category, COUNT(*) FROM events WHERE deleted_at IS NULL GROUP BY year, category;
INSERT INTO facet_actor (actor_id, n)
SELECT ea.actor_id, COUNT(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE e.deleted_at IS NULL GROUP BY ea.actor_id;
INSERT INTO facet_tag (tag, n)
SELECT t.tag, COUNT(*) FROM event_tags t JOIN events e ON e.id = t.event_id WHERE e.deleted_at IS NULL GROUP BY t.tag;

CREATE TRIGGER events_facets_ai AFTER INSERT ON events BEGIN
	INSERT INTO facet_year_category (year, category, n) SELECT new.year, new.category, 1 WHERE new.deleted_at IS NULL
		ON CONFLICT (year, category) DO UPDATE SET n = n + 1;
	UPDATE meta SET value = max(value, CAST(
		julianday(printf('%04d-%02d-%02d', new.hi / 10000, new.hi / 100 % 100, new.hi % 100)) -
		julianday(printf('%04d-%02d-%02d', new.lo / 10000, new.lo / 100 % 100, new.lo % 100)) AS INTEGER))
	WHERE key = 'max_span_days';
END;

CREATE TRIGGER events_facets_au AFTER UPDATE OF year, category, deleted_at, lo, hi ON events BEGIN
	UPDATE facet_year_category SET n = n - 1
		WHERE old.deleted_at IS NULL AND year = old.year AND category = old.category;
	INSERT INTO facet_year_category (year, category, n) SELECT new.year, new.category, 1 WHERE new.deleted_at IS NULL
		ON CONFLICT (year, category) DO UPDATE SET n = n + 1;
	-- An event deleted or brought back takes its actors and tags with it.
	UPDATE facet_actor SET n = n - 1
		WHERE old.deleted_at IS NULL AND new.deleted_at IS NOT NULL
		AND actor_id IN (SELECT actor_id FROM event_actors WHERE event_id = new.id);
	INSERT INTO facet_actor (actor_id, n) SELECT actor_id, 1 FROM event_actors
		WHERE event_id = new.id AND old.deleted_at IS NOT NULL AND new.deleted_at IS NULL
		ON CONFLICT (actor_id) DO UPDATE SET n = n + 1;
	UPDATE facet_tag SET n = n - 1
		WHERE old.deleted_at IS NULL AND new.deleted_at IS NOT NULL
		AND tag IN (SELECT tag FROM event_tags WHERE event_id = new.id);
	INSERT INTO facet_tag (tag, n) SELECT tag, 1 FROM event_tags
		WHERE event_id = new.id AND old.deleted_at IS NOT NULL AND new.deleted_at IS NULL
		ON CONFLICT (tag) DO UPDATE SET n = n + 1;
	UPDATE meta SET value = max(value, CAST(
		julianday(printf('%04d-%02d-%02d', new.hi / 10000, new.hi / 100 % 100, new.hi % 100)) -
		julianday(printf('%04d-%02d-%02d', new.lo / 10000, new.lo / 100 % 100, new.lo % 100)) AS INTEGER))
	WHERE key = 'max_span_days';
END;

CREATE TRIGGER events_facets_ad AFTER DELETE ON events WHEN old.deleted_at IS NULL BEGIN
	UPDATE facet_year_category SET n = n - 1 WHERE year = old.year AND category = old.category;
END;

CREATE TRIGGER event_actors_facets_ai AFTER INSERT ON event_actors
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = new.event_id) BEGIN
	INSERT INTO facet_actor (actor_id, n) VALUES (new.actor_id, 1) ON CONFLICT (actor_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_actors_facets_ad AFTER DELETE ON event_actors
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = old.event_id) BEGIN
	UPDATE facet_actor SET n = n - 1 WHERE actor_id = old.actor_id;
END;
CREATE TRIGGER event_tags_facets_ai AFTER INSERT ON event_tags
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = new.event_id) BEGIN
	INSERT INTO facet_tag (tag, n) VALUES (new.tag, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_tags_facets_ad AFTER DELETE ON event_tags
WHEN (SELECT deleted_at IS NULL FROM events WHERE id = old.event_id) BEGIN
	UPDATE facet_tag SET n = n - 1 WHERE tag = old.tag;
END;

-- 4. The search index's vocabulary, to tell a rare word from a common one
--    and to expand a prefix into the words it stands for.
CREATE VIRTUAL TABLE events_fts_vocab USING fts5vocab (events_fts, 'row');
