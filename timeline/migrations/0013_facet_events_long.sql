-- The events of facet_events longer than about a year, by start: those
-- that began long before a range and still run in it (as events_long is
-- for events), for counting a range with actors or tags from facet_events
-- alone (facetsScanned in facets_scan.go).
CREATE INDEX facet_events_long ON facet_events (lo) WHERE hi - lo > 10000;
