-- Packed counts (timeline/facet_packs.go): one row per month and per day,
-- each holding in one compact value what a date filter sums, so that a
-- month's counts are a few rows instead of a thousand.
--   key YYYYMM:   a = the events starting in the month, b = those crossing
--                 into it (started in an earlier month, still running on
--                 its first day), as facet_cross* count them;
--   key YYYYMMDD: a = the events starting on the day, b = those ending on it.
-- A pack counts per start year × category × significance, per actor and
-- per tag. Triggers mark the packs a write changes stale (cheaply, in the
-- transaction of the write); the write path (Store.runTx) rebuilds them
-- before it commits, and readers that find any stale pack count from the
-- tables instead.
CREATE TABLE facet_packs (
	key INTEGER PRIMARY KEY,
	a   BLOB NOT NULL,
	b   BLOB NOT NULL
) STRICT;
CREATE TABLE facet_pack_stale (key INTEGER PRIMARY KEY) STRICT;

CREATE TRIGGER facet_events_pk_ai AFTER INSERT ON facet_events BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (new.lo), (new.hi), (new.lo / 100) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_events_pk_ad AFTER DELETE ON facet_events BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.lo), (old.hi), (old.lo / 100) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_events_pk_au AFTER UPDATE ON facet_events BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.lo), (old.hi), (old.lo / 100), (new.lo), (new.hi), (new.lo / 100) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_pk_ai AFTER INSERT ON facet_cross BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (new.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_pk_au AFTER UPDATE ON facet_cross BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.month), (new.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_pk_ad AFTER DELETE ON facet_cross BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_actor_pk_ai AFTER INSERT ON facet_cross_actor BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (new.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_actor_pk_au AFTER UPDATE ON facet_cross_actor BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.month), (new.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_actor_pk_ad AFTER DELETE ON facet_cross_actor BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_tag_pk_ai AFTER INSERT ON facet_cross_tag BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (new.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_tag_pk_au AFTER UPDATE ON facet_cross_tag BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.month), (new.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_cross_tag_pk_ad AFTER DELETE ON facet_cross_tag BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.month) ON CONFLICT DO NOTHING;
END;
