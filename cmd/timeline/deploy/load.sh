#!/bin/sh
# load.sh BINARY DB: start the server on DB and drive it with wrk (Debian's
# wrk package) from a second process: the chronology page (cached), a
# filtered page and a search (each request a new URL, so never cached), an
# event page, and a static file of the same size as the chronology page as
# the ceiling. Reports requests per second, p50 and p99 latency, and the
# server's peak RSS. Traffic stays on 127.0.0.1.
set -eu
bin=$1
db=$2
port=${LOAD_PORT:-18080}
duration=${LOAD_SECONDS:-10}
conns=${LOAD_CONNECTIONS:-32}
base=http://127.0.0.1:$port
tmp=$(mktemp -d)
"$bin" serve --db "$db" --addr 127.0.0.1:$port --files "$tmp" --log-format json 2>"$tmp/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

# The ceiling: a static file as big as the chronology page.
curl -s -H "Accept-Encoding: gzip" "$base/events" >"$tmp/page.bin"
cat >"$tmp/unique.lua" <<'LUA'
-- a new URL each request, so the page cache never answers
local n = 0
request = function()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "n=" .. n)
end
LUA

drive() { # label url [script]
	label=$1
	url=$2
	script=${3:-}
	if [ -n "$script" ]; then
		wrk -t2 -c"$conns" -d"${duration}s" --latency -H 'Accept-Encoding: gzip' -s "$script" "$url" >"$tmp/wrk"
	else
		wrk -t2 -c"$conns" -d"${duration}s" --latency -H 'Accept-Encoding: gzip' "$url" >"$tmp/wrk"
	fi
	awk -v l="$label" '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 }
		/^ +99%/ { p99 = $2 }
		/Non-2xx/ { bad = $NF }
		END { printf "%-34s %9s req/s   p50 %8s   p99 %8s%s\n", l, rps, p50, p99, (bad ? "   non-2xx " bad : "") }' "$tmp/wrk"
}

echo "wrk: 2 threads, $conns connections, ${duration}s each, against $db ($(stat -c %s "$tmp/page.bin") bytes per gzipped page)"
drive "static file, same size (ceiling)" "$base/files/page.bin"
drive "chronology page (cached)" "$base/events"
drive "filtered page (uncached)" "$base/events?from=1990&to=2005-06&category=summit&category=sanctions&sig=2" "$tmp/unique.lua"
drive "search (uncached)" "$base/events?q=zanzibar" "$tmp/unique.lua"
drive "event page" "$base/events/synth-500000"
echo "server peak RSS: $(awk '/VmHWM/ { printf "%.1f MB", $2/1024 }' /proc/$pid/status)"
