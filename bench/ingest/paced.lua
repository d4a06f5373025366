-- wrk script for bench/ingest.sh: sends TARGET (GET without BODY_FILE, else POST of that file with NAME replaced by
-- a name of its own per request, so every build answer can be a 202), paced to RATE requests per second in all when
-- RATE is set (wrk itself only runs flat out). Also read: THREADS (wrk's -t), KEY, RUN_ID.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } kiln_timespec;
  int clock_gettime(int clock, kiln_timespec *now);
]]
local now_ts = ffi.new("kiln_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_ts) -- CLOCK_MONOTONIC
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local counter = 0
thread_id = 0 -- set per thread by setup(), so a global
local next_at = 0
local interval = 0
local template = ""
local target = "/"
local run_id = "ingest"

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
end

function init(args)
  local rate = tonumber(os.getenv("RATE") or "0")
  local threads = tonumber(os.getenv("THREADS") or "1")
  if rate > 0 then interval = 1000 / (rate / threads) end
  target = os.getenv("TARGET")
  local body_file = os.getenv("BODY_FILE") or ""
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("KEY") or "kiln-dev-key")
  if body_file ~= "" then
    local file = io.open(body_file, "r")
    template = file:read("*a")
    file:close()
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
  end
  run_id = os.getenv("RUN_ID") or "ingest"
end

function request()
  if template == "" then
    return wrk.format("GET", target)
  end
  counter = counter + 1
  local name = string.format("%s-%d-%d", run_id, thread_id, counter)
  return wrk.format(nil, target, nil, (template:gsub("NAME", name)))
end

-- The next request of this thread leaves at the next free slot of its schedule: a fixed rate while answers keep up,
-- flat out (bounded by the connections) when they do not.
function delay()
  if interval == 0 then return 0 end
  local now = now_ms()
  if next_at < now then next_at = now end
  local wait = next_at - now
  next_at = next_at + interval
  return wait
end

function done(summary, latency, requests)
  io.write(string.format("KILN p50=%.2f p90=%.2f p99=%.2f max=%.2f requests=%d non2xx3xx=%d rps=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6)))
end
