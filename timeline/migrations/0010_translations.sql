-- Translations: an event's summary in Japanese and Korean, and an era's
-- Korean name and its description in Japanese and Korean. All optional:
-- readers of another language fall back to the English text.
ALTER TABLE events ADD COLUMN summary_ja TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN summary_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE eras ADD COLUMN name_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE eras ADD COLUMN description_ja TEXT NOT NULL DEFAULT '';
ALTER TABLE eras ADD COLUMN description_ko TEXT NOT NULL DEFAULT '';
