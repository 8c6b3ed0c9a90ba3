// Package timeline is the domain of the Japan–DPRK diplomacy chronology and
// its SQLite store.
//
// An Event has honest, partial dates (Date): a year, a month or a day, never
// a time of day, optionally approximate, optionally a range. Events carry
// actors with roles, tags, structured sources and typed links to related
// events. Eras are named periods drawn as bands.
//
// The Store keeps events in SQLite (modernc.org/sqlite, pure Go) with one
// writer connection and a small reader pool. Every write records a revision
// in the same transaction. Lists are filtered (Filter), sorted
// chronologically and paged with keyset cursors, never OFFSET.
//
// This package imports no web code.
package timeline
