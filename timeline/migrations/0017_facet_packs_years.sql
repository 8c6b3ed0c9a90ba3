-- Packs per year too (key YYYY: a = the events starting in the year, b
-- empty), so that a range of a few years from any day to any day reads a
-- few dozen packs (timeline/facet_packs.go). A change of facet_events marks
-- its start's year stale as well as its days and month.
DROP TRIGGER facet_events_pk_ai;
DROP TRIGGER facet_events_pk_ad;
DROP TRIGGER facet_events_pk_au;
CREATE TRIGGER facet_events_pk_ai AFTER INSERT ON facet_events BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (new.lo), (new.hi), (new.lo / 100), (new.lo / 10000) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_events_pk_ad AFTER DELETE ON facet_events BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.lo), (old.hi), (old.lo / 100), (old.lo / 10000) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER facet_events_pk_au AFTER UPDATE ON facet_events BEGIN
	INSERT INTO facet_pack_stale (key) VALUES (old.lo), (old.hi), (old.lo / 100), (old.lo / 10000),
		(new.lo), (new.hi), (new.lo / 100), (new.lo / 10000) ON CONFLICT DO NOTHING;
END;
