-- The search index's fourth column becomes keys: the date words of 0014
-- and a word for each of the event's actors and tags (search_dates.go), so
-- that actors and tags within a date range are intersected inside the
-- index too. Made anew and filled from the events by the migration's Go
-- step (reindexSearch), in this migration's transaction; 0014's index,
-- which this replaces, is no longer filled.
DROP TABLE events_fts_vocab;
DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5 (
	title, words, grams, keys,
	content = '',
	contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE events_fts_vocab USING fts5vocab (events_fts, 'row');
