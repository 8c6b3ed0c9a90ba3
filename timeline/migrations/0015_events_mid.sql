-- Events of more than about a month and at most a year (100 < hi - lo <=
-- 10000 in YYYYMMDD terms) are about a sixth. With their own index a
-- date-range list reads the shortest events from a month before the range,
-- these from a year before, and the long ones from events_long, instead of
-- reading a year of every event to find the few that reach into the range
-- (see chronologicalSelect).
CREATE INDEX events_mid ON events (lo, prec, title, id, hi, significance, category)
	WHERE deleted_at IS NULL AND hi - lo > 100 AND hi - lo <= 10000;
