-- load.lua: wrk script for `make load` (cmd/timeline/deploy/load.sh). Each
-- request asks for a filter no request of the run asked before (the page
-- cache and the counts cache never answer it), of the kind given after
-- `--`: range (two years), category, actor, tag, search (each with a
-- two-year range), month (a month from any day), shipped-search (a word of
-- the shipped dataset and a range of years), or static (the URL as given).
-- It prints one STATS line: requests/s, p50, p95, p99 (ms), non-2xx.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local kind, n, nthreads = "static", 0, 1
local categories = { "summit", "negotiation", "agreement", "statement", "sanctions", "abduction", "repatriation",
  "missile", "nuclear", "incident", "humanitarian", "domestic-politics", "legal" }
local tags = { "abductions", "sanctions", "missiles", "summits", "red-cross", "chongryon", "topic-7", "topic-150" }
local syll = { "ka", "ki", "mu", "ra", "to", "shi", "ta", "no", "ha", "yo", "mi", "sa", "ko", "jo", "un", "il", "nam", "song", "pak", "ri" }
local shipped = { "abduction", "sanctions", "summit", "talks", "missile", "repatriation", "red cross", "pyongyang", "koizumi",
  "declaration", "nuclear", "six-party", "stockholm", "remains", "ship", "chongryon", "kim", "abe", "visit", "meeting" }

function init(args)
  kind = args[1] or "static"
  nthreads = tonumber(args[2] or "1")
end

local function day(i) -- a day from 1 January 1946 for the i-th request:
  -- each far from the one before (7919 is prime to 29000), so that no cache
  -- of the cards or the database pages read a moment before answers the next
  return os.time { year = 1946, month = 1, day = 1 + (i * 7919) % 29000, hour = 12 }
end

local function fmt(t) return os.date("!%Y-%m-%d", t) end

request = function()
  local i = n * nthreads + tid -- never the same i twice in a run
  n = n + 1
  if kind == "static" then return wrk.format(nil, wrk.path) end
  local path
  if kind == "month" or kind == "shipped-search" then
    local t = day(i)
    local d = os.date("!*t", t)
    local to = os.time { year = d.year, month = d.month + 1, day = d.day - 1, hour = 12 }
    path = "/events?from=" .. fmt(t) .. "&to=" .. fmt(to)
    if kind == "shipped-search" then
      local y = 1950 + i % 70
      path = "/events?q=" .. shipped[1 + i % #shipped]:gsub(" ", "+") .. "&from=" .. y .. "&to=" .. (y + 1 + math.floor(i / 70) % 40)
    end
  else
    local t = day(i)
    local d = os.date("!*t", t)
    local to = os.time { year = d.year + 2, month = d.month, day = d.day - 1, hour = 12 }
    path = "/events?from=" .. fmt(t) .. "&to=" .. fmt(to)
    if kind == "category" then
      path = path .. "&category=" .. categories[1 + i % #categories]
    elseif kind == "actor" then
      path = path .. "&actor=synth-actor-0-" .. (i % 200)
    elseif kind == "tag" then
      path = path .. "&tag=" .. tags[1 + i % #tags]
    elseif kind == "search" then
      path = path .. "&q=" .. syll[1 + i % #syll] .. syll[1 + math.floor(i / #syll) % #syll]
    end
  end
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("STATS %.1f %.1f %.1f %.1f %d\n", summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, bad))
end
