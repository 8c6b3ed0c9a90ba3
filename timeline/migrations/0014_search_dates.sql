-- The search index gains a fourth column, dates: words naming the months
-- and years each event spans (search_dates.go), so that a search with a
-- date range is intersected inside the index. A contentless table cannot
-- gain a column or be refilled from itself: it is made anew, and filled
-- from the events by a Go step (reindexSearch; since 0015, that one's), in this
-- migration's transaction.
DROP TABLE events_fts_vocab;
DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5 (
	title, words, grams, dates,
	content = '',
	contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE events_fts_vocab USING fts5vocab (events_fts, 'row');
