-- An event's location in Japanese and Korean, beside the English one.
-- Optional, as the titles' translations are: readers of another language
-- fall back to the English location.
ALTER TABLE events ADD COLUMN location_ja TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN location_ko TEXT NOT NULL DEFAULT '';
