#!/bin/sh
# bench-export.sh BINARY DB: export every event of DB as CSV and JSON with
# `timeline export`, and the same rows as CSV with the sqlite3 command-line
# tool (.mode csv), reporting MB/s, CPU time (user + system: the machine
# may be shared) and peak memory (GNU time's max RSS).
# Needs Debian's sqlite3 and time packages.
set -eu
bin=$1
db=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # label command...: prints label, seconds, MB, MB/s, CPU seconds (user + system), peak RSS MB
	label=$1
	shift
	/usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" >"$tmp/out"
	set -- $(cat "$tmp/time")
	bytes=$(stat -c %s "$tmp/out")
	awk -v l="$label" -v s="$1" -v k="$2" -v u="$3" -v y="$4" -v b="$bytes" 'BEGIN {
		printf "%-28s %7.2f s %8.1f MB %7.1f MB/s %6.1f s CPU  peak RSS %6.1f MB\n", l, s, b/1e6, b/1e6/s, u + y, k/1024 }'
}

echo "export of every event in $db"
run "timeline export csv" "$bin" export --db "$db" --format csv
run "timeline export json" "$bin" export --db "$db" --format json
# The same rows and columns as our CSV, lists joined the same way.
run "sqlite3 .mode csv" sqlite3 -readonly -csv -header "$db" "
SELECT e.slug, e.start, e.\"end\", e.start AS display_date, e.title, e.title_ja, e.title_ko, e.category, e.significance, e.location, e.location_ja, e.location_ko,
  (SELECT group_concat(a.slug, '; ') FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id) AS actors,
  (SELECT group_concat(tag, '; ') FROM event_tags WHERE event_id = e.id) AS tags,
  e.summary, e.summary_ja, e.summary_ko,
  (SELECT group_concat(url, '; ') FROM sources WHERE event_id = e.id AND url <> '') AS source_urls,
  'http://127.0.0.1:8080/events/' || e.slug AS url
FROM events e WHERE e.deleted_at IS NULL ORDER BY e.lo, e.prec, e.title, e.id;"
