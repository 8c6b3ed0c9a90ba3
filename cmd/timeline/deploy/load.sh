#!/bin/sh
# load.sh BINARY [DB]: every target of the performance issue in one run.
# It times `timeline synth` making 1,000,000 events (or, given DB, serves
# that instead and skips the timing), serves them and the shipped dataset
# from two servers, and drives each with wrk (Debian's wrk package) from a
# second process, every request a filter no request asked before
# (load.lua). Each line is set beside a static file of the same bytes
# (the response, saved) served by the same server over the same
# connections: the ceiling, and the ratio to it. Then the exports against
# the sqlite3 command-line tool, a too-broad search export, and the peak
# RSS of everything. Traffic stays on 127.0.0.1. LOAD_TARGETS="month
# export" runs only the targets of those kinds (range, category, actor,
# tag, search, month, shipped-search, export), for working on one.
set -eu
bin=$1
db=${2:-}
port=${LOAD_PORT:-18080}
duration=${LOAD_SECONDS:-10}
only=${LOAD_TARGETS:-}
# want KIND: whether this run measures targets of that kind.
want() { [ -z "$only" ] || case " $only " in *" $1 "*) true ;; *) false ;; esac; }
here=$(dirname "$0")
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; rm -rf "$tmp"' EXIT
echo "machine: $(nproc) cores; $(uptime | sed 's/.*load/load/')"

if [ -z "$db" ]; then
	db=$tmp/synth.db
	/usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" synth --db "$db" --events 1000000 >/dev/null
	set -- $(cat "$tmp/time")
	awk -v s="$1" -v k="$2" 'BEGIN { printf "synth: 1,000,000 events in %.1f s (target 45 s), peak RSS %.0f MB\n", s, k/1024 }'
else
	echo "synth: not timed (serving $db)"
fi
"$bin" init --db "$tmp/shipped.db" >/dev/null

mkdir "$tmp/files"
serve() { # db port
	"$bin" serve --db "$1" --addr 127.0.0.1:$2 --files "$tmp/files" --log-format json >>"$tmp/server.log" 2>&1 &
	pids="$pids $!"
	for _ in $(seq 150); do curl -sf "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return; sleep 0.2; done
	echo "server on $1 did not start"; exit 1
}
serve "$db" $port
big=$!
serve "$tmp/shipped.db" $((port + 1))
small=$!

# cpu PID: the process's CPU time so far, in clock ticks.
cpu() { awk '{ print $14 + $15 }' /proc/$1/stat; }
# drive KIND CONNECTIONS URL PID: prints "rps p50 p95 p99 bad cpu-ticks",
# the last the server PID's CPU time over the run.
drive() {
	c0=$(cpu $4)
	wrk -t$(($2 > 1 ? 2 : 1)) -c"$2" -d"${duration}s" --timeout 10s -H 'Accept-Encoding: gzip' -s "$here/load.lua" "$3" -- "$1" $(($2 > 1 ? 2 : 1)) |
		awk '/^STATS/ { print $2, $3, $4, $5, $6 }' >"$tmp/drive"
	echo "$(cat "$tmp/drive") $(($(cpu $4) - c0))"
}
# The machine is shared: besides latency, each line gives the server's CPU
# time per request, which the other load on the machine changes far less.
hz=$(getconf CLK_TCK)
printf "%-42s %7s %7s %7s %7s %7s   %s\n" "what (new filter every request)" "req/s" "p50 ms" "p95 ms" "p99 ms" "CPU ms" "static file of the same bytes: req/s, ratio"
# target LABEL KIND CONNECTIONS BASE SAMPLE-PATH PID
target() {
	want "$2" || return 0
	curl -s -H 'Accept-Encoding: gzip' "$4$5" >"$tmp/files/$2.bin"
	set -- "$1" "$2" "$3" "$4" "$(drive "$2" "$3" "$4/" $6)" "$(drive static "$3" "$4/files/$2.bin" $6)"
	echo "$5 $6" | awk -v l="$1" -v b="$(stat -c %s "$tmp/files/$2.bin")" -v hz=$hz '{
		printf "%-42s %7.0f %7.1f %7.1f %7.1f %7.2f   %.0f (%d bytes), %.3f%s\n", l, $1, $2, $3, $4, ($1 > 0 ? 1000 * $6 / hz / ($1 * '"$duration"') : 0),
			$7, b, $1 / $7, ($5 > 0 ? "   errors/non-2xx " $5 : "") }'
}
range="from=2001-03-14&to=2003-03-13"
target "1M: two-year range, 1 reader" range 1 "http://127.0.0.1:$port" "/events?$range" $big
target "1M: two years + category, 1 reader" category 1 "http://127.0.0.1:$port" "/events?$range&category=summit" $big
target "1M: two years + actor, 1 reader" actor 1 "http://127.0.0.1:$port" "/events?$range&actor=synth-actor-0-7" $big
target "1M: two years + tag, 1 reader" tag 1 "http://127.0.0.1:$port" "/events?$range&tag=sanctions" $big
target "1M: two years + search, 1 reader" search 1 "http://127.0.0.1:$port" "/events?$range&q=kamu" $big
target "1M: a month, 32 connections" month 32 "http://127.0.0.1:$port" "/events?from=2003-05-12&to=2003-06-11" $big
target "shipped: search + years, 32 connections" shipped-search 32 "http://127.0.0.1:$((port + 1))" "/events?q=abduction&from=1977&to=2003" $small
echo "targets: 1 reader p95 <= 50 ms; a month at 32 connections >= 400 req/s, p99 <= 250 ms; shipped search >= 2,000 req/s, p99 < 50 ms"

# Exports: the server's streamed CSV of every event, and the command's,
# against sqlite3 writing the same rows. Besides MB/s, the CPU seconds
# (user + system) each took, which the machine's other load changes far
# less: for the server's line the server's, and its peak RSS so far.
if want export; then
export_run() { # label command...
	label=$1
	shift
	c0=$(cpu $big)
	/usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" >"$tmp/out"
	c1=$(cpu $big)
	set -- $(cat "$tmp/time")
	cpus=$(echo "$3 $4" | awk '{ print $1 + $2 }')
	rss=$2
	case $label in *GET*)
		cpus=$(awk -v t=$((c1 - c0)) -v hz=$hz 'BEGIN { print t / hz }')
		rss=$(awk '/VmHWM/ { print $2 }' /proc/$big/status) ;;
	esac
	awk -v l="$label" -v s="$1" -v k="$rss" -v c="$cpus" -v b="$(stat -c %s "$tmp/out")" 'BEGIN {
		printf "%-44s %7.1f s %7.1f MB %7.1f MB/s %6.1f s CPU   peak RSS %5.1f MB\n", l, s, b/1e6, b/1e6/s, c, k/1024 }' | tee -a "$tmp/exports"
}
export_run "export: GET /events.csv (all, streamed)" curl -sf "http://127.0.0.1:$port/events.csv"
export_run "export: timeline export --format csv" "$bin" export --db "$db" --format csv
export_run "export: sqlite3 -csv, the same rows" sqlite3 -readonly -csv -header "$db" "
SELECT e.slug, e.start, e.\"end\", e.start AS display_date, e.title, e.title_ja, e.title_ko, e.category, e.significance, e.location, e.location_ja, e.location_ko,
  (SELECT group_concat(a.slug, '; ') FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id) AS actors,
  (SELECT group_concat(tag, '; ') FROM event_tags WHERE event_id = e.id) AS tags,
  e.summary, e.summary_ja, e.summary_ko,
  (SELECT group_concat(url, '; ') FROM sources WHERE event_id = e.id AND url <> '') AS source_urls,
  'http://127.0.0.1:8080/events/' || e.slug AS url
FROM events e WHERE e.deleted_at IS NULL ORDER BY e.lo, e.prec, e.title, e.id;"
awk '{ for (i = 2; i <= NF; i++) if ($i == "MB/s") r = $(i-1) }
	/GET/ { web = r } /export: timeline/ { ours = r } /sqlite3/ { theirs = r }
	END { printf "export: ours / sqlite3 = %.2f for the command, %.2f for GET /events.csv (target 0.8)\n", ours / theirs, web / theirs }' "$tmp/exports"
curl -s -o "$tmp/broad" -w "export: GET /events.csv?q=japan (95%% of events): %{http_code} in %{time_total} s: " "http://127.0.0.1:$port/events.csv?q=japan"
head -c 200 "$tmp/broad"
echo
fi
echo "server peak RSS: 1M $(awk '/VmHWM/ { printf "%.1f MB", $2/1024 }' /proc/$big/status), shipped $(awk '/VmHWM/ { printf "%.1f MB", $2/1024 }' /proc/$small/status) (target 150 MB)"
echo "machine after: $(uptime | sed 's/.*load/load/')"
