-- Events that span more than a year (hi - lo > 10000 in YYYYMMDD terms) are
-- few. With their own index a date-range list reads short events from just
-- before the range and long ones from here, instead of reading back as far
-- as the longest event reaches (see chronologicalQuery).
CREATE INDEX events_long ON events (lo, prec, title, id, hi, significance, category)
	WHERE deleted_at IS NULL AND hi - lo > 10000;
