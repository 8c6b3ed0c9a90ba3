-- The chronology as of a moment picks, for each event, its latest revision
-- at or before then: one seek per event in this index.
CREATE INDEX revisions_event_time ON revisions (event_id, created_at, version);

-- History is public, and editors appear in it under a display name, never
-- their sign-in name; '' shows as "Editor N" (N the user's id).
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
