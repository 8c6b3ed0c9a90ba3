// Package timeline is the domain of the Japan–DPRK diplomacy chronology and
// its SQLite store. It is the only package that writes SQL, and it imports
// no web code.
//
// The domain, plain values with the rules that hold them:
//   - Date, Day (date.go): partial dates, a year, a month or a day, never a
//     time of day; each knows its earliest and latest day.
//   - Event, Actor, Source, Era (event.go): Validate reports every problem
//     at once, as a *ValidationError keyed by field (errors.go, with
//     ErrNotFound, ErrConflict and ErrExists).
//   - Filter (filter.go): what a list selects, and its URL form;
//     Store.ResolveFilter is the one way to read one from query parameters.
//   - Check (checks.go): a recorded verification of an event.
//   - Footnotes (footnote.go): the [1], [2] markers of a summary or body,
//     which Event.Validate holds to the event's sources.
//   - Correction (corrections.go): a reader's suggestion with its evidence;
//     CreateCorrection, DeclineCorrection, and UpdateEvent accepts one named
//     by Change.Correction in the revision that applies it.
//
// The Store (store.go: Open, migrations, one writer, a reader pool):
//   - Events: GetEvent, CreateEvent, UpdateEvent, DeleteEvent, RestoreEvent
//     (store_events.go), each writing a revision in the same transaction;
//     actors, tags and eras beside them (store_actors.go, store_tags.go).
//   - Lists: a Filter is compiled to SQL (filter_sql.go); ListEvents and
//     Count read keyset pages, never OFFSET (pages.go); EachEvent, for
//     exports, reads keyset chunks in id order and sorts them (each.go);
//     Facets and Points count and place them (facets.go); the words of a
//     search are matched by search.go. The plain queries they must agree
//     with are kept as a test oracle (oracle_test.go, planner_test.go).
//   - Stories and changes: store_story.go, store_changes.go (the feed).
//   - The past (asof.go): StateAt, EventAt and EachEventAt read the
//     chronology as it stood at a moment from the revisions; Snapshot makes
//     a database of it (a copy with the changes since rolled back).
//     Editors appear in history under a display name (users.go).
//   - Import: Import writes a Dataset (store_import.go); ImportFile checks
//     and writes a file read by timeline/export (store_importfile.go).
//   - Users, sessions, API tokens and the audit log: users.go, audit.go.
//   - Backups, checkpoints and disk faults: backup.go, faults.go.
//   - BulkLoad (bulkload.go): fast loading for timeline/synth.
//
// Beside it: timeline/export holds the file formats, timeline/synth makes
// synthetic chronologies for measuring.
package timeline
